import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import { ChunkAppender, SAMPLES_PER_CHUNK, decodeChunk } from './chunk.js';
import type { Chunk } from './chunk.js';
import { HI, LO, bitsOf, wordsOf } from './float-bits.js';
import { XorAppender } from './xor-chunk.test-util.js';

const T0 = 1_700_000_000_000;

/** A deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

/** Values as raw words (so NaN payloads survive), two per value in Float64Array order. */
function wordsFrom(values: readonly number[]): Uint32Array {
  const w = new Uint32Array(values.length * 2);
  values.forEach((x, i) => {
    const [hi, lo] = bitsOf(x);
    w[2 * i + HI] = hi;
    w[2 * i + LO] = lo;
  });
  return w;
}

function encode(t: readonly number[], w: Uint32Array, a = new ChunkAppender()): Chunk {
  for (let i = 0; i < t.length; i++) a.append(t[i]!, w[2 * i + HI]!, w[2 * i + LO]!);
  return a.freeze();
}

/** Encodes, decodes and checks every timestamp and every value bit; returns the chunk. */
function roundTrip(t: readonly number[], w: Uint32Array, a?: ChunkAppender): Chunk {
  const c = encode(t, w, a);
  expect(c.count).toBe(t.length);
  expect(c.minT).toBe(t[0]);
  expect(c.maxT).toBe(t.at(-1));
  expect([c.lastHi, c.lastLo]).toEqual([w[2 * (t.length - 1) + HI], w[2 * (t.length - 1) + LO]]);
  const outT = new Float64Array(t.length + 3);
  const outW = new Uint32Array(2 * (t.length + 3));
  decodeChunk(c.bytes, c.bitLength, c.count, outT, outW, 3);
  expect(Array.from(outT.subarray(3))).toEqual(t);
  const got = Array.from(outW.subarray(6));
  const want = Array.from(w);
  if (got.join() !== want.join()) {
    const i = got.findIndex((x, k) => x !== want[k]) >> 1;
    throw new Error(`value ${i} differs: got words ${got[2 * i]},${got[2 * i + 1]}, want ${want[2 * i]},${want[2 * i + 1]}`);
  }
  return c;
}

function regular(n: number, step = 15_000): number[] {
  return Array.from({ length: n }, (_, i) => T0 + i * step);
}

function xorBytes(t: readonly number[], w: Uint32Array): number {
  const a = new XorAppender();
  for (let i = 0; i < t.length; i++) a.append(t[i]!, w[2 * i + HI]!, w[2 * i + LO]!);
  return a.freeze().bytes.length;
}

const SPECIALS = [STALE_NAN, NaN, Infinity, -Infinity, -0, 0, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53, -(2 ** 53), 2 ** 51, 2 ** 51 + 1, 1e-300, 1e300, 0.1 + 0.2];

