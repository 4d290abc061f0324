import { describe, expect, it } from 'vitest';
import { formatFloatF, formatGoG, quoteGoBytes } from './format.js';
import { labelsHash, xxhash64, keepForRatio } from './ratio-sampler.js';

describe('formatFloatF (strconv.FormatFloat f -1)', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [123.456, '123.456'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s -> %s', (x, s) => expect(formatFloatF(x)).toBe(s));
});

describe('formatGoG (%g)', () => {
  it.each([
    [1.1, 6, '1.1'],
    [-1.1, 6, '-1.1'],
    [1e6, 6, '1e+06'],
    [123456, 6, '123456'],
    [0.0001, 6, '0.0001'],
    [0.00001, 6, '1e-05'],
    [9.3e18, 21, '9300000000000000000'],
    [1e21, 21, '1e+21'],
    [NaN, 6, 'NaN'],
  ])('%s (threshold %s) -> %s', (x, th, s) => expect(formatGoG(x, th)).toBe(s));
});

describe('xxhash64 and label hashing', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  it.each([
    ['', 0xef46db3751d8e999n],
    ['a', 0xd24ec4f1a98c6e5bn],
    ['abc', 0x44bc2cf5ad770999n],
    ['Nobody inspects the spammish repetition', 0xfbcea83c8a378bf1n],
  ])('xxhash64(%j)', (s, h) => expect(xxhash64(enc(s))).toBe(h));

  it('hashes labels in name order regardless of key order', () => {
    expect(labelsHash({ b: '2', a: '1' })).toBe(labelsHash({ a: '1', b: '2' }));
    expect(labelsHash({ a: '1' })).not.toBe(labelsHash({ a: '2' }));
  });

  it('keeps complementary halves for r and -(1-r)', () => {
    for (const off of [0, 0.1, 0.2999, 0.31, 0.7, 0.99]) {
      expect(keepForRatio(0.3, off) !== keepForRatio(-0.7, off)).toBe(true);
    }
  });
});

describe('quoteGoBytes', () => {
  it.each([
    ['abc', '"abc"'],
    ['a\udcc5z', '"a\\xc5z"'],
    ['é"', '"é\\""'],
    ['\ud83d\ude00', '"\ud83d\ude00"'],
  ])('%j -> %s', (s, q) => expect(quoteGoBytes(s)).toBe(q));
});
