/**
 * rate, increase, delta (extrapolated to the window edges) and irate, idelta (last two samples).
 * Mirrors extrapolatedRate and instantValue in Prometheus' promql/functions.go for float samples
 * without start timestamps or anchored/smoothed selectors.
 */
import { metricName, possibleNonCounterInfo } from './annotations.js';
import type { RangeKernel, RangeKernelContext, RangeWindow } from './types.js';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];

/** time.Duration.Seconds() of a millisecond range: whole seconds plus the fraction, as Go rounds it. */
export function rangeSeconds(rangeMs: number): number {
  const sec = Math.trunc(rangeMs / 1000);
  const nsec = (rangeMs - sec * 1000) * 1e6;
  return sec + nsec / 1e9;
}

/** The label set and sink last checked: the engine calls a kernel for every step of a series in a row. */
let lastLabels: RangeKernelContext['labels'] | undefined;
let lastSink: RangeKernelContext['annotations'] | undefined;

/** rangeSeconds of the last range asked for: every window of a query has the same length. */
let lastRangeMs = NaN;
let lastRangeSeconds = NaN;

function windowSeconds(rangeMs: number): number {
  if (rangeMs !== lastRangeMs) {
    lastRangeSeconds = rangeSeconds(rangeMs);
    lastRangeMs = rangeMs;
  }
  return lastRangeSeconds;
}

function warnIfNotCounter(ctx: RangeKernelContext): void {
  // Checked once per series and sink, not once per step (the sink de-duplicates anyway).
  if (ctx.labels === lastLabels && ctx.annotations === lastSink) return;
  lastLabels = ctx.labels;
  lastSink = ctx.annotations;
  const name = metricName(ctx.labels);
  if (name === '') return;
  for (const suffix of COUNTER_SUFFIXES) if (name.endsWith(suffix)) return;
  ctx.annotations.add(possibleNonCounterInfo(name));
}

/**
 * Counter resets before each index of the series being worked on: resets[i] counts the k <= i
 * with v[k] < v[k-1]. The engine calls a kernel for every step of one series in a row, so this
 * lets a window without a reset skip its scan (most windows) at the cost of one pass per series.
 * Keyed by the value array and the query's annotation sink, so it never outlives one query.
 */
let resetsFor: Float64Array | undefined;
let resetsSink: RangeKernelContext['annotations'] | undefined;
let resets = new Int32Array(0);

function resetCounts(v: Float64Array, sink: RangeKernelContext['annotations']): Int32Array {
  if (v === resetsFor && sink === resetsSink) return resets;
  if (resets.length < v.length) resets = new Int32Array(Math.max(v.length, resets.length * 2));
  let c = 0;
  if (v.length > 0) resets[0] = 0;
  for (let i = 1; i < v.length; i++) {
    if ((v[i] as number) < (v[i - 1] as number)) c++;
    resets[i] = c;
  }
  resetsFor = v;
  resetsSink = sink;
  return resets;
}

function extrapolatedRate(w: RangeWindow, ctx: RangeKernelContext, isCounter: boolean, isRate: boolean): number | undefined {
  const { t, v, from, to } = w;
  const n = to - from;
  if (n < 2) return undefined;
  const first = v[from] as number;
  const firstT = t[from] as number;
  const lastT = t[to - 1] as number;
  let result = (v[to - 1] as number) - first;
  if (isCounter) {
    const r = resetCounts(v, ctx.annotations);
    if (r[to - 1] !== r[from]) {
      for (let i = from + 1; i < to; i++) {
        const prev = v[i - 1] as number;
        if ((v[i] as number) < prev) result += prev;
      }
    }
  }
  let durationToStart = (firstT - ctx.rangeStartMs) / 1000;
  let durationToEnd = (ctx.rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  if (isCounter) {
    // A counter cannot go below zero: do not extrapolate further back than its zero point.
    let durationToZero = durationToStart;
    if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = 1;
  if (sampledInterval !== 0) factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= windowSeconds(ctx.rangeEndMs - ctx.rangeStartMs);
  if (isCounter) warnIfNotCounter(ctx);
  return result * factor;
}

function instantValue(w: RangeWindow, isRate: boolean): number | undefined {
  const { t, v, from, to } = w;
  if (to - from < 2) return undefined;
  const t0 = t[to - 2] as number;
  const t1 = t[to - 1] as number;
  const v0 = v[to - 2] as number;
  const v1 = v[to - 1] as number;
  const sampledInterval = t1 - t0;
  if (sampledInterval === 0) return undefined;
  // A counter reset leaves the later value itself as the increase.
  let result = v1;
  if (!isRate || !(v1 < v0)) result = v1 - v0;
  if (isRate) result /= sampledInterval / 1000;
  return result;
}

/** rate(v range-vector): per-second increase of a counter, extrapolated. */
export const rate: RangeKernel = (w, ctx) => extrapolatedRate(w, ctx, true, true);
/** increase(v range-vector): increase of a counter over the range, extrapolated. */
export const increase: RangeKernel = (w, ctx) => extrapolatedRate(w, ctx, true, false);
/** delta(v range-vector): difference of a gauge over the range, extrapolated. */
export const delta: RangeKernel = (w, ctx) => extrapolatedRate(w, ctx, false, false);
/** irate(v range-vector): per-second rate from the last two samples. */
export const irate: RangeKernel = (w) => instantValue(w, true);
/** idelta(v range-vector): difference of the last two samples. */
export const idelta: RangeKernel = (w) => instantValue(w, false);