describe('dx chunk round trip', () => {
  it.each([
    ['constant value', (i: number) => 42 + 0 * i],
    ['counter by small integers', (i: number) => i * 17 + (i % 3)],
    ['counter with resets', (i: number) => (i % 37) * 1000 + i],
    ['gauge with 3 decimals', (i: number) => Math.round(Math.sin(i) * 100_000) / 1000],
    ['scale rising within the chunk', (i: number) => 1 + 1 / 2 ** (i % 12)],
    ['negative decimals', (i: number) => -i * 0.5 - 0.25],
    ['floats that are not short decimals', (i: number) => Math.sin(i) * 1000],
    ['decimals, then other floats (XOR from there on)', (i: number) => (i < 60 ? i / 10 : i / 3)],
    ['huge integers beyond the decimal range', (i: number) => 2 ** 51 - 60 + i * 1e6],
    ['largest decimal steps', (i: number) => (i % 2 === 0 ? 2 ** 51 : -(2 ** 51))],
    ['a big jump, then small steps (window narrows)', (i: number) => (i < 5 ? i * 1e12 : 4e12 + i)],
    ['tiny values', (i: number) => i * Number.MIN_VALUE],
  ] satisfies [string, (i: number) => number][])('%s', (_name, gen) => {
    const t = regular(SAMPLES_PER_CHUNK);
    roundTrip(t, wordsFrom(t.map((_, i) => gen(i))));
  });

  it('keeps NaN payloads, the staleness marker, infinities and -0 bit for bit, between decimals too', () => {
    const values = [STALE_NAN, 1, 2, STALE_NAN, 3, -0, 3, NaN, NaN, Infinity, 2.5, -Infinity, STALE_NAN, STALE_NAN, 2.5, -0, 0, -0];
    const t = regular(values.length);
    const w = wordsFrom(values);
    // A NaN with an unusual payload and the sign bit set.
    w[2 * 7 + HI] = 0xfff80000;
    w[2 * 7 + LO] = 0xdeadbeef;
    roundTrip(t, w);
    const outT = new Float64Array(values.length);
    const outV = new Float64Array(values.length);
    const c = encode(t, w);
    decodeChunk(c.bytes, c.bitLength, c.count, outT, wordsOf(outV), 0);
    expect(isStaleNaN(outV[0]!)).toBe(true);
    expect(isStaleNaN(outV[7]!)).toBe(false);
    expect(Object.is(outV[5], -0)).toBe(true);
    expect(Object.is(outV[16], 0)).toBe(true);
    expect(outV[10]).toBe(2.5);
  });

  it.each([1, 2, 3, 7, 119, 120])('round-trips chunks of %i samples starting with every special value', (n) => {
    for (const first of SPECIALS) {
      const values = [first, ...Array.from({ length: n - 1 }, (_, i) => (i % 4 === 3 ? first : i * 0.5))];
      roundTrip(regular(n), wordsFrom(values));
    }
  });

  it('round-trips irregular timestamps in every delta-of-delta bucket, negative times included', () => {
    const gaps = [1, 15_000, 15_003, 14_990, 15_000, 60, 8_000, 80_000, 1_000, 3_000_000, 1, 2 ** 30, 7, 2 ** 40, 1, 15_000];
    const t: number[] = [];
    let tt = -5_000_000_000;
    for (let i = 0; i < SAMPLES_PER_CHUNK; i++) {
      t.push(tt);
      tt += gaps[i % gaps.length]! * (i % 5 === 0 ? 1 : 1 + (i % 3));
    }
    roundTrip(t, wordsFrom(t.map((_, i) => i)));
  });

  it('round-trips random values of every kind (property test, 300 seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * SAMPLES_PER_CHUNK);
      const t: number[] = [];
      const w = new Uint32Array(2 * n);
      let tt = Math.floor((r() - 0.5) * 2 ** 44);
      let x = Math.floor(r() * 1000);
      for (let i = 0; i < n; i++) {
        t.push(tt);
        const p = r();
        tt += r() < 0.8 ? 15_000 + Math.floor((r() - 0.5) * 20) : 1 + Math.floor(r() * 2 ** (1 + Math.floor(r() * 45)));
        let hi: number;
        let lo: number;
        if (p < 0.1) {
          // Any bit pattern: NaNs with payloads, denormals, anything.
          hi = Math.floor(r() * 2 ** 32);
          lo = Math.floor(r() * 2 ** 32);
        } else {
          if (p < 0.2) x = SPECIALS[Math.floor(r() * SPECIALS.length)]!;
          else if (p < 0.5) x = Number.isFinite(x) ? x + Math.floor((r() - 0.3) * 2 ** Math.floor(r() * 40)) : 7;
          else if (p < 0.75) x = Math.round((r() - 0.5) * 10 ** Math.floor(r() * 12)) / 10 ** Math.floor(r() * 17);
          else if (p < 0.85) x = (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
          // else: the same value again
          [hi, lo] = bitsOf(x);
        }
        w[2 * i + HI] = hi;
        w[2 * i + LO] = lo;
      }
      roundTrip(t, w);
    }
  });

  it('starts every chunk afresh when the appender is reused', () => {
    const a = new ChunkAppender();
    const t = regular(SAMPLES_PER_CHUNK);
    for (const gen of [(i: number) => i / 3, (i: number) => i * 0.25, () => STALE_NAN, (i: number) => i]) {
      roundTrip(t, wordsFrom(t.map((_, i) => gen(i))), a);
      a.reset();
    }
  });
});

