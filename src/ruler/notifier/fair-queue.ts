/**
 * Queues for one destination (an Alertmanager, or the in-process one), one per tenant, drained
 * round-robin. Follows Prometheus' per-Alertmanager send loop (notifier/sendloop.go): bounded
 * queue (10,000), oldest alerts dropped when full, batches of at most 256, a failed batch counted
 * as errors and dropped, never retried (the rules resend). Herald adds the tenant dimension: each
 * tenant has its own queue and at most one batch in flight, and tenants with work take turns for
 * the destination's `concurrency` request slots, so one tenant's flood cannot delay another's
 * alerts by more than the batches already in flight.
 */
import type { Clock, Logger } from '../../core/runtime.js';
import type { NotifierMetrics } from './metrics.js';

/**
 * Where batches go. `deliver` resolves when the destination took the batch (with the number of
 * alerts it refused, if any: counted as errors, not sent) and throws when it failed as a whole.
 */
export interface Destination<T> {
  /** The `alertmanager` metric label and log field. */
  readonly name: string;
  readonly maxBatch: number;
  deliver(tenant: string, batch: readonly T[], signal: AbortSignal): Promise<{ readonly refused: number } | void>;
}

export interface FairQueueOptions {
  /** Alerts held per tenant before the oldest are dropped. */
  readonly capacity: number;
  /** Batches in flight at once to the destination (each from a different tenant). */
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: NotifierMetrics;
}

interface TenantQueue<T> {
  readonly tenant: string;
  readonly labels: { readonly alertmanager: string; readonly tenant: string };
  items: T[];
  /** A batch of this tenant is being delivered. */
  busy: boolean;
  /** Waiting in the round-robin ring. */
  ready: boolean;
}

/** A destination's per-tenant queues and the loop that drains them. */
export class FairQueue<T> {
  private readonly queues = new Map<string, TenantQueue<T>>();
  private readonly ring: TenantQueue<T>[] = [];
  private inFlight = 0;
  private pumpPending = false;
  private stopped = false;
  private readonly abortAll = new AbortController();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly dest: Destination<T>,
    private readonly opts: FairQueueOptions,
  ) {}

  /** Queues a tenant's alerts; delivery starts after the caller returns. Never throws, never waits. */
  add(tenant: string, items: readonly T[]): void {
    if (items.length === 0) return;
    const q = this.queue(tenant);
    if (this.stopped) {
      this.opts.metrics.dropped.inc(q.labels, items.length);
      return;
    }
    const cap = this.opts.capacity;
    let dropped = 0;
    let incoming = items;
    if (incoming.length > cap) {
      dropped += incoming.length - cap;
      incoming = incoming.slice(incoming.length - cap);
    }
    const overflow = q.items.length + incoming.length - cap;
    if (overflow > 0) {
      dropped += overflow;
      q.items.splice(0, overflow);
    }
    for (const it of incoming) q.items.push(it);
    if (dropped > 0) {
      this.opts.logger.warn({ tenant, count: dropped }, 'Alert notification queue full, dropping alerts');
      this.opts.metrics.dropped.inc(q.labels, dropped);
    }
    this.opts.metrics.queueLength.set(q.labels, q.items.length);
    this.markReady(q);
    this.schedulePump();
  }

  /** Alerts queued (not in flight) for a tenant. */
  queued(tenant: string): number {
    return this.queues.get(tenant)?.items.length ?? 0;
  }

  /** True when nothing is queued or in flight. */
  isIdle(): boolean {
    return this.inFlight === 0 && this.ring.length === 0;
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses further alerts; what is queued keeps draining. */
  close(): void {
    this.stopped = true;
  }

  /** Aborts batches in flight and drops everything queued (counted as dropped). */
  abort(): void {
    this.stopped = true;
    this.abortAll.abort(new Error('notifier stopped'));
    for (const q of this.queues.values()) {
      if (q.items.length > 0) {
        this.opts.logger.warn({ tenant: q.tenant, count: q.items.length }, 'Alert notification queue not drained on shutdown, dropping alerts');
        this.opts.metrics.dropped.inc(q.labels, q.items.length);
        q.items = [];
        this.opts.metrics.queueLength.set(q.labels, 0);
      }
      q.ready = false;
    }
    this.ring.length = 0;
    this.settleIfIdle();
  }

  private queue(tenant: string): TenantQueue<T> {
    let q = this.queues.get(tenant);
    if (!q) {
      q = { tenant, labels: { alertmanager: this.dest.name, tenant }, items: [], busy: false, ready: false };
      this.queues.set(tenant, q);
    }
    return q;
  }

  private markReady(q: TenantQueue<T>): void {
    if (q.busy || q.ready || q.items.length === 0) return;
    q.ready = true;
    this.ring.push(q);
  }

  private schedulePump(): void {
    if (this.pumpPending) return;
    this.pumpPending = true;
    queueMicrotask(() => {
      this.pumpPending = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.ring.length > 0) {
      const q = this.ring.shift() as TenantQueue<T>;
      q.ready = false;
      const batch = q.items.splice(0, this.dest.maxBatch);
      this.opts.metrics.queueLength.set(q.labels, q.items.length);
      q.busy = true;
      this.inFlight++;
      void this.deliver(q, batch);
    }
  }

  private async deliver(q: TenantQueue<T>, batch: readonly T[]): Promise<void> {
    const { metrics, clock, logger } = this.opts;
    const begin = clock.now();
    try {
      const refused = (await this.dest.deliver(q.tenant, batch, this.abortAll.signal))?.refused ?? 0;
      if (refused > 0) metrics.errors.inc(q.labels, refused);
      if (batch.length > refused) metrics.sent.inc(q.labels, batch.length - refused);
      metrics.latency.observe(q.labels, (clock.now() - begin) / 1000);
    } catch (err) {
      logger.error({ tenant: q.tenant, count: batch.length, err: errorText(err) }, 'Error sending alerts');
      metrics.errors.inc(q.labels, batch.length);
      metrics.dropped.inc(q.labels, batch.length);
    } finally {
      this.inFlight--;
      q.busy = false;
      if (!this.abortAll.signal.aborted) this.markReady(q);
      this.pump();
      this.settleIfIdle();
    }
  }

  private settleIfIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
