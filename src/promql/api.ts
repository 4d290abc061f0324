/**
 * The public face of the PromQL module: what the ruler, the query API and the conformance runner
 * call. Parsing lives in ./parser, evaluation in ./engine; both are reached through ./index.ts.
 */
import type { PosRange } from './ast.js';
import type { Annotation, QueryValue } from './value.js';

/**
 * A syntax or type error with its position (parser.ParseErr). `message` is Prometheus' wording
 * without the position; `toString()`-style text is made by formatParseError.
 */
export class PromQLParseError extends Error {
  constructor(
    message: string,
    readonly pos: PosRange,
    readonly query: string,
  ) {
    super(message);
    this.name = 'PromQLParseError';
  }
}

/** Kinds of evaluation failure, as the Prometheus HTTP API names them in `errorType`. */
export type QueryErrorType = 'execution' | 'timeout' | 'canceled' | 'bad_data';

/**
 * An evaluation failure (promql.ErrQueryTimeout, ErrQueryCanceled, ErrTooManySamples, or a runtime
 * error such as "found duplicate series for the match group ..."). `message` is Prometheus' text.
 */
export class PromQLQueryError extends Error {
  constructor(
    readonly type: QueryErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromQLQueryError';
  }
}

export interface QueryLimits {
  /** Lookback delta for instant selectors (Prometheus --query.lookback-delta), default 5m. */
  readonly lookbackDeltaMs?: number;
  /** Whole-query timeout (--query.timeout), default 2m; checked against `now()`. */
  readonly timeoutMs?: number;
  /** Max samples held in memory at once (--query.max-samples), default 50,000,000. */
  readonly maxSamples?: number;
  /** Max resolution points per series of a range query, default 11,000. */
  readonly maxPointsPerSeries?: number;
  /** Step for subqueries without one, default 1m (--evaluation-interval). */
  readonly defaultSubqueryStepMs?: number;
  /** Enable functions upstream keeps behind promql-experimental-functions. */
  readonly experimentalFunctions?: boolean;
}

export interface QueryOptions extends QueryLimits {
  /** Cancels the query (ErrQueryCanceled). */
  readonly signal?: AbortSignal;
  /** Wall clock for the timeout; defaults to Date.now. Engines take no clock of their own. */
  readonly now?: () => number;
}

export interface QueryResult {
  readonly value: QueryValue;
  /** De-duplicated warnings and infos, in the order first raised. */
  readonly annotations: readonly Annotation[];
}
