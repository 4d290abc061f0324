/**
 * topk, bottomk, limitk and limit_ratio (Prometheus' aggregationK). The heap and the final sort
 * follow Go's container/heap and sort.Sort so ties come out in the order Prometheus gives.
 */
import type { AggregateOp } from '../ast.js';
import type { ParamStats, Grouping } from './aggregate.js';
import type { Evaluating } from './context.js';
import { execError } from './errors.js';
import { formatGoG } from './format.js';
import { keepForRatio, sampleOffset } from './ratio-sampler.js';
import { Collector } from './series.js';
import type { StepSeries, StepVector } from './series.js';

interface Item {
  readonly idx: number;
  readonly f: number;
}

type Less = (a: Item, b: Item) => boolean;

/** vectorByValueHeap.Less: NaN sorts first. */
const lessAsc: Less = (a, b) => Number.isNaN(a.f) || a.f < b.f;
/** vectorByReverseValueHeap.Less. */
const lessDesc: Less = (a, b) => Number.isNaN(a.f) || a.f > b.f;

function swap(h: Item[], i: number, j: number): void {
  const t = h[i] as Item;
  h[i] = h[j] as Item;
  h[j] = t;
}

function up(h: Item[], j: number, less: Less): void {
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j] as Item, h[i] as Item)) break;
    swap(h, i, j);
    j = i;
  }
}

function down(h: Item[], i0: number, n: number, less: Less): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2] as Item, h[j1] as Item)) j = j2;
    if (!less(h[j] as Item, h[i] as Item)) break;
    swap(h, i, j);
    i = j;
  }
  return i > i0;
}

function heapPush(h: Item[], x: Item, less: Less): void {
  h.push(x);
  up(h, h.length - 1, less);
}

function heapFix(h: Item[], i: number, less: Less): void {
  if (!down(h, i, h.length, less)) up(h, i, less);
}

/** sort.Sort(sort.Reverse(h)): insertion sort as pdqsort does for short slices. */
function sortReverse(h: Item[], less: Less): void {
  const rless = (a: Item, b: Item): boolean => less(b, a);
  if (h.length > 12) {
    h.sort((a, b) => (rless(a, b) ? -1 : rless(b, a) ? 1 : 0));
    return;
  }
  for (let i = 1; i < h.length; i++) {
    for (let j = i; j > 0 && rless(h[j] as Item, h[j - 1] as Item); j--) swap(h, j, j - 1);
  }
}

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

type KOp = Extract<AggregateOp, 'topk' | 'bottomk' | 'limitk' | 'limit_ratio'>;

/** Evaluates topk/bottomk/limitk/limit_ratio over all steps; output keeps input labels. */
export function aggregateK(ev: Evaluating, op: KOp, input: StepVector, grp: Grouping, param: Float64Array, stats: ParamStats): StepVector {
  const n = ev.grid.n;
  if (op === 'limit_ratio') {
    if (stats.max === 0 && stats.min === 0) return [];
    if (stats.hasNaN) throw execError('Ratio value is NaN');
    if (stats.max > 1) ev.ctx.annotations.warn(`ratio value should be between -1 and 1, got ${formatGoG(stats.max)}, capping to 1`);
    if (stats.min < -1) ev.ctx.annotations.warn(`ratio value should be between -1 and 1, got ${formatGoG(stats.min)}, capping to -1`);
  } else {
    if (stats.max < 1) return [];
    if (stats.hasNaN) throw execError('Parameter value is NaN');
    if (stats.min <= MIN_INT64) throw execError(`Scalar value ${formatGoG(stats.min, 21)} underflows int64`);
    if (stats.max >= MAX_INT64) throw execError(`Scalar value ${formatGoG(stats.max, 21)} overflows int64`);
  }
  const less = op === 'bottomk' ? lessDesc : lessAsc;
  const offsets = op === 'limit_ratio' ? input.map((s) => sampleOffset(s.labels)) : [];
  const out = new Collector(n);
  const G = grp.groups.length;
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) ev.ctx.check();
    const p = param[i] as number;
    const k = Math.min(Math.trunc(p), input.length);
    if (op !== 'limit_ratio' && k < 1) continue;
    if (op === 'limit_ratio' && p === 0) continue;
    const r = Math.max(-1, Math.min(1, p));
    const heaps: Array<Item[] | undefined> = new Array<Item[] | undefined>(G);
    for (let si = 0; si < input.length; si++) {
      const s = input[si] as StepSeries;
      if (!s.has[i]) continue;
      const item: Item = { idx: si, f: s.v[i] as number };
      const g = grp.groupOf[si] as number;
      let h = heaps[g];
      if (h === undefined) h = heaps[g] = [];
      switch (op) {
        case 'limit_ratio':
          if (keepForRatio(r, offsets[si] as number)) heapPush(h, item, less);
          break;
        case 'limitk':
          if (h.length < k) heapPush(h, item, less);
          break;
        default: {
          if (h.length < k) {
            heapPush(h, item, less);
            break;
          }
          const top = h[0] as Item;
          const better = op === 'topk' ? top.f < item.f : top.f > item.f;
          if (better || (Number.isNaN(top.f) && !Number.isNaN(item.f))) {
            h[0] = item;
            if (k > 1) heapFix(h, 0, less);
          }
        }
      }
    }
    for (const h of heaps) {
      if (h === undefined) continue;
      if ((op === 'topk' || op === 'bottomk') && h.length > 1) sortReverse(h, less);
      for (const it of h) {
        const s = input[it.idx] as StepSeries;
        out.add(s.labels, s.key, i, it.f, s.dropName);
      }
    }
  }
  return out.list;
}
