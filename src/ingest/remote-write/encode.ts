/**
 * The sending side of remote_write 1.0: a `prometheus.WriteRequest` protobuf encoder
 * (prompb/remote.proto, types.proto) and a snappy block-format compressor (the framing-less
 * format golang/snappy's Encode writes, with back-references found through a hash table).
 * Sample values are copied byte for byte out of a Float64Array, so NaN payloads such as the
 * staleness marker reach the wire with their exact bits.
 */
import type { Labels } from '../../core/labels.js';
import { sortedNames } from '../../core/labels.js';

/** One series to send: labels (written sorted by name, as the spec requires) and its samples in order. */
export interface EncodableSeries {
  readonly labels: Labels;
  /** Timestamps in ms since the epoch (integers). */
  readonly t: ArrayLike<number>;
  /** Values, one per timestamp. A Float64Array, so NaN payloads are kept. */
  readonly v: Float64Array;
}

const UTF8 = new TextEncoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Field keys (field number << 3 | wire type).
const KEY_TIMESERIES = 0x0a; // WriteRequest.timeseries = 1, LEN
const KEY_LABELS = 0x0a; // TimeSeries.labels = 1, LEN
const KEY_SAMPLES = 0x12; // TimeSeries.samples = 2, LEN
const KEY_NAME = 0x0a; // Label.name = 1, LEN
const KEY_VALUE = 0x12; // Label.value = 2, LEN
const KEY_SAMPLE_VALUE = 0x09; // Sample.value = 1, I64
const KEY_SAMPLE_TIMESTAMP = 0x10; // Sample.timestamp = 2, VARINT

