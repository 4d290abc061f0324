/**
 * Raw 64-bit patterns of float samples. Staleness markers are NaNs with a payload, and V8 may
 * canonicalise a NaN stored in a plain array of doubles, so the store moves values as two uint32
 * words read from and written to Float64Array memory, never as JS numbers.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Index of the low word of a float within a Uint32Array view (0 on little-endian machines). */
export const LO = LITTLE_ENDIAN ? 0 : 1;
/** Index of the high word (sign, exponent, top of the mantissa). */
export const HI = LITTLE_ENDIAN ? 1 : 0;

const SCRATCH = new Float64Array(1);
const SCRATCH_WORDS = new Uint32Array(SCRATCH.buffer);

/** A Uint32Array over the same memory as `f` (two words per float). */
export function wordsOf(f: Float64Array): Uint32Array {
  return new Uint32Array(f.buffer, f.byteOffset, f.length * 2);
}

/**
 * Reads the bits of value `i` of an append batch into `out` ([hi, lo]). An element of a
 * Float64Array copied into another Float64Array keeps its bits in V8 (only stores into plain
 * double arrays canonicalise NaNs), which the tests check for the staleness marker.
 */
export function valueBits(v: readonly number[] | Float64Array, i: number, out: Uint32Array): void {
  SCRATCH[0] = v[i] as number;
  out[0] = SCRATCH_WORDS[HI] as number;
  out[1] = SCRATCH_WORDS[LO] as number;
}

/** The float whose bits are hi:lo, for tests and diagnostics (NaN payloads may not survive). */
export function floatFromBits(hi: number, lo: number): number {
  SCRATCH_WORDS[HI] = hi;
  SCRATCH_WORDS[LO] = lo;
  return SCRATCH[0] as number;
}

/** Bits of `x` as [hi, lo], for tests and diagnostics. */
export function bitsOf(x: number): [number, number] {
  SCRATCH[0] = x;
  return [SCRATCH_WORDS[HI] as number, SCRATCH_WORDS[LO] as number];
}
