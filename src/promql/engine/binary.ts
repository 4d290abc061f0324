/**
 * Binary operators over step-vectorised values: scalar/scalar, vector/scalar and vector/vector
 * with on/ignoring, group_left/group_right and set operators (Prometheus' VectorBinop,
 * VectorscalarBinop, VectorAnd/Or/Unless, resultMetric).
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { BinaryExpr, VectorMatching } from '../ast.js';
import { exprType } from '../ast.js';
import { matchingExtensions } from '../parser/extensions.js';
import { ARITHMETIC, COMPARISON, elemBinop } from './binary-ops.js';
import { fixedPairs, matchLabels, resultLabels, signatureOf } from './binary-pairs.js';
import type { OpCtx } from './binary-pairs.js';
import type { Evaluating } from './context.js';
import { execError } from './errors.js';
import { Collector, labelsKey, labelsString, mergeSameLabels, newSeries, withoutName } from './series.js';
import type { StepSeries, StepVector } from './series.js';

export { goPow, scalarBinop } from './binary-ops.js';


/** Vector/vector or vector/scalar binary expression. */
export function evalBinary(ev: Evaluating, e: BinaryExpr): StepVector {
  const lt = exprType(e.lhs);
  const rt = exprType(e.rhs);
  if (lt === 'vector' && rt === 'vector') return vectorVector(ev, e);
  const swap = lt === 'scalar';
  const vec = ev.vector(swap ? e.rhs : e.lhs);
  const sc = ev.scalar(swap ? e.lhs : e.rhs);
  return vectorScalar(ev.grid.n, e, vec, sc, swap, ev.ctx.delayedNameRemoval);
}

function vectorScalar(n: number, e: BinaryExpr, vec: StepVector, sc: Float64Array, swap: boolean, delayed: boolean): StepVector {
  const cmp = COMPARISON.has(e.op);
  const drop = ARITHMETIC.has(e.op) || e.returnBool;
  const out: StepVector = [];
  for (const s of vec) {
    const id = drop ? withoutName(s.labels, s.key, delayed) : s;
    const o = newSeries(id.labels, n, id.key, id.dropName);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      const x = s.v[i] as number;
      const y = sc[i] as number;
      let [val, keep] = swap ? elemBinop(e.op, y, x) : elemBinop(e.op, x, y);
      if (cmp && swap) val = x;
      if (e.returnBool) {
        val = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      o.has[i] = 1;
      o.v[i] = val;
      any = true;
    }
    if (any) out.push(o);
  }
  return delayed ? out : mergeSameLabels(out);
}

const DEFAULT_MATCHING: VectorMatching = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };

function vectorVector(ev: Evaluating, e: BinaryExpr): StepVector {
  const m = e.matching ?? DEFAULT_MATCHING;
  const lhs = ev.vector(e.lhs);
  const rhs = ev.vector(e.rhs);
  const ords = new Map<string, number>();
  const signature = signatureOf(m);
  const sigOf = (list: StepVector): Int32Array => {
    const out = new Int32Array(list.length);
    list.forEach((s, i) => {
      const sig = signature(s.labels);
      let o = ords.get(sig);
      if (o === undefined) {
        o = ords.size;
        ords.set(sig, o);
      }
      out[i] = o;
    });
    return out;
  };
  const lsig = sigOf(lhs);
  const rsig = sigOf(rhs);
  const ctx = { n: ev.grid.n, numSigs: ords.size, check: () => ev.ctx.check(), delayed: ev.ctx.delayedNameRemoval };
  if (e.op === 'and' || e.op === 'or' || e.op === 'unless') return setOp(e.op, lhs, rhs, lsig, rsig, ctx);
  return arithmeticOrComparison(e, m, lhs, rhs, lsig, rsig, ctx);
}

function setOp(op: 'and' | 'or' | 'unless', lhs: StepVector, rhs: StepVector, lsig: Int32Array, rsig: Int32Array, c: OpCtx): StepVector {
  const out = new Collector(c.n);
  const mark = new Int32Array(c.numSigs).fill(-1);
  for (let i = 0; i < c.n; i++) {
    if (i % 256 === 0) c.check();
    let lAny = false;
    let rAny = false;
    for (const s of lhs) if (s.has[i]) { lAny = true; break; }
    for (const s of rhs) if (s.has[i]) { rAny = true; break; }
    const emit = (s: StepSeries): void => out.add(s.labels, s.key, i, s.v[i] as number, s.dropName);
    if (op === 'and') {
      if (!lAny || !rAny) continue;
      rhs.forEach((s, j) => { if (s.has[i]) mark[rsig[j] as number] = i; });
      lhs.forEach((s, j) => { if (s.has[i] && mark[lsig[j] as number] === i) emit(s); });
    } else if (op === 'or') {
      lhs.forEach((s, j) => {
        if (!s.has[i]) return;
        mark[lsig[j] as number] = i;
        emit(s);
      });
      rhs.forEach((s, j) => { if (s.has[i] && mark[rsig[j] as number] !== i) emit(s); });
    } else {
      if (rAny) rhs.forEach((s, j) => { if (s.has[i]) mark[rsig[j] as number] = i; });
      lhs.forEach((s, j) => { if (s.has[i] && mark[lsig[j] as number] !== i) emit(s); });
    }
  }
  return out.list;
}

