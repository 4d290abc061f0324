/**
 * A webhook receiver on 127.0.0.1:0 that records Alertmanager webhook (version "4") payloads and
 * lets a test await notifications with a deadline.
 */
import { createServer, type Server } from 'node:http';

/** The webhook payload Alertmanager sends (notify/webhook: version "4"). */
export interface WebhookPayload {
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly alerts: ReadonlyArray<{
    readonly status: 'firing' | 'resolved';
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly generatorURL: string;
    readonly fingerprint: string;
  }>;
}

export interface Notification {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly payload: WebhookPayload;
  readonly receivedAt: number;
}

type Filter = (n: Notification) => boolean;

/** Records every POST; `status` lets a test make the receiver fail (e.g. 500) to exercise retries. */
export class WebhookReceiver {
  readonly notifications: Notification[] = [];
  /** Bodies that were not JSON (kept so a failure can show them). */
  readonly malformed: string[] = [];
  status = 200;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly host: string,
  ) {}

  /** Starts listening on `host` (default 127.0.0.1; any 127.x.y.z works on Linux) with an ephemeral port. */
  static async start(host = '127.0.0.1'): Promise<WebhookReceiver> {
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        const a = server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
    const r = new WebhookReceiver(server, port, host);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'POST') {
          try {
            r.notifications.push({ path: req.url ?? '/', headers: req.headers, payload: JSON.parse(text) as WebhookPayload, receivedAt: Date.now() });
          } catch {
            r.malformed.push(text);
          }
          for (const w of r.waiters.splice(0)) w();
        }
        res.statusCode = r.status;
        res.end('ok');
      });
    });
    return r;
  }

  /** URL of this receiver with a path, e.g. url('/tenant-a'). */
  url(path = '/hook'): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  /** Notifications (optionally filtered) received so far. */
  received(filter?: Filter): Notification[] {
    return filter ? this.notifications.filter(filter) : [...this.notifications];
  }

  /** Waits until at least `n` (filtered) notifications arrived; rejects after `timeoutMs` with what did arrive. */
  async waitFor(n: number, timeoutMs: number, filter?: Filter): Promise<Notification[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received(filter);
      if (got.length >= n) return got;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`webhook: expected ${n} notification(s) within ${timeoutMs} ms, got ${got.length}; all received: ${this.describe()}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Short summary of what arrived, for failure messages. */
  describe(): string {
    return JSON.stringify(this.notifications.map((x) => ({ path: x.path, status: x.payload.status, receiver: x.payload.receiver, alerts: x.payload.alerts.map((a) => a.labels) })));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Milliseconds to sleep. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
