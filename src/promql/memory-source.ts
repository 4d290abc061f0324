/**
 * An in-memory SeriesSource: the store behind the conformance runner, unit tests and benchmarks.
 * Samples live in per-series Float64Arrays that grow by doubling; an inverted index
 * (label=value -> series ids) narrows selections by their equality matchers, and a binary
 * search cuts each series to the requested time range. Results are views into the store's arrays:
 * they stay valid because an append never moves samples a view can see (inserts copy first).
 */
import { writeStaleNaN } from '../core/stale-nan.js';
import { compareStrings } from '../core/labels.js';
import type { Labels } from '../core/labels.js';
import { matchesAll } from '../core/matcher.js';
import type { Matcher } from '../core/matcher.js';
import type { SelectHints, SeriesSource, StoredSeries } from './value.js';

const INITIAL_CAPACITY = 16;
/** Matcher sets whose matching ids are kept (the cache is simply emptied when full). */
const MATCHED_CACHE_SIZE = 256;

interface MemSeries {
  readonly labels: Labels;
  /** Sorted [name, value] pairs, for ordering series as Prometheus does (labels.Compare). */
  readonly pairs: readonly (readonly [string, string])[];
  t: Float64Array;
  v: Float64Array;
  n: number;
}

/** Go's labels.Compare over pre-sorted pairs. */
function comparePairs(a: MemSeries['pairs'], b: MemSeries['pairs']): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i] as readonly [string, string];
    const [bn, bv] = b[i] as readonly [string, string];
    if (an !== bn) return compareStrings(an, bn);
    if (av !== bv) return compareStrings(av, bv);
  }
  return a.length - b.length;
}

/** Binary search in an ascending id list (postings are appended in id order). */
function contains(list: readonly number[], id: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid] as number;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/**
 * A guess g (2 <= g < n - 3) of where x falls in t[0..n), or -1. Scrapes are nearly regular, so
 * interpolating between the first and last timestamp lands on or next to the answer: the searches
 * below then check t[g - 2] and t[g + 2] (one cache line) instead of a binary search's scattered
 * probes over every series' array, and fall back to the whole array when the guess misses.
 */
function guess(t: Float64Array, n: number, x: number): number {
  if (n < 16) return -1;
  const first = t[0] as number;
  const g = Math.floor(((x - first) / ((t[n - 1] as number) - first)) * (n - 1));
  return g >= 2 && g < n - 3 ? g : -1;
}

