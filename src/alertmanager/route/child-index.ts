/**
 * An index over a route's children by one equality matcher each (label name -> value -> child
 * positions), so that matching a node with thousands of `namespace="ns-N"` children looks at the
 * one or two candidates that can match instead of every child. Children without an equality
 * matcher stay in `rest` and are merged with the candidates by position, which keeps upstream's
 * first-match / `continue` order exactly: a child outside the candidates fails its indexed matcher.
 *
 * Each bucket also keeps, beside the ids, every candidate's other matchers (all but the indexed
 * one, which the lookup has already satisfied), all in one flat array: a candidate that fails is
 * rejected without touching its route, and one bucket is a line or two of memory. With thousands
 * of children spread over a large heap, scattered reads (not comparisons) are what made a big tree
 * slower than a small one.
 */
import { truncate } from '../../core/array.js';
import { intern } from '../../core/intern.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';

/** The part of a child route the index needs. */
export interface IndexableChild {
  readonly matchers: readonly Matcher[];
}

/**
 * The candidates for one value of an indexed label name, flat and in ascending id order: for each,
 * its id, the number k of its other matchers, then those k matchers.
 */
export type Bucket = readonly (number | Matcher)[];

/**
 * What one value of an indexed name leads to: the candidates, or, when there are many of them and
 * every one also tests one more label name for equality, a second lookup by that name. Rendered
 * AlertmanagerConfigs give this shape when a namespace holds many objects: under `namespace="ns-1"`
 * objects told apart by `team`, each of which would otherwise be tried in turn.
 */
export type Entry = Bucket | SubIndex;

/** A second-level lookup: value of `name` -> entry; ids stay ascending within each entry. */
export interface SubIndex {
  readonly name: string;
  readonly byValue: ReadonlyMap<string, Entry>;
}

/**
 * A bucket with at least this many candidates is split by a further label name when it can be.
 * Below it a scan is cheaper: identical matchers are one shared object, so the candidates' own
 * matchers (five `team="..."` per namespace in a rendered tree) are mostly in cache, while a second
 * lookup reads a map of its own per bucket; with a split at 4, a tree of 5,000 rendered objects
 * routed 15-25% slower than with none.
 */
export const SPLIT_MIN_CANDIDATES = 16;

/** A candidate while the index is built: its id and the matchers not yet satisfied by a lookup. */
interface Pending {
  readonly id: number;
  readonly matchers: readonly Matcher[];
}

/** The entry for candidates (ascending ids) whose path of lookups so far already holds. */
function entryOf(cands: readonly Pending[]): Entry {
  if (cands.length >= SPLIT_MIN_CANDIDATES) {
    // A name every candidate tests with `=` and that tells at least two of them apart, the one
    // with the most distinct values.
    let common: Map<string, Set<string>> | undefined;
    for (const c of cands) {
      const mine = new Map<string, string>();
      for (const m of c.matchers) if (m.type === '=' && !mine.has(m.name)) mine.set(m.name, m.value);
      if (common === undefined) common = new Map([...mine].map(([n, v]) => [n, new Set([v])]));
      else {
        for (const [n, vs] of common) {
          const v = mine.get(n);
          if (v === undefined) common.delete(n);
          else vs.add(v);
        }
      }
    }
    let name = '';
    let most = 1;
    for (const [n, vs] of common ?? []) {
      if (vs.size > most) {
        name = n;
        most = vs.size;
      }
    }
    if (name !== '') {
      const groups = new Map<string, Pending[]>();
      for (const c of cands) {
        const k = c.matchers.findIndex((m) => m.type === '=' && m.name === name);
        const key = c.matchers[k] as Matcher;
        let g = groups.get(key.value);
        if (g === undefined) groups.set(intern(key.value), (g = []));
        g.push({ id: c.id, matchers: c.matchers.filter((_, i) => i !== k) });
      }
      return { name, byValue: new Map([...groups].map(([v, g]) => [v, entryOf(g)] as const)) };
    }
  }
  const flat: (number | Matcher)[] = [];
  for (const c of cands) flat.push(c.id, c.matchers.length, ...c.matchers);
  return flat;
}

/** The candidates `entry` leads to for these labels (an absent label is the empty string). */
export function resolve(entry: Entry | undefined, labels: Labels): Bucket | undefined {
  while (entry !== undefined && !Array.isArray(entry)) {
    const sub = entry as SubIndex;
    entry = sub.byValue.get(labels[sub.name] ?? '');
  }
  return entry;
}

/**
 * Candidate children of one route node, by position, or by the ids given (ascending with the
 * position, e.g. pre-order numbers).
 */
