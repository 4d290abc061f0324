/**
 * Label sets of recent remote_write series, found by the raw protobuf bytes of their Label
 * fields. A sender resends every series on each scrape with byte-identical labels, so a hit skips
 * decoding the strings, validating them, and (because the same frozen Labels object is handed to
 * the TSDB each time) building the head's series key. The same idea as Prometheus' receiver
 * reusing label sets across requests, done here on bytes because strings are what cost in JS.
 *
 * Entries live in two generations: lookups move an entry to the current one, and the previous
 * one is dropped when the current one is rotated (by age or size), so series that stopped being
 * sent are forgotten after two rotations.
 */
import type { Labels } from '../../core/labels.js';

/** One label set as decoded from the wire, and once valid, as stored. */
export interface CachedLabels {
  readonly names: string[];
  readonly values: string[];
  readonly invalidUtf8?: string;
  /** The validated, frozen label set, set by ingestion once the series passed validation... */
  labels?: Labels;
  /** ...under the limits summarised by this key (validation depends on them). */
  validFor?: string;
}

interface Entry {
  readonly bytes: Uint8Array;
  readonly value: CachedLabels;
}

/** Rotation period and size bound of one generation. */
export interface LabelCacheOptions {
  readonly maxAgeMs: number;
  readonly maxEntries: number;
}

export const DEFAULT_LABEL_CACHE: LabelCacheOptions = { maxAgeMs: 10 * 60_000, maxEntries: 1 << 20 };

/** FNV-1a over `buf[start, end)`. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

const SLAB_BYTES = 64 * 1024;

type Generation = Map<number, Entry | Entry[]>;

function find(gen: Generation, hash: number, buf: Uint8Array, start: number, end: number): Entry | undefined {
  const e = gen.get(hash);
  if (e === undefined) return undefined;
  if (!Array.isArray(e)) return sameBytes(e.bytes, buf, start, end) ? e : undefined;
  for (const x of e) if (sameBytes(x.bytes, buf, start, end)) return x;
  return undefined;
}

function put(gen: Generation, hash: number, entry: Entry): void {
  const e = gen.get(hash);
  if (e === undefined) gen.set(hash, entry);
  else if (Array.isArray(e)) e.push(entry);
  else gen.set(hash, [e, entry]);
}

/** The cache of one tenant. */
export class LabelCache {
  private current: Generation = new Map();
  private previous: Generation = new Map();
  private rotatedAt: number;
  /** Key bytes are copied into shared slabs: one small ArrayBuffer per series would burden the GC. */
  private slab = new Uint8Array(0);
  private slabUsed = 0;

  constructor(
    nowMs: number,
    private readonly opts: LabelCacheOptions = DEFAULT_LABEL_CACHE,
  ) {
    this.rotatedAt = nowMs;
  }

  /** Starts a new generation when the current one is old or full; call once per request. */
  tick(nowMs: number): void {
    if (nowMs - this.rotatedAt < this.opts.maxAgeMs && this.current.size < this.opts.maxEntries) return;
    this.previous = this.current;
    this.current = new Map();
    this.rotatedAt = nowMs;
  }

  /** The label set whose Label fields are exactly `buf[start, end)`, if known. */
  get(buf: Uint8Array, start: number, end: number, hash: number): CachedLabels | undefined {
    const hit = find(this.current, hash, buf, start, end);
    if (hit) return hit.value;
    const old = find(this.previous, hash, buf, start, end);
    if (!old) return undefined;
    put(this.current, hash, old);
    return old.value;
  }

  /** Remembers `value` for the bytes `buf[start, end)` (copied). */
  set(buf: Uint8Array, start: number, end: number, hash: number, value: CachedLabels): void {
    const n = end - start;
    if (this.slabUsed + n > this.slab.length) {
      this.slab = new Uint8Array(Math.max(SLAB_BYTES, n));
      this.slabUsed = 0;
    }
    const bytes = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    bytes.set(buf.subarray(start, end));
    this.slabUsed += n;
    put(this.current, hash, { bytes, value });
  }

  /** Entries in the current generation (for tests and figures). */
  get size(): number {
    return this.current.size;
  }
}