/** First index in t[0..n) with t[i] >= x. */
function lowerBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  const g = guess(t, n, x);
  if (g >= 0 && (t[g - 2] as number) < x && (t[g + 2] as number) >= x) {
    lo = g - 1;
    hi = g + 2;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in t[0..n) with t[i] > x. */
function upperBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  const g = guess(t, n, x);
  if (g >= 0 && (t[g - 2] as number) <= x && (t[g + 2] as number) > x) {
    lo = g - 1;
    hi = g + 2;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A SeriesSource over samples appended in memory. */
export class MemorySeriesSource implements SeriesSource {
  private readonly byKey = new Map<string, number>();
  /** Fast path for callers that pass the same label object for every sample of a series. */
  private byObject = new WeakMap<Labels, MemSeries>();
  private series: MemSeries[] = [];
  /** name -> value -> ascending series ids. */
  private postings = new Map<string, Map<string, number[]>>();
  /** Series ids in label order; rebuilt lazily after new series arrive. */
  private sorted: number[] | undefined = [];
  /** Position of each id in `sorted`. */
  private rank: number[] | undefined;
  /**
   * Matching ids (in label order) per matcher set, so repeated queries skip the postings work
   * and the per-series matcher checks. Emptied whenever a series is added; bounded in size.
   */
  private matched = new Map<string, readonly number[]>();

  /** Number of series held. */
  get seriesCount(): number {
    return this.series.length;
  }

  /**
   * Appends one sample. Samples of a series may come in any order; a sample at an existing
   * timestamp replaces the old value (the load of a later script command wins).
   */
  add(labels: Labels, tMs: number, v: number): void {
    const s = this.getOrCreate(labels);
    const n = s.n;
    if (n === 0 || (s.t[n - 1] as number) < tMs) {
      if (n === s.t.length) this.grow(s, n * 2);
      s.t[n] = tMs;
      s.v[n] = v;
      s.n = n + 1;
      return;
    }
    // Out of order or duplicate: copy first so that views handed out earlier stay unchanged.
    const at = lowerBound(s.t, n, tMs);
    const replace = s.t[at] === tMs;
    const t = new Float64Array(Math.max(INITIAL_CAPACITY, n * 2));
    const vv = new Float64Array(t.length);
    t.set(s.t.subarray(0, at));
    vv.set(s.v.subarray(0, at));
    t[at] = tMs;
    vv[at] = v;
    const from = replace ? at + 1 : at;
    t.set(s.t.subarray(from, n), at + 1);
    vv.set(s.v.subarray(from, n), at + 1);
    s.t = t;
    s.v = vv;
    s.n = replace ? n : n + 1;
  }

  /** Appends a staleness marker (its bits written directly, see core/stale-nan.ts). */
  addStale(labels: Labels, tMs: number): void {
    this.add(labels, tMs, NaN);
    const s = this.getOrCreate(labels);
    writeStaleNaN(s.v, lowerBound(s.t, s.n, tMs));
  }

  /** Appends many samples of one series (ascending times are fastest). */
  addSeries(labels: Labels, t: ArrayLike<number>, v: ArrayLike<number>): void {
    if (t.length !== v.length) throw new RangeError(`addSeries: ${t.length} timestamps but ${v.length} values`);
    for (let i = 0; i < t.length; i++) this.add(labels, t[i] as number, v[i] as number);
  }

  /** Drops every series. */
  clear(): void {
    this.byKey.clear();
    this.byObject = new WeakMap();
    this.series = [];
    this.postings = new Map();
    this.sorted = [];
    this.rank = undefined;
    this.matched = new Map();
  }

  /** Matching series in label order, cut to [startMs, endMs]; arrays are views, not copies. */
  select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const out: StoredSeries[] = [];
    for (const id of this.matching(matchers)) {
      const s = this.series[id] as MemSeries;
      const from = lowerBound(s.t, s.n, hints.startMs);
      const to = upperBound(s.t, s.n, hints.endMs);
      // The constructor makes the same view as subarray() without its species lookup (much faster in V8).
      out.push({ labels: s.labels, t: new Float64Array(s.t.buffer, s.t.byteOffset + from * 8, to - from), v: new Float64Array(s.v.buffer, s.v.byteOffset + from * 8, to - from) });
    }
    return Promise.resolve(out);
  }

  /** Ids in label order of the series matching every matcher (cached per matcher set). */
  private matching(matchers: readonly Matcher[]): readonly number[] {
    const key = JSON.stringify(matchers.map((m) => [m.name, m.type, m.value]));
    const known = this.matched.get(key);
    if (known !== undefined) return known;
    const ids = this.candidates(matchers).filter((id) => matchesAll(matchers, (this.series[id] as MemSeries).labels));
    if (this.matched.size >= MATCHED_CACHE_SIZE) this.matched.clear();
    this.matched.set(key, ids);
    return ids;
  }

  /**
   * Ids in label order of the series that may match: postings of every matcher that rejects the
   * empty string are intersected (a regex is tested once per distinct value, not per series);
   * the caller still checks all matchers.
   */
  private candidates(matchers: readonly Matcher[]): readonly number[] {
    const lists: number[][] = [];
    for (const m of matchers) {
      if (m.type === '=' && m.value !== '') {
        lists.push(this.postings.get(m.name)?.get(m.value) ?? []);
      } else if (!m.matches('')) {
        const byValue = this.postings.get(m.name);
        if (!byValue) return [];
        const ids: number[] = [];
        for (const [v, list] of byValue) if (m.matches(v)) for (const id of list) ids.push(id);
        lists.push(ids.sort((a, b) => a - b));
      }
    }
    const order = this.order();
    if (lists.length === 0) return order;
    lists.sort((a, b) => a.length - b.length);
    let ids = lists[0] as number[];
    for (let k = 1; k < lists.length && ids.length > 0; k++) {
      const other = lists[k] as number[];
      ids = ids.filter((id) => contains(other, id));
    }
    if (ids.length === 0) return [];
    if (ids.length * 8 >= order.length) {
      const keep = new Set(ids);
      return order.filter((id) => keep.has(id));
    }
    const rank = this.rankOf();
    return ids.slice().sort((a, b) => (rank[a] as number) - (rank[b] as number));
  }

  private rankOf(): number[] {
    if (!this.rank) {
      const order = this.order();
      const rank = new Array<number>(order.length);
      for (let i = 0; i < order.length; i++) rank[order[i] as number] = i;
      this.rank = rank;
    }
    return this.rank;
  }

  private order(): number[] {
    if (!this.sorted) {
      const ids = this.series.map((_, i) => i);
      ids.sort((a, b) => comparePairs((this.series[a] as MemSeries).pairs, (this.series[b] as MemSeries).pairs));
      this.sorted = ids;
      this.rank = undefined;
    }
    return this.sorted;
  }

  private getOrCreate(labels: Labels): MemSeries {
    const known = this.byObject.get(labels);
    if (known) return known;
    return this.lookupOrCreate(labels);
  }

  private lookupOrCreate(labels: Labels): MemSeries {
    const names = Object.keys(labels).sort(compareStrings);
    let key = '';
    for (const n of names) key += `${n}\u0000${labels[n] as string}\u0001`;
    const id = this.byKey.get(key);
    if (id !== undefined) return this.series[id] as MemSeries;
    const frozen: Record<string, string> = {};
    const pairs: (readonly [string, string])[] = [];
    for (const n of names) {
      const v = labels[n] as string;
      frozen[n] = v;
      pairs.push([n, v]);
    }
    const s: MemSeries = { labels: Object.freeze(frozen), pairs, t: new Float64Array(INITIAL_CAPACITY), v: new Float64Array(INITIAL_CAPACITY), n: 0 };
    const newId = this.series.length;
    this.series.push(s);
    this.byObject.set(labels, s);
    this.byKey.set(key, newId);
    for (const [n, v] of pairs) {
      let byValue = this.postings.get(n);
      if (!byValue) this.postings.set(n, (byValue = new Map<string, number[]>()));
      const list = byValue.get(v);
      if (list) list.push(newId);
      else byValue.set(v, [newId]);
    }
    this.sorted = undefined;
    this.rank = undefined;
    if (this.matched.size > 0) this.matched = new Map();
    return s;
  }

  private grow(s: MemSeries, capacity: number): void {
    const t = new Float64Array(capacity);
    const v = new Float64Array(capacity);
    t.set(s.t.subarray(0, s.n));
    v.set(s.v.subarray(0, s.n));
    s.t = t;
    s.v = v;
  }
}
