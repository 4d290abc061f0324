/**
 * Phase two of a query: synchronous, step-vectorised evaluation of a preprocessed tree over a
 * grid of steps (Prometheus' evaluator.eval). Each node yields all its steps at once; subqueries
 * and step-invariant sub-trees run in child evaluators on their own grids.
 */
import type { Expr, SubqueryExpr } from '../ast.js';
import { exprType } from '../ast.js';
import type { Matrix, Series } from '../value.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary, scalarBinop } from './binary.js';
import { callScalar, callVector } from './call.js';
import type { EvalContext, Evaluating, RangeArg, RangeSeries } from './context.js';
import { upperBound } from './context.js';
import { execError } from './errors.js';
import { extendedMatrixSeries, selectorMode, smoothVector } from './extended-range.js';
import { rangeSeries, selectVector } from './selector.js';
import { countPoints, dropMetricName, makeGrid, mergeSameLabels, newSeries, withoutName } from './series.js';
import type { Grid, StepScalar, StepSeries, StepVector } from './series.js';

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr') e = e.expr;
  return e;
}

/** Evaluates nodes over one grid; children run on their own grids (subqueries, step-invariant parts). */
export class Evaluator implements Evaluating {
  constructor(
    readonly grid: Grid,
    readonly ctx: EvalContext,
  ) {}

  /** A scalar-typed expression: one value per step. */
  scalar(e: Expr): StepScalar {
    this.ctx.check();
    const n = this.grid.n;
    switch (e.kind) {
      case 'NumberLiteral':
        return new Float64Array(n).fill(e.value);
      case 'ParenExpr':
        return this.scalar(e.expr);
      case 'UnaryExpr': {
        const v = this.scalar(e.expr);
        return e.op === '-' ? v.map((x) => -x) : v;
      }
      case 'BinaryExpr': {
        const l = this.scalar(e.lhs);
        const r = this.scalar(e.rhs);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = scalarBinop(e.op, l[i] as number, r[i] as number);
        return out;
      }
      case 'Call':
        return callScalar(this, e);
      case 'StepInvariantExpr': {
        if (n <= 1) return this.scalar(e.expr);
        const once = this.single().scalar(e.expr);
        return new Float64Array(n).fill(once[0] ?? NaN);
      }
      default:
        throw execError(`unexpected ${e.kind} where a scalar is expected`);
    }
  }

  /** An instant-vector-typed expression over all steps. */
  vector(e: Expr): StepVector {
    this.ctx.check();
    const samples = this.ctx.samples;
    const before = samples.current;
    const out = this.vectorOf(e);
    samples.current = before;
    let total = 0;
    for (const s of out) total += countPoints(s);
    samples.add(total);
    return out;
  }

  private vectorOf(e: Expr): StepVector {
    switch (e.kind) {
      case 'VectorSelector':
        if (selectorMode(e) === 'smoothed') return smoothVector(rangeSeries(this.ctx, e), this.grid, e, this.ctx.lookbackMs);
        return selectVector(this.ctx, this.grid, e);
      case 'AggregateExpr':
        return evalAggregate(this, e);
      case 'BinaryExpr':
        return evalBinary(this, e);
      case 'Call':
        return callVector(this, e);
      case 'ParenExpr':
        return this.vector(e.expr);
      case 'UnaryExpr': {
        const v = this.vector(e.expr);
        if (e.op === '+') return v;
        const delayed = this.ctx.delayedNameRemoval;
        const neg = v.map((s) => {
          const id = withoutName(s.labels, s.key, delayed);
          const o = newSeries(id.labels, this.grid.n, id.key, id.dropName);
          o.has.set(s.has);
          for (let i = 0; i < s.v.length; i++) o.v[i] = -(s.v[i] as number);
          return o;
        });
        return delayed ? neg : mergeSameLabels(neg);
      }
      case 'StepInvariantExpr':
        return this.stepInvariant(e.expr);
      default:
        throw execError(`unexpected ${e.kind} where an instant vector is expected`);
    }
  }

  /** A child evaluator for one evaluation at the grid's start. */
  private single(): Evaluator {
    return new Evaluator(makeGrid(this.grid.start, this.grid.start, 0), this.ctx);
  }

  private stepInvariant(inner: Expr): StepVector {
    const n = this.grid.n;
    if (n <= 1) return this.vector(inner);
    const once = this.single().vector(inner);
    return once.map((s) => {
      const o = newSeries(s.labels, n, s.key, s.dropName);
      o.has.fill(1);
      o.v.fill(s.v[0] as number);
      return o;
    });
  }

