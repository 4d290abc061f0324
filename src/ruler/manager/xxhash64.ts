/**
 * XXH64 (seed 0) over bytes, in BigInt, and Prometheus' labels.Hash built on it: the hash that
 * spreads rule groups over their interval (rules/group.go `hash`, model/labels Labels.Hash, which
 * hashes `name 0xff value 0xff` for each label sorted by name with cespare/xxhash). Algorithm from
 * the xxHash specification (doc/xxhash_spec.md in Cyan4973/xxHash). Called once per group start,
 * so clarity wins over speed here.
 */
import { sortedNames } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';

const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;

function round(acc: bigint, lane: bigint): bigint {
  return mul(rotl(add(acc, mul(lane, P2)), 31n), P1);
}

function mergeRound(acc: bigint, v: bigint): bigint {
  return add(mul(acc ^ round(0n, v), P1), P4);
}

/** XXH64 of `data` with seed 0, as an unsigned 64-bit BigInt. */
export function xxhash64(data: Uint8Array): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.length;
  let p = 0;
  let acc: bigint;
  if (len >= 32) {
    let v1 = add(P1, P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = (MASK + 1n - P1) & MASK;
    for (; p + 32 <= len; p += 32) {
      v1 = round(v1, view.getBigUint64(p, true));
      v2 = round(v2, view.getBigUint64(p + 8, true));
      v3 = round(v3, view.getBigUint64(p + 16, true));
      v4 = round(v4, view.getBigUint64(p + 24, true));
    }
    acc = add(add(rotl(v1, 1n), rotl(v2, 7n)), add(rotl(v3, 12n), rotl(v4, 18n)));
    acc = mergeRound(mergeRound(mergeRound(mergeRound(acc, v1), v2), v3), v4);
  } else {
    acc = P5;
  }
  acc = add(acc, BigInt(len));
  for (; p + 8 <= len; p += 8) {
    acc = add(mul(rotl(acc ^ round(0n, view.getBigUint64(p, true)), 27n), P1), P4);
  }
  if (p + 4 <= len) {
    acc = add(mul(rotl(acc ^ mul(BigInt(view.getUint32(p, true)), P1), 23n), P2), P3);
    p += 4;
  }
  for (; p < len; p++) {
    acc = mul(rotl(acc ^ mul(BigInt(data[p] as number), P5), 11n), P1);
  }
  acc ^= acc >> 33n;
  acc = mul(acc, P2);
  acc ^= acc >> 29n;
  acc = mul(acc, P3);
  acc ^= acc >> 32n;
  return acc;
}

const encoder = new TextEncoder();

/** Prometheus' Labels.Hash(): XXH64 over `name 0xff value 0xff` for each label, sorted by name. */
export function labelsHash(labels: Labels): bigint {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const name of sortedNames(labels)) {
    for (const s of [name, labels[name] as string]) {
      const b = encoder.encode(s);
      parts.push(b, SEP);
      size += b.length + 1;
    }
  }
  const buf = new Uint8Array(size);
  let off = 0;
  for (const b of parts) {
    buf.set(b, off);
    off += b.length;
  }
  return xxhash64(buf);
}

const SEP = Uint8Array.of(0xff);
