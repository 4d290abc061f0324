/**
 * Preparation of an instant query's expression, kept per parsed expression: durations written as
 * expressions resolved for step 0 and range 0, then Prometheus' PreprocessExpr (step-invariant
 * wrapping, `@ start()` / `@ end()`). For an instant query the result depends on the query time
 * only through `@ start()`, `@ end()`, `start()` and `end()`; an expression without them is
 * prepared once, which matters to callers that run the same parsed expression again and again
 * (the ruler evaluates each rule's expression every interval).
 */
import type { Expr } from '../ast.js';
import { PromQLQueryError } from '../api.js';
import { resolveDurations } from '../parser/extensions.js';
import { preprocessExpr } from './preprocess.js';

/** Prepared forms of time-independent expressions, by the parsed expression object. */
const prepared = new WeakMap<Expr, Expr>();

/** The expression with durations resolved for a query of step `stepMs` over `rangeMs`; errors are bad_data. */
export function withDurations(expr: Expr, stepMs: number, rangeMs: number): Expr {
  const r = resolveDurations(expr, { stepMs, rangeMs });
  if (!r.ok) throw new PromQLQueryError('bad_data', r.error);
  return r.expr;
}

/** `expr` ready for an instant query at `timeMs` (what runQuery evaluates). Throws PromQLQueryError. */
export function prepareInstant(expr: Expr, timeMs: number): Expr {
  const hit = prepared.get(expr);
  if (hit !== undefined) return hit;
  const out = preprocessExpr(withDurations(expr, 0, 0), timeMs, timeMs, 0);
  if (!usesQueryTime(expr)) prepared.set(expr, out);
  return out;
}

/** True when an instant query's preparation of `e` depends on the query time. */
export function usesQueryTime(e: Expr): boolean {
  switch (e.kind) {
    case 'VectorSelector':
      return e.startOrEnd !== undefined;
    case 'MatrixSelector':
      return usesQueryTime(e.vectorSelector);
    case 'SubqueryExpr':
      return e.startOrEnd !== undefined || usesQueryTime(e.expr);
    case 'AggregateExpr':
      return usesQueryTime(e.expr) || (e.param !== undefined && usesQueryTime(e.param));
    case 'BinaryExpr':
      return usesQueryTime(e.lhs) || usesQueryTime(e.rhs);
    case 'Call':
      return e.func.name === 'start' || e.func.name === 'end' || e.args.some(usesQueryTime);
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return usesQueryTime(e.expr);
    case 'NumberLiteral':
    case 'StringLiteral':
      return false;
  }
}
