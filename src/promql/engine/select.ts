/**
 * Phase one of a query: find every selector, work out the time range it needs (lookback, range,
 * offset, `@`, enclosing subqueries) and fetch its series from the source (Prometheus'
 * FindMinMaxTime / getTimeRangesForSelector / populateSeries).
 */
import type { Expr, VectorSelector } from '../ast.js';
import { selectorExtensions } from '../parser/extensions.js';
import { infoPlan } from './info.js';
import type { SelectHints, SeriesSource, StoredSeries } from '../value.js';

/** Query-level times and settings selection ranges depend on. */
export interface SelectParams {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  readonly lookbackMs: number;
  readonly defaultSubqueryStepMs: number;
}

/** Series fetched per selector node. */
export type Selected = Map<VectorSelector, readonly StoredSeries[]>;

interface Found {
  readonly vs: VectorSelector;
  readonly hints: SelectHints;
}

/** Sum of offsets and ranges of the subqueries on the path; reset by a subquery's `@`. */
function subqueryTimes(path: readonly Expr[]): { offset: number; range: number; ts: number | undefined } {
  let offset = 0;
  let range = 0;
  let ts: number | undefined;
  for (const n of path) {
    if (n.kind !== 'SubqueryExpr') continue;
    offset += n.offsetMs;
    range += n.rangeMs;
    if (n.timestampMs !== undefined) {
      offset = n.offsetMs;
      range = n.rangeMs;
      ts = n.timestampMs;
    }
  }
  return { offset, range, ts };
}

function enclosingFunc(path: readonly Expr[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i] as Expr;
    if (n.kind === 'AggregateExpr') return n.op;
    if (n.kind === 'Call') return n.func.name;
    if (n.kind === 'BinaryExpr') return undefined;
  }
  return undefined;
}

function lastSubqueryStep(path: readonly Expr[], p: SelectParams): number {
  let step = 0;
  for (const n of path) if (n.kind === 'SubqueryExpr') step = n.stepMs || p.defaultSubqueryStepMs;
  return step;
}

function hintsFor(vs: VectorSelector, path: readonly Expr[], rangeMs: number, p: SelectParams): SelectHints {
  let start = p.startMs;
  let end = p.endMs;
  const sq = subqueryTimes(path);
  if (sq.ts !== undefined) start = end = sq.ts;
  if (vs.timestampMs !== undefined) {
    start = end = vs.timestampMs;
  } else {
    start -= sq.offset + sq.range;
    end -= sq.offset;
  }
  start -= (rangeMs === 0 ? p.lookbackMs : rangeMs) - 1;
  // anchored/smoothed read up to a lookback before the range, smoothed also one after its end.
  const ext = selectorExtensions(vs);
  if (ext.smoothed === true) end += p.lookbackMs;
  if (rangeMs !== 0 && (ext.anchored === true || ext.smoothed === true)) start -= p.lookbackMs;
  start -= vs.offsetMs;
  end -= vs.offsetMs;
  const func = enclosingFunc(path);
  const stepMs = lastSubqueryStep(path, p) || p.stepMs;
  // One step, no range: the selection reads only the newest sample at or before `end`.
  const latestOnly = stepMs === 0 && rangeMs === 0 && ext.smoothed !== true;
  return func === undefined ? { startMs: start, endMs: end, stepMs, rangeMs, latestOnly } : { startMs: start, endMs: end, stepMs, rangeMs, func, latestOnly };
}

function collect(e: Expr, path: Expr[], p: SelectParams, out: Found[]): void {
  const down = (c: Expr): void => {
    path.push(e);
    collect(c, path, p, out);
    path.pop();
  };
  switch (e.kind) {
    case 'VectorSelector':
      out.push({ vs: e, hints: hintsFor(e, path, 0, p) });
      return;
    case 'MatrixSelector':
      path.push(e);
      out.push({ vs: e.vectorSelector, hints: hintsFor(e.vectorSelector, path, e.rangeMs, p) });
      path.pop();
      return;
    case 'AggregateExpr':
      if (e.param !== undefined) down(e.param);
      down(e.expr);
      return;
    case 'BinaryExpr':
      down(e.lhs);
      down(e.rhs);
      return;
    case 'Call':
      if (e.func.name === 'info') {
        // info()'s second argument only holds matchers: its plan's selector is fetched instead.
        if (e.args[0] !== undefined) down(e.args[0]);
        const vs = infoPlan(e).selector;
        path.push(e);
        out.push({ vs, hints: hintsFor(vs, path, 0, p) });
        path.pop();
        return;
      }
      for (const a of e.args) down(a);
      return;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      down(e.expr);
      return;
    case 'NumberLiteral':
    case 'StringLiteral':
      return;
  }
}

/** The selectors of `expr` with the hints their select needs, in tree order. */
export function selectorHints(expr: Expr, p: SelectParams): Array<{ vs: VectorSelector; hints: SelectHints }> {
  const out: Found[] = [];
  collect(expr, [], p, out);
  return out;
}

/** Fetches every selector's series (concurrently) before evaluation starts. */
export async function populateSeries(source: SeriesSource, expr: Expr, p: SelectParams, signal: AbortSignal): Promise<Selected> {
  const found = selectorHints(expr, p);
  const results = await Promise.all(found.map((f) => source.select(f.vs.matchers, f.hints, signal)));
  const map: Selected = new Map();
  found.forEach((f, i) => map.set(f.vs, results[i] as readonly StoredSeries[]));
  return map;
}
