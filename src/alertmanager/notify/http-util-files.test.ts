import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { HttpRequest } from '../../core/runtime.js';
import { LITERAL_TEMPLATES } from '../template/api.js';
import { httpConfigHeaders, integrationDeps, proxySettings, sendRequest, tlsOptions, withHttpConfig } from './http-util.js';
import { FakeHttp, ManualClock } from './test-fakes.js';
import type { SecretFileReader } from './types.js';

/** An in-memory reader: `files` can be changed between requests to simulate rotation. */
function memReader(files: Record<string, string>): SecretFileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read(path) {
      reads.push(path);
      const v = files[path];
      if (v === undefined) throw new Error(`open ${path}: no such file or directory`);
      return v.trim();
    },
  };
}

const basic = (u: string, p: string): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

async function send(hc: unknown, secrets?: SecretFileReader, headers: Record<string, string> = {}): Promise<HttpRequest> {
  const http = new FakeHttp();
  await withHttpConfig(http, hc, new ManualClock(0), secrets).request({ url: 'http://x/', method: 'POST', headers });
  const r = http.requests[0];
  if (!r) throw new Error('no request');
  return r;
}

describe('http_config file credentials', () => {
  const files = { '/pw': 'secret\n', '/user': ' bob ', '/tok': 'T0K\n', '/ca': '-----CA-----\n', '/crt': 'CRT', '/key': 'KEY', '/hdr': 'h2' };

  it.each([
    { name: 'basic_auth.password_file', hc: { basic_auth: { username: 'u', password_file: '/pw' } }, want: { Authorization: basic('u', 'secret') } },
    { name: 'basic_auth.username_file', hc: { basic_auth: { username_file: '/user', password: 'p' } }, want: { Authorization: basic('bob', 'p') } },
    { name: 'authorization.credentials_file', hc: { authorization: { type: 'Bearer', credentials_file: '/tok' } }, want: { Authorization: 'Bearer T0K' } },
    { name: 'custom type', hc: { authorization: { type: 'Token', credentials_file: '/tok' } }, want: { Authorization: 'Token T0K' } },
    { name: 'bearer_token_file', hc: { bearer_token_file: '/tok' }, want: { Authorization: 'Bearer T0K' } },
    { name: 'http_headers files', hc: { http_headers: { 'X-H': { values: ['h1'], files: ['/hdr'] } } }, want: { 'X-H': 'h1, h2' } },
  ])('$name is read through the reader', async ({ hc, want }) => {
    expect(httpConfigHeaders(hc)).toEqual({}); // nothing static: no empty credentials
    expect((await send(hc, memReader(files))).headers).toEqual(want);
  });

  it('reads again on every request (rotation)', async () => {
    const f: Record<string, string> = { '/tok': 'one' };
    const http = new FakeHttp();
    const c = withHttpConfig(http, { authorization: { credentials_file: '/tok' } }, new ManualClock(0), memReader(f));
    await c.request({ url: 'http://x/', method: 'GET', headers: {} });
    f['/tok'] = 'two';
    await c.request({ url: 'http://x/', method: 'GET', headers: {} });
    expect(http.requests.map((r) => r.headers['Authorization'])).toEqual(['Bearer one', 'Bearer two']);
  });

  it("keeps an Authorization the integration set itself (prometheus/common's round trippers)", async () => {
    const r = await send({ authorization: { credentials_file: '/tok' } }, memReader(files), { authorization: 'GenieKey k' });
    expect(r.headers).toEqual({ authorization: 'GenieKey k' });
  });

  it.each([
    { hc: { basic_auth: { username: 'u', password_file: '/pw' } }, error: 'reading password_file is not supported for tenant configurations' },
    { hc: { authorization: { credentials_file: '/tok' } }, error: 'reading credentials_file is not supported for tenant configurations' },
    { hc: { bearer_token_file: '/tok' }, error: 'reading bearer_token_file is not supported for tenant configurations' },
    { hc: { tls_config: { ca_file: '/ca' } }, error: 'reading ca_file is not supported for tenant configurations' },
    { hc: { http_headers: { 'X-H': { files: ['/hdr'] } } }, error: 'reading http_headers files is not supported for tenant configurations' },
    { hc: { oauth2: { client_id: 'i', client_secret_file: '/cs', token_url: 'http://t/' } }, error: 'reading client_secret_file is not supported for tenant configurations' },
  ])('without a reader fails clearly and for good: $error', async ({ hc, error }) => {
    const http = new FakeHttp();
    const deps = { http, clock: new ManualClock(0), logger: NOOP_LOGGER, version: 'v', templates: LITERAL_TEMPLATES };
    const d = integrationDeps(deps, { http_config: hc });
    const r = await sendRequest(d, { url: 'http://x/', method: 'POST', headers: {} }, new AbortController().signal, 0);
    expect(r).toEqual({ ok: false, retryable: false, error: `POST "<redacted>": ${error}` });
    expect(http.requests).toHaveLength(0);
  });

  it.each([
    { hc: { basic_auth: { username: 'u', password_file: '/missing' } }, error: 'unable to read basic auth password: open /missing: no such file or directory' },
    { hc: { authorization: { credentials_file: '/missing' } }, error: 'unable to read authorization credentials: open /missing: no such file or directory' },
    { hc: { tls_config: { cert_file: '/missing', key: 'K' } }, error: 'unable to read client cert: open /missing: no such file or directory' },
  ])('a missing file is a retryable send error: $error', async ({ hc, error }) => {
    const http = new FakeHttp();
    const deps = { http, clock: new ManualClock(0), logger: NOOP_LOGGER, version: 'v', templates: LITERAL_TEMPLATES, secrets: memReader(files) };
    const r = await sendRequest(integrationDeps(deps, { http_config: hc }), { url: 'http://x/', method: 'POST', headers: {} }, new AbortController().signal, 0);
    expect(r).toEqual({ ok: false, retryable: true, error: `POST "<redacted>": ${error}` });
  });

  it('reads tls_config ca_file/cert_file/key_file into HttpRequest.tls', async () => {
    const r = await send({ tls_config: { ca_file: '/ca', cert_file: '/crt', key_file: '/key', server_name: 's' } }, memReader(files));
    expect(r.tls).toEqual({ ca: '-----CA-----', cert: 'CRT', key: 'KEY', serverName: 's' });
    expect(tlsOptions({ ca_file: '/ca' }, memReader(files))).toEqual({ ca: '-----CA-----' });
    expect(() => tlsOptions({ ca_file: '/ca' })).toThrow('reading ca_file is not supported for tenant configurations');
  });

  it('reads oauth2.client_secret_file per token fetch and uses a new token when it changes', async () => {
    const f: Record<string, string> = { '/cs': 's1' };
    const http = new FakeHttp([
      { status: 200, headers: {}, body: '{"access_token":"A","token_type":"Bearer","expires_in":3600}' },
      { status: 200, headers: {}, body: '' },
      { status: 200, headers: {}, body: '{"access_token":"B","token_type":"Bearer","expires_in":3600}' },
      { status: 200, headers: {}, body: '' },
    ]);
    const c = withHttpConfig(http, { oauth2: { client_id: 'id', client_secret_file: '/cs', token_url: 'http://t/' } }, new ManualClock(0), memReader(f));
    await c.request({ url: 'http://x/', method: 'GET', headers: {} });
    f['/cs'] = 's2';
    await c.request({ url: 'http://x/', method: 'GET', headers: {} });
    const [t1, r1, t2, r2] = http.requests;
    expect(t1?.headers['Authorization']).toBe(basic('id', 's1'));
    expect(r1?.headers['Authorization']).toBe('Bearer A');
    expect(t2?.headers['Authorization']).toBe(basic('id', 's2'));
    expect(r2?.headers['Authorization']).toBe('Bearer B');
  });
});

describe('proxySettings', () => {
  it.each([
    { hc: {}, want: undefined },
    { hc: { proxy_url: 'http://p:3128' }, want: { url: 'http://p:3128' } },
    { hc: { proxy_url: 'http://p:3128', no_proxy: 'a.com,10.0.0.0/8' }, want: { url: 'http://p:3128', noProxy: 'a.com,10.0.0.0/8' } },
    { hc: { proxy_from_environment: true }, want: { fromEnvironment: true } },
    { hc: { proxy_url: 'http://p', proxy_connect_header: { 'X-A': ['1', '2'] } }, want: { url: 'http://p', connectHeaders: { 'X-A': ['1', '2'] } } },
  ])('$hc', ({ hc, want }) => expect(proxySettings(hc)).toEqual(want));

  it('is set on every request of the integration', async () => {
    const r = await send({ proxy_url: 'http://p:3128' });
    expect(r.proxy).toEqual({ url: 'http://p:3128' });
  });
});
