/**
 * Query results and the storage contract of the PromQL engine. Mirrors promql.Value (Scalar,
 * String, Vector, Matrix) and storage.Querier as far as Herald needs them. Times are ms.
 */
import type { Labels } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';

export interface Scalar {
  readonly type: 'scalar';
  readonly t: number;
  readonly v: number;
}

export interface StringValue {
  readonly type: 'string';
  readonly t: number;
  readonly v: string;
}

/** One element of an instant vector. */
export interface Sample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

export interface Vector {
  readonly type: 'vector';
  readonly samples: readonly Sample[];
}

/** One series of a range result: timestamps and values of equal length, ascending in time. */
export interface Series {
  readonly labels: Labels;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

export interface Matrix {
  readonly type: 'matrix';
  readonly series: readonly Series[];
}

export type QueryValue = Scalar | StringValue | Vector | Matrix;

/** A warning or info annotation (util/annotations), e.g. "PromQL info: metric might not be a counter...". */
export interface Annotation {
  readonly level: 'warning' | 'info';
  /** The full text as Prometheus prints it, including the `PromQL warning: ` / `PromQL info: ` prefix. */
  readonly message: string;
}

/** What a selector asks storage for (storage.SelectHints): the time range it needs, inclusive. */
export interface SelectHints {
  readonly startMs: number;
  readonly endMs: number;
  /** Query step (0 for instant queries). */
  readonly stepMs: number;
  /** Enclosing function name, if any (e.g. "rate"), for backends that push work down. */
  readonly func?: string;
  /** Range of the matrix selector, 0 for instant selectors. */
  readonly rangeMs: number;
  /**
   * Only the newest sample at or before endMs is read (an instant selector of an instant query,
   * not `smoothed`): a source may return just that one, e.g. from its head without decoding.
   */
  readonly latestOnly?: boolean;
}

/** Raw samples of one stored series in the requested range. Values may hold STALE_NAN markers. */
export interface StoredSeries {
  readonly labels: Labels;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/**
 * Where the engine reads series from: the embedded TSDB, a remote Prometheus-compatible backend,
 * or an in-memory set in tests. One source is bound to one tenant by whoever creates it.
 */
export interface SeriesSource {
  /** Series matching every matcher with their samples in [hints.startMs, hints.endMs], sorted by labels. */
  select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]>;
}
