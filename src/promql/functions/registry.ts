/**
 * Every PromQL function of Prometheus 3.x (promql/functions.go FunctionCalls, experimental ones
 * included) mapped to how it is evaluated. Kinds: 'range' (per series and step over raw samples),
 * 'element' (per sample), 'vector' (whole vector per step), 'engine' (the evaluator's own work).
 */
import { ELEMENT_KERNELS } from './element.js';
import { goMax, goMin } from './go-math.js';
import {
  avgOverTime,
  changes,
  countOverTime,
  firstOverTime,
  lastOverTime,
  madOverTime,
  maxOverTime,
  minOverTime,
  presentOverTime,
  quantileOverTime,
  resets,
  stddevOverTime,
  stdvarOverTime,
  sumOverTime,
  tsOfFirstOverTime,
  tsOfLastOverTime,
  tsOfMaxOverTime,
  tsOfMinOverTime,
} from './range-over-time.js';
import { delta, idelta, increase, irate, rate } from './range-rate.js';
import { deriv, doubleExponentialSmoothing, predictLinear } from './range-trend.js';
import type { ElementKernel, FunctionImpl, RangeKernel, VectorKernel } from './types.js';
import { histogramFraction, histogramQuantile, histogramQuantiles, nothingForFloats } from './vector-histogram.js';
import { labelJoin, labelReplace } from './vector-labels.js';
import { clamp, sortAsc, sortByLabel, sortByLabelDesc, sortDesc } from './vector-sort.js';

const RANGE: ReadonlyArray<readonly [string, RangeKernel]> = [
  ['rate', rate],
  ['increase', increase],
  ['delta', delta],
  ['irate', irate],
  ['idelta', idelta],
  ['deriv', deriv],
  ['predict_linear', predictLinear],
  ['double_exponential_smoothing', doubleExponentialSmoothing],
  ['changes', changes],
  ['resets', resets],
  ['avg_over_time', avgOverTime],
  ['sum_over_time', sumOverTime],
  ['count_over_time', countOverTime],
  ['min_over_time', minOverTime],
  ['max_over_time', maxOverTime],
  ['stddev_over_time', stddevOverTime],
  ['stdvar_over_time', stdvarOverTime],
  ['quantile_over_time', quantileOverTime],
  ['present_over_time', presentOverTime],
  ['mad_over_time', madOverTime],
  ['first_over_time', firstOverTime],
  ['last_over_time', lastOverTime],
  ['ts_of_first_over_time', tsOfFirstOverTime],
  ['ts_of_last_over_time', tsOfLastOverTime],
  ['ts_of_max_over_time', tsOfMaxOverTime],
  ['ts_of_min_over_time', tsOfMinOverTime],
];

/** Range functions that act like an offset and keep the metric name (engine.go). */
const KEEPS_NAME = new Set(['first_over_time', 'last_over_time']);

const VECTOR: ReadonlyArray<readonly [string, VectorKernel]> = [
  ['clamp', clamp],
  ['sort', sortAsc],
  ['sort_desc', sortDesc],
  ['sort_by_label', sortByLabel],
  ['sort_by_label_desc', sortByLabelDesc],
  ['label_replace', labelReplace],
  ['label_join', labelJoin],
  ['histogram_quantile', histogramQuantile],
  ['histogram_quantiles', histogramQuantiles],
  ['histogram_fraction', histogramFraction],
  ['histogram_count', nothingForFloats],
  ['histogram_sum', nothingForFloats],
  ['histogram_avg', nothingForFloats],
  ['histogram_stddev', nothingForFloats],
  ['histogram_stdvar', nothingForFloats],
  ['start_timestamp', nothingForFloats],
];

/**
 * Evaluated by the engine: time(), vector(), scalar(), timestamp(), absent(), absent_over_time(),
 * info() and the query-context constants start()/end()/range()/step().
 */
const ENGINE = [
  'time',
  'vector',
  'scalar',
  'timestamp',
  'absent',
  'absent_over_time',
  'info',
  'start',
  'end',
  'range',
  'step',
];

/**
 * Scalar-only functions as element kernels whose sample value is ignored: the engine calls
 * them with NaN and the step's scalar arguments.
 */
const SCALAR: ReadonlyArray<readonly [string, ElementKernel]> = [
  ['pi', () => Math.PI],
  ['max_of', (_v, a) => goMax(a[0] ?? NaN, a[1] ?? NaN)],
  ['min_of', (_v, a) => goMin(a[0] ?? NaN, a[1] ?? NaN)],
];

function build(): Map<string, FunctionImpl> {
  const m = new Map<string, FunctionImpl>();
  for (const [name, kernel] of RANGE) m.set(name, { kind: 'range', kernel, dropsName: !KEEPS_NAME.has(name) });
  for (const [name, kernel] of ELEMENT_KERNELS) m.set(name, { kind: 'element', kernel, dropsName: true });
  for (const [name, kernel] of VECTOR) m.set(name, { kind: 'vector', kernel });
  for (const [name, kernel] of SCALAR) m.set(name, { kind: 'element', kernel, dropsName: true });
  for (const name of ENGINE) m.set(name, { kind: 'engine' });
  return m;
}

/** How each PromQL function is evaluated, by name. */
export const FUNCTION_IMPLS: ReadonlyMap<string, FunctionImpl> = build();
