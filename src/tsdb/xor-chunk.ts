/**
 * Gorilla-compressed chunks of float samples, the encoding of Prometheus' tsdb/chunkenc XOR
 * chunks (Pelkonen et al., VLDB 2015): timestamps as delta-of-delta in 1/14/17/20/64-bit buckets,
 * values as the XOR with the previous value, reusing the previous leading/trailing-zero window when
 * the new one fits inside it. Values are raw 64-bit patterns (hi, lo words) so that staleness
 * markers keep their payload.
 * Legacy: the head now cuts dx chunks (chunk.ts, about half the bytes); this encoding stays to read
 * the XOR chunk records of checkpoints written before, which replay re-encodes. Only the decoder is
 * here; the encoder that writes such chunks for tests is xor-chunk.test-util.ts.
 */
import { BitReader } from './bits.js';
import { HI, LO } from './float-bits.js';

/** Delta-of-delta buckets: width in bits and the prefix that announces it. */
export const XOR_DOD_BUCKETS: ReadonlyArray<{ bits: number; prefix: number; prefixLen: number }> = [
  { bits: 14, prefix: 0b10, prefixLen: 2 },
  { bits: 17, prefix: 0b110, prefixLen: 3 },
  { bits: 20, prefix: 0b1110, prefixLen: 4 },
];

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
  for (const b of XOR_DOD_BUCKETS) {
    if (!r.readBit()) {
      const v = r.readBits(b.bits);
      return v >= 1 << (b.bits - 1) ? v - (1 << b.bits) : v;
    }
  }
  return r.readInt64();
}
