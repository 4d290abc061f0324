import { describe, expect, it } from 'vitest';
import { ANCHORED_KERNELS, extendWindow, SMOOTHED_KERNELS } from './range-extended.js';
import type { RangeKernel, RangeWindow } from './types.js';

// upstream extended_vectors.test: `load 15s metric 1+1x4 9+1x4`, lookback 5m.
const T = Array.from({ length: 10 }, (_, i) => i * 15_000);
const V = [1, 2, 3, 4, 5, 9, 10, 11, 12, 13];
const LOOKBACK = 300_000;

function windowFor(startMs: number, endMs: number): RangeWindow {
  const idx = T.flatMap((t, i) => (t > startMs && t <= endMs ? [i] : []));
  return { t: Float64Array.from(T), v: Float64Array.from(V), from: idx[0] ?? 0, to: idx.length ? (idx.at(-1) as number) + 1 : 0 };
}

function run(k: RangeKernel | undefined, evalS: number, rangeS: number, smoothed: boolean): number | undefined {
  if (k === undefined) throw new Error('missing kernel');
  const end = evalS * 1000;
  const start = end - rangeS * 1000;
  const w = windowFor(start - LOOKBACK, smoothed ? end + LOOKBACK : end);
  return k(w, { rangeStartMs: start, rangeEndMs: end, evalTimeMs: end, scalars: [], labels: {}, annotations: { add: () => undefined } });
}

describe('increase(metric[1m] anchored)', () => {
  it.each([
    [5, 0],
    [20, 1],
    [35, 2],
    [50, 3],
    [65, 4],
    [80, 7],
    [125, 7],
  ])('at %ds', (at, want) => expect(run(ANCHORED_KERNELS.get('increase'), at, 60, false)).toBeCloseTo(want, 9));
});

describe('increase(metric[1m] smoothed)', () => {
  it.each([
    [5, 0.333333333],
    [20, 1.333333333],
    [35, 2.333333333],
    [50, 3.333333333],
    [65, 5],
    [80, 7],
    [110, 7],
    [125, 6],
  ])('at %ds', (at, want) => expect(run(SMOOTHED_KERNELS.get('increase'), at, 60, true)).toBeCloseTo(want, 8));
});

describe('other extended kernels', () => {
  it('rate divides by the range', () => {
    expect(run(ANCHORED_KERNELS.get('rate'), 80, 60, false)).toBeCloseTo(7 / 60, 12);
  });
  it('delta does not correct resets', () => {
    expect(run(ANCHORED_KERNELS.get('delta'), 80, 60, false)).toBe(7);
  });
  it('changes/resets count from the anchor sample', () => {
    expect(run(ANCHORED_KERNELS.get('changes'), 80, 60, false)).toBe(4);
    expect(run(ANCHORED_KERNELS.get('resets'), 80, 60, false)).toBe(0);
  });
  it('nothing without a sample inside the range', () => {
    expect(run(ANCHORED_KERNELS.get('increase'), 500, 60, false)).toBeUndefined();
    expect(run(ANCHORED_KERNELS.get('changes'), 500, 60, false)).toBeUndefined();
  });
});

describe('extendWindow', () => {
  it('anchored: picks the anchor value at the start', () => {
    const w = windowFor(20_000 - 60_000 - LOOKBACK, 20_000);
    expect(extendWindow(w, -40_000, 20_000, false)).toEqual({ t: [-40_000, 0, 15_000, 20_000], v: [1, 1, 2, 2] });
  });
  it('smoothed: interpolates at both ends', () => {
    const w = windowFor(-LOOKBACK, 20_000 + LOOKBACK);
    const got = extendWindow(w, 5_000, 20_000, true);
    expect(got.t).toEqual([5_000, 15_000, 20_000]);
    expect(got.v[0]).toBeCloseTo(1 + 1 / 3, 12);
    expect(got.v[2]).toBeCloseTo(2 + 1 / 3, 12);
  });
});