  /** A range-vector argument (range selector or subquery) with its window placement. */
  rangeArg(e: Expr): RangeArg {
    const x = unwrap(e);
    if (x.kind === 'MatrixSelector') {
      const vs = x.vectorSelector;
      return { series: rangeSeries(this.ctx, vs), rangeMs: x.rangeMs, offsetMs: vs.offsetMs, atMs: vs.timestampMs, selector: vs };
    }
    if (x.kind === 'SubqueryExpr') {
      return { series: this.subquery(x), rangeMs: x.rangeMs, offsetMs: x.offsetMs, atMs: x.timestampMs, selector: undefined };
    }
    throw execError(`unexpected ${x.kind} where a range vector is expected`);
  }

  /** Evaluates a subquery's inner expression on its epoch-aligned grid (subqueryTimeRange). */
  private subquery(e: SubqueryExpr): RangeSeries[] {
    const interval = e.stepMs > 0 ? e.stepMs : this.ctx.defaultSubqueryStepMs;
    const g = this.grid;
    const pStart = e.timestampMs ?? g.start;
    const pEnd = e.timestampMs ?? g.ts[g.n - 1] ?? g.end;
    const lowest = pStart - e.offsetMs - e.rangeMs;
    let start = interval * Math.trunc(lowest / interval);
    if (start <= lowest) start += interval;
    const end = pEnd - e.offsetMs;
    const child = new Evaluator(makeGrid(start, end, interval), this.ctx);
    if (child.grid.n === 0) return [];
    let vec: StepVector;
    if (exprType(e.expr) === 'scalar') {
      const s = newSeries({}, child.grid.n);
      s.has.fill(1);
      s.v.set(child.scalar(e.expr));
      vec = [s];
    } else {
      vec = child.vector(e.expr);
    }
    return toPointsAll(vec, child.grid);
  }

  /** A range vector at the top of an instant query: the raw points of each series' window. */
  matrix(e: Expr): Matrix {
    const arg = this.rangeArg(e);
    const end = (arg.atMs ?? this.grid.start) - arg.offsetMs;
    const series: Series[] = [];
    let total = 0;
    const mode = arg.selector === undefined ? undefined : selectorMode(arg.selector);
    for (const s of arg.series) {
      if (mode !== undefined) {
        const x = extendedMatrixSeries(s, mode, end - arg.rangeMs, end, this.ctx.lookbackMs);
        if (x === undefined) continue;
        total += x.t.length;
        series.push({ labels: s.dropName === true ? dropMetricName(s.labels) : s.labels, t: x.t, v: x.v });
        continue;
      }
      const from = upperBound(s.t, end - arg.rangeMs);
      const to = upperBound(s.t, end, from);
      if (to <= from) continue;
      total += to - from;
      const labels = s.dropName === true ? dropMetricName(s.labels) : s.labels;
      series.push({ labels, t: s.t.slice(from, to), v: s.v.slice(from, to) });
    }
    this.ctx.samples.add(total);
    return { type: 'matrix', series };
  }
}

/**
 * The present points of each step series as timestamp/value arrays. Values share one buffer sized
 * to the total point count (one allocation per query instead of two per series), and series with
 * a point at every step share one copy of the grid's timestamps: a range query's result is often
 * dense, and this halves the memory it allocates.
 */
export function toPointsAll(list: StepVector, grid: Grid): RangeSeries[] {
  const counts = list.map(countPoints);
  let total = 0;
  let partial = 0;
  for (const c of counts) {
    total += c;
    if (c !== grid.n) partial += c;
  }
  const full = Float64Array.from(grid.ts);
  const tAll = new Float64Array(partial);
  const vAll = new Float64Array(total);
  let tAt = 0;
  let vAt = 0;
  return list.map((s, i) => {
    const c = counts[i] as number;
    const v = new Float64Array(vAll.buffer, vAt * 8, c);
    vAt += c;
    if (c === grid.n) return fillPoints(s, grid, undefined, full, v);
    const t = new Float64Array(tAll.buffer, tAt * 8, c);
    tAt += c;
    return fillPoints(s, grid, t, t, v);
  });
}

/** Copies the present points into `v` and, unless undefined, their times into `fill`; `t` is returned as the times. */
function fillPoints(s: StepSeries, grid: Grid, fill: Float64Array | undefined, t: Float64Array, v: Float64Array): RangeSeries {
  let k = 0;
  for (let i = 0; i < grid.n; i++) {
    if (!s.has[i]) continue;
    if (fill !== undefined) fill[k] = grid.ts[i] as number;
    v[k++] = s.v[i] as number;
  }
  return s.dropName ? { labels: s.labels, t, v, dropName: true } : { labels: s.labels, t, v };
}
