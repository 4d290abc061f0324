import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest, withHttpConfig } from '../alertmanager/notify/http-util.js';
import { LITERAL_TEMPLATES } from '../alertmanager/template/api.js';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../core/runtime.js';
import { createHttpClient } from './http-client.js';
import type { ClosableHttpClient, HttpClientOptions } from './http-client.js';

/** Test hostnames the proxy (and the injected lookup) resolve to 127.0.0.1. */
const HOSTS: Readonly<Record<string, string>> = { 'hook.test': '127.0.0.1', 'proxy.test': '127.0.0.1', '203.0.113.5': '127.0.0.1' };
const resolve = (h: string): string => HOSTS[h] ?? h;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** A small forward proxy: absolute-URI requests are forwarded, CONNECT opens a TCP tunnel. */
class TestProxy {
  readonly seen: Seen[] = [];
  refuseConnect = false;
  private readonly server: Server = createServer();
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<string> {
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const u = new URL(req.url ?? '');
      const up = httpRequest({ hostname: resolve(u.hostname), port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    this.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      this.seen.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers });
      this.sockets.add(client);
      if (this.refuseConnect) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const [host = '', port = ''] = (req.url ?? '').split(':');
      const up = netConnect(Number(port), resolve(host), () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      this.sockets.add(up);
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'herald-proxy-'));
let cert = '';
let httpTarget: Server;
let httpsTarget: Server;
let httpPort = 0;
let httpsPort = 0;
const targetSeen: Seen[] = [];
const proxies: TestProxy[] = [];
const clients: ClosableHttpClient[] = [];

const handler = (req: IncomingMessage, res: ServerResponse): void => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    targetSeen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.end(`echo ${req.method} ${req.url} ${Buffer.concat(chunks).toString('utf8')}`);
  });
};

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=hook.test', '-addext', 'subjectAltName=DNS:hook.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  httpTarget = createServer(handler);
  httpsTarget = createHttpsServer({ cert, key: readFileSync(join(dir, 'key.pem')) }, handler);
  await new Promise<void>((r) => httpTarget.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => httpsTarget.listen(0, '127.0.0.1', r));
  httpPort = (httpTarget.address() as AddressInfo).port;
  httpsPort = (httpsTarget.address() as AddressInfo).port;
});

