/**
 * An index over a route's children by one equality matcher each (label name -> value -> child
 * positions), so that matching a node with thousands of `namespace="ns-N"` children looks at the
 * one or two candidates that can match instead of every child. Children without an equality
 * matcher stay in `rest` and are merged with the candidates by position, which keeps upstream's
 * first-match / `continue` order exactly: a child outside the candidates fails its indexed matcher.
 */
import type { Labels } from '../../core/labels.js';

/** The part of a child route the index needs. */
export interface IndexableChild {
  readonly matchers: ReadonlyArray<{ readonly name: string; readonly type: string; readonly value: string }>;
}

/** Candidate children of one route node, by position. */
export class ChildIndex {
  /** Indexed label names (usually one). */
  readonly names: readonly string[];
  /** Per indexed name: value -> ascending child positions. */
  private readonly byValue: ReadonlyArray<ReadonlyMap<string, readonly number[]>>;
  /** Positions of children with no equality matcher, ascending. */
  readonly rest: readonly number[];

  constructor(children: readonly IndexableChild[]) {
    // Prefer the label name most children test for equality, so most share one map.
    const freq = new Map<string, number>();
    for (const c of children) {
      const seen = new Set<string>();
      for (const m of c.matchers) {
        if (m.type === '=' && !seen.has(m.name)) {
          seen.add(m.name);
          freq.set(m.name, (freq.get(m.name) ?? 0) + 1);
        }
      }
    }
    const names: string[] = [];
    const maps: Map<string, number[]>[] = [];
    const rest: number[] = [];
    for (let i = 0; i < children.length; i++) {
      let best: { name: string; value: string } | undefined;
      let bestFreq = 0;
      for (const m of (children[i] as IndexableChild).matchers) {
        if (m.type !== '=') continue;
        const f = freq.get(m.name) ?? 0;
        if (f > bestFreq) {
          best = m;
          bestFreq = f;
        }
      }
      if (best === undefined) {
        rest.push(i);
        continue;
      }
      let slot = names.indexOf(best.name);
      if (slot < 0) {
        slot = names.length;
        names.push(best.name);
        maps.push(new Map());
      }
      const map = maps[slot] as Map<string, number[]>;
      const list = map.get(best.value);
      if (list) list.push(i);
      else map.set(best.value, [i]);
    }
    this.names = names;
    this.byValue = maps;
    this.rest = rest;
  }

  /** Candidates for the only indexed name (an absent label is the empty string, as in matching). */
  single(labels: Labels): readonly number[] | undefined {
    return (this.byValue[0] as ReadonlyMap<string, readonly number[]>).get(labels[this.names[0] as string] ?? '');
  }

  /** All candidate positions in ascending order (several indexed names). */
  candidates(labels: Labels): number[] {
    const lists: (readonly number[])[] = [this.rest];
    for (let k = 0; k < this.names.length; k++) {
      const hit = (this.byValue[k] as ReadonlyMap<string, readonly number[]>).get(labels[this.names[k] as string] ?? '');
      if (hit !== undefined) lists.push(hit);
    }
    if (lists.length === 1) return [...this.rest];
    const out: number[] = [];
    for (const l of lists) for (const i of l) out.push(i);
    // Each child sits in exactly one list, so sorting the union gives tree order without duplicates.
    return out.sort((a, b) => a - b);
  }
}