export class ChildIndex {
  /** Indexed label names (usually one). */
  readonly names: readonly string[];
  /** Per indexed name: value -> bucket. */
  private readonly byValue: ReadonlyArray<ReadonlyMap<string, Entry>>;
  /** The map of names[0], kept apart for the one-name fast path. */
  private readonly first: ReadonlyMap<string, Entry>;
  private readonly firstName: string;
  /** Ids of children with no equality matcher, ascending. */
  readonly rest: readonly number[];

  constructor(children: readonly IndexableChild[], ids: readonly number[] = children.map((_, i) => i)) {
    // Prefer the label name with the most distinct values among the children's equality matchers
    // (the smallest buckets), then the one most children test: rendered AlertmanagerConfigs all
    // have `namespace` and their own `team`-like matcher, and indexing by the one with five values
    // instead of the one with a thousand made every lookup return a fifth of the children.
    const freq = new Map<string, number>();
    const values = new Map<string, Set<string>>();
    for (const c of children) {
      const seen = new Set<string>();
      for (const m of c.matchers) {
        if (m.type === '=' && !seen.has(m.name)) {
          seen.add(m.name);
          freq.set(m.name, (freq.get(m.name) ?? 0) + 1);
          let vs = values.get(m.name);
          if (vs === undefined) values.set(m.name, (vs = new Set()));
          vs.add(m.value);
        }
      }
    }
    const rank = (name: string): number => (values.get(name)?.size ?? 0) * (children.length + 1) + (freq.get(name) ?? 0);
    const names: string[] = [];
    const maps: Map<string, Pending[]>[] = [];
    const rest: number[] = [];
    for (let i = 0; i < children.length; i++) {
      const ms = (children[i] as IndexableChild).matchers;
      let best = -1;
      let bestRank = 0;
      for (let k = 0; k < ms.length; k++) {
        const m = ms[k] as Matcher;
        if (m.type !== '=') continue;
        const r = rank(m.name);
        if (r > bestRank) {
          best = k;
          bestRank = r;
        }
      }
      const id = ids[i] as number;
      if (best < 0) {
        rest.push(id);
        continue;
      }
      const key = ms[best] as Matcher;
      let slot = names.indexOf(key.name);
      if (slot < 0) {
        slot = names.length;
        names.push(key.name);
        maps.push(new Map());
      }
      const map = maps[slot] as Map<string, Pending[]>;
      let pending = map.get(key.value);
      if (pending === undefined) map.set(key.value, (pending = []));
      pending.push({ id, matchers: ms.filter((_, k) => k !== best) });
    }
    // Entries built in one go (each flat bucket allocated in one piece), under interned keys: a
    // lookup with an interned label value (JSON.parse interns short ones) compares pointers.
    const compact = maps.map((m) => new Map([...m].map(([v, p]) => [intern(v), entryOf(p)] as const)));
    this.names = names;
    this.byValue = compact;
    this.first = compact[0] ?? new Map<string, Entry>();
    this.firstName = names[0] ?? '';
    this.rest = rest;
  }

  /** The bucket for the only indexed name (an absent label is the empty string, as in matching). */
  single(labels: Labels): Bucket | undefined {
    return resolve(this.first.get(labels[this.firstName] ?? ''), labels);
  }

  /** All candidate ids in ascending order. */
  candidates(labels: Labels): number[] {
    const out: number[] = [];
    this.candidatesInto(labels, out);
    return out;
  }

  /** Replaces the contents of `out` with all candidate ids in ascending order (hot paths reuse `out`). */
  candidatesInto(labels: Labels, out: number[]): void {
    truncate(out);
    const rest = this.rest;
    if (this.names.length === 1) {
      // One indexed name: the bucket's ids and `rest`, both ascending, merged without a sort.
      const hit = this.single(labels);
      let b = 0;
      if (hit !== undefined) {
        for (let k = 0; k < hit.length; k += 2 + (hit[k + 1] as number)) {
          const id = hit[k] as number;
          while (b < rest.length && (rest[b] as number) < id) out.push(rest[b++] as number);
          out.push(id);
        }
      }
      while (b < rest.length) out.push(rest[b++] as number);
      return;
    }
    for (const id of rest) out.push(id);
    let lists = rest.length > 0 ? 1 : 0;
    for (let k = 0; k < this.names.length; k++) {
      const hit = resolve((this.byValue[k] as ReadonlyMap<string, Entry>).get(labels[this.names[k] as string] ?? ''), labels);
      if (hit === undefined) continue;
      lists++;
      for (let j = 0; j < hit.length; j += 2 + (hit[j + 1] as number)) out.push(hit[j] as number);
    }
    // Each child sits in exactly one list, so sorting the union gives tree order without duplicates.
    if (lists > 1) out.sort((a, b) => a - b);
  }
}

/** The ids of a bucket's candidates. */
export function bucketIds(bucket: Bucket): number[] {
  const ids: number[] = [];
  for (let k = 0; k < bucket.length; k += 2 + (bucket[k + 1] as number)) ids.push(bucket[k] as number);
  return ids;
}
