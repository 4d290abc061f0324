/**
 * The embedded time-series store's contract: what ingestion (remote_write, scrape, thresholds)
 * appends, and what queries (PromQL engine, Prometheus HTTP API, ruler) read. One TenantTsdb per
 * tenant; a TsdbSet hands them out. Times are ms; values may be STALE_NAN (core/stale-nan.ts).
 */
import type { Labels } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';
import type { SeriesSource } from '../promql/value.js';

/** One series with its new samples, ascending in time, as remote_write and scrapes deliver them. */
export interface AppendSeries {
  /** Includes `__name__`. Already validated by ingestion (names, sorted unique, lengths). */
  readonly labels: Labels;
  readonly t: readonly number[] | Float64Array;
  readonly v: readonly number[] | Float64Array;
}

/** Why a sample was refused (Prometheus' storage errors and Herald's per-tenant limits). */
export type RejectReason = 'out_of_order' | 'duplicate_timestamp' | 'too_old' | 'max_series';

export interface AppendResult {
  readonly accepted: number;
  /** Refused samples by reason, each with the first error text (Prometheus wording). */
  readonly rejected: ReadonlyArray<{ readonly reason: RejectReason; readonly count: number; readonly example: string }>;
}

/** Per-tenant usage, for /metrics (what a platform bills and caps tenants by). */
export interface TsdbStats {
  readonly activeSeries: number;
  readonly samplesInHead: number;
  readonly minTimeMs: number;
  readonly maxTimeMs: number;
}

/** One tenant's store. */
export interface TenantTsdb extends SeriesSource {
  readonly tenant: string;
  /**
   * Appends a batch; each sample is accepted or refused on its own, as Prometheus' appender does
   * (an exact duplicate, same time and value, is accepted and ignored). Durable (in the WAL) when
   * the promise resolves, so an acknowledged remote_write survives kill -9.
   */
  append(batch: readonly AppendSeries[]): Promise<AppendResult>;
  /** Label names of series matching every matcher set (any set; none = all) with samples in range, sorted. */
  labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]>;
  /** Values of `name` over the matching series, sorted. */
  labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]>;
  /** Label sets of series matching any matcher set with samples in range, sorted by labels. */
  series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<Labels[]>;
  stats(): TsdbStats;
}

/** Per-tenant limits the store itself enforces. 0 = unlimited. */
export interface TsdbLimits {
  readonly maxSeries: number;
}

/** All tenants' stores: created on first use, closed together. */
export interface TsdbSet {
  get(tenant: string): Promise<TenantTsdb>;
  /** Tenants with a store (open or on disk). */
  tenants(): Promise<string[]>;
  close(): Promise<void>;
}