afterAll(async () => {
  httpTarget.closeAllConnections();
  httpsTarget.closeAllConnections();
  await Promise.all([httpTarget, httpsTarget].map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  targetSeen.length = 0;
});

async function proxy(): Promise<TestProxy> {
  const p = new TestProxy();
  proxies.push(p);
  await p.start();
  return p;
}

/** A client whose firewall is active but lets loopback through, with test hostnames resolved. */
function client(o: HttpClientOptions = {}): ClosableHttpClient {
  const c = createHttpClient({
    firewall: { blockPrivateAddresses: false, blockCidrs: ['198.51.100.0/24'] },
    lookup: (h, _o, cb) => cb(null, [{ address: resolve(h), family: 4 }]),
    ...o,
  });
  clients.push(c);
  return c;
}

describe('http_config proxies on real connections', () => {
  it('sends an absolute-URI request to an http proxy for an http target (Proxy-Authorization from the URL)', async () => {
    const p = await proxy();
    const res = await client().request({
      url: `http://hook.test:${httpPort}/hook?a=1`,
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hi',
      proxy: { url: `http://user:p%40ss@127.0.0.1:${p.port}` },
    });
    expect(res.body).toBe('echo POST /hook?a=1 hi');
    expect(p.seen).toHaveLength(1);
    expect(p.seen[0]).toMatchObject({ method: 'POST', url: `http://hook.test:${httpPort}/hook?a=1` });
    expect(p.seen[0]?.headers['host']).toBe(`hook.test:${httpPort}`);
    expect(p.seen[0]?.headers['proxy-authorization']).toBe('Basic ' + Buffer.from('user:p@ss').toString('base64'));
  });

  it('tunnels an https target through CONNECT, sending proxy_connect_header, verifying the target certificate', async () => {
    const p = await proxy();
    const headers = { 'X-Proxy-Token': ['t1', 't2'] };
    const res = await client().request({ url: `https://hook.test:${httpsPort}/s`, method: 'GET', headers: {}, tls: { ca: cert }, proxy: { url: `http://127.0.0.1:${p.port}`, connectHeaders: headers } });
    expect(res.body).toBe('echo GET /s ');
    expect(p.seen[0]).toMatchObject({ method: 'CONNECT', url: `hook.test:${httpsPort}` });
    expect(p.seen[0]?.headers['x-proxy-token']).toBe('t1, t2');
    // Without the CA the tunnelled TLS handshake fails: the proxy does not terminate TLS.
    await expect(client().request({ url: `https://hook.test:${httpsPort}/s`, method: 'GET', headers: {}, proxy: { url: `http://127.0.0.1:${p.port}` } })).rejects.toThrow(/self.signed|certificate/);
  });

  it('reports a refused CONNECT', async () => {
    const p = await proxy();
    p.refuseConnect = true;
    await expect(client().request({ url: `https://hook.test:${httpsPort}/`, method: 'GET', headers: {}, proxy: { url: `http://127.0.0.1:${p.port}` } })).rejects.toThrow('proxyconnect: 403 Forbidden');
  });

  it.each([
    { noProxy: 'hook.test', proxied: false },
    { noProxy: '.test', proxied: false },
    { noProxy: `other.test, hook.test:${1}`, proxied: true },
    { noProxy: 'other.test', proxied: true },
  ])('no_proxy $noProxy -> proxied $proxied', async ({ noProxy, proxied }) => {
    const p = await proxy();
    const res = await client().request({ url: `http://hook.test:${httpPort}/n`, method: 'GET', headers: {}, proxy: { url: `http://127.0.0.1:${p.port}`, noProxy } });
    expect(res.body).toBe('echo GET /n ');
    expect(p.seen.length).toBe(proxied ? 1 : 0);
    expect(targetSeen).toHaveLength(1);
  });

  it('proxy_from_environment uses HTTP_PROXY / NO_PROXY of the client', async () => {
    const p = await proxy();
    const env = { HTTP_PROXY: `127.0.0.1:${p.port}` };
    const res = await client({ env }).request({ url: `http://hook.test:${httpPort}/e`, method: 'GET', headers: {}, proxy: { fromEnvironment: true } });
    expect(res.body).toBe('echo GET /e ');
    expect(p.seen).toHaveLength(1);
    await client({ env: { ...env, NO_PROXY: 'hook.test' } }).request({ url: `http://hook.test:${httpPort}/e`, method: 'GET', headers: {}, proxy: { fromEnvironment: true } });
    await client({ env: {} }).request({ url: `http://hook.test:${httpPort}/e`, method: 'GET', headers: {}, proxy: { fromEnvironment: true } });
    expect(p.seen).toHaveLength(1);
  });

  it('applies the receiver firewall to the proxy address, not the target', async () => {
    const p = await proxy();
    const blocking = createHttpClient({ firewall: {}, lookup: (h, _o, cb) => cb(null, [{ address: resolve(h), family: 4 }]) });
    clients.push(blocking);
    const viaIp = blocking.request({ url: 'http://203.0.113.5/x', method: 'GET', headers: {}, proxy: { url: `http://127.0.0.1:${p.port}` } });
    await expect(viaIp).rejects.toMatchObject({ message: 'receiver firewall: address 127.0.0.1 is blocked (loopback)', retryable: false });
    const viaName = blocking.request({ url: `https://hook.test:${httpsPort}/x`, method: 'GET', headers: {}, proxy: { url: `http://proxy.test:${p.port}` } });
    await expect(viaName).rejects.toThrow('receiver firewall: address 127.0.0.1 is blocked (loopback)');
    expect(p.seen).toHaveLength(0);
    // A target address the firewall blocks is reachable through an allowed proxy (only the proxy is dialled).
    const res = await client().request({ url: `http://198.51.100.7:${httpPort}/x`, method: 'GET', headers: {}, proxy: { url: `http://127.0.0.1:${p.port}` } });
    expect(p.seen).toHaveLength(1);
    expect(res.status).toBe(502); // the test proxy cannot reach 198.51.100.7 itself
  });

  it('end to end from http_config through withHttpConfig and sendRequest', async () => {
    const p = await proxy();
    const http = withHttpConfig(client(), { proxy_url: `http://127.0.0.1:${p.port}`, proxy_connect_header: { 'X-Hop': ['1'] } }, SYSTEM_CLOCK);
    const deps = { http, clock: SYSTEM_CLOCK, logger: NOOP_LOGGER, version: 'v', templates: LITERAL_TEMPLATES };
    const r = await sendRequest(deps, { url: `https://hook.test:${httpsPort}/w`, method: 'POST', headers: {}, body: '{}', tls: { ca: cert } }, new AbortController().signal, 5000);
    expect(r).toEqual({ ok: true });
    expect(p.seen[0]?.headers['x-hop']).toBe('1');
    expect(targetSeen[0]).toMatchObject({ method: 'POST', url: '/w' });
  });
});
