/**
 * sort, sort_desc, sort_by_label(_desc) and clamp: whole-vector functions of one step. Sorting
 * mirrors Prometheus' funcSort* (NaN last in both directions; Go's insertion sort for up to 12
 * elements, so ties between equal values come out in upstream's order for small vectors).
 */
import { goMax, goMin } from './go-math.js';
import { withoutName } from './name.js';
import { compareLabels, naturalLess } from './natural-order.js';
import type { KernelSample, VectorKernel } from './types.js';

/** Go's sort.Sort threshold below which it runs a plain insertion sort. */
const MAX_INSERTION = 12;

/**
 * Sorts with a strict "comes before" relation. Short inputs use insertion sort exactly as Go's
 * pdqsort does; longer ones a stable sort with the same relation.
 */
function sortBy<T>(items: T[], before: (a: T, b: T) => boolean, total?: (a: T, b: T) => number): T[] {
  if (items.length <= MAX_INSERTION) {
    for (let i = 1; i < items.length; i++) {
      for (let j = i; j > 0 && before(items[j] as T, items[j - 1] as T); j--) {
        const tmp = items[j] as T;
        items[j] = items[j - 1] as T;
        items[j - 1] = tmp;
      }
    }
    return items;
  }
  return items.sort(total ?? ((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)));
}

function nanLast(a: number, b: number, sign: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a < b ? -sign : a > b ? sign : 0;
}

function keep(input: readonly KernelSample[]): KernelSample[] {
  return input.map((s) => ({ labels: s.labels, v: s.v, keepName: true }));
}

/** sort: ascending, NaN last. `y` goes before `x` (its predecessor) as Go's reversed heap order says. */
export const sortAsc: VectorKernel = (input) =>
  sortBy(keep(input), (x, y) => Number.isNaN(y.v) || y.v > x.v, (a, b) => nanLast(a.v, b.v, 1));

/** sort_desc: descending, NaN last. */
export const sortDesc: VectorKernel = (input) =>
  sortBy(keep(input), (x, y) => Number.isNaN(y.v) || y.v < x.v, (a, b) => nanLast(a.v, b.v, -1));

function byLabels(names: readonly string[], desc: boolean): (a: KernelSample, b: KernelSample) => number {
  const sign = desc ? -1 : 1;
  return (a, b) => {
    for (const name of names) {
      const va = a.labels[name] ?? '';
      const vb = b.labels[name] ?? '';
      if (va === vb) continue;
      return naturalLess(va, vb) ? -sign : sign;
    }
    return sign * compareLabels(a.labels, b.labels);
  };
}

/** sort_by_label(v, label...): natural order of the given labels, then the full label set. */
export const sortByLabel: VectorKernel = (input, ctx) => {
  const cmp = byLabels(ctx.strings, false);
  return sortBy(keep(input), (a, b) => cmp(a, b) < 0);
};

/** sort_by_label_desc(v, label...). */
export const sortByLabelDesc: VectorKernel = (input, ctx) => {
  const cmp = byLabels(ctx.strings, true);
  return sortBy(keep(input), (a, b) => cmp(a, b) < 0);
};

/** clamp(v, min, max): empty when max < min. */
export const clamp: VectorKernel = (input, ctx) => {
  const min = ctx.scalars[0] ?? NaN;
  const max = ctx.scalars[1] ?? NaN;
  if (max < min) return [];
  return input.map((s) => ({ labels: withoutName(s.labels), v: goMax(min, goMin(max, s.v)) }));
};
