/**
 * Aggregation operators (Prometheus' rangeEvalAgg / aggregation): sum and avg with Kahan-Neumaier
 * compensation, count, group, min/max (NaN only when every input is NaN), stddev/stdvar
 * (Welford), quantile; topk & co. live in ./aggregate-k.ts, count_values here too.
 */
import { compareStrings, isValidLabelName } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { AggregateExpr } from '../ast.js';
import { aggregateK } from './aggregate-k.js';
import { seriesMajor } from './aggregate-simple.js';
import type { Evaluating } from './context.js';
import { execError } from './errors.js';
import { formatFloatF, formatGoG, quoteGoBytes } from './format.js';
import { Collector, labelsKey, newSeries } from './series.js';
import type { StepScalar, StepSeries, StepVector } from './series.js';

/** Neumaier's improved Kahan step (util/kahansum.Inc). */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** Output labels of a group: `by` keeps the listed labels, `without` drops them and __name__. */
export function groupLabels(labels: Labels, grouping: readonly string[], without: boolean): Labels {
  const out: Record<string, string> = {};
  if (without) {
    for (const [k, v] of Object.entries(labels)) if (k !== '__name__' && !grouping.includes(k)) out[k] = v;
  } else {
    for (const g of grouping) {
      const v = labels[g];
      if (v !== undefined) out[g] = v;
    }
  }
  return out;
}

/** Series-to-group mapping, groups in order of first appearance. */
export interface Grouping {
  readonly groupOf: Int32Array;
  readonly groups: Array<{ labels: Labels; key: string }>;
}

/**
 * The grouping key of a label set, equal to labelsKey(groupLabels(...)) but built without the
 * intermediate object: it runs once per input series, while label objects are only made per group.
 */
function groupKeyOf(grouping: readonly string[], without: boolean): (labels: Labels) => string {
  if (!without) {
    const names = [...new Set(grouping)].sort(compareStrings);
    return (labels) => {
      let out = '';
      for (const n of names) {
        const v = labels[n];
        if (v !== undefined) out += n + '\xff' + v + '\xff';
      }
      return out;
    };
  }
  return (labels) => {
    let out = '';
    for (const n of Object.keys(labels).sort(compareStrings)) {
      if (n !== '__name__' && !grouping.includes(n)) out += n + '\xff' + (labels[n] as string) + '\xff';
    }
    return out;
  };
}

/** Maps each input series to its output group (generateGroupingKey / generateGroupingLabels). */
export function groupSeries(input: StepVector, grouping: readonly string[], without: boolean): Grouping {
  const groupOf = new Int32Array(input.length);
  const groups: Array<{ labels: Labels; key: string }> = [];
  const byKey = new Map<string, number>();
  const keyOf = groupKeyOf(grouping, without);
  input.forEach((s, i) => {
    const key = keyOf(s.labels);
    let g = byKey.get(key);
    if (g === undefined) {
      g = groups.length;
      byKey.set(key, g);
      groups.push({ labels: groupLabels(s.labels, grouping, without), key });
    }
    groupOf[i] = g;
  });
  return { groupOf, groups };
}

/** Min, max and NaN presence of a parameter over the steps (fParams); Go's Min/Max propagate NaN. */
export interface ParamStats {
  readonly min: number;
  readonly max: number;
  readonly hasNaN: boolean;
}

/** The stats of a parameter; a literal is constant, as fParams treats NumberLiteral. */
export function paramStats(p: Float64Array, constant: boolean): ParamStats {
  if (p.length === 0) return { min: 0, max: 0, hasNaN: false };
  if (constant) {
    const v = p[0] as number;
    return { min: v, max: v, hasNaN: Number.isNaN(v) };
  }
  let min = Number.MAX_VALUE;
  let max = -Number.MAX_VALUE;
  let hasNaN = false;
  for (const v of p) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    if (Number.isNaN(v)) hasNaN = true;
  }
  return { min, max, hasNaN };
}

/** Sorts as Go's sort.Sort over vectorByValueHeap for quantiles: NaN first, then ascending. */
function byValue(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** φ-quantile of values with linear interpolation (promql/quantile.go quantile). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(byValue);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (values[lower] as number) * (1 - weight) + (values[upper] as number) * weight;
}

