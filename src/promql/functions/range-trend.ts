/**
 * deriv, predict_linear (least squares with Kahan sums) and double_exponential_smoothing.
 * Mirrors linearRegression and funcDoubleExponentialSmoothing in Prometheus' promql/functions.go.
 */
import { PromQLQueryError } from '../api.js';
import { formatF } from './annotations.js';
import { KahanSum } from './kahan.js';
import type { RangeKernel, RangeWindow } from './types.js';

/**
 * A function argument that makes the whole query fail (Prometheus panics with this error text):
 * an execution error, as the engine reports its own.
 */
function argumentError(message: string): PromQLQueryError {
  return new PromQLQueryError('execution', message);
}

/** Slope (per second) and intercept at `interceptTimeMs` of the least-squares line. */
export function linearRegression(w: RangeWindow, interceptTimeMs: number): { slope: number; intercept: number } {
  const { t, v, from, to } = w;
  let n = 0;
  const sumX = new KahanSum();
  const sumY = new KahanSum();
  const sumXY = new KahanSum();
  const sumX2 = new KahanSum();
  const initY = v[from] as number;
  let constY = true;
  for (let i = from; i < to; i++) {
    const y = v[i] as number;
    if (constY && i > from && y !== initY) constY = false;
    n += 1;
    const x = ((t[i] as number) - interceptTimeMs) / 1e3;
    sumX.add(x);
    sumY.add(y);
    sumXY.add(x * y);
    sumX2.add(x * x);
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initY };
  }
  const sx = sumX.sum + sumX.c;
  const sy = sumY.sum + sumY.c;
  const sxy = sumXY.sum + sumXY.c;
  const sx2 = sumX2.sum + sumX2.c;
  const covXY = sxy - (sx * sy) / n;
  const varX = sx2 - (sx * sx) / n;
  const slope = covXY / varX;
  const intercept = sy / n - (slope * sx) / n;
  return { slope, intercept };
}

/** deriv(v range-vector): per-second slope; the first sample's time is the origin to keep precision. */
export const deriv: RangeKernel = (w) => {
  if (w.to - w.from < 2) return undefined;
  return linearRegression(w, w.t[w.from] as number).slope;
};

/** predict_linear(v range-vector, t scalar): the line's value t seconds after the step time. */
export const predictLinear: RangeKernel = (w, ctx) => {
  const duration = ctx.scalars[0];
  if (duration === undefined || w.to - w.from < 2) return undefined;
  const { slope, intercept } = linearRegression(w, ctx.evalTimeMs);
  return slope * duration + intercept;
};

/**
 * double_exponential_smoothing(v range-vector, sf scalar, tf scalar). Throws a PromQLQueryError
 * for a factor outside (0, 1), as upstream fails the query.
 */
export const doubleExponentialSmoothing: RangeKernel = ({ v, from, to }, ctx) => {
  const sf = ctx.scalars[0];
  const tf = ctx.scalars[1];
  if (sf === undefined || tf === undefined || to <= from) return undefined;
  if (sf <= 0 || sf >= 1) throw argumentError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatF(sf)}`);
  if (tf <= 0 || tf >= 1) throw argumentError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatF(tf)}`);
  const l = to - from;
  if (l < 2) return undefined;
  let s0 = 0;
  let s1 = v[from] as number;
  let b = (v[from + 1] as number) - s1;
  for (let i = 1; i < l; i++) {
    const x = sf * (v[from + i] as number);
    // The trend at i-1; the first trend is the initial difference.
    if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
};
