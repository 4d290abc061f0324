/**
 * The head's inverted index: label name -> value -> ascending series ids (Prometheus'
 * index.MemPostings), and matcher evaluation as tsdb/querier.go's PostingsForMatchers does it:
 * matchers that reject the empty string are intersected; matchers that accept it (`a=""`,
 * `a!="x"`, `a!~"x"`, `a=~"x|"`) match series without the label, so the series whose value they
 * reject are subtracted instead. A regex is tested once per distinct value, not per series.
 */
import { compareStrings } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';

/** Sorted-id list operations. */
export function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** Ids of `a` not in `b` (both ascending). */
export function subtract(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a.slice();
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

/** Union of ascending lists, ascending and without duplicates. */
export function merge(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return (lists[0] as number[]).slice();
  const out: number[] = [];
  for (const l of lists) for (const id of l) out.push(id);
  out.sort((a, b) => a - b);
  let w = 0;
  for (let r = 0; r < out.length; r++) if (r === 0 || out[r] !== out[w - 1]) out[w++] = out[r] as number;
  out.length = w;
  return out;
}

function insertSorted(list: number[], id: number): void {
  const n = list.length;
  if (n === 0 || (list[n - 1] as number) < id) {
    list.push(id);
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < id) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo] !== id) list.splice(lo, 0, id);
}

/** An in-memory inverted index over series ids (ids are added in ascending order). */
export class Postings {
  private readonly index = new Map<string, Map<string, number[]>>();
  private all: number[] = [];

  /** Indexes a new series. Ids usually arrive ascending; an older id is inserted in place. */
  add(id: number, pairs: readonly (readonly [string, string])[]): void {
    insertSorted(this.all, id);
    for (const [n, v] of pairs) {
      let byValue = this.index.get(n);
      if (!byValue) this.index.set(n, (byValue = new Map<string, number[]>()));
      const list = byValue.get(v);
      if (list) insertSorted(list, id);
      else byValue.set(v, [id]);
    }
  }

  /** Removes many series at once (churn): each touched list is filtered once. */
  removeMany(series: readonly { readonly id: number; readonly pairs: readonly (readonly [string, string])[] }[]): void {
    if (series.length === 0) return;
    const gone = new Set<number>();
    const touched = new Map<string, Set<string>>();
    for (const s of series) {
      gone.add(s.id);
      for (const [n, v] of s.pairs) {
        let vals = touched.get(n);
        if (!vals) touched.set(n, (vals = new Set()));
        vals.add(v);
      }
    }
    this.all = this.all.filter((id) => !gone.has(id));
    for (const [n, vals] of touched) {
      const byValue = this.index.get(n);
      if (!byValue) continue;
      for (const v of vals) {
        const kept = (byValue.get(v) ?? []).filter((id) => !gone.has(id));
        if (kept.length > 0) byValue.set(v, kept);
        else byValue.delete(v);
      }
      if (byValue.size === 0) this.index.delete(n);
    }
  }

  /** Every id, ascending. */
  allIds(): readonly number[] {
    return this.all;
  }

  /** Ascending ids of the series matching every matcher (no matchers = all series). */
  select(matchers: readonly Matcher[]): number[] {
    const its: number[][] = [];
    const notIts: number[][] = [];
    for (const m of matchers) {
      if (m.matches('')) notIts.push(this.idsWhere(m, false));
      else its.push(this.idsWhere(m, true));
    }
    let ids: number[];
    if (its.length === 0) ids = this.all.slice();
    else {
      its.sort((a, b) => a.length - b.length);
      ids = its[0] as number[];
      for (let k = 1; k < its.length && ids.length > 0; k++) ids = intersect(ids, its[k] as number[]);
    }
    for (const not of notIts) if (ids.length > 0) ids = subtract(ids, not);
    return ids;
  }

  /** Label names in the index, sorted. */
  names(): string[] {
    return [...this.index.keys()].sort(compareStrings);
  }

  /** Values of `name` with their id lists. */
  valuesOf(name: string): ReadonlyMap<string, readonly number[]> {
    return this.index.get(name) ?? new Map<string, number[]>();
  }

  /** Ids of series that carry `m.name` with a value for which m.matches(value) === want. */
  private idsWhere(m: Matcher, want: boolean): number[] {
    const byValue = this.index.get(m.name);
    if (!byValue) return [];
    if (m.type === '=' && want) return (byValue.get(m.value) ?? []).slice();
    const lists: number[][] = [];
    for (const [v, list] of byValue) if (m.matches(v) === want) lists.push(list);
    return merge(lists);
  }
}
