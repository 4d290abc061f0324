/**
 * Every tenant's head, opened lazily on first use (replaying its WAL directory), maintained on
 * the injected clock (retention, churn, WAL checkpoints) and closed together.
 */
import type { Clock, Logger, TimerHandle } from '../core/runtime.js';
import type { TenantTsdb, TsdbLimits, TsdbSet } from './api.js';
import { Head } from './head.js';
import { replayInto } from './head-wal.js';
import { DEFAULT_SEGMENT_BYTES } from './wal.js';
import type { WalStorage } from './wal-storage.js';

/** How a HeadSet is built. */
export interface HeadSetOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** WAL directories; without one the store is memory-only (tests, ephemeral setups). */
  readonly storage?: WalStorage;
  /** How long samples are kept; 0 keeps everything. */
  readonly retentionMs: number;
  /** Per-tenant limits, read on every append. */
  readonly limits?: (tenant: string) => TsdbLimits;
  readonly segmentBytes?: number;
  readonly checkpointBytes?: number;
  /** Period of retention + checkpoint runs; 0 turns the timer off (call maintain() yourself). */
  readonly maintenanceIntervalMs?: number;
  /** How a long job lets other work run between its steps (see HeadOptions.pause). */
  readonly pause?: () => Promise<void>;
}

const UNLIMITED: TsdbLimits = { maxSeries: 0 };

/** A TsdbSet of in-memory heads with WALs. */
export class HeadSet implements TsdbSet {
  private readonly heads = new Map<string, Promise<Head>>();
  /** Heads that finished opening, for synchronous figures (/metrics). */
  private readonly open_ = new Map<string, Head>();
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly opts: HeadSetOptions) {
    this.arm();
  }

  get(tenant: string): Promise<TenantTsdb> {
    return this.head(tenant);
  }

  /** The concrete head of `tenant` (for maintenance and figures). */
  head(tenant: string): Promise<Head> {
    if (this.closed) return Promise.reject(new Error('the TSDB set is closed'));
    let p = this.heads.get(tenant);
    if (!p) {
      p = this.open(tenant).then((h) => {
        if (!this.closed) this.open_.set(tenant, h);
        return h;
      });
      this.heads.set(tenant, p);
      // A failed open is retried on the next get() instead of being cached.
      p.catch(() => this.heads.delete(tenant));
    }
    return p;
  }

  /** Figures of every open head, without waiting (for a metrics scrape). */
  openStats(): Array<{ readonly tenant: string; readonly activeSeries: number }> {
    return [...this.open_].map(([tenant, h]) => ({ tenant, activeSeries: h.stats().activeSeries }));
  }

  async tenants(): Promise<string[]> {
    const names = new Set(this.heads.keys());
    if (this.opts.storage) for (const t of await this.opts.storage.tenants()) names.add(t);
    return [...names].sort();
  }

  /** Runs retention (and a checkpoint when due, or always with `force`) on every open head. */
  async maintain(force = false): Promise<void> {
    for (const [tenant, p] of this.heads) {
      try {
        await (await p).maintain(force);
      } catch (e) {
        this.opts.logger.error({ tenant, err: e instanceof Error ? e.message : String(e) }, 'TSDB maintenance failed');
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    for (const p of this.heads.values()) {
      try {
        const h = await p;
        h.close();
        await h.idle();
      } catch {
        // a head that failed to open has nothing to close
      }
    }
    this.heads.clear();
    this.open_.clear();
  }

  private async open(tenant: string): Promise<Head> {
    const log = this.opts.logger.child({ component: 'tsdb', tenant });
    const limits = this.opts.limits;
    const head = new Head({
      tenant, clock: this.opts.clock, logger: log, retentionMs: this.opts.retentionMs,
      limits: limits ? () => limits(tenant) : () => UNLIMITED,
      ...(this.opts.checkpointBytes !== undefined ? { checkpointBytes: this.opts.checkpointBytes } : {}),
      ...(this.opts.pause ? { pause: this.opts.pause } : {}),
    });
    if (this.opts.storage) {
      const report = await replayInto(head, this.opts.storage.dir(tenant), { segmentBytes: this.opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES }, log);
      head.applyRetention();
      head.recount();
      log.info({ checkpoint: report.checkpoint, segments: report.segments, torn: report.torn.length, series: head.stats().activeSeries }, 'TSDB WAL replayed');
    }
    return head;
  }

  private arm(): void {
    const every = this.opts.maintenanceIntervalMs ?? 60_000;
    if (every <= 0 || this.closed) return;
    this.timer = this.opts.clock.schedule(every, () => {
      void this.maintain().finally(() => this.arm());
    });
  }
}
