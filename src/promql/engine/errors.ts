/**
 * Evaluation errors with Prometheus' texts (promql.ErrTooManySamples, ErrQueryTimeout,
 * ErrQueryCanceled) and the range-query resolution limit the HTTP API enforces.
 */
import { PromQLQueryError } from '../api.js';

/** A runtime error such as "vector cannot contain metrics with the same labelset". */
export function execError(message: string): PromQLQueryError {
  return new PromQLQueryError('execution', message);
}

/** promql.ErrTooManySamples. */
export function tooManySamples(): PromQLQueryError {
  return execError('query processing would load too many samples into memory in query execution');
}

/** promql.ErrQueryTimeout. */
export function timedOut(phase: string): PromQLQueryError {
  return new PromQLQueryError('timeout', `query timed out in ${phase}`);
}

/** promql.ErrQueryCanceled. */
export function canceled(phase: string): PromQLQueryError {
  return new PromQLQueryError('canceled', `query was canceled in ${phase}`);
}

/** Default of QueryLimits.maxPointsPerSeries (Prometheus' API hard limit). */
export const DEFAULT_MAX_POINTS_PER_SERIES = 11_000;

/**
 * The check Prometheus' /api/v1/query_range does before evaluating: more than 11,000 steps per
 * series is refused. Returns the error to send, or undefined when the range is acceptable.
 */
export function checkRangeResolution(
  startMs: number,
  endMs: number,
  stepMs: number,
  maxPoints: number = DEFAULT_MAX_POINTS_PER_SERIES,
): PromQLQueryError | undefined {
  if (stepMs <= 0) return new PromQLQueryError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  if (endMs < startMs) return new PromQLQueryError('bad_data', 'end timestamp must not be before start time');
  if (Math.floor((endMs - startMs) / stepMs) > maxPoints) {
    const limit = maxPoints.toLocaleString('en-US');
    return new PromQLQueryError('bad_data', `exceeded maximum resolution of ${limit} points per timeseries. Try decreasing the query resolution (?step=XX)`);
  }
  return undefined;
}