describe('dx chunk size', () => {
  /** Bytes per sample of a 120-sample chunk of gen's values at a 15 s scrape interval. */
  function perSample(gen: (i: number) => number, times = regular(SAMPLES_PER_CHUNK)): { dx: number; xor: number } {
    const w = wordsFrom(times.map((_, i) => gen(i)));
    return { dx: roundTrip(times, w).bytes.length / times.length, xor: xorBytes(times, w) / times.length };
  }

  it('costs about 2 bits per sample for a constant series (plus the 17-byte header)', () => {
    expect(perSample(() => 1).dx).toBeLessThanOrEqual(0.4);
  });

  it('codes a counter by its increments, well below XOR', () => {
    const r = rng(3);
    let x = 0;
    const values = Array.from({ length: SAMPLES_PER_CHUNK }, () => (x += Math.floor(r() * 100)));
    const { dx, xor } = perSample((i) => values[i]!);
    expect(dx).toBeLessThanOrEqual(1.5);
    expect(dx).toBeLessThan(xor * 0.75);
  });

  it('codes a gauge with 3 decimals at about a quarter of XOR', () => {
    const r = rng(5);
    let x = 50;
    const values = Array.from({ length: SAMPLES_PER_CHUNK }, () => (x = Math.round((x + r() - 0.5) * 1000) / 1000));
    const { dx, xor } = perSample((i) => values[i]!);
    expect(dx).toBeLessThanOrEqual(2);
    expect(dx).toBeLessThan(xor * 0.35);
  });

  it('costs at most a few bytes per chunk more than XOR on values that are not decimals', () => {
    for (const gen of [(i: number) => Math.sin(i) * 1000, (i: number) => i / 3, (i: number) => Math.exp(i / 7)]) {
      const { dx, xor } = perSample(gen);
      expect(dx * SAMPLES_PER_CHUNK).toBeLessThanOrEqual(xor * SAMPLES_PER_CHUNK + 2);
    }
  });

  it('costs no more than XOR (plus a byte) on runs of NaN, stale markers and infinities', () => {
    for (const gen of [() => NaN, () => STALE_NAN, (i: number) => (i < 60 ? i : STALE_NAN), (i: number) => (i % 2 === 0 ? Infinity : -Infinity), (i: number) => (i === 0 ? NaN : 5)]) {
      const { dx, xor } = perSample(gen);
      expect(dx * SAMPLES_PER_CHUNK).toBeLessThanOrEqual(xor * SAMPLES_PER_CHUNK + 1);
    }
  });

  it('codes scrape jitter of a few ms in 9 bits instead of 16', () => {
    const r = rng(9);
    const times = regular(SAMPLES_PER_CHUNK).map((t) => t + Math.floor(r() * 11) - 5);
    const { dx, xor } = perSample(() => 1, times);
    // Nearly every delta-of-delta is non-zero here: 2 + 7 bits against Prometheus' 2 + 14.
    expect(dx * 8).toBeLessThan(xor * 8 - 5);
  });
});

describe('dx chunk decoding of damaged input', () => {
  it('throws a RangeError on a truncated chunk instead of inventing samples', () => {
    const t = regular(10);
    const c = encode(t, wordsFrom(t.map((_, i) => i * 1.5)));
    expect(() => decodeChunk(c.bytes.subarray(0, 17), 17 * 8, 10, new Float64Array(10), new Uint32Array(20), 0)).toThrow(RangeError);
  });

  it('never fails with anything but a RangeError on random bytes', () => {
    const r = rng(11);
    for (let k = 0; k < 500; k++) {
      const bytes = Uint8Array.from({ length: 17 + Math.floor(r() * 200) }, () => Math.floor(r() * 256));
      try {
        decodeChunk(bytes, bytes.length * 8, SAMPLES_PER_CHUNK, new Float64Array(SAMPLES_PER_CHUNK), new Uint32Array(2 * SAMPLES_PER_CHUNK), 0);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
      }
    }
  });
});
