/**
 * The WAL's record format. Each record is framed as [payload length u32][CRC32 of payload u32]
 * [payload], big-endian; the payload's first byte is its type. Like Prometheus' tsdb/record,
 * series records carry an id and labels, sample records carry (id, t, value) with the value's
 * raw 64 bits; checkpoints add chunk records so that compressed chunks are not re-encoded. Chunk
 * records name their encoding by type: 3 for Prometheus' XOR chunks (what checkpoints held before
 * the dx encoding of chunk.ts; still read, and transcoded on replay), 4 for dx chunks.
 */
import * as zlib from 'node:zlib';
import type { Labels } from '../core/labels.js';
import { HI, LO } from './float-bits.js';

/** Record types (payload byte 0). */
export const RecordType = { series: 1, samples: 2, chunk: 3, chunkDx: 4 } as const;

/** How a chunk record's bytes are encoded: xor-chunk.ts (legacy) or chunk.ts. */
export type ChunkEncoding = 'xor' | 'dx';

const FRAME = 8;
const SAMPLE_BYTES = 20;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

// zlib's CRC-32 is the same IEEE polynomial, native and many times faster (Node >= 20.15).
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
/** Below this many bytes the JS loop beats the call into native code. */
const NATIVE_CRC_MIN = 64;

/** CRC-32 (IEEE) of `bytes[from, to)`. */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  if (nativeCrc32 && to - from >= NATIVE_CRC_MIN) return nativeCrc32(bytes.subarray(from, to)) >>> 0;
  return crc32Js(bytes, from, to);
}

/** The table-driven CRC-32, for short payloads and runtimes without zlib.crc32. */
export function crc32Js(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encodes records into one growing buffer, so a checkpoint of a large head allocates a handful of
 * buffers instead of one per record (many small ArrayBuffers make V8 collect garbage often).
 */
export class RecordBuffer {
  private buf: Uint8Array;
  private dv: DataView;
  /** Bytes used. */
  length = 0;
  private start = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
    this.dv = new DataView(this.buf.buffer);
  }

  /** A series record: the id the WAL uses for `labels` from now on. */
  series(id: number, labels: Labels): this {
    const p = this.begin(RecordType.series, 8);
    this.dv.setUint32(p, id);
    let n = 0;
    for (const name in labels) {
      this.string(name);
      this.string(labels[name] as string);
      n++;
    }
    this.dv.setUint32(p + 4, n);
    return this.end();
  }

  /** A samples record; `hi`/`lo` are the value bits. */
  samples(ids: ArrayLike<number>, t: ArrayLike<number>, hi: ArrayLike<number>, lo: ArrayLike<number>, n: number): this {
    let o = this.begin(RecordType.samples, 4 + n * SAMPLE_BYTES);
    const dv = this.dv;
    dv.setUint32(o, n);
    o += 4;
    for (let i = 0; i < n; i++, o += SAMPLE_BYTES) {
      dv.setUint32(o, ids[i] as number);
      dv.setFloat64(o + 4, t[i] as number);
      dv.setUint32(o + 12, hi[i] as number);
      dv.setUint32(o + 16, lo[i] as number);
    }
    return this.end();
  }

  /** A samples record of one series; `words` holds the values' bits (two words per value). */
  seriesSamples(id: number, t: Float64Array, words: Uint32Array): this {
    const n = t.length;
    let o = this.begin(RecordType.samples, 4 + n * SAMPLE_BYTES);
    const dv = this.dv;
    dv.setUint32(o, n);
    o += 4;
    for (let i = 0; i < n; i++, o += SAMPLE_BYTES) {
      dv.setUint32(o, id);
      dv.setFloat64(o + 4, t[i] as number);
      dv.setUint32(o + 12, words[2 * i + HI] as number);
      dv.setUint32(o + 16, words[2 * i + LO] as number);
    }
    return this.end();
  }

  /** A chunk record (checkpoints only), of type 3 or 4 by its encoding. */
  chunk(c: ChunkRecord): this {
    const o = this.begin(c.encoding === 'xor' ? RecordType.chunk : RecordType.chunkDx, 36 + c.bytes.length);
    const dv = this.dv;
    dv.setUint32(o, c.id);
    dv.setFloat64(o + 4, c.minT);
    dv.setFloat64(o + 12, c.maxT);
    dv.setUint32(o + 20, c.count);
    dv.setUint32(o + 24, c.bitLength);
    dv.setUint32(o + 28, c.lastHi);
    dv.setUint32(o + 32, c.lastLo);
    this.buf.set(c.bytes, o + 36);
    return this.end();
  }

  /** The records so far (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** A copy of the records so far; the buffer is then emptied for reuse. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }

  /** Starts a record of `type` with `fixed` payload bytes after the type byte; returns their offset. */
  private begin(type: number, fixed: number): number {
    this.start = this.length;
    this.ensure(FRAME + 1 + fixed);
    this.buf[this.start + FRAME] = type;
    this.length = this.start + FRAME + 1 + fixed;
    return this.start + FRAME + 1;
  }

  private end(): this {
    const payload = this.start + FRAME;
    this.dv.setUint32(this.start, this.length - payload);
    this.dv.setUint32(this.start + 4, crc32(this.buf, payload, this.length));
    return this;
  }

  private string(s: string): void {
    this.ensure(4 + s.length * 3);
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.length + 4));
    this.dv.setUint32(this.length, written);
    this.length += 4 + written;
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.length + n, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
}

