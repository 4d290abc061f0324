/**
 * Per-sample functions: math, trigonometry, rounding, clamping and calendar fields. Operation
 * order follows Prometheus' promql/functions.go; log2/log10 and the circular functions follow Go's
 * math package (go-trig.ts) so results match Prometheus bit for bit. The hyperbolic functions use
 * V8's, which may differ from Go's in the last bit.
 */
import { civilTime, daysIn } from './calendar.js';
import { goMax, goMin } from './go-math.js';
import { goAcos, goAsin, goAtan, goCos, goSin, goTan } from './go-trig.js';
import type { ElementKernel } from './types.js';

const unary =
  (f: (v: number) => number): ElementKernel =>
  (v) =>
    f(v);

/** Go's math.Frexp: v = frac * 2^exp with frac in [0.5, 1). */
function frexp(v: number): [number, number] {
  if (v === 0 || !Number.isFinite(v)) return [v, 0];
  let exp = Math.max(-1073, Math.floor(Math.log2(Math.abs(v))) + 1);
  let frac = v * 2 ** -exp;
  // Math.log2 may be off by one near powers of two; settle into [0.5, 1).
  while (Math.abs(frac) < 0.5) {
    frac *= 2;
    exp--;
  }
  while (Math.abs(frac) >= 1) {
    frac /= 2;
    exp++;
  }
  return [frac, exp];
}

/** Go's math.Log2: exact for powers of two, else ln(frac)/ln2 + exp. */
export function goLog2(v: number): number {
  const [frac, exp] = frexp(v);
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
}

/** Go's math.Log10: ln(v) * (1/ln10). */
export function goLog10(v: number): number {
  return Math.log(v) * Math.LOG10E;
}

/** sgn: -1, 1, or the value itself for ±0 and NaN. */
export function sgn(v: number): number {
  return v < 0 ? -1 : v > 0 ? 1 : v;
}

/** round(v, to_nearest=1): ties round up; the inverse is used as upstream does, for accuracy. */
export const round: ElementKernel = (v, scalars) => {
  const toNearest = scalars[0] ?? 1;
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
};

/** clamp_min(v, min). */
export const clampMin: ElementKernel = (v, scalars) => goMax(scalars[0] ?? NaN, goMin(Infinity, v));
/** clamp_max(v, max). */
export const clampMax: ElementKernel = (v, scalars) => goMax(-Infinity, goMin(scalars[0] ?? NaN, v));

/** Element kernels keyed by PromQL function name (all drop the metric name). */
export const ELEMENT_KERNELS: ReadonlyMap<string, ElementKernel> = new Map<string, ElementKernel>([
  ['abs', unary(Math.abs)],
  ['ceil', unary(Math.ceil)],
  ['floor', unary(Math.floor)],
  ['exp', unary(Math.exp)],
  ['sqrt', unary(Math.sqrt)],
  ['ln', unary(Math.log)],
  ['log2', unary(goLog2)],
  ['log10', unary(goLog10)],
  ['sin', unary(goSin)],
  ['cos', unary(goCos)],
  ['tan', unary(goTan)],
  ['asin', unary(goAsin)],
  ['acos', unary(goAcos)],
  ['atan', unary(goAtan)],
  ['sinh', unary(Math.sinh)],
  ['cosh', unary(Math.cosh)],
  ['tanh', unary(Math.tanh)],
  ['asinh', unary(Math.asinh)],
  ['acosh', unary(Math.acosh)],
  ['atanh', unary(Math.atanh)],
  ['rad', unary((v) => (v * Math.PI) / 180)],
  ['deg', unary((v) => (v * 180) / Math.PI)],
  ['sgn', unary(sgn)],
  ['round', round],
  ['clamp_min', clampMin],
  ['clamp_max', clampMax],
  ['day_of_month', unary((v) => civilTime(v).day)],
  ['day_of_week', unary((v) => civilTime(v).weekday)],
  ['day_of_year', unary((v) => civilTime(v).dayOfYear)],
  ['days_in_month', unary((v) => {
    const c = civilTime(v);
    return daysIn(c.year, c.month);
  })],
  ['hour', unary((v) => civilTime(v).hour)],
  ['minute', unary((v) => civilTime(v).minute)],
  ['month', unary((v) => civilTime(v).month)],
  ['year', unary((v) => civilTime(v).year)],
]);
