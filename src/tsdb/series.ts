/**
 * One series of the head: its labels, finished chunks of SAMPLES_PER_CHUNK samples, and the open
 * head chunk (Prometheus' memSeries, without the mmapped chunks). Samples are in ascending time;
 * the append rules live in head.ts.
 */
import { compareStrings } from '../core/labels.js';
import type { Labels } from '../core/labels.js';
import type { ChunkArena } from './chunk-arena.js';
import { HI, LO, wordsOf } from './float-bits.js';
import { ChunkAppender, SAMPLES_PER_CHUNK, decodeChunk } from './chunk.js';
import type { Chunk } from './chunk.js';

/** Decoded samples: times and values (values as Float64Array so NaN payloads survive). */
export interface SampleArrays {
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/** A series held in memory. */
export class MemSeries {
  readonly chunks: Chunk[] = [];
  private head: ChunkAppender | undefined;
  /** Samples held (finished chunks plus head chunk). */
  samples = 0;
  lastT = -Infinity;
  lastHi = 0;
  lastLo = 0;
  /** Set when retention drops the series from its head. */
  removed = false;

  /**
   * A series with a frozen copy of `labels`, names sorted as Go sorts them. A frozen object whose
   * names are already sorted (what ingestion hands over) is kept as it is instead of copied.
   */
  static create(id: number, labels: Labels, key: string): MemSeries {
    const keys = Object.keys(labels);
    if (Object.isFrozen(labels) && isSorted(keys)) return new MemSeries(id, labels, keys.map((n) => [n, labels[n] as string] as const), key);
    const names = keys.sort(compareStrings);
    const frozen: Record<string, string> = {};
    const pairs: (readonly [string, string])[] = [];
    for (const n of names) {
      const v = labels[n] as string;
      frozen[n] = v;
      pairs.push([n, v]);
    }
    return new MemSeries(id, Object.freeze(frozen), pairs, key);
  }

  constructor(
    readonly id: number,
    readonly labels: Labels,
    /** Sorted [name, value] pairs, for label ordering and postings. */
    readonly pairs: readonly (readonly [string, string])[],
    readonly key: string,
  ) {}

  /** Oldest sample time, or +Infinity when empty. */
  get minT(): number {
    const c = this.chunks[0];
    if (c) return c.minT;
    return this.head && this.head.count > 0 ? this.head.minT : Infinity;
  }

  /** Appends a sample newer than lastT; cuts the head chunk into `arena` when it is full. */
  append(t: number, hi: number, lo: number, arena: ChunkArena): void {
    if (!this.head) this.head = new ChunkAppender();
    this.head.append(t, hi, lo);
    this.samples++;
    this.lastT = t;
    this.lastHi = hi;
    this.lastLo = lo;
    if (this.head.count >= SAMPLES_PER_CHUNK) {
      this.chunks.push(this.head.freeze(arena));
      this.head.reset();
    }
  }

  /** Adds a finished chunk read from a checkpoint; only valid before head samples arrive. */
  restoreChunk(c: Chunk): void {
    this.chunks.push(c);
    this.samples += c.count;
    this.lastT = c.maxT;
    this.lastHi = c.lastHi;
    this.lastLo = c.lastLo;
  }

  /**
   * Decodes the open head chunk's samples (what a checkpoint writes as sample records) into `t`
   * and `words`, which hold SAMPLES_PER_CHUNK samples; returns how many there are.
   */
  headSamplesInto(t: Float64Array, words: Uint32Array): number {
    const h = this.head;
    if (!h || h.count === 0) return 0;
    decodeChunk(h.view(), h.bitLength, h.count, t, words, 0);
    return h.count;
  }

  /**
   * The newest sample alone (only for a non-empty series), its value bit for bit so stale markers
   * survive, written at index `k` of shared buffers (`words` is `v`'s memory as uint32 words): one
   * select answers every series from two buffers instead of two of their own per series.
   */
  latestAt(t: Float64Array, v: Float64Array, words: Uint32Array, k: number): { readonly labels: Labels; readonly t: Float64Array; readonly v: Float64Array } {
    t[k] = this.lastT;
    words[2 * k + HI] = this.lastHi;
    words[2 * k + LO] = this.lastLo;
    // The constructor makes the same view as subarray() without its species lookup (much faster in V8).
    return { labels: this.labels, t: new Float64Array(t.buffer, t.byteOffset + k * 8, 1), v: new Float64Array(v.buffer, v.byteOffset + k * 8, 1) };
  }

  /** Samples with mint <= t <= maxt, or undefined when there are none. */
  range(mint: number, maxt: number): SampleArrays | undefined {
    if (this.samples === 0 || maxt < this.minT || mint > this.lastT) return undefined;
    let total = 0;
    const picked: Chunk[] = [];
    for (const c of this.chunks) {
      if (c.maxT >= mint && c.minT <= maxt) {
        picked.push(c);
        total += c.count;
      }
    }
    const h = this.head;
    const useHead = h !== undefined && h.count > 0 && h.maxT >= mint && h.minT <= maxt;
    if (useHead) total += h.count;
    const t = new Float64Array(total);
    const v = new Float64Array(total);
    const words = wordsOf(v);
    let off = 0;
    for (const c of picked) {
      decodeChunk(c.bytes, c.bitLength, c.count, t, words, off);
      off += c.count;
    }
    if (useHead) decodeChunk(h.view(), h.bitLength, h.count, t, words, off);
    const from = bound(t, mint, false);
    const to = bound(t, maxt, true);
    if (from >= to) return undefined;
    return from === 0 && to === total ? { t, v } : { t: t.subarray(from, to), v: v.subarray(from, to) };
  }

  /**
   * Drops finished chunks whose samples are all older than `mint`, and the head chunk too when
   * its newest sample is. Returns the number of samples dropped.
   */
  dropBefore(mint: number): number {
    let dropped = 0;
    let k = 0;
    while (k < this.chunks.length && (this.chunks[k] as Chunk).maxT < mint) dropped += (this.chunks[k++] as Chunk).count;
    if (k > 0) this.chunks.splice(0, k);
    if (this.chunks.length === 0 && this.head && this.head.count > 0 && this.head.maxT < mint) {
      dropped += this.head.count;
      this.head = undefined;
    }
    this.samples -= dropped;
    return dropped;
  }

  /** Compressed bytes of the samples held (finished chunks plus the head chunk's used bytes). */
  chunkBytes(): number {
    let n = this.head ? (this.head.bitLength + 7) >>> 3 : 0;
    for (const c of this.chunks) n += c.bytes.length;
    return n;
  }

  /** Bytes allocated for the head chunk (reused for every chunk the series cuts). */
  headCapacity(): number {
    return this.head ? this.head.capacity : 0;
  }
}

/** Orders series as Go's labels.Compare orders their label sets. */
export function compareSeries(x: MemSeries, y: MemSeries): number {
  const a = x.pairs;
  const b = y.pairs;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i] as readonly [string, string];
    const [bn, bv] = b[i] as readonly [string, string];
    if (an !== bn) return compareStrings(an, bn);
    if (av !== bv) return compareStrings(av, bv);
  }
  return a.length - b.length;
}

function isSorted(names: readonly string[]): boolean {
  for (let i = 1; i < names.length; i++) if (compareStrings(names[i - 1] as string, names[i] as string) >= 0) return false;
  return true;
}

/** First index with t[i] >= x, or with t[i] > x when `after`. */
function bound(t: Float64Array, x: number, after: boolean): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = t[mid] as number;
    if (m < x || (after && m === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
