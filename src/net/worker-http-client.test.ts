import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest } from '../core/runtime.js';
import { createHttpClient } from './http-client.js';
import { PortHttpClients, serveHttpClients } from './worker-http-client.js';

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

/** A PortHttpClient whose "worker" is `server` on the other end of an in-thread channel. */
function connected(server: HttpClient, ...more: HttpClient[]): { client: PortHttpClients; connects: () => number } {
  let n = 0;
  const client = new PortHttpClients(() => {
    n++;
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    serveHttpClients(port2, [server, ...more]);
    return port1;
  });
  return { client, connects: () => n };
}

describe('PortHttpClient over serveHttpClient', () => {
  it('sends a request through the real client and hands back the response', async () => {
    const seen: string[] = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${String(req.headers['x-tenant'])} ${body}`);
        res.setHeader('x-answer', 'yes');
        res.end('accepted');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const real = createHttpClient();
    try {
      const { client } = connected(real);
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook?x=1`;
      const res = await client.request({ url, method: 'POST', headers: { 'x-tenant': 'a' }, body: '{"k":"é"}' });
      expect(res.status).toBe(200);
      expect(res.body).toBe('accepted');
      expect(res.headers['x-answer']).toBe('yes');
      expect(seen).toEqual(['POST /hook?x=1 a {"k":"é"}']);
    } finally {
      real.close();
      srv.close();
    }
  });

  it('sends each request to the client it names, over one port', async () => {
    const named = (name: string): HttpClient => ({ request: (r) => Promise.resolve({ status: 200, headers: {}, body: `${name} ${r.url}` }) });
    const { client, connects } = connected(named('operator'), named('tenants'));
    const [a, b] = [client.client(0), client.client(1)];
    const bodies = await Promise.all([a.request({ url: 'http://x/1', method: 'GET', headers: {} }), b.request({ url: 'http://x/2', method: 'GET', headers: {} }), a.request({ url: 'http://x/3', method: 'GET', headers: {} })]);
    expect(bodies.map((r) => r.body)).toEqual(['operator http://x/1', 'tenants http://x/2', 'operator http://x/3']);
    expect(connects()).toBe(1);
    const err = await client.request({ url: 'http://x/', method: 'GET', headers: {} }, 7).catch((e: unknown) => e);
    expect((err as Error).message).toBe('no HTTP client 7 in the worker');
  });

  it('keeps an error message and its retryable: false mark', async () => {
    const failing: HttpClient = {
      request: () => Promise.reject(Object.assign(new Error('dial 10.0.0.1: blocked by the receiver firewall'), { retryable: false })),
    };
    const { client } = connected(failing);
    const err = await client.request({ url: 'http://x/', method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('dial 10.0.0.1: blocked by the receiver firewall');
    expect((err as { retryable?: boolean }).retryable).toBe(false);
    const plain: HttpClient = { request: () => Promise.reject(new Error('connection refused')) };
    const err2 = await connected(plain).client.request({ url: 'http://x/', method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect((err2 as { retryable?: boolean }).retryable).toBeUndefined();
  });

  it('carries an abort to the worker side, with its reason', async () => {
    let sawAbort = '';
    const waiting: HttpClient = {
      request: (req: HttpRequest) =>
        new Promise((_, reject) => {
          req.signal?.addEventListener('abort', () => {
            sawAbort = (req.signal?.reason as Error).message;
            reject(req.signal?.reason as Error);
          });
        }),
    };
    const { client } = connected(waiting);
    const ac = new AbortController();
    const p = client.request({ url: 'http://x/', method: 'POST', headers: {}, body: 'b', signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    ac.abort(new Error('configured webhook timeout reached (10s)'));
    expect(((await p) as Error).message).toBe('configured webhook timeout reached (10s)');
    expect(sawAbort).toBe('configured webhook timeout reached (10s)');
    // Already aborted: refused without a round trip.
    const done = new AbortController();
    done.abort(new Error('flush cancelled'));
    await expect(client.request({ url: 'http://x/', method: 'GET', headers: {}, signal: done.signal })).rejects.toThrow('flush cancelled');
  });

  it('fails the requests in flight when the worker stops, and reconnects for the next', async () => {
    let calls = 0;
    const server: HttpClient = {
      request: () => (++calls === 1 ? new Promise(() => undefined) : Promise.resolve({ status: 204, headers: {}, body: '' })),
    };
    const { client, connects } = connected(server);
    const first = client.request({ url: 'http://x/', method: 'GET', headers: {} }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    client.disconnected('notification HTTP worker exited (code 1)');
    expect(((await first) as Error).message).toBe('notification HTTP worker exited (code 1)');
    expect((await client.request({ url: 'http://x/', method: 'GET', headers: {} })).status).toBe(204);
    expect(connects()).toBe(2);
    // A late exit of a port that is no longer current changes nothing.
    client.disconnected('old worker exited', { postMessage: () => undefined, on: () => undefined });
    expect((await client.request({ url: 'http://x/', method: 'GET', headers: {} })).status).toBe(204);
    expect(connects()).toBe(2);
  });

  it('refuses requests after close without starting another worker', async () => {
    const { client, connects } = connected({ request: () => new Promise(() => undefined) });
    const inFlight = client.request({ url: 'http://x/', method: 'GET', headers: {} }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    client.close();
    expect(((await inFlight) as Error).message).toBe('HTTP client closed');
    await expect(client.client(1).request({ url: 'http://x/', method: 'GET', headers: {} })).rejects.toThrow('HTTP client closed');
    expect(connects()).toBe(1);
  });
});
