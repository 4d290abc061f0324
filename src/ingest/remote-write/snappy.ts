/**
 * Snappy block-format decoder (the framing-less format remote_write bodies use, as golang/snappy's
 * Decode reads it). Every length and offset is checked before use: a hostile body yields an error
 * naming the byte where it went wrong, never an out-of-bounds read or an oversized allocation.
 */
import type { Result } from '../../core/result.js';
import { fail, issue, ok } from '../../core/result.js';

/** Largest decompressed body accepted by default (Prometheus' receiver has no cap; Mimir's is 100 MiB). */
export const DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

const TAG_LITERAL = 0;
const TAG_COPY1 = 1;
const TAG_COPY2 = 2;

function corrupt(at: number, what: string) {
  return fail([issue('snappy_corrupt', `snappy: corrupt input at byte ${at}: ${what}`, { span: { start: at, end: at + 1 } })]);
}

/** The declared decompressed length and the size of its varint, or an error. */
export function snappyDecodedLength(src: Uint8Array): Result<{ length: number; headerBytes: number }> {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= src.length) return corrupt(i, 'truncated length varint');
    const b = src[i] as number;
    length += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (length > 0xffffffff) return corrupt(0, 'declared length exceeds 32 bits');
      return ok({ length, headerBytes: i + 1 });
    }
  }
  return corrupt(0, 'length varint longer than 5 bytes');
}

/** Decodes one snappy block, refusing a declared length above `maxBytes`. */
export function snappyDecode(src: Uint8Array, maxBytes: number = DEFAULT_MAX_DECODED_BYTES): Result<Uint8Array> {
  const header = snappyDecodedLength(src);
  if (!header.ok) return header;
  const { length, headerBytes } = header.value;
  if (length > maxBytes) {
    return fail([issue('snappy_too_large', `snappy: decoded block is too large: declared ${length} bytes, limit ${maxBytes}`)]);
  }
  const dst = new Uint8Array(length);
  let s = headerBytes;
  let d = 0;
  while (s < src.length) {
    const at = s;
    const tag = src[s] as number;
    s++;
    const kind = tag & 3;
    if (kind === TAG_LITERAL) {
      let n = tag >>> 2;
      if (n >= 60) {
        const extra = n - 59;
        if (s + extra > src.length) return corrupt(at, 'truncated literal length');
        n = 0;
        for (let k = 0; k < extra; k++) n += (src[s + k] as number) * 2 ** (8 * k);
        s += extra;
      }
      n += 1;
      if (n > src.length - s) return corrupt(at, `literal of ${n} bytes runs past the input`);
      if (n > length - d) return corrupt(at, `literal of ${n} bytes runs past the declared length ${length}`);
      dst.set(src.subarray(s, s + n), d);
      s += n;
      d += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === TAG_COPY1) {
      if (s + 1 > src.length) return corrupt(at, 'truncated copy');
      n = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | (src[s] as number);
      s += 1;
    } else if (kind === TAG_COPY2) {
      if (s + 2 > src.length) return corrupt(at, 'truncated copy');
      n = 1 + (tag >>> 2);
      offset = (src[s] as number) | ((src[s + 1] as number) << 8);
      s += 2;
    } else {
      if (s + 4 > src.length) return corrupt(at, 'truncated copy');
      n = 1 + (tag >>> 2);
      offset = ((src[s] as number) | ((src[s + 1] as number) << 8) | ((src[s + 2] as number) << 16)) + (src[s + 3] as number) * 2 ** 24;
      s += 4;
    }
    if (offset === 0) return corrupt(at, 'copy with offset 0');
    if (offset > d) return corrupt(at, `copy offset ${offset} reaches before the start of the output (${d} bytes written)`);
    if (n > length - d) return corrupt(at, `copy of ${n} bytes runs past the declared length ${length}`);
    if (offset >= n) {
      dst.copyWithin(d, d - offset, d - offset + n);
      d += n;
    } else {
      // Overlapping copy: repeats the last `offset` bytes, so it must go forward byte by byte.
      for (let k = 0; k < n; k++, d++) dst[d] = dst[d - offset] as number;
    }
  }
  if (d !== length) return corrupt(src.length, `decoded ${d} bytes but the header declared ${length}`);
  return ok(dst);
}
