import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import { BitReader, BitWriter } from './bits.js';
import { HI, LO, bitsOf, wordsOf } from './float-bits.js';
import { decodeChunk } from './xor-chunk.js';
import { XorAppender } from './xor-chunk.test-util.js';

/** Encodes (t, v) through raw bits and decodes them again. */
function roundTrip(t: number[], v: Float64Array): { t: Float64Array; v: Float64Array; bytes: number } {
  const a = new XorAppender();
  const w = wordsOf(v);
  for (let i = 0; i < t.length; i++) a.append(t[i]!, w[2 * i + HI]!, w[2 * i + LO]!);
  const c = a.freeze();
  expect(c.count).toBe(t.length);
  const outT = new Float64Array(t.length);
  const outV = new Float64Array(t.length);
  decodeChunk(c.bytes, c.bitLength, c.count, outT, wordsOf(outV), 0);
  return { t: outT, v: outV, bytes: c.bytes.length };
}

function sameBits(a: Float64Array, b: Float64Array): void {
  expect(Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2))).toEqual(Array.from(new Uint32Array(b.buffer, b.byteOffset, b.length * 2)));
}

/** A deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

describe('BitWriter/BitReader', () => {
  it('round-trips mixed widths and 64-bit integers', () => {
    const w = new BitWriter(1);
    w.writeBit(true);
    w.writeBits(5, 3);
    w.writeBits(0xffffffff, 32);
    w.writeInt64(-1234567890123);
    w.writeInt64(2 ** 52 + 7);
    const r = new BitReader(w.bytes(), w.bitLength);
    expect(r.readBit()).toBe(true);
    expect(r.readBits(3)).toBe(5);
    expect(r.readBits(32)).toBe(0xffffffff);
    expect(r.readInt64()).toBe(-1234567890123);
    expect(r.readInt64()).toBe(2 ** 52 + 7);
    expect(() => r.readBit()).toThrow(RangeError);
  });
});

describe('XOR chunk', () => {
  it.each([
    ['regular scrape, constant value', (i: number) => [1_700_000_000_000 + i * 15_000, 42]],
    ['regular scrape, counter', (i: number) => [1_700_000_000_000 + i * 15_000, i * 17]],
    ['jittered scrape, gauge', (i: number) => [1_700_000_000_000 + i * 15_000 + ((i * 7919) % 13) - 6, Math.sin(i) * 1000]],
    ['negative times and values', (i: number) => [-1_000_000 + i * 1000, -i * 0.5]],
    ['large gaps (64-bit bucket)', (i: number) => [i * 2 ** 40, i]],
    ['growing gaps (all buckets)', (i: number) => [i * i * i * 50, i]],
  ] satisfies [string, (i: number) => [number, number]][])('round-trips %s', (_name, gen) => {
    const t: number[] = [];
    const v = new Float64Array(120);
    for (let i = 0; i < 120; i++) {
      const [ti, vi] = gen(i);
      t.push(ti);
      v[i] = vi;
    }
    const out = roundTrip(t, v);
    expect(Array.from(out.t)).toEqual(t);
    sameBits(out.v, v);
  });

  it('round-trips random bit patterns and timestamps with negative deltas of delta', () => {
    const r = rng(7);
    const t: number[] = [];
    const words = new Uint32Array(240);
    let tt = 0;
    for (let i = 0; i < 120; i++) {
      tt += 1 + Math.floor(r() * 1e6) * (r() < 0.1 ? 1e5 : 1);
      t.push(tt);
      words[2 * i] = Math.floor(r() * 2 ** 32);
      words[2 * i + 1] = Math.floor(r() * 2 ** 32);
    }
    const v = new Float64Array(words.buffer);
    const out = roundTrip(t, v);
    expect(Array.from(out.t)).toEqual(t);
    sameBits(out.v, v);
  });

  it('keeps NaN payloads, infinities, -0 and the staleness marker bit for bit', () => {
    const specials = [STALE_NAN, NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, Number.MAX_VALUE, STALE_NAN, 1, STALE_NAN];
    const v = new Float64Array(specials.length);
    const w = wordsOf(v);
    specials.forEach((x, i) => {
      const [hi, lo] = bitsOf(x);
      w[2 * i + HI] = hi;
      w[2 * i + LO] = lo;
    });
    const out = roundTrip(specials.map((_, i) => i * 1000), v);
    sameBits(out.v, v);
    expect(isStaleNaN(out.v[0]!)).toBe(true);
    expect(isStaleNaN(out.v[1]!)).toBe(false);
    expect(Object.is(out.v[4], -0)).toBe(true);
    expect(out.v[2]).toBe(Infinity);
  });

  it('costs at most 2 bytes per sample on regular scrapes of counters', () => {
    const t: number[] = [];
    const v = new Float64Array(120);
    for (let i = 0; i < 120; i++) {
      t.push(1_700_000_000_000 + i * 15_000);
      v[i] = 1000 + i * 3;
    }
    const { bytes } = roundTrip(t, v);
    expect(bytes / 120).toBeLessThanOrEqual(2);
  });

  it('throws on a truncated chunk instead of inventing samples', () => {
    const a = new XorAppender();
    for (let i = 0; i < 10; i++) a.append(i * 1000, 0x40000000, i);
    const c = a.freeze();
    expect(() => decodeChunk(c.bytes.subarray(0, 9), 72, 10, new Float64Array(10), new Uint32Array(20), 0)).toThrow(RangeError);
  });
});
