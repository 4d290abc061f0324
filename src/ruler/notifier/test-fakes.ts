/**
 * Test fixtures for the notifier: metrics that record what they were told, and a local HTTP
 * server (node:http is passed in: engine code may not import it) whose replies can be held back.
 * Not used by production code.
 */
import type { MetricLabels } from '../../core/metrics.js';
import type { NotifierMetrics } from './metrics.js';

/** NotifierMetrics keeping every value, keyed `metric{alertmanager,tenant}`. */
export class RecordingMetrics implements NotifierMetrics {
  readonly values = new Map<string, number>();
  readonly latencies: number[] = [];

  private counter(metric: string): NotifierMetrics['sent'] {
    return { inc: (l: MetricLabels, v = 1) => this.values.set(key(metric, l), (this.values.get(key(metric, l)) ?? 0) + v) };
  }

  readonly sent = this.counter('sent');
  readonly errors = this.counter('errors');
  readonly dropped = this.counter('dropped');
  readonly queueLength = { set: (l: MetricLabels, v: number) => void this.values.set(key('queueLength', l), v) };
  readonly latency = { observe: (_l: MetricLabels, v: number) => void this.latencies.push(v) };

  get(metric: keyof NotifierMetrics, alertmanager: string, tenant: string): number {
    return this.values.get(key(metric, { alertmanager, tenant })) ?? 0;
  }
}

function key(metric: string, l: MetricLabels): string {
  return `${metric}{${l['alertmanager'] ?? ''},${l['tenant'] ?? ''}}`;
}

/** One request as the server saw it (header names lowercase). */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

interface IncomingLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  on(ev: 'data', fn: (c: Uint8Array) => void): unknown;
  on(ev: 'end', fn: () => void): unknown;
}
interface ResponseLike {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}
interface ServerLike {
  listen(port: number, host: string, cb: () => void): unknown;
  address(): unknown;
  close(cb: () => void): unknown;
  closeAllConnections?(): void;
}
export type CreateServer = (handler: (req: IncomingLike, res: ResponseLike) => void) => ServerLike;

/** Decides the status of each request; may wait (a slow Alertmanager). */
export type Responder = (r: Recorded) => number | Promise<number>;

export interface TestServer {
  readonly base: string;
  readonly requests: Recorded[];
  respond: Responder;
  close(): Promise<void>;
}

/** A recording server on 127.0.0.1 (answers 200 unless `respond` says otherwise). */
export async function startServer(createServer: CreateServer): Promise<TestServer> {
  const requests: Recorded[] = [];
  const state: { respond: Responder } = { respond: () => 200 };
  const server = createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const rec = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(rec);
      void Promise.resolve(state.respond(rec)).then((status) => {
        res.writeHead(status, {});
        res.end('');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    get respond() {
      return state.respond;
    },
    set respond(r: Responder) {
      state.respond = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
