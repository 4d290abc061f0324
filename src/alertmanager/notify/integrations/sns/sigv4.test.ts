import { describe, expect, it } from 'vitest';
import { amzDate, awsUriEncode, signV4 } from './sigv4.js';

// AWS's SigV4 test suite (aws-sig-v4-test-suite): credentials, scope and time of every case.
const SUITE = {
  region: 'us-east-1',
  service: 'service',
  accessKey: 'AKIDEXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  now: Date.UTC(2015, 7, 30, 12, 36, 0),
};

describe('SigV4 (AWS test suite)', () => {
  it('get-vanilla: canonical request, string to sign, Authorization', () => {
    const r = signV4({ ...SUITE, method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '' });
    expect(r.canonicalRequest).toBe('GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(r.stringToSign).toBe('AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63');
    expect(r.headers).toEqual({
      'X-Amz-Date': '20150830T123600Z',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
  });

  it.each([
    { name: 'post-vanilla', method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body: '', sig: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
    { name: 'get-vanilla-query-order-key-case', method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, body: '', sig: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
    {
      name: 'post-x-www-form-urlencoded',
      method: 'POST',
      url: 'https://example.amazonaws.com/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Param1=value1',
      sig: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    },
    { name: 'post-header-key-sort', method: 'POST', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': 'value1' }, body: '', sig: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c' },
  ])('$name', ({ method, url, headers, body, sig }) => {
    expect(signV4({ ...SUITE, method, url, headers, body }).signature).toBe(sig);
  });

  it('a different secret, body or time changes the signature', () => {
    const base = { ...SUITE, method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, body: 'a=1' };
    const s0 = signV4(base).signature;
    expect(signV4({ ...base, secretKey: 'x' }).signature).not.toBe(s0);
    expect(signV4({ ...base, body: 'a=2' }).signature).not.toBe(s0);
    expect(signV4({ ...base, now: SUITE.now + 1000 }).signature).not.toBe(s0);
  });

  it('helpers', () => {
    expect(amzDate(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('20240102T030405Z');
    expect(awsUriEncode("a b~c/!'()*")).toBe('a%20b~c%2F%21%27%28%29%2A');
  });
});
