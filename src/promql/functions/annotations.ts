/**
 * Annotation texts raised by function kernels, verbatim from Prometheus' util/annotations (3.x).
 * The position suffix (` (1:6)`) Prometheus appends when it prints them is the engine's business:
 * kernels know no query text.
 */
import type { Labels } from '../../core/labels.js';
import { goQuote } from '../../core/labels.js';
import type { Annotation } from '../value.js';

const WARN = 'PromQL warning: ';
const INFO = 'PromQL info: ';

function warning(text: string): Annotation {
  return { level: 'warning', message: WARN + text };
}

function info(text: string): Annotation {
  return { level: 'info', message: INFO + text };
}

/** The metric name of a label set, '' when absent. */
export function metricName(labels: Labels): string {
  return labels['__name__'] ?? '';
}

function forMetricName(text: string, name: string): string {
  return name === '' ? text : `${text} for metric name ${goQuote(name)}`;
}

/** rate()/increase() on a name without a counter suffix (engine.go, PossibleNonCounterInfo). */
export function possibleNonCounterInfo(name: string): Annotation {
  return info(`metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(name)}`);
}

/** φ outside [0, 1] or NaN (InvalidQuantileWarning). */
export function invalidQuantileWarning(q: number): Annotation {
  return warning(`quantile value should be between 0 and 1, got ${formatG(q)}`);
}

/** An `le` label that does not parse as a float (BadBucketLabelWarning). */
export function badBucketLabelWarning(name: string, le: string): Annotation {
  return warning(forMetricName(`bucket label "le" is missing or has a malformed value of ${goQuote(le)}`, name));
}

/** Classic buckets whose counts decrease with `le` (HistogramQuantileForcedMonotonicityInfo, without the per-query details). */
export function forcedMonotonicityInfo(name: string): Annotation {
  return info(
    forMetricName(
      'input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
      name,
    ),
  );
}

/** Go's `%g` for a float64 (strconv 'g' with shortest precision): 1e+06, 1e-05, NaN, +Inf. */
export function formatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  // strconv's shortest 'g' switches to exponent form outside 1e-4 <= |v| < 1e6.
  if (exp < -4 || exp >= 6) return goExp(mant, exp);
  return String(v);
}

function goExp(mant: string, exp: number): string {
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
}

/** Go's `%f` (six decimals). */
export function formatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return v.toFixed(6);
}
