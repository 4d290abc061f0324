/** Test helpers: a tiny protobuf writer and snappy encoders (literal-only from rw-blast.mjs, and hand-made copies). */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';

export type Bytes = number[];

export function varint(n: number | bigint, out: Bytes = []): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  while (v > 127n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function tag(field: number, wireType: number): Bytes {
  return varint(field * 8 + wireType);
}

export function lenField(field: number, body: Bytes | Uint8Array): Bytes {
  return [...tag(field, 2), ...varint(body.length), ...body];
}

export function strField(field: number, s: string): Bytes {
  return lenField(field, new TextEncoder().encode(s));
}

/** A double from its 64 bits, little-endian as protobuf's fixed64. */
export function doubleBits(field: number, hi: number, lo: number): Bytes {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setUint32(0, lo, true);
  dv.setUint32(4, hi, true);
  return [...tag(field, 1), ...new Uint8Array(dv.buffer)];
}

export function doubleField(field: number, v: number): Bytes {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v, true);
  return [...tag(field, 1), ...new Uint8Array(dv.buffer)];
}

export function label(name: string, value: string): Bytes {
  return lenField(1, [...strField(1, name), ...strField(2, value)]);
}

/** `'stale'` writes the staleness marker's exact bits (a JS number may lose the NaN payload). */
export function sample(v: number | 'stale', t: number | bigint): Bytes {
  const value = v === 'stale' ? doubleBits(1, 0x7ff00000, 2) : doubleField(1, v);
  return lenField(2, [...value, ...tag(2, 0), ...varint(t)]);
}

export interface SeriesSpec {
  readonly labels: ReadonlyArray<readonly [string, string]>;
  readonly samples: ReadonlyArray<readonly [number | 'stale', number]>;
}

export function timeseries(s: SeriesSpec): Bytes {
  const body: Bytes = [];
  for (const [n, v] of s.labels) body.push(...label(n, v));
  for (const [v, t] of s.samples) body.push(...sample(v, t));
  return lenField(1, body);
}

export function writeRequest(series: readonly SeriesSpec[]): Uint8Array {
  return Uint8Array.from(series.flatMap(timeseries));
}

/** rw-blast.mjs' literal-only snappy encoder, read from the peer benchmark at test time. */
export function blastCompress(): (b: Buffer) => Buffer {
  const src = readFileSync('/work/shared/bench/rw-blast.mjs', 'utf8');
  const m = /function compressSync\(buf\) \{[\s\S]*?\n\}/.exec(src);
  if (!m) throw new Error('compressSync not found in rw-blast.mjs');
  return runInNewContext(`${m[0]}; compressSync`, { Buffer }) as (b: Buffer) => Buffer;
}

/** Snappy elements, for hand-built blocks. */
export function literal(bytes: Bytes): Bytes {
  const n = bytes.length - 1;
  if (n < 60) return [n << 2, ...bytes];
  if (n < 256) return [60 << 2, n, ...bytes];
  return [61 << 2, n & 255, n >> 8, ...bytes];
}
export function copy1(len: number, offset: number): Bytes {
  return [1 | ((len - 4) << 2) | ((offset >> 8) << 5), offset & 255];
}
export function copy2(len: number, offset: number): Bytes {
  return [2 | ((len - 1) << 2), offset & 255, offset >> 8];
}
export function copy4(len: number, offset: number): Bytes {
  return [3 | ((len - 1) << 2), offset & 255, (offset >> 8) & 255, (offset >> 16) & 255, (offset >>> 24) & 255];
}
export function block(length: number, ...elements: Bytes[]): Uint8Array {
  return Uint8Array.from([...varint(length), ...elements.flat()]);
}
