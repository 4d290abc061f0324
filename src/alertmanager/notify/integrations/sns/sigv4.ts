/**
 * AWS Signature Version 4 for one request, as the AWS SDK signs SNS calls: the canonical request
 * over the signed headers (content-type, host, x-amz-date, plus any given), the scoped string to
 * sign, the HMAC chain from the secret key. Checked against AWS's published SigV4 test suite.
 */
import { createHash, createHmac } from 'node:crypto';

export interface SigV4Input {
  readonly method: string;
  readonly url: string;
  /** Headers to sign besides host and x-amz-date (names in any case). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Signing time in milliseconds since the epoch. */
  readonly now: number;
}

export interface SigV4Output {
  /** `X-Amz-Date` and `Authorization`, to add to the request's headers. */
  readonly headers: { readonly 'X-Amz-Date': string; readonly Authorization: string };
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

/** RFC 3986 percent-encoding of everything but unreserved characters (AWS UriEncode). */
export function awsUriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function canonicalQuery(search: string): string {
  if (search === '' || search === '?') return '';
  const pairs = search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
      return [awsUriEncode(k), awsUriEncode(v)] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `YYYYMMDDTHHMMSSZ`. */
export function amzDate(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Signs one request. */
export function signV4(input: SigV4Input): SigV4Output {
  const u = new URL(input.url);
  const date = amzDate(input.now);
  const day = date.slice(0, 8);
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(input.headers)) headers.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
  headers.set('host', u.host);
  headers.set('x-amz-date', date);
  const names = [...headers.keys()].sort();
  const signedHeaders = names.join(';');
  const path = u.pathname === '' ? '/' : u.pathname.split('/').map((seg) => awsUriEncode(decodeURIComponent(seg))).join('/');
  const canonicalRequest = [
    input.method,
    path,
    canonicalQuery(u.search),
    names.map((n) => `${n}:${headers.get(n) as string}\n`).join(''),
    signedHeaders,
    sha256(input.body),
  ].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    headers: { 'X-Amz-Date': date, Authorization: `AWS4-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}` },
    canonicalRequest,
    stringToSign,
    signature,
  };
}