/** One series record on its own. */
export function encodeSeries(id: number, labels: Labels): Uint8Array {
  return new RecordBuffer().series(id, labels).bytes();
}

/** One samples record on its own. */
export function encodeSamples(ids: ArrayLike<number>, t: ArrayLike<number>, hi: ArrayLike<number>, lo: ArrayLike<number>, n: number): Uint8Array {
  return new RecordBuffer().samples(ids, t, hi, lo, n).bytes();
}

/** A finished chunk of series `id` with the bits of its last value. */
export interface ChunkRecord {
  readonly encoding: ChunkEncoding;
  readonly id: number;
  readonly minT: number;
  readonly maxT: number;
  readonly count: number;
  readonly bitLength: number;
  readonly lastHi: number;
  readonly lastLo: number;
  readonly bytes: Uint8Array;
}

/** One chunk record on its own. */
export function encodeChunk(c: ChunkRecord): Uint8Array {
  return new RecordBuffer().chunk(c).bytes();
}

/** What a reader does with each decoded record. */
export interface RecordVisitor {
  series(id: number, labels: Labels): void;
  /** One sample; hi/lo are the raw value bits. */
  sample(id: number, t: number, hi: number, lo: number): void;
  /** A chunk; `c.bytes` is a view into the read buffer, to be copied when kept. */
  chunk(c: ChunkRecord): void;
}

/** Where reading stopped early: a torn or corrupt record at `offset`. */
export interface ReadStop {
  readonly offset: number;
  readonly reason: string;
}

/** Decodes records from `bytes` in order; stops at the first torn or corrupt record. */
export function readRecords(bytes: Uint8Array, visit: RecordVisitor): ReadStop | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let o = 0;
  while (o < bytes.length) {
    if (o + FRAME > bytes.length) return { offset: o, reason: 'torn record header' };
    const len = dv.getUint32(o);
    const end = o + FRAME + len;
    if (len === 0 || end > bytes.length) return { offset: o, reason: `torn record (${len} bytes announced, ${bytes.length - o - FRAME} present)` };
    if (crc32(bytes, o + FRAME, end) !== dv.getUint32(o + 4)) return { offset: o, reason: 'checksum mismatch' };
    const bad = decodePayload(bytes.subarray(o + FRAME, end), visit);
    if (bad) return { offset: o, reason: bad };
    o = end;
  }
  return undefined;
}

function decodePayload(p: Uint8Array, visit: RecordVisitor): string | undefined {
  const dv = new DataView(p.buffer, p.byteOffset, p.length);
  try {
    switch (p[0]) {
      case RecordType.series: {
        const labels: Record<string, string> = {};
        const n = dv.getUint32(5);
        let o = 9;
        for (let i = 0; i < n; i++) {
          const a = dv.getUint32(o);
          const name = fromUtf8.decode(p.subarray(o + 4, o + 4 + a));
          o += 4 + a;
          const b = dv.getUint32(o);
          labels[name] = fromUtf8.decode(p.subarray(o + 4, o + 4 + b));
          o += 4 + b;
        }
        if (o !== p.length) return 'series record length mismatch';
        visit.series(dv.getUint32(1), labels);
        return undefined;
      }
      case RecordType.samples: {
        const n = dv.getUint32(1);
        if (p.length !== 5 + n * SAMPLE_BYTES) return 'samples record length mismatch';
        for (let i = 0, o = 5; i < n; i++, o += SAMPLE_BYTES) visit.sample(dv.getUint32(o), dv.getFloat64(o + 4), dv.getUint32(o + 12), dv.getUint32(o + 16));
        return undefined;
      }
      case RecordType.chunk:
      case RecordType.chunkDx:
        if (p.length < 37) return 'chunk record too short';
        visit.chunk({
          encoding: p[0] === RecordType.chunk ? 'xor' : 'dx',
          id: dv.getUint32(1), minT: dv.getFloat64(5), maxT: dv.getFloat64(13), count: dv.getUint32(21),
          bitLength: dv.getUint32(25), lastHi: dv.getUint32(29), lastLo: dv.getUint32(33), bytes: p.subarray(37),
        });
        return undefined;
      default:
        return `unknown record type ${p[0]}`;
    }
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
