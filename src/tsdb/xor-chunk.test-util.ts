/**
 * The legacy XOR chunk encoder (Prometheus' chunkenc XOR format; xor-chunk.ts decodes it), kept
 * only so tests can write the chunk records of checkpoints made before dx chunks (chunk.ts).
 */
import { BitWriter } from './bits.js';
import type { ChunkArena } from './chunk-arena.js';
import { clz64, ctz64, writeShifted } from './chunk.js';
import { XOR_DOD_BUCKETS } from './xor-chunk.js';

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
    for (const b of XOR_DOD_BUCKETS) {
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

