/**
 * Test helpers for the scrape loop: a manual clock, a logger that records lines, a local
 * metrics server whose response each test sets, and a reader for stored series.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import { mustMatcher } from '../../core/matcher.js';
import type { TenantTsdb } from '../../tsdb/api.js';
import type { StoredSeries } from '../../promql/value.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told; timers fire in time order during advance(). */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];
  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  schedule(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const h = this.schedule(ms, resolve);
      signal?.addEventListener('abort', () => {
        h.cancel();
        reject(signal.reason as Error);
      });
    });
  }
  /** Moves time forward by `ms`, firing due timers (each at its own time). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => !x.cancelled);
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

/** A Logger that keeps every line. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; obj: unknown; msg: string | undefined }> } {
  const lines: Array<{ level: string; obj: unknown; msg: string | undefined }> = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const logger = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

/** A local metrics endpoint; `handler` may be swapped by tests. */
export class MetricsServer {
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('');
  readonly requests: IncomingMessage[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((req, res) => {
    this.requests.push(req);
    this.handler(req, res);
  }).on('connection', (s: Socket) => {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  });

  /** Replies 200 with `body` and an optional content type. */
  reply(body: string, contentType = 'text/plain; version=0.0.4'): void {
    this.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    };
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy(); // hanging handlers never end their responses
    await closed;
  }
}

/** Every stored series named `name` (all labels), samples over all time. */
export async function stored(db: TenantTsdb, name: string): Promise<readonly StoredSeries[]> {
  return db.select([mustMatcher('__name__', '=', name)], { startMs: 0, endMs: 1e15, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
}
