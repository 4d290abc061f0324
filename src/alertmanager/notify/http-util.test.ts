import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { HttpResponse } from '../../core/runtime.js';
import { LITERAL_TEMPLATES } from '../template/api.js';
import { durationSetting, goDurationString, httpConfigHeaders, sendRequest, tlsOptions, withHttpConfig } from './http-util.js';
import { FakeHttp, ManualClock } from './test-fakes.js';

describe('goDurationString', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [60_000, '1m0s'],
    [7_200_000, '2h0m0s'],
  ])('%d -> %s', (ms, want) => expect(goDurationString(ms)).toBe(want));
});

describe('durationSetting', () => {
  it.each([
    [undefined, 0],
    [0, 0],
    [-5, 0],
    [2500, 2500],
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['bogus', 0],
  ])('%s -> %d', (v, want) => expect(durationSetting(v)).toBe(want));
});

describe('httpConfigHeaders', () => {
  it.each([
    { hc: null, want: {} },
    { hc: 'x', want: {} },
    { hc: { basic_auth: { username: 'u' } }, want: { Authorization: 'Basic dTo=' } },
    { hc: { authorization: { type: '', credentials: 'c' } }, want: { Authorization: 'Bearer c' } },
    { hc: { bearer_token: '' }, want: {} },
    { hc: { http_headers: { 'X-A': { values: ['1', '2'] }, 'X-B': 'v' } }, want: { 'X-A': '1, 2', 'X-B': 'v' } },
    { hc: { http_headers: { 'X-S': { values: ['a'], secrets: ['s'] }, 'X-E': { files: ['/f'] } } }, want: { 'X-S': 'a, s' } },
  ])('$hc', ({ hc, want }) => expect(httpConfigHeaders(hc)).toEqual(want));
});

describe('tlsOptions', () => {
  it.each([
    { tls: undefined, want: undefined },
    { tls: { insecure_skip_verify: false }, want: undefined },
    { tls: { ca: 'CA', cert: 'C', key: 'K', server_name: 'h', insecure_skip_verify: true, min_version: 'TLS12' }, want: { ca: 'CA', cert: 'C', key: 'K', serverName: 'h', insecureSkipVerify: true, minVersion: 'TLSv1.2' } },
    { tls: { ca_ref: 'x', min_version: 'TLS13' }, want: { minVersion: 'TLSv1.3' } },
    { tls: { min_version: 'SSL3' }, want: undefined },
  ])('$tls', ({ tls, want }) => expect(tlsOptions(tls)).toEqual(want));
});

describe('withHttpConfig', () => {
  const token = (body: string, status = 200): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body });

  it('returns the client itself when nothing applies', () => {
    const http = new FakeHttp();
    expect(withHttpConfig(http, { follow_redirects: true, tls_config: { insecure_skip_verify: false } }, new ManualClock(0))).toBe(http);
    expect(withHttpConfig(http, undefined, new ManualClock(0))).toBe(http);
  });

  it('fetches an OAuth2 token once, caches it until 10s before expiry, then refreshes', async () => {
    const clock = new ManualClock(0);
    const http = new FakeHttp([token('{"access_token":"t1","expires_in":60}'), { status: 200, headers: {}, body: '' }, { status: 200, headers: {}, body: '' }, token('{"access_token":"t2","token_type":"mac"}'), { status: 200, headers: {}, body: '' }]);
    const c = withHttpConfig(http, { oauth2: { client_id: 'my id', client_secret: 's:x', token_url: 'http://idp/token', endpoint_params: { audience: 'a' } } }, clock);
    const req = { url: 'http://hook/', method: 'POST' as const, headers: { 'X-A': '1' } };
    await c.request(req);
    clock.t = 49_999;
    await c.request(req);
    clock.t = 50_000;
    await c.request(req);
    const [tok, first, second, refresh, third] = http.requests;
    expect(tok?.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic ' + Buffer.from('my%20id:s%3Ax').toString('base64') });
    expect(tok?.body).toBe('grant_type=client_credentials&audience=a');
    expect(first?.headers).toEqual({ 'X-A': '1', Authorization: 'Bearer t1' });
    expect(second?.headers['Authorization']).toBe('Bearer t1');
    expect(refresh?.url).toBe('http://idp/token');
    expect(third?.headers['Authorization']).toBe('MAC t2');
  });

  it.each([
    [token('{"error":"invalid_client"}', 401), 'oauth2: cannot fetch token: status 401: {"error":"invalid_client"}'],
    [token('{"token_type":"bearer"}'), 'oauth2: server response missing access_token'],
    [token('<html>'), 'oauth2: cannot parse token response: <html>'],
  ])('a token failure fails the request retryably: %#', async (answer, message) => {
    const clock = new ManualClock(0);
    const deps = { http: withHttpConfig(new FakeHttp([answer]), { oauth2: { client_id: 'i', token_url: 'http://idp/' } }, clock), clock, logger: NOOP_LOGGER, version: '1', templates: LITERAL_TEMPLATES };
    const r = await sendRequest(deps, { url: 'http://hook/', method: 'POST', headers: {} }, new AbortController().signal, 0);
    expect(r).toEqual({ ok: false, retryable: true, error: `POST "<redacted>": ${message}` });
  });
});

describe('sendRequest transport errors', () => {
  it.each([
    [new Error('connect ECONNREFUSED'), true],
    [Object.assign(new Error('receiver firewall: address 10.0.0.1 is blocked (private network)'), { retryable: false }), false],
  ])('%s -> retryable %s', async (err, retryable) => {
    const clock = new ManualClock(0);
    const deps = { http: new FakeHttp([err]), clock, logger: NOOP_LOGGER, version: '1', templates: LITERAL_TEMPLATES };
    const r = await sendRequest(deps, { url: 'http://hook/', method: 'POST', headers: {} }, new AbortController().signal, 0);
    expect(r).toEqual({ ok: false, retryable, error: `POST "<redacted>": ${err.message}` });
  });
});
