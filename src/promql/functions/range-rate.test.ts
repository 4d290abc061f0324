import { describe, expect, it } from 'vitest';
import { delta, idelta, increase, irate, rangeSeconds, rate } from './range-rate.js';
import { series, window } from './test-helpers.js';

// Expected values from upstream promqltest functions.test (load 5m, eval at 50m).
describe('increase', () => {
  it.each([
    ['0+10x10 over 50m', series(0, 10, 10), 3000, 100],
    ['0+18x5 0+18x5 over 50m', [...series(0, 18, 5), ...series(0, 18, 5)], 3000, 160],
    ['10+10x10 over 50m', series(10, 10, 10), 3000, 100],
    ['0+18x5 0+18x5 over 100m', [...series(0, 18, 5), ...series(0, 18, 5)], 6000, 162],
    ['10+10x10 over 100m (zero point beyond half interval)', series(10, 10, 10), 6000, 105],
    ['1+10x10 over 100m (zero point limits extrapolation)', series(1, 10, 10), 6000, 101],
  ])('%s', (_name, values, rangeS, want) => {
    const { w, ctx } = window(values, 300, 3000, rangeS);
    expect(increase(w, ctx)).toBeCloseTo(want, 9);
  });

  it('needs two samples', () => {
    const { w, ctx } = window([5], 300, 3000, 300, 3000);
    expect(increase(w, ctx)).toBeUndefined();
  });
});

describe('rate', () => {
  it('is increase per second of the range', () => {
    const { w, ctx } = window(series(0, 10, 10), 300, 3000, 3000);
    expect(rate(w, ctx)).toBeCloseTo(100 / 3000, 12);
  });

  it.each([
    ['m_total', 0],
    ['m_sum', 0],
    ['m_count', 0],
    ['m_bucket', 0],
    ['m', 1],
  ])('non-counter info for %s', (name, count) => {
    const { w, ctx, annotations } = window(series(0, 10, 10), 300, 3000, 3000);
    rate(w, { ...ctx, labels: { __name__: name } });
    expect(annotations).toHaveLength(count);
    if (count > 0) {
      expect(annotations[0]).toEqual({
        level: 'info',
        message: 'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "m"',
      });
    }
  });

  it('no info without a name or without output', () => {
    const a = window(series(0, 10, 10), 300, 3000, 3000);
    rate(a.w, { ...a.ctx, labels: {} });
    expect(a.annotations).toHaveLength(0);
    const b = window([1], 300, 3000, 300, 3000);
    expect(rate(b.w, { ...b.ctx, labels: { __name__: 'x' } })).toBeUndefined();
    expect(b.annotations).toHaveLength(0);
  });
});

describe('delta', () => {
  it('does not correct resets and extrapolates below zero', () => {
    // 10 5 at 0s/60s in (-60s, 60s]: the 60s gap to the start is within 1.1x the interval,
    // so the full window is covered: (5-10) * (60+60+0)/60.
    const { w, ctx } = window([10, 5], 60, 60, 120);
    expect(delta(w, ctx)).toBe(-10);
    // In (-120s, 60s] the gap (120s) exceeds 1.1x, so only half an interval is added: -5 * 90/60.
    const far = window([10, 5], 60, 60, 180);
    expect(delta(far.w, far.ctx)).toBe(-7.5);
  });
});

describe('irate / idelta', () => {
  it.each([
    ['irate increasing', irate, [1, 2, 4], 2 / 60],
    ['irate reset uses last value', irate, [5, 10, 3], 3 / 60],
    ['idelta', idelta, [5, 10, 3], -7],
  ] as const)('%s', (_n, k, values, want) => {
    const { w, ctx } = window(values, 60, 120, 180);
    expect(k(w, ctx)).toBeCloseTo(want, 12);
  });

  it('needs two samples with distinct times', () => {
    const { w, ctx } = window([1], 60, 0, 60);
    expect(irate(w, ctx)).toBeUndefined();
    const same = { t: Float64Array.from([1000, 1000]), v: Float64Array.from([1, 2]), from: 0, to: 2 };
    expect(idelta(same, ctx)).toBeUndefined();
  });
});

describe('rangeSeconds', () => {
  it.each([
    [300000, 300],
    [1500, 1.5],
    [100, 0.1],
  ])('%d ms', (ms, s) => expect(rangeSeconds(ms)).toBe(s));
});
