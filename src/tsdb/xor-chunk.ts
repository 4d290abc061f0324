/**
 * Gorilla-compressed chunks of float samples, the encoding of Prometheus' tsdb/chunkenc XOR
 * chunks (Pelkonen et al., VLDB 2015): timestamps as delta-of-delta in 1/14/17/20/64-bit buckets,
 * values as the XOR with the previous value, reusing the previous leading/trailing-zero window when
 * the new one fits inside it. Regular scrapes of slowly changing values cost 1-2 bytes per sample.
 * Values are raw 64-bit patterns (hi, lo words) so that staleness markers keep their payload.
 */
import { BitReader, BitWriter } from './bits.js';
import type { ChunkArena } from './chunk-arena.js';
import { HI, LO } from './float-bits.js';

/** Samples per chunk, as Prometheus cuts them. */
export const SAMPLES_PER_CHUNK = 120;

/** A finished, immutable chunk. */
export interface XorChunk {
  readonly bytes: Uint8Array;
  readonly bitLength: number;
  readonly count: number;
  readonly minT: number;
  readonly maxT: number;
  /** Bits of the newest value. */
  readonly lastHi: number;
  readonly lastLo: number;
}

/** Delta-of-delta buckets: width in bits and the prefix that announces it. */
const DOD_BUCKETS: ReadonlyArray<{ bits: number; prefix: number; prefixLen: number }> = [
  { bits: 14, prefix: 0b10, prefixLen: 2 },
  { bits: 17, prefix: 0b110, prefixLen: 3 },
  { bits: 20, prefix: 0b1110, prefixLen: 4 },
];

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** Appends samples to an open chunk. Callers guarantee ascending timestamps. */
export class XorAppender {
  private readonly w: BitWriter;
  count = 0;
  minT = 0;
  maxT = 0;
  private delta = 0;
  private hi = 0;
  private lo = 0;
  private leading = 0xff;
  private trailing = 0;

  constructor(initialBytes = 32) {
    this.w = new BitWriter(initialBytes);
  }

  /** Appends a sample whose value has the bit pattern hi:lo. */
  append(t: number, hi: number, lo: number): void {
    const w = this.w;
    if (this.count === 0) {
      w.writeInt64(t);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
      this.minT = t;
    } else {
      const delta = t - this.maxT;
      this.writeDod(delta - this.delta);
      this.delta = delta;
      this.writeValue(hi ^ this.hi, lo ^ this.lo);
    }
    this.maxT = t;
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    this.count++;
  }

  /** The bytes so far, shared with the appender (read before the next append). */
  view(): Uint8Array {
    return this.w.view();
  }

  get bitLength(): number {
    return this.w.bitLength;
  }

  /** Bytes allocated, for memory figures. */
  get capacity(): number {
    return this.w.capacity;
  }

  /** Starts a new chunk in the same buffer (a series reuses it for every chunk it cuts). */
  reset(): void {
    this.w.reset();
    this.count = 0;
    this.delta = 0;
    this.hi = 0;
    this.lo = 0;
    this.leading = 0xff;
    this.trailing = 0;
  }

  /** A trimmed immutable copy, in `arena` when given. */
  freeze(arena?: ChunkArena): XorChunk {
    return { bytes: arena ? arena.store(this.w.view()) : this.w.bytes(), bitLength: this.w.bitLength, count: this.count, minT: this.minT, maxT: this.maxT, lastHi: this.hi, lastLo: this.lo };
  }

  private writeDod(dod: number): void {
    const w = this.w;
    if (dod === 0) {
      w.writeBit(false);
      return;
    }
    for (const b of DOD_BUCKETS) {
      const half = 1 << (b.bits - 1);
      if (dod >= -half && dod < half) {
        w.writeBits(b.prefix, b.prefixLen);
        w.writeBits(dod & ((1 << b.bits) - 1), b.bits);
        return;
      }
    }
    w.writeBits(0b1111, 4);
    w.writeInt64(dod);
  }

  private writeValue(xhi: number, xlo: number): void {
    const w = this.w;
    xhi >>>= 0;
    xlo >>>= 0;
    if (xhi === 0 && xlo === 0) {
      w.writeBit(false);
      return;
    }
    w.writeBit(true);
    let leading = clz64(xhi, xlo);
    const trailing = ctz64(xhi, xlo);
    if (leading > 31) leading = 31; // five bits hold the count
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      w.writeBit(false);
      writeShifted(w, xhi, xlo, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const sig = 64 - leading - trailing;
    w.writeBit(true);
    w.writeBits(leading, 5);
    w.writeBits(sig & 63, 6); // 64 significant bits are written as 0
    writeShifted(w, xhi, xlo, trailing, sig);
  }
}

/** Writes `n` bits of hi:lo >> shift. */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift >= 32) {
    lo = hi >>> (shift - 32);
    hi = 0;
  } else if (shift > 0) {
    lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    hi = hi >>> shift;
  }
  w.writeBits64(hi, lo, n);
}

/**
 * Decodes `count` samples of a chunk into t[offset..] and the value words (two per sample, in
 * Float64Array word order) at the same offset. Throws RangeError on a truncated chunk.
 */
export function decodeChunk(bytes: Uint8Array, bitLength: number, count: number, t: Float64Array, words: Uint32Array, offset: number): void {
  if (count === 0) return;
  const r = new BitReader(bytes, bitLength);
  let tt = r.readInt64();
  let hi = r.readBits(32);
  let lo = r.readBits(32);
  let delta = 0;
  let leading = 0;
  let trailing = 0;
  t[offset] = tt;
  words[2 * offset + HI] = hi;
  words[2 * offset + LO] = lo;
  for (let i = 1; i < count; i++) {
    delta += readDod(r);
    tt += delta;
    if (r.readBit()) {
      if (r.readBit()) {
        leading = r.readBits(5);
        let sig = r.readBits(6);
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
      }
      const sig = 64 - leading - trailing;
      let xhi = sig > 32 ? r.readBits(sig - 32) : 0;
      let xlo = r.readBits(sig > 32 ? 32 : sig);
      if (trailing >= 32) {
        xhi = (xlo << (trailing - 32)) >>> 0;
        xlo = 0;
      } else if (trailing > 0) {
        xhi = ((xhi << trailing) | (xlo >>> (32 - trailing))) >>> 0;
        xlo = (xlo << trailing) >>> 0;
      }
      hi = (hi ^ xhi) >>> 0;
      lo = (lo ^ xlo) >>> 0;
    }
    t[offset + i] = tt;
    words[2 * (offset + i) + HI] = hi;
    words[2 * (offset + i) + LO] = lo;
  }
}

function readDod(r: BitReader): number {
  if (!r.readBit()) return 0;
  for (const b of DOD_BUCKETS) {
    if (!r.readBit()) {
      const v = r.readBits(b.bits);
      return v >= 1 << (b.bits - 1) ? v - (1 << b.bits) : v;
    }
  }
  return r.readInt64();
}