/** Evaluates an aggregation over all steps. */
export function evalAggregate(ev: Evaluating, e: AggregateExpr): StepVector {
  const grouping = [...e.grouping].sort(compareStrings);
  if (e.op === 'count_values') return countValues(ev, e, grouping);
  const n = ev.grid.n;
  let param: StepScalar = new Float64Array(0);
  if (e.param !== undefined) param = ev.scalar(e.param);
  const constant = e.param?.kind === 'NumberLiteral';
  const input = ev.vector(e.expr);
  const grp = groupSeries(input, grouping, e.without);
  const stats = paramStats(param, constant);
  if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk' || e.op === 'limit_ratio') {
    return aggregateK(ev, e.op, input, grp, param, stats);
  }
  if (e.op === 'quantile') {
    if (stats.hasNaN) ev.ctx.annotations.warn(`quantile value should be between 0 and 1, got NaN`);
    if (stats.max > 1) ev.ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatGoG(stats.max)}`);
    if (stats.min < 0) ev.ctx.annotations.warn(`quantile value should be between 0 and 1, got ${formatGoG(stats.min)}`);
  }
  const out: StepSeries[] = grp.groups.map((g) => newSeries(g.labels, n, g.key));
  if (e.op === 'sum' || e.op === 'count' || e.op === 'group' || e.op === 'min' || e.op === 'max') {
    seriesMajor(ev, e.op, input, grp.groupOf, out);
    return out.filter((s) => s.has.includes(1));
  }
  const G = grp.groups.length;
  const seen = new Uint8Array(G);
  const val = new Float64Array(G);
  const comp = new Float64Array(G);
  const mean = new Float64Array(G);
  const count = new Float64Array(G);
  const incremental = new Uint8Array(G);
  const groupDrop = new Uint8Array(G);
  const heaps: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) ev.ctx.check();
    seen.fill(0);
    groupDrop.fill(0);
    for (let si = 0; si < input.length; si++) {
      const s = input[si] as StepSeries;
      if (!s.has[i]) continue;
      const f = s.v[i] as number;
      const g = grp.groupOf[si] as number;
      if (s.dropName) groupDrop[g] = 1;
      if (!seen[g]) {
        seen[g] = 1;
        val[g] = f;
        mean[g] = f;
        comp[g] = 0;
        count[g] = 1;
        incremental[g] = 0;
        if (e.op === 'stddev' || e.op === 'stdvar') val[g] = Number.isFinite(f) ? 0 : NaN;
        else if (e.op === 'quantile') heaps[g] = [f];
        continue;
      }
      switch (e.op) {
        case 'avg': {
          const c = (count[g] = (count[g] as number) + 1);
          if (!incremental[g]) {
            const [nv, nc] = kahanInc(f, val[g] as number, comp[g] as number);
            if (nv !== Infinity && nv !== -Infinity) {
              val[g] = nv;
              comp[g] = nc;
              break;
            }
            incremental[g] = 1;
            mean[g] = (val[g] as number) / (c - 1);
            comp[g] = (comp[g] as number) / (c - 1);
          }
          const q = (c - 1) / c;
          [mean[g], comp[g]] = kahanInc(f / c, q * (mean[g] as number), q * (comp[g] as number));
          break;
        }
        case 'stddev':
        case 'stdvar': {
          const c = (count[g] = (count[g] as number) + 1);
          const delta = f - (mean[g] as number);
          mean[g] = (mean[g] as number) + delta / c;
          val[g] = (val[g] as number) + delta * (f - (mean[g]));
          break;
        }
        case 'quantile':
          (heaps[g] as number[]).push(f);
          break;
        default:
          break;
      }
    }
    for (let g = 0; g < G; g++) {
      if (!seen[g]) continue;
      let r = val[g] as number;
      const c = count[g] as number;
      switch (e.op) {
        case 'avg':
          r = incremental[g] ? (mean[g] as number) + (comp[g] as number) : r / c + (comp[g] as number) / c;
          break;
        case 'stdvar':
          r = r / c;
          break;
        case 'stddev':
          r = Math.sqrt(r / c);
          break;
        case 'quantile':
          r = quantile(param[i] as number, heaps[g] as number[]);
          break;
        default:
          break;
      }
      const o = out[g] as StepSeries;
      if (groupDrop[g]) o.dropName = true;
      o.has[i] = 1;
      o.v[i] = r;
    }
  }
  return out.filter((s) => s.has.includes(1));
}

function countValues(ev: Evaluating, e: AggregateExpr, grouping: string[]): StepVector {
  const p = e.param;
  if (p === undefined || p.kind !== 'StringLiteral') throw execError('count_values needs a string label name');
  const valueLabel = p.value;
  if (!isValidLabelName(valueLabel)) throw execError(`invalid label name ${quoteGoBytes(valueLabel)}`);
  const groupBy = e.without ? grouping : [...grouping, valueLabel].sort(compareStrings);
  const input = ev.vector(e.expr);
  const n = ev.grid.n;
  const out = new Collector(n);
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) ev.ctx.check();
    const counts = new Map<string, { labels: Labels; c: number }>();
    for (const s of input) {
      if (!s.has[i]) continue;
      const labels = { ...s.labels, [valueLabel]: formatFloatF(s.v[i] as number) };
      const g = groupLabels(labels, groupBy, e.without);
      const key = labelsKey(g);
      const cur = counts.get(key);
      if (cur === undefined) counts.set(key, { labels: g, c: 1 });
      else cur.c++;
    }
    for (const [key, { labels, c }] of counts) out.add(labels, key, i, c);
  }
  return out.list;
}
