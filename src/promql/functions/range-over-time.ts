/**
 * The *_over_time family, ts_of_*_over_time, changes and resets over float samples. Mirrors
 * Prometheus' promql/functions.go, including Kahan summation and the switch to an incremental
 * mean when the running sum would overflow.
 */
import { invalidQuantileWarning } from './annotations.js';
import { KahanSum } from './kahan.js';
import { quantile } from './quantile.js';
import type { RangeKernel, RangeWindow } from './types.js';

function valuesOf(w: RangeWindow): number[] {
  return Array.from(w.v.subarray(w.from, w.to));
}

/** avg_over_time: direct Kahan mean, incremental once the sum overflows. */
export const avgOverTime: RangeKernel = ({ v, from, to }) => {
  if (to <= from) return undefined;
  const acc = new KahanSum();
  acc.sum = v[from] as number;
  let count = 1;
  let incremental = false;
  for (let i = from + 1; i < to; i++) {
    const f = v[i] as number;
    count = i - from + 1;
    if (!incremental) {
      const sum = acc.sum;
      const c = acc.c;
      acc.add(f);
      if (acc.sum !== Infinity && acc.sum !== -Infinity) continue;
      incremental = true;
      acc.set(sum / (count - 1), c / (count - 1));
    }
    const q = (count - 1) / count;
    acc.set(q * acc.sum, q * acc.c);
    acc.add(f / count);
  }
  if (incremental) return acc.sum + acc.c;
  return acc.sum / count + acc.c / count;
};

/** sum_over_time with Kahan compensation (dropped when the sum is infinite). */
export const sumOverTime: RangeKernel = ({ v, from, to }) => {
  if (to <= from) return undefined;
  const acc = new KahanSum();
  for (let i = from; i < to; i++) acc.add(v[i] as number);
  if (acc.sum === Infinity || acc.sum === -Infinity) return acc.sum;
  return acc.sum + acc.c;
};

/** count_over_time. */
export const countOverTime: RangeKernel = ({ from, to }) => (to > from ? to - from : undefined);

/** present_over_time: 1 when the window holds any sample. */
export const presentOverTime: RangeKernel = ({ from, to }) => (to > from ? 1 : undefined);

type Better = (cur: number, best: number) => boolean;

function compareOverTime(w: RangeWindow, better: Better, returnTimestamp: boolean): number | undefined {
  const { t, v, from, to } = w;
  if (to <= from) return undefined;
  let best = v[from] as number;
  let bestT = t[from] as number;
  for (let i = from; i < to; i++) {
    const cur = v[i] as number;
    if (better(cur, best)) {
      best = cur;
      bestT = t[i] as number;
    }
  }
  return returnTimestamp ? bestT / 1000 : best;
}

/** max_over_time: a NaN is replaced by any later value. */
export const maxOverTime: RangeKernel = (w) => compareOverTime(w, (c, b) => c > b || Number.isNaN(b), false);
/** min_over_time. */
export const minOverTime: RangeKernel = (w) => compareOverTime(w, (c, b) => c < b || Number.isNaN(b), false);
/** ts_of_max_over_time: timestamp (s) of the last maximum. */
export const tsOfMaxOverTime: RangeKernel = (w) => compareOverTime(w, (c, b) => c >= b || Number.isNaN(b), true);
/** ts_of_min_over_time: timestamp (s) of the last minimum. */
export const tsOfMinOverTime: RangeKernel = (w) => compareOverTime(w, (c, b) => c <= b || Number.isNaN(b), true);

/** first_over_time: the oldest sample's value (keeps the metric name). */
export const firstOverTime: RangeKernel = ({ v, from, to }) => (to > from ? (v[from]) : undefined);
/** last_over_time: the newest sample's value (keeps the metric name). */
export const lastOverTime: RangeKernel = ({ v, from, to }) => (to > from ? (v[to - 1]) : undefined);
/** ts_of_first_over_time: the oldest sample's timestamp in seconds. */
export const tsOfFirstOverTime: RangeKernel = ({ t, from, to }) => (to > from ? (t[from] as number) / 1000 : undefined);
/** ts_of_last_over_time: the newest sample's timestamp in seconds. */
export const tsOfLastOverTime: RangeKernel = ({ t, from, to }) => (to > from ? (t[to - 1] as number) / 1000 : undefined);

/** quantile_over_time(φ, v): warns once per φ outside [0, 1]. */
export const quantileOverTime: RangeKernel = (w, ctx) => {
  if (w.to <= w.from) return undefined;
  const q = ctx.scalars[0];
  if (q === undefined) return undefined;
  if (Number.isNaN(q) || q < 0 || q > 1) ctx.annotations.add(invalidQuantileWarning(q));
  return quantile(q, valuesOf(w));
};

function variance(w: RangeWindow): number {
  const { v, from, to } = w;
  let count = 0;
  const mean = new KahanSum();
  const aux = new KahanSum();
  for (let i = from; i < to; i++) {
    const f = v[i] as number;
    count++;
    const d = f - (mean.sum + mean.c);
    mean.add(d / count);
    aux.add(d * (f - (mean.sum + mean.c)));
  }
  return (aux.sum + aux.c) / count;
}

/** stdvar_over_time: population variance (Welford with Kahan). */
export const stdvarOverTime: RangeKernel = (w) => (w.to > w.from ? variance(w) : undefined);
/** stddev_over_time: population standard deviation. */
export const stddevOverTime: RangeKernel = (w) => (w.to > w.from ? Math.sqrt(variance(w)) : undefined);

/** mad_over_time: median absolute deviation; NaN when any sample is NaN. */
export const madOverTime: RangeKernel = (w) => {
  if (w.to <= w.from) return undefined;
  const values = valuesOf(w);
  if (values.some(Number.isNaN)) return NaN;
  const median = quantile(0.5, values);
  for (let i = 0; i < values.length; i++) values[i] = Math.abs((values[i] as number) - median);
  return quantile(0.5, values);
};

/** changes: how often the value changed (NaN to NaN is no change). */
export const changes: RangeKernel = ({ v, from, to }) => {
  if (to <= from) return undefined;
  let n = 0;
  for (let i = from + 1; i < to; i++) {
    const cur = v[i] as number;
    const prev = v[i - 1] as number;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
  }
  return n;
};

/** resets: how often the value decreased. */
export const resets: RangeKernel = ({ v, from, to }) => {
  if (to <= from) return undefined;
  let n = 0;
  for (let i = from + 1; i < to; i++) if ((v[i] as number) < (v[i - 1] as number)) n++;
  return n;
};
