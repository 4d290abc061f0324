/**
 * Notification HTTP on a second thread. Node runs Herald's engines on one thread, and during a
 * burst of group flushes that thread spent about a tenth of its time in node:http (request set-up,
 * socket writes, response parsing) for the webhooks it sent. Here the requests go over a
 * MessagePort to a worker thread that runs the ordinary client (http-client.ts: firewall, proxies,
 * TLS, redirects, size cap, timeout): the engine thread only posts the request and reads the answer.
 *
 * What crosses the port is plain data: the request without its AbortSignal (an abort is sent as its
 * own message), and the response or the error's message with its `retryable` mark, which is all
 * sendRequest (notify/http-util.ts) reads of an error. If the worker dies, the requests in flight
 * fail as retryable transport errors and the next request starts a new worker.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HttpClient, HttpRequest, HttpResponse } from '../core/runtime.js';
import { Firewall } from './firewall.js';
import type { ClosableHttpClient, HttpClientOptions } from './http-client.js';

/** What the engine thread sends. */
export type ToWorker =
  | { readonly type: 'request'; readonly id: number; readonly client: number; readonly req: Omit<HttpRequest, 'signal'> & { readonly followRedirects?: boolean } }
  | { readonly type: 'abort'; readonly id: number; readonly message: string };

/** What the worker answers. */
export type FromWorker =
  | { readonly id: number; readonly res: HttpResponse }
  | { readonly id: number; readonly error: { readonly message: string; readonly retryable?: boolean } };

/** The options a worker can be given: HttpClientOptions without functions (no `lookup`). */
export type WorkerHttpClientOptions = Omit<HttpClientOptions, 'lookup'>;

/** The part of a MessagePort or Worker both sides use. */
interface Port {
  postMessage(value: unknown): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
}

/** Worker side: answers the requests arriving on `port` with the client they name. */
export function serveHttpClients(port: Port, clients: readonly HttpClient[]): void {
  const inFlight = new Map<number, AbortController>();
  port.on('message', (raw) => {
    const m = raw as ToWorker;
    if (m.type === 'abort') {
      inFlight.get(m.id)?.abort(new Error(m.message));
      return;
    }
    const client = clients[m.client];
    if (client === undefined) {
      port.postMessage({ id: m.id, error: { message: `no HTTP client ${m.client} in the worker` } } satisfies FromWorker);
      return;
    }
    const ac = new AbortController();
    inFlight.set(m.id, ac);
    client.request({ ...m.req, signal: ac.signal }).then(
      (res) => port.postMessage({ id: m.id, res } satisfies FromWorker),
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        const retryable = typeof e === 'object' && e !== null && (e as { retryable?: unknown }).retryable === false ? false : undefined;
        port.postMessage({ id: m.id, error: retryable === false ? { message, retryable } : { message } } satisfies FromWorker);
      },
    ).finally(() => inFlight.delete(m.id));
  });
}

/** An Error carrying the worker's `retryable: false` mark. */
class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean | undefined,
  ) {
    super(message);
  }
}

interface Pending {
  readonly resolve: (r: HttpResponse) => void;
  readonly reject: (e: Error) => void;
  readonly detach: () => void;
}

/**
 * Engine side: the requests of one or more clients (by index) go to the port `connect` returns,
 * started on the first request, and again after `disconnected` was called for a port that stopped.
 */
export class PortHttpClients {
  private port: Port | undefined;
  /** Set by close(): a request after it (a retry of a stopping engine) must not start a worker. */
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly connect: () => Port & { close?(): void }) {}

  /** The HttpClient view of client `index`; closing any view closes the port. */
  client(index: number): ClosableHttpClient {
    return { request: (req) => this.request(req, index), close: () => this.close() };
  }

  request(req: HttpRequest, client = 0): Promise<HttpResponse> {
    const { signal, ...plain } = req;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.closed) return Promise.reject(new TransportError('HTTP client closed', undefined));
    const port = this.port ?? this.open();
    const id = this.nextId++;
    return new Promise<HttpResponse>((resolve, reject) => {
      const onAbort = (): void => port.postMessage({ type: 'abort', id, message: abortError(signal as AbortSignal).message } satisfies ToWorker);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) });
      port.postMessage({ type: 'request', id, client, req: plain } satisfies ToWorker);
    });
  }

  /**
   * A port stopped (its worker failed or exited): the requests in flight fail and the next one
   * reconnects. A port other than the current one (an earlier worker's late exit) changes nothing.
   */
  disconnected(why: string, port: Port | undefined = this.port): void {
    if (port !== this.port) return;
    this.port = undefined;
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const p of failed) {
      p.detach();
      p.reject(new TransportError(why, undefined));
    }
  }

  close(): void {
    this.closed = true;
    const port = this.port as (Port & { close?(): void }) | undefined;
    this.disconnected('HTTP client closed');
    port?.close?.();
  }

  private open(): Port {
    const port = this.connect();
    port.on('message', (raw) => {
      const m = raw as FromWorker;
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      p.detach();
      if ('res' in m) p.resolve(m.res);
      else p.reject(new TransportError(m.error.message, m.error.retryable));
    });
    this.port = port;
    return port;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('request aborted');
}

/** The worker's entry point, present once built (dist/net/http-worker.js). */
export const HTTP_WORKER_URL = new URL('./http-worker.js', import.meta.url);

/** True when the worker entry point exists (running from dist/, not from TypeScript sources). */
export function httpWorkerAvailable(): boolean {
  return existsSync(fileURLToPath(HTTP_WORKER_URL));
}

/**
 * HttpClients, one per entry of `options`, whose requests run on one worker thread. Throws
 * FirewallConfigError for bad CIDRs here, as createHttpClient does, rather than in the worker.
 */
export function createWorkerHttpClients(options: readonly WorkerHttpClientOptions[]): ClosableHttpClient[] {
  for (const o of options) if (o.firewall) new Firewall(o.firewall);
  const hub: PortHttpClients = new PortHttpClients(() => {
    const w = new Worker(HTTP_WORKER_URL, { workerData: options });
    // The worker never keeps the process alive on its own; the requests waiting on it belong to
    // engines that are stopped before exit.
    w.unref();
    const port = {
      postMessage: (v: unknown): void => w.postMessage(v),
      on: (event: 'message', listener: (v: unknown) => void): unknown => w.on(event, listener),
      close: (): void => void w.terminate(),
    };
    w.on('error', (e) => hub.disconnected(`notification HTTP worker failed: ${e.message}`, port));
    w.on('exit', (code) => hub.disconnected(`notification HTTP worker exited (code ${code})`, port));
    return port;
  });
  return options.map((_, i) => hub.client(i));
}
