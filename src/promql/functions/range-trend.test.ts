import { describe, expect, it } from 'vitest';
import { PromQLQueryError } from '../api.js';
import { deriv, doubleExponentialSmoothing, predictLinear } from './range-trend.js';
import { series, window } from './test-helpers.js';

// testcounter_reset_middle_total 0+10x4 0+10x5 and http_requests_total 0+80x10, 5m apart
// (upstream functions.test, "Tests for deriv() and predict_linear()").
const RESET_MIDDLE = [...series(0, 10, 4), ...series(0, 10, 5)];

describe('deriv', () => {
  it.each([
    ['0+80x10 over 50m', series(0, 80, 10), 3000, 3000, 0.26666666666666666],
    ['reset in the middle over 100m', RESET_MIDDLE, 3000, 6000, 0.010606060606060607],
  ])('%s', (_n, values, endS, rangeS, want) => {
    const { w, ctx } = window(values, 300, endS, rangeS);
    expect(deriv(w, ctx)).toBe(want);
  });

  it('NaN with an infinite value, 0 for a constant', () => {
    const inf = window([1, Infinity, 3], 300, 600, 900);
    expect(deriv(inf.w, inf.ctx)).toBeNaN();
    const flat = window([4, 4, 4], 300, 600, 900);
    expect(deriv(flat.w, flat.ctx)).toBe(0);
  });

  it('needs two samples', () => {
    const { w, ctx } = window([1], 300, 0, 300);
    expect(deriv(w, ctx)).toBeUndefined();
  });
});

describe('predict_linear', () => {
  it.each([
    ['at 50m over 50m', 3000, 3000, 3000, 3600, 70],
    ['@ 3000 evaluated at 50m', 3000, 3300, 3000, 3600, 76.81818181818181],
    ['@ 3000 evaluated at 10m', 3000, 3300, 600, 3600, 51.36363636363637],
    ['@ 3000 evaluated at 70m', 3000, 3300, 4200, 3600, 89.54545454545455],
  ])('%s', (_n, endS, rangeS, evalS, duration, want) => {
    const { w, ctx } = window(RESET_MIDDLE, 300, endS, rangeS);
    expect(predictLinear(w, { ...ctx, evalTimeMs: evalS * 1000, scalars: [duration] })).toBeCloseTo(want, 10);
  });
});

describe('double_exponential_smoothing', () => {
  it('smooths a linear series onto its line', () => {
    const { w, ctx } = window(series(0, 10, 10), 300, 3000, 3000);
    expect(doubleExponentialSmoothing(w, { ...ctx, scalars: [0.5, 0.5] })).toBeCloseTo(100, 9);
  });

  it('computes the upstream recurrence', () => {
    // s1=1, b=2; i=1: x=.5*3, b=2, y=.5*(1+2) -> s1=3; i=2: b=.5*(3-1)+.5*2=2, x=.5*4, y=.5*(3+2) -> 4.5
    const { w, ctx } = window([1, 3, 4], 10, 20, 30);
    expect(doubleExponentialSmoothing(w, { ...ctx, scalars: [0.5, 0.5] })).toBe(4.5);
  });

  it.each([
    [[0, 0.5], 'invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000'],
    [[1, 0.5], 'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000'],
    [[0.5, 1.5], 'invalid trend factor. Expected: 0 < tf < 1, got: 1.500000'],
  ])('fails the query for factors %j', (scalars, msg) => {
    const { w, ctx } = window([1, 2, 3], 10, 20, 30);
    let thrown: unknown;
    try {
      doubleExponentialSmoothing(w, { ...ctx, scalars });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PromQLQueryError);
    expect((thrown as PromQLQueryError).message).toBe(msg);
    expect((thrown as PromQLQueryError).type).toBe('execution');
  });

  it('needs two samples', () => {
    const { w, ctx } = window([1], 10, 0, 10);
    expect(doubleExponentialSmoothing(w, { ...ctx, scalars: [0.5, 0.5] })).toBeUndefined();
  });
});
