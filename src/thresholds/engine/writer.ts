/**
 * Writes every tenant's threshold series into that tenant's own store: at each refresh (default
 * 30s, well under PromQL's 5m lookback, so the series never go stale while configured) and right
 * after a change. A series that disappeared since the last write (a key disabled, a filter
 * switched off, a tenant removed) gets a staleness marker, as Prometheus' scrape loop writes one
 * for a series that vanished from a target, so alerts resolve at once instead of after 5 minutes.
 */
import type { Labels } from '../../core/labels.js';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import { writeStaleNaN } from '../../core/stale-nan.js';
import type { AppendSeries, TenantTsdb } from '../../tsdb/api.js';
import type { ThresholdService } from '../api.js';
import type { ThresholdChanges } from './engine.js';
import { seriesKey, tenantSeries } from './series.js';

export const DEFAULT_REFRESH_INTERVAL_MS = 30_000;
const CONCURRENCY = 8;

export interface ThresholdSeriesWriterOptions {
  readonly service: ThresholdService & ThresholdChanges;
  /** The tenant's store (only `append` is used). */
  readonly store: (tenant: string) => Promise<Pick<TenantTsdb, 'append'>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly refreshIntervalMs?: number;
  /**
   * Tenants that get their defaults written although they have no document (e.g. every tenant
   * with a store), so a tenant without a file is still alerted at the platform defaults.
   * Without it only tenants with a document get series.
   */
  readonly defaultTenants?: () => Promise<readonly string[]>;
}

export class ThresholdSeriesWriter {
  /** tenant -> series key -> labels, as last written successfully. */
  private written = new Map<string, Map<string, Labels>>();
  private lastT = -Infinity;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: ThresholdSeriesWriterOptions) {
    this.log = opts.logger.child({ component: 'thresholds-writer' });
  }

  /** Writes now, then every refresh interval and after every change. */
  start(): Promise<void> {
    this.unsubscribe = this.opts.service.onChange(() => void this.write());
    const tick = (): void => {
      this.timer = this.opts.clock.schedule(this.opts.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS, () => {
        void this.write().finally(tick);
      });
    };
    tick();
    return this.write();
  }

  stop(): void {
    this.unsubscribe?.();
    this.timer?.cancel();
  }

  /** One pass over all tenants; a call during a pass runs one more pass after it. */
  write(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const t = Math.max(this.opts.clock.now(), this.lastT + 1);
    this.lastT = t;
    const live = new Set(this.opts.service.tenants());
    if (this.opts.defaultTenants) {
      try {
        for (const t of await this.opts.defaultTenants()) live.add(t);
      } catch (e) {
        this.log.error({ err: e instanceof Error ? e.message : String(e) }, 'cannot list tenants for default thresholds');
        for (const t of this.written.keys()) live.add(t);
      }
    }
    const tenants = [...new Set([...live, ...this.written.keys()])];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tenants.length) {
        const tenant = tenants[next++] as string;
        await this.writeTenant(tenant, live.has(tenant), t);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tenants.length) }, worker));
  }

  private async writeTenant(tenant: string, live: boolean, t: number): Promise<void> {
    const samples = live ? tenantSeries(this.opts.service.resolved(tenant)) : [];
    const before = this.written.get(tenant);
    const now = new Map<string, Labels>();
    for (const s of samples) now.set(seriesKey(s.labels), s.labels);
    const gone: Labels[] = [];
    for (const [k, labels] of before ?? []) if (!now.has(k)) gone.push(labels);
    if (samples.length === 0 && gone.length === 0) {
      this.written.delete(tenant);
      return;
    }
    const values = new Float64Array(samples.length + gone.length);
    const ts = [t];
    const batch: AppendSeries[] = [];
    samples.forEach((s, i) => {
      values[i] = s.value;
      batch.push({ labels: s.labels, t: ts, v: values.subarray(i, i + 1) });
    });
    gone.forEach((labels, j) => {
      const i = samples.length + j;
      writeStaleNaN(values, i);
      batch.push({ labels, t: ts, v: values.subarray(i, i + 1) });
    });
    try {
      const store = await this.opts.store(tenant);
      const r = await store.append(batch);
      for (const rej of r.rejected) this.log.warn({ tenant, reason: rej.reason, count: rej.count, example: rej.example }, 'threshold samples refused');
    } catch (e) {
      // Keep the previous state: the next pass retries, stale markers included.
      this.log.error({ tenant, err: e instanceof Error ? e.message : String(e) }, 'cannot write threshold series');
      return;
    }
    if (now.size > 0) this.written.set(tenant, now);
    else this.written.delete(tenant);
  }
}
