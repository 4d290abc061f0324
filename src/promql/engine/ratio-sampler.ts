/**
 * limit_ratio's deterministic sampling: a series is kept when the hash of its labels, scaled to
 * [0, 1), falls under the ratio (Prometheus' HashRatioSampler). The hash is labels.Labels.Hash()
 * of the default stringlabels build: xxHash64 over the length-prefixed name/value encoding.
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';

const M64 = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

function round(acc: bigint, input: bigint): bigint {
  acc = (acc + input * P2) & M64;
  return (rotl(acc, 31n) * P1) & M64;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & M64;
}

function u64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number);
  return v;
}

function u32(b: Uint8Array, i: number): bigint {
  return BigInt(((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) + (b[i + 3] as number) * 0x1000000);
}

/** xxHash64 with seed 0 (github.com/cespare/xxhash Sum64). */
export function xxhash64(b: Uint8Array): bigint {
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (P1 + P2) & M64;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & M64;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(n)) & M64;
  for (; i + 8 <= n; i += 8) {
    h ^= round(0n, u64(b, i));
    h = (rotl(h, 27n) * P1 + P4) & M64;
  }
  if (i + 4 <= n) {
    h ^= (u32(b, i) * P1) & M64;
    h = (rotl(h, 23n) * P2 + P3) & M64;
    i += 4;
  }
  for (; i < n; i++) {
    h ^= (BigInt(b[i] as number) * P5) & M64;
    h = (rotl(h, 11n) * P1) & M64;
  }
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

const encoder = new TextEncoder();

function pushSized(out: number[], s: string): void {
  const bytes = encoder.encode(s);
  const len = bytes.length;
  if (len < 255) out.push(len);
  else out.push(255, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff);
  for (const x of bytes) out.push(x);
}

/** labels.Labels.Hash() of Prometheus' stringlabels build. */
export function labelsHash(labels: Labels): bigint {
  const out: number[] = [];
  for (const name of Object.keys(labels).sort(compareStrings)) {
    pushSized(out, name);
    pushSized(out, labels[name] as string);
  }
  return xxhash64(Uint8Array.from(out));
}

const TWO_64 = 2 ** 64;

/** The sampling offset in [0, 1) of a label set (HashRatioSampler.SampleOffset). */
export function sampleOffset(labels: Labels): number {
  return Number(labelsHash(labels)) / TWO_64;
}

/** Whether a series with this offset is kept for `ratio` in [-1, 1]. */
export function keepForRatio(ratio: number, offset: number): boolean {
  return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1 + ratio);
}