function varintSize(n: number): number {
  if (n < 0) return 10; // int64 two's complement
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function putVarint(buf: Uint8Array, pos: number, n: number): number {
  if (n < 0) {
    let v = BigInt.asUintN(64, BigInt(n));
    while (v > 127n) {
      buf[pos++] = Number(v & 127n) | 128;
      v >>= 7n;
    }
    buf[pos++] = Number(v);
    return pos;
  }
  while (n >= 128) {
    buf[pos++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

interface PreparedSeries {
  readonly names: Uint8Array[];
  readonly values: Uint8Array[];
  readonly labelSizes: number[];
  readonly sampleSizes: number[];
  readonly t: ArrayLike<number>;
  readonly v: Uint8Array;
  readonly size: number;
}

function prepare(s: EncodableSeries, where: number): PreparedSeries {
  if (s.t.length !== s.v.length) throw new RangeError(`series ${where}: ${s.t.length} timestamps but ${s.v.length} values`);
  const names: Uint8Array[] = [];
  const values: Uint8Array[] = [];
  const labelSizes: number[] = [];
  const sampleSizes: number[] = [];
  let size = 0;
  for (const name of sortedNames(s.labels)) {
    const n = UTF8.encode(name);
    const v = UTF8.encode(s.labels[name]);
    const inner = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
    names.push(n);
    values.push(v);
    labelSizes.push(inner);
    size += 1 + varintSize(inner) + inner;
  }
  for (let i = 0; i < s.t.length; i++) {
    const t = s.t[i] as number;
    if (!Number.isSafeInteger(t)) throw new RangeError(`series ${where}: timestamp ${t} is not an integer number of milliseconds`);
    const inner = 9 + 1 + varintSize(t);
    sampleSizes.push(inner);
    size += 1 + varintSize(inner) + inner;
  }
  return { names, values, labelSizes, sampleSizes, t: s.t, v: new Uint8Array(s.v.buffer, s.v.byteOffset, s.v.byteLength), size };
}

function writeBytes(buf: Uint8Array, pos: number, key: number, bytes: Uint8Array): number {
  buf[pos++] = key;
  pos = putVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** The protobuf bytes of a WriteRequest holding `series` (uncompressed). Throws RangeError for a bad series. */
export function encodeWriteRequest(series: readonly EncodableSeries[]): Uint8Array {
  const prepared = series.map(prepare);
  let total = 0;
  for (const p of prepared) total += 1 + varintSize(p.size) + p.size;
  const buf = new Uint8Array(total);
  let pos = 0;
  for (const p of prepared) {
    buf[pos++] = KEY_TIMESERIES;
    pos = putVarint(buf, pos, p.size);
    for (let i = 0; i < p.names.length; i++) {
      buf[pos++] = KEY_LABELS;
      pos = putVarint(buf, pos, p.labelSizes[i] as number);
      pos = writeBytes(buf, pos, KEY_NAME, p.names[i] as Uint8Array);
      pos = writeBytes(buf, pos, KEY_VALUE, p.values[i] as Uint8Array);
    }
    for (let i = 0; i < p.sampleSizes.length; i++) {
      buf[pos++] = KEY_SAMPLES;
      pos = putVarint(buf, pos, p.sampleSizes[i] as number);
      buf[pos++] = KEY_SAMPLE_VALUE;
      // fixed64 is little-endian on the wire; the Float64Array holds the platform's order.
      for (let b = 0; b < 8; b++) buf[pos + b] = p.v[i * 8 + (LITTLE_ENDIAN ? b : 7 - b)] as number;
      pos += 8;
      buf[pos++] = KEY_SAMPLE_TIMESTAMP;
      pos = putVarint(buf, pos, p.t[i] as number);
    }
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Snappy

/** golang/snappy compresses in independent blocks of this size, so copy offsets fit two bytes. */
const MAX_BLOCK_SIZE = 65536;
/** Blocks shorter than this are written as one literal (too short to hold a match worth emitting). */
const MIN_NON_LITERAL_BLOCK_SIZE = 17;
const TABLE_BITS = 14;

/** Upper bound of the compressed size of `n` bytes (golang/snappy MaxEncodedLen). */
export function snappyMaxEncodedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

function load32(src: Uint8Array, i: number): number {
  return ((src[i] as number) | ((src[i + 1] as number) << 8) | ((src[i + 2] as number) << 16) | ((src[i + 3] as number) << 24)) >>> 0;
}

function hash(u: number): number {
  return Math.imul(u, 0x1e35a7bd) >>> (32 - TABLE_BITS);
}

function emitLiteral(dst: Uint8Array, d: number, src: Uint8Array, from: number, to: number): number {
  const n = to - from - 1;
  if (n < 60) dst[d++] = n << 2;
  else if (n < 1 << 8) {
    dst[d++] = 60 << 2;
    dst[d++] = n;
  } else {
    // Blocks are at most 64 KiB, so two length bytes always suffice.
    dst[d++] = 61 << 2;
    dst[d++] = n & 0xff;
    dst[d++] = n >>> 8;
  }
  dst.set(src.subarray(from, to), d);
  return d + (to - from);
}

function emitCopy2(dst: Uint8Array, d: number, offset: number, length: number): number {
  dst[d++] = 2 | ((length - 1) << 2);
  dst[d++] = offset & 0xff;
  dst[d++] = offset >>> 8;
  return d;
}

/** A back-reference of `length` (>= 4) bytes at `offset` (< 65536), split into elements of at most 64 bytes. */
function emitCopy(dst: Uint8Array, d: number, offset: number, length: number): number {
  while (length >= 68) {
    d = emitCopy2(dst, d, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    // Leaves at least 4 bytes, the shortest a 1-byte-offset copy can express.
    d = emitCopy2(dst, d, offset, 60);
    length -= 60;
  }
  if (length >= 12 || offset >= 2048) return emitCopy2(dst, d, offset, length);
  dst[d++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
  dst[d++] = offset & 0xff;
  return d;
}

/** Greedy matching of 4-byte sequences within one block; lookups skip ahead faster through incompressible data. */
function encodeBlock(dst: Uint8Array, d: number, src: Uint8Array, start: number, end: number, table: Int32Array): number {
  table.fill(-1);
  const last = end - 4;
  let lit = start;
  let i = start;
  let misses = 32;
  while (i <= last) {
    const cur = load32(src, i);
    const h = hash(cur);
    const cand = table[h] as number;
    table[h] = i;
    if (cand >= start && load32(src, cand) === cur) {
      let m = 4;
      while (i + m < end && src[cand + m] === src[i + m]) m++;
      if (lit < i) d = emitLiteral(dst, d, src, lit, i);
      d = emitCopy(dst, d, i - cand, m);
      i += m;
      lit = i;
      misses = 32;
      if (i - 1 <= last) table[hash(load32(src, i - 1))] = i - 1;
      continue;
    }
    i += misses >>> 5;
    misses++;
  }
  return lit < end ? emitLiteral(dst, d, src, lit, end) : d;
}

/** Compresses `src` into one snappy block (what remote_write bodies carry). */
export function snappyEncode(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(snappyMaxEncodedLength(src.length));
  let d = putVarint(dst, 0, src.length);
  const table = new Int32Array(1 << TABLE_BITS);
  for (let start = 0; start < src.length; start += MAX_BLOCK_SIZE) {
    const end = Math.min(start + MAX_BLOCK_SIZE, src.length);
    d = end - start < MIN_NON_LITERAL_BLOCK_SIZE ? emitLiteral(dst, d, src, start, end) : encodeBlock(dst, d, src, start, end, table);
  }
  return dst.slice(0, d);
}