function arithmeticOrComparison(
  e: BinaryExpr,
  m: VectorMatching,
  lhsIn: StepVector,
  rhsIn: StepVector,
  lsigIn: Int32Array,
  rsigIn: Int32Array,
  c: OpCtx,
): StepVector {
  if (m.card === 'many-to-many') throw execError('many-to-many only allowed for set operators');
  const swapped = m.card === 'one-to-many';
  const [lhs, rhs, lsig, rsig] = swapped ? [rhsIn, lhsIn, rsigIn, lsigIn] : [lhsIn, rhsIn, lsigIn, rsigIn];
  // fill(): a missing side takes the fill value (positional after the one-to-many swap, as upstream).
  const fill = matchingExtensions(m).fillValues;
  const fillL = fill?.lhs;
  const fillR = fill?.rhs;
  if (fill === undefined) {
    const fixed = fixedPairs(e, m, lhs, rhs, lsig, rsig, c, swapped);
    if (fixed !== undefined) return fixed;
  }
  const out = new Collector(c.n);
  const rightAt = new Int32Array(c.numSigs).fill(-1);
  const rightIdx = new Int32Array(c.numSigs);
  const matchedAt = new Int32Array(c.numSigs).fill(-1);
  const metricCache = new Map<number, { labels: Labels; key: string }>();
  const filledCache = new Map<string, { labels: Labels; key: string }>();
  const rn = rhs.length;
  let groupSeen: Map<number, Set<string>> | undefined;
  const metricOf = (cache: string | number, l: Labels, r: Labels): { labels: Labels; key: string } => {
    let metric = typeof cache === 'number' ? metricCache.get(cache) : filledCache.get(cache);
    if (metric === undefined) {
      const labels = resultLabels(l, r, e, m, c.delayed);
      metric = { labels, key: labelsKey(labels) };
      if (typeof cache === 'number') metricCache.set(cache, metric);
      else filledCache.set(cache, metric);
    }
    return metric;
  };
  /** One output sample of `l op r` at step i, with upstream's matching checks (doBinOp). */
  const binop = (i: number, sig: number, lv: number, rv: number, metric: { labels: Labels; key: string }): void => {
    const [raw, keep] = swapped ? elemBinop(e.op, rv, lv) : elemBinop(e.op, lv, rv);
    const val = e.returnBool ? (keep ? 1 : 0) : raw;
    if (groupSeen === undefined) {
      if (matchedAt[sig] === i) throw execError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matchedAt[sig] = i;
    } else {
      let set = groupSeen.get(sig);
      if (set === undefined) groupSeen.set(sig, (set = new Set()));
      if (set.has(metric.key)) throw execError('multiple matches for labels: grouping labels must ensure unique matches');
      set.add(metric.key);
    }
    if (!keep && !e.returnBool) return;
    out.add(metric.labels, metric.key, i, val, e.returnBool);
  };
  for (let i = 0; i < c.n; i++) {
    if (i % 256 === 0) c.check();
    const lAny = lhs.some((s) => s.has[i]);
    const rAny = rhs.some((s) => s.has[i]);
    if (fill === undefined ? !lAny || !rAny : !lAny && !rAny) continue;
    for (let j = 0; j < rn; j++) {
      const s = rhs[j] as StepSeries;
      if (!s.has[i]) continue;
      const sig = rsig[j] as number;
      if (rightAt[sig] === i) {
        const other = rhs[rightIdx[sig] as number] as StepSeries;
        let d1 = labelsString(s.labels);
        let d2 = labelsString(other.labels);
        if (compareStrings(d1, d2) > 0) [d1, d2] = [d2, d1];
        throw execError(
          `found duplicate series for the match group ${labelsString(matchLabels(s.labels, m))} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${d1}, ${d2}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      rightAt[sig] = i;
      rightIdx[sig] = j;
    }
    groupSeen = m.card === 'one-to-one' ? undefined : new Map<number, Set<string>>();
    lhs.forEach((ls, li) => {
      if (!ls.has[i]) return;
      const sig = lsig[li] as number;
      if (rightAt[sig] !== i) {
        if (fillR === undefined) return;
        binop(i, sig, ls.v[i] as number, fillR, metricOf(`l${li}`, ls.labels, matchLabels(ls.labels, m)));
        return;
      }
      const ri = rightIdx[sig] as number;
      const rs = rhs[ri] as StepSeries;
      binop(i, sig, ls.v[i] as number, rs.v[i] as number, metricOf(li * rn + ri, ls.labels, rs.labels));
    });
    if (fillL === undefined) continue;
    for (let j = 0; j < rn; j++) {
      const rs = rhs[j] as StepSeries;
      if (!rs.has[i]) continue;
      const sig = rsig[j] as number;
      if (groupSeen === undefined ? matchedAt[sig] === i : (groupSeen.get(sig)?.size ?? 0) > 0) continue;
      binop(i, sig, fillL, rs.v[i] as number, metricOf(`r${j}`, matchLabels(rs.labels, m), rs.labels));
    }
  }
  return out.list;
}
