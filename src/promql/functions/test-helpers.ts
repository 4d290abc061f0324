/** Builders shared by this folder's tests. */
import type { Labels } from '../../core/labels.js';
import type { Annotation } from '../value.js';
import type { KernelSample, RangeKernelContext, RangeWindow, VectorKernelContext } from './types.js';

/** Samples every `stepS` seconds from `startS`, restricted to the window (endS - rangeS, endS]. */
export function window(values: readonly number[], stepS: number, endS: number, rangeS: number, startS = 0): { w: RangeWindow; ctx: RangeKernelContext; annotations: Annotation[] } {
  const t: number[] = [];
  const v: number[] = [];
  values.forEach((val, i) => {
    const ts = (startS + i * stepS) * 1000;
    if (ts > (endS - rangeS) * 1000 && ts <= endS * 1000) {
      t.push(ts);
      v.push(val);
    }
  });
  const annotations: Annotation[] = [];
  const ctx: RangeKernelContext = {
    rangeStartMs: (endS - rangeS) * 1000,
    rangeEndMs: endS * 1000,
    evalTimeMs: endS * 1000,
    scalars: [],
    labels: { __name__: 'm_total' },
    annotations: { add: (a) => annotations.push(a) },
  };
  return { w: { t: Float64Array.from(t), v: Float64Array.from(v), from: 0, to: t.length }, ctx, annotations };
}

/** Expands promqltest's `a+bxn` notation. */
export function series(start: number, inc: number, times: number): number[] {
  return Array.from({ length: times + 1 }, (_, i) => start + inc * i);
}

/** A vector kernel context collecting annotations. */
export function vctx(scalars: readonly number[] = [], strings: readonly string[] = []): { ctx: VectorKernelContext; annotations: Annotation[] } {
  const annotations: Annotation[] = [];
  return { ctx: { evalTimeMs: 0, scalars, strings, annotations: { add: (a) => annotations.push(a) } }, annotations };
}

/** A kernel input sample. */
export function sample(labels: Labels, v: number): KernelSample {
  return { labels, v };
}
