import { describe, expect, it } from 'vitest';
import { goAcos, goAsin, goAtan, goCos, goSin, goTan } from './go-trig.js';

// Exact outputs of Prometheus (Go math on amd64) from upstream trig_functions.test.
describe('Go trigonometry, bit for bit', () => {
  it.each([
    ['sin', goSin, 10, -0.5440211108893699],
    ['sin', goSin, 20, 0.9129452507276277],
    ['cos', goCos, 10, -0.8390715290764524],
    ['cos', goCos, 20, 0.40808206181339196],
    ['tan', goTan, 10, 0.6483608274590867],
    ['tan', goTan, 20, 2.2371609442247427],
    ['asin', goAsin, 10 - 10.1, -0.10016742116155944],
    ['acos', goAcos, 10 - 10.1, 1.670963747956456],
    ['atan', goAtan, 10, 1.4711276743037345],
    ['atan', goAtan, 20, 1.5208379310729538],
  ] as const)('%s(%d)', (_n, f, x, want) => expect(f(x)).toBe(want));

  it.each([
    ['sin', goSin, Math.sin],
    ['cos', goCos, Math.cos],
    ['tan', goTan, Math.tan],
    ['asin', goAsin, Math.asin],
    ['acos', goAcos, Math.acos],
    ['atan', goAtan, Math.atan],
  ] as const)('%s agrees with Math within 2 ulp over a sweep', (_n, f, ref) => {
    for (let x = -7; x <= 7; x += 0.0137) {
      const arg = _n === 'asin' || _n === 'acos' ? x / 7 : x;
      const a = f(arg);
      const b = ref(arg);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(4.5e-16 * Math.max(1, Math.abs(b)));
    }
  });

  it.each([
    ['sin', goSin, [0, -0, NaN, Infinity], [0, -0, NaN, NaN]],
    ['cos', goCos, [0, NaN, -Infinity], [1, NaN, NaN]],
    ['tan', goTan, [-0, Infinity], [-0, NaN]],
    ['asin', goAsin, [-0, 1.5, NaN], [-0, NaN, NaN]],
    ['atan', goAtan, [Infinity, -Infinity, NaN], [Math.PI / 2, -Math.PI / 2, NaN]],
  ] as const)('%s special cases', (_n, f, xs, wants) => {
    xs.forEach((x, i) => expect(f(x)).toBe(wants[i]));
  });

  it('falls back to Math for huge arguments', () => {
    expect(goSin(1e300)).toBe(Math.sin(1e300));
  });
});
