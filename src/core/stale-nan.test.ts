import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN, writeStaleNaN } from './stale-nan.js';

describe('staleness marker', () => {
  it('survives typed arrays and plain arrays', () => {
    const fa = new Float64Array(2);
    const plain = [STALE_NAN];
    fa[0] = STALE_NAN;
    fa[1] = plain[0] as number;
    expect(isStaleNaN(fa[0])).toBe(true);
    expect(isStaleNaN(fa[1])).toBe(true);
  });
  it('writeStaleNaN writes the exact bit pattern', () => {
    const fa = new Float64Array(3);
    writeStaleNaN(fa, 1);
    const w = new Uint32Array(fa.buffer);
    expect([w[2], w[3]]).toEqual([2, 0x7ff00000]);
    expect(isStaleNaN(fa[1] as number)).toBe(true);
    expect(fa[0]).toBe(0);
  });
  it.each([NaN, 0, Infinity, -Infinity, 2, 0 / 0])('%s is not a marker', (v) => {
    expect(isStaleNaN(v)).toBe(false);
  });
});
