/**
 * promqltest's extra instant queries (test.go `atModifierTestCases`): every selector and subquery
 * outside a subquery gets `@ <eval time>` and the query runs again at other times, where it must
 * give the same result. Works on the AST, which is what upstream's expr.String() + re-parse amounts to.
 */
import type { Expr, SubqueryExpr, VectorSelector } from '../ast.js';

/** promql.AtModifierUnsafeFunctions (functions.go): their value depends on the evaluation time. */
export const AT_MODIFIER_UNSAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'end', 'hour', 'minute', 'month', 'year',
  'predict_linear', 'range', 'start', 'step', 'time', 'timestamp',
]);

/** One extra query: the pinned expression and the time to evaluate it at. */
export interface AtModifierCase {
  readonly expr: Expr;
  readonly evalTimeMs: number;
}

/**
 * The re-written expression and the times to evaluate it at, or [] when the expression calls a
 * time-dependent function outside any subquery (upstream skips those).
 */
export function atModifierCases(expr: Expr, evalTimeMs: number): AtModifierCase[] {
  const state = { unsafe: false };
  const rewritten = pin(expr, evalTimeMs, state);
  if (state.unsafe) return [];
  const ts = evalTimeMs;
  const times = ts === 0 ? [-1000, 0, 1000] : [-10 * ts, 0, Math.trunc(ts / 5), ts, 10 * ts];
  return times.map((t) => ({ expr: rewritten, evalTimeMs: t }));
}

function pinSelector(vs: VectorSelector, ts: number): VectorSelector {
  if (vs.timestampMs !== undefined) return vs;
  const { startOrEnd: _drop, ...rest } = vs;
  return { ...rest, timestampMs: ts };
}

/** Copies `e` with `@ ts` on selectors and subqueries not below a subquery; nodes below are kept. */
function pin(e: Expr, ts: number, state: { unsafe: boolean }): Expr {
  switch (e.kind) {
    case 'VectorSelector':
      return pinSelector(e, ts);
    case 'MatrixSelector':
      return { ...e, vectorSelector: pinSelector(e.vectorSelector, ts) };
    case 'SubqueryExpr': {
      if (e.timestampMs !== undefined) return e;
      const { startOrEnd: _drop, ...rest } = e;
      const out: SubqueryExpr = { ...rest, timestampMs: ts };
      return out;
    }
    case 'Call':
      if (AT_MODIFIER_UNSAFE_FUNCTIONS.has(e.func.name)) state.unsafe = true;
      return { ...e, args: e.args.map((a) => pin(a, ts, state)) };
    case 'AggregateExpr':
      return e.param ? { ...e, expr: pin(e.expr, ts, state), param: pin(e.param, ts, state) } : { ...e, expr: pin(e.expr, ts, state) };
    case 'BinaryExpr':
      return { ...e, lhs: pin(e.lhs, ts, state), rhs: pin(e.rhs, ts, state) };
    case 'ParenExpr':
    case 'UnaryExpr':
      return { ...e, expr: pin(e.expr, ts, state) };
    case 'StepInvariantExpr':
      // Only the engine's pre-processing adds these; the pinned tree is pre-processed again.
      return pin(e.expr, ts, state);
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
  }
}

/** True when a selector or subquery of the tree still uses `@ start()` / `@ end()`. */
export function usesStartOrEnd(e: Expr): boolean {
  switch (e.kind) {
    case 'VectorSelector':
      return e.startOrEnd !== undefined;
    case 'MatrixSelector':
      return e.vectorSelector.startOrEnd !== undefined;
    case 'SubqueryExpr':
      return e.startOrEnd !== undefined || usesStartOrEnd(e.expr);
    case 'Call':
      return e.args.some(usesStartOrEnd);
    case 'AggregateExpr':
      return usesStartOrEnd(e.expr) || (e.param !== undefined && usesStartOrEnd(e.param));
    case 'BinaryExpr':
      return usesStartOrEnd(e.lhs) || usesStartOrEnd(e.rhs);
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return usesStartOrEnd(e.expr);
    case 'NumberLiteral':
    case 'StringLiteral':
      return false;
  }
}
