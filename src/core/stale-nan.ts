/**
 * Prometheus' staleness marker: a NaN with payload 2 (value.StaleNaN, bits 0x7ff0000000000002).
 * V8 may set the quiet bit when the number passes through a JS value, so the check looks only at
 * the NaN-ness and the low payload word.
 */
const SCRATCH = new Float64Array(1);
const WORDS = new Uint32Array(SCRATCH.buffer);

function makeStaleNaN(): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setUint32(0, 0x7ff00000);
  b.setUint32(4, 2);
  return b.getFloat64(0);
}

/** The staleness marker value, to be written into sample arrays. */
export const STALE_NAN: number = makeStaleNaN();

/** True when `v` is a staleness marker (not an ordinary NaN). */
export function isStaleNaN(v: number): boolean {
  if (v === v) return false;
  SCRATCH[0] = v;
  return WORDS[0] === 2 && ((WORDS[1] ?? 0) & 0x7ff00000) === 0x7ff00000;
}

/**
 * Writes a staleness marker into `arr[i]` bit by bit. Use this rather than `arr[i] = STALE_NAN`
 * where the value may have passed through optimised code or an ordinary array, which V8 is free
 * to canonicalise to a plain NaN.
 */
export function writeStaleNaN(arr: Float64Array, i: number): void {
  const words = new Uint32Array(arr.buffer, arr.byteOffset + i * 8, 2);
  words[0] = 2;
  words[1] = 0x7ff00000;
}
