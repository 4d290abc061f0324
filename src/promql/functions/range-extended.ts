/**
 * Kernels for the experimental `anchored` and `smoothed` range selectors (Prometheus 3.x
 * extendedRate, pickFirstSampleIndices and extendFloats in promql/functions.go and engine.go).
 *
 * Window contract (differs from plain range kernels): the engine passes the samples in
 * (rangeStart - lookback, rangeEnd] for `anchored` and (rangeStart - lookback, rangeEnd + lookback]
 * for `smoothed`, while ctx.rangeStartMs/rangeEndMs stay the selector's own range.
 */
import type { RangeKernel, RangeKernelContext, RangeWindow } from './types.js';
import { rangeSeconds } from './range-rate.js';

/** sort.Search over [0, n): the first index where `pred` holds, n if none. */
function search(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const h = (lo + hi) >>> 1;
    if (!pred(h)) lo = h + 1;
    else hi = h;
  }
  return lo;
}

function interpolate(t1: number, y1In: number, t2: number, y2: number, t: number, isCounter: boolean): number {
  // A counter reset between the two points is modelled as a restart from zero.
  const y1 = isCounter && y2 < y1In ? 0 : y1In;
  return y1 + ((y2 - y1) * (t - t1)) / (t2 - t1);
}

/** Boundary indexes and values of an extended window, or undefined when nothing lies in the range. */
interface Bounds {
  first: number;
  last: number;
  left: number;
  right: number;
}

function bounds(w: RangeWindow, start: number, end: number, smoothed: boolean, isCounter: boolean, forRate = true): Bounds | undefined {
  const { t, v, from } = w;
  const n = w.to - from;
  if (n <= 0) return undefined;
  const T = (i: number): number => t[from + i] as number;
  const V = (i: number): number => v[from + i] as number;
  let last = n - 1;
  const first = Math.max(0, search(last, (i) => T(i) > start) - 1);
  if (smoothed) last = search(last, (i) => T(i) >= end);
  if (T(last) <= start) return undefined;
  // extendedRate gives up when every sample lies beyond the range end; extendFloats does not.
  if (forRate && smoothed && T(first) > end) return undefined;
  const left = smoothed && T(first) < start ? interpolate(T(first), V(first), T(first + 1), V(first + 1), start, isCounter) : V(first);
  const right = smoothed && last > 0 && T(last) > end ? interpolate(T(last - 1), V(last - 1), T(last), V(last), end, isCounter) : V(last);
  return { first, last, left, right };
}

function extendedRate(w: RangeWindow, ctx: RangeKernelContext, isCounter: boolean, isRate: boolean, smoothed: boolean): number | undefined {
  const start = ctx.rangeStartMs;
  const end = ctx.rangeEndMs;
  const b = bounds(w, start, end, smoothed, isCounter);
  if (b === undefined) return undefined;
  let result = b.right - b.left;
  if (isCounter) {
    const T = (i: number): number => w.t[w.from + i] as number;
    let first = b.first;
    let last = b.last;
    // Only samples strictly inside the range: the boundary values already account for resets there.
    if (T(first) <= start) first++;
    if (T(last) >= end) last--;
    let correction = 0;
    let prev = b.left;
    for (let i = first; i <= last; i++) {
      const cur = w.v[w.from + i] as number;
      if (cur < prev) correction += prev;
      prev = cur;
    }
    if (b.right < prev) correction += prev;
    result += correction;
  }
  if (isRate) result /= rangeSeconds(end - start);
  return result;
}

/** Start index for anchored changes/resets: the last sample at or before the range start, or undefined. */
function anchoredFrom(w: RangeWindow, start: number): number | undefined {
  const n = w.to - w.from;
  const lastLE = search(n, (i) => (w.t[w.from + i] as number) > start) - 1;
  if (lastLE + 1 >= n) return undefined;
  return w.from + Math.max(0, lastLE);
}

const anchoredChanges: RangeKernel = (w, ctx) => {
  const from = anchoredFrom(w, ctx.rangeStartMs);
  if (from === undefined) return undefined;
  let n = 0;
  for (let i = from + 1; i < w.to; i++) {
    const cur = w.v[i] as number;
    const prev = w.v[i - 1] as number;
    if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
  }
  return n;
};

const anchoredResets: RangeKernel = (w, ctx) => {
  const from = anchoredFrom(w, ctx.rangeStartMs);
  if (from === undefined) return undefined;
  let n = 0;
  for (let i = from + 1; i < w.to; i++) if ((w.v[i] as number) < (w.v[i - 1] as number)) n++;
  return n;
};

/** Kernels for `f(v[d] anchored)`: rate, increase, delta, changes, resets (AnchoredSafeFunctions). */
export const ANCHORED_KERNELS: ReadonlyMap<string, RangeKernel> = new Map<string, RangeKernel>([
  ['rate', (w, ctx) => extendedRate(w, ctx, true, true, false)],
  ['increase', (w, ctx) => extendedRate(w, ctx, true, false, false)],
  ['delta', (w, ctx) => extendedRate(w, ctx, false, false, false)],
  ['changes', anchoredChanges],
  ['resets', anchoredResets],
]);

/** Kernels for `f(v[d] smoothed)`: rate, increase, delta (SmoothedSafeFunctions). */
export const SMOOTHED_KERNELS: ReadonlyMap<string, RangeKernel> = new Map<string, RangeKernel>([
  ['rate', (w, ctx) => extendedRate(w, ctx, true, true, true)],
  ['increase', (w, ctx) => extendedRate(w, ctx, true, false, true)],
  ['delta', (w, ctx) => extendedRate(w, ctx, false, false, true)],
]);

/**
 * A bare `v[d] anchored|smoothed` selector's samples (engine.go extendFloats): the value at the
 * range start (picked, or interpolated when smoothed), the samples strictly inside, and the value
 * at the range end, stamped with the range bounds. Empty when no sample lies in the range.
 */
export function extendWindow(w: RangeWindow, startMs: number, endMs: number, smoothed: boolean): { t: number[]; v: number[] } {
  const b = bounds(w, startMs, endMs, smoothed, false, false);
  if (b === undefined) return { t: [], v: [] };
  let { first, last } = b;
  const T = (i: number): number => w.t[w.from + i] as number;
  if (T(first) <= startMs) first++;
  if (T(last) >= endMs) last--;
  const t = [startMs];
  const v = [b.left];
  for (let i = first; i <= last; i++) {
    t.push(T(i));
    v.push(w.v[w.from + i] as number);
  }
  t.push(endMs);
  v.push(b.right);
  return { t, v };
}
