import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LITERAL_TEMPLATES } from '../alertmanager/template/api.js';
import { sendRequest, withHttpConfig } from '../alertmanager/notify/http-util.js';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../core/runtime.js';
import { createHttpClient } from './http-client.js';
import type { ClosableHttpClient, HttpClientOptions } from './http-client.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];
const clients: ClosableHttpClient[] = [];

async function listen(s: Server, handler: Handler): Promise<string> {
  s.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
}

function client(o: HttpClientOptions = {}): ClosableHttpClient {
  const c = createHttpClient(o);
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const echo: Handler = (req, body, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ method: req.method, url: req.url, body, auth: req.headers.authorization ?? null, ct: req.headers['content-type'] ?? null }));
};

describe('createHttpClient over http', () => {
  it('sends method, headers and body and reads status, headers and body', async () => {
    const host = await listen(createServer(), echo);
    const r = await client().request({ url: `http://${host}/x?y=1`, method: 'POST', headers: { 'Content-Type': 'text/plain', Authorization: 'Bearer a' }, body: 'héllo' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ method: 'POST', url: '/x?y=1', body: 'héllo', auth: 'Bearer a', ct: 'text/plain' });
  });

  it('reuses connections (keep-alive)', async () => {
    const ports = new Set<number>();
    const host = await listen(createServer(), (req, _b, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    const c = client();
    for (let i = 0; i < 3; i++) await c.request({ url: `http://${host}/`, method: 'GET', headers: {} });
    expect(ports.size).toBe(1);
  });

  it('caps the response body', async () => {
    const host = await listen(createServer(), (_q, _b, res) => res.end('x'.repeat(10_000)));
    const r = await client({ maxResponseBytes: 100 }).request({ url: `http://${host}/`, method: 'GET', headers: {} });
    expect(r.body).toBe('x'.repeat(100));
  });

  it('times out', async () => {
    const host = await listen(createServer(), () => undefined);
    await expect(client({ timeoutMs: 50 }).request({ url: `http://${host}/`, method: 'GET', headers: {} })).rejects.toThrow('request timed out after 50ms');
  });

  it('aborts with the signal reason', async () => {
    const host = await listen(createServer(), () => undefined);
    const ac = new AbortController();
    const p = client().request({ url: `http://${host}/`, method: 'GET', headers: {}, signal: ac.signal });
    ac.abort(new Error('flush deadline'));
    await expect(p).rejects.toThrow('flush deadline');
  });

  it('follows redirects (POST becomes GET on 302, Authorization kept on the same host), or not', async () => {
    const host = await listen(createServer(), (req, body, res) => {
      if (req.url === '/old') {
        res.statusCode = 302;
        res.setHeader('location', '/new');
        res.end();
      } else echo(req, body, res);
    });
    const r = await client().request({ url: `http://${host}/old`, method: 'POST', headers: { Authorization: 'Bearer a', 'Content-Type': 'application/json' }, body: '{}' });
    expect(JSON.parse(r.body)).toEqual({ method: 'GET', url: '/new', body: '', auth: 'Bearer a', ct: null });
    const noFollow = await client().request({ url: `http://${host}/old`, method: 'POST', headers: {}, body: '{}', followRedirects: false } as never);
    expect(noFollow.status).toBe(302);
  });

  it('stops a redirect loop', async () => {
    const host = await listen(createServer(), (_q, _b, res) => {
      res.statusCode = 307;
      res.setHeader('location', '/again');
      res.end();
    });
    await expect(client().request({ url: `http://${host}/`, method: 'POST', headers: {}, body: 'x' })).rejects.toThrow('stopped after 10 redirects');
  });

  it('refuses unsupported schemes', async () => {
    await expect(client().request({ url: 'ftp://example.com/', method: 'GET', headers: {} })).rejects.toThrow('unsupported protocol scheme "ftp"');
  });
});

describe('receiver firewall on real connections', () => {
  it('refuses 127.0.0.1 when loopback is blocked, with a final error', async () => {
    let hits = 0;
    const host = await listen(createServer(), (_q, _b, res) => {
      hits++;
      res.end();
    });
    const err = await client({ firewall: {} }).request({ url: `http://${host}/`, method: 'GET', headers: {} }).catch((e: unknown) => e as Error & { retryable?: boolean });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('receiver firewall: address 127.0.0.1 is blocked (loopback)');
    expect((err as { retryable?: boolean }).retryable).toBe(false);
    expect(hits).toBe(0);
  });

  it('checks the resolved address of a hostname (localhost)', async () => {
    const host = await listen(createServer(), echo);
    const port = host.split(':')[1] as string;
    await expect(client({ firewall: {} }).request({ url: `http://localhost:${port}/`, method: 'GET', headers: {} })).rejects.toThrow(/receiver firewall: address (127\.0\.0\.1|::1) is blocked \(loopback\)/);
  });

  it('a DNS answer that rebinds to a private address is refused at connect time', async () => {
    const host = await listen(createServer(), echo);
    const port = host.split(':')[1] as string;
    const rebinding: HttpClientOptions['lookup'] = (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]);
    const c = client({ firewall: { blockPrivateAddresses: false, blockCidrs: ['127.0.0.0/8'] }, lookup: rebinding });
    await expect(c.request({ url: `http://hooks.example.com:${port}/`, method: 'GET', headers: {} })).rejects.toThrow('receiver firewall: address 127.0.0.1 is blocked (blocked network)');
  });

  it.each([
    ['loopback allowed', { blockPrivateAddresses: false }],
    ['allow-listed', { allowCidrs: ['127.0.0.1/32'] }],
  ])('connects when %s', async (_n, firewall) => {
    const host = await listen(createServer(), echo);
    expect((await client({ firewall }).request({ url: `http://${host}/`, method: 'GET', headers: {} })).status).toBe(200);
  });

  it('through sendRequest the block is not retried', async () => {
    const deps = { http: client({ firewall: {} }), clock: SYSTEM_CLOCK, logger: NOOP_LOGGER, version: '1', templates: LITERAL_TEMPLATES };
    const r = await sendRequest(deps, { url: 'http://10.0.0.1:9/hook', method: 'POST', headers: {}, body: '{}' }, new AbortController().signal, 0);
    expect(r).toEqual({ ok: false, retryable: false, error: 'POST "<redacted>": receiver firewall: address 10.0.0.1 is blocked (private network)' });
  });
});

describe('TLS', () => {
  let dir = '';
  let ca = '';
  let cert = '';
  let key = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=herald-test', '-addext', 'subjectAltName=DNS:hook.test,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    ca = cert;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const https = (handler: Handler = echo) => listen(createHttpsServer({ cert, key }), handler);

  it('fails against a self-signed certificate without a CA', async () => {
    const host = await https();
    await expect(client().request({ url: `https://${host}/`, method: 'GET', headers: {} })).rejects.toThrow(/self-signed certificate/);
  });

  it.each([
    // Functions: the CA exists only once beforeAll ran.
    ['the CA', () => ({ ca })],
    ['insecure_skip_verify', () => ({ insecureSkipVerify: true })],
    ['the CA and a server name in the certificate', () => ({ ca, serverName: 'hook.test' })],
    ['min_version TLS 1.2', () => ({ ca, minVersion: 'TLSv1.2' as const })],
  ])('connects with %s', async (_n, tls) => {
    const host = await https();
    const r = await client().request({ url: `https://${host}/`, method: 'GET', headers: {}, tls: tls() });
    expect(r.status).toBe(200);
  });

  it('fails when server_name does not match the certificate', async () => {
    const host = await https();
    await expect(client().request({ url: `https://${host}/`, method: 'GET', headers: {}, tls: { ca, serverName: 'other.test' } })).rejects.toThrow(/other\.test/);
  });

  it('OAuth2 client credentials against a local token endpoint, over TLS, token reused', async () => {
    const tokenRequests: Array<{ auth: string | undefined; body: string }> = [];
    const seen: string[] = [];
    const host = await https((req, body, res) => {
      if (req.url === '/token') {
        tokenRequests.push({ auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: 'abc', token_type: 'bearer', expires_in: 3600 }));
        return;
      }
      seen.push(req.headers.authorization ?? '');
      res.end('ok');
    });
    const http = withHttpConfig(
      client(),
      { oauth2: { client_id: 'herald', client_secret: 'pw', scopes: ['notify'], token_url: `https://${host}/token`, tls_config: { ca } }, tls_config: { ca } },
      SYSTEM_CLOCK,
    );
    for (let i = 0; i < 2; i++) expect((await http.request({ url: `https://${host}/hook`, method: 'POST', headers: {}, body: '{}' })).status).toBe(200);
    expect(tokenRequests).toEqual([{ auth: 'Basic ' + Buffer.from('herald:pw').toString('base64'), body: 'grant_type=client_credentials&scope=notify' }]);
    expect(seen).toEqual(['Bearer abc', 'Bearer abc']);
  });
});
