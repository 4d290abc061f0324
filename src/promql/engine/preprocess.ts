/**
 * Mirrors Prometheus' PreprocessExpr: resolves `@ start()` / `@ end()` to timestamps and wraps
 * sub-trees whose value does not depend on the evaluation step in StepInvariantExpr, so the
 * evaluator computes them once. Returns new nodes; the input tree is not modified.
 */
import type { Call, Expr, NumberLiteral, StepInvariantExpr, SubqueryExpr, VectorSelector } from '../ast.js';

/** Functions whose result varies with the evaluation time (AtModifierUnsafeFunctions). */
const AT_UNSAFE = new Set([
  'days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'end', 'hour', 'minute', 'month', 'year',
  'predict_linear', 'range', 'start', 'step', 'time', 'timestamp',
]);

interface Pre {
  readonly expr: Expr;
  readonly invariant: boolean;
  readonly wrap: boolean;
}

function wrapIn(expr: Expr): StepInvariantExpr {
  return { kind: 'StepInvariantExpr', expr, pos: expr.pos };
}

function unwrapParens(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

function resolveAt<T extends VectorSelector | SubqueryExpr>(n: T, start: number, end: number): T {
  if (n.startOrEnd === undefined) return n;
  const { startOrEnd, ...rest } = n;
  return { ...rest, timestampMs: startOrEnd === 'start' ? start : end } as T;
}

function hasStepInvariant(e: Expr): boolean {
  switch (e.kind) {
    case 'StepInvariantExpr':
      return true;
    case 'AggregateExpr':
      return hasStepInvariant(e.expr) || (e.param !== undefined && hasStepInvariant(e.param));
    case 'BinaryExpr':
      return hasStepInvariant(e.lhs) || hasStepInvariant(e.rhs);
    case 'Call':
      return e.args.some(hasStepInvariant);
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'SubqueryExpr':
      return hasStepInvariant(e.expr);
    default:
      return false;
  }
}

/** start(), end(), range() and step() become number literals (foldQueryContextFunctions). */
function foldQueryContext(e: Call, start: number, end: number, step: number): NumberLiteral | undefined {
  let value: number;
  switch (e.func.name) {
    case 'start': value = start / 1000; break;
    case 'end': value = end / 1000; break;
    case 'range': value = (end - start) / 1000; break;
    case 'step': value = start === end ? 0 : step / 1000; break;
    default: return undefined;
  }
  return { kind: 'NumberLiteral', value, pos: e.pos };
}

function walk(e: Expr, start: number, end: number, step = 0): Pre {
  if (e.kind === 'Call') {
    const folded = foldQueryContext(e, start, end, step);
    if (folded !== undefined) return { expr: folded, invariant: true, wrap: false };
  }
  switch (e.kind) {
    case 'VectorSelector': {
      const n = resolveAt(e, start, end);
      const inv = n.timestampMs !== undefined;
      return { expr: n, invariant: inv, wrap: inv };
    }
    case 'MatrixSelector': {
      const vs = resolveAt(e.vectorSelector, start, end);
      return { expr: { ...e, vectorSelector: vs }, invariant: vs.timestampMs !== undefined, wrap: false };
    }
    case 'AggregateExpr': {
      const inner = walk(unwrapParens(e.expr), start, end, step);
      const param = e.param === undefined ? undefined : walk(unwrapParens(e.param), start, end, step).expr;
      const expr = param === undefined ? { ...e, expr: inner.expr } : { ...e, expr: inner.expr, param };
      return { expr, invariant: inner.invariant, wrap: inner.wrap };
    }
    case 'BinaryExpr': {
      const l = walk(e.lhs, start, end, step);
      const r = walk(e.rhs, start, end, step);
      if (l.invariant && r.invariant) return { expr: { ...e, lhs: l.expr, rhs: r.expr }, invariant: true, wrap: true };
      const lhs = l.wrap ? wrapIn(l.expr) : l.expr;
      const rhs = r.wrap ? wrapIn(r.expr) : r.expr;
      return { expr: { ...e, lhs, rhs }, invariant: false, wrap: false };
    }
    case 'Call': {
      let invariant = !AT_UNSAFE.has(e.func.name);
      let timestampSafe = e.func.name === 'timestamp';
      const args = e.args.map((a) => walk(unwrapParens(a), start, end, step));
      for (const a of args) {
        invariant &&= a.invariant;
        if (!a.invariant || a.expr.kind !== 'VectorSelector') timestampSafe = false;
      }
      if (invariant || timestampSafe) return { expr: { ...e, args: args.map((a) => a.expr) }, invariant: true, wrap: true };
      return { expr: { ...e, args: args.map((a) => (a.wrap ? wrapIn(a.expr) : a.expr)) }, invariant: false, wrap: false };
    }
    case 'SubqueryExpr': {
      const inner = walk(e.expr, start, end, step);
      const n = resolveAt({ ...e, expr: inner.invariant ? wrapIn(inner.expr) : inner.expr }, start, end);
      return { expr: n, invariant: n.timestampMs !== undefined, wrap: false };
    }
    case 'ParenExpr':
    case 'UnaryExpr': {
      const inner = walk(e.expr, start, end, step);
      return { expr: { ...e, expr: inner.expr }, invariant: inner.invariant, wrap: inner.wrap };
    }
    case 'StringLiteral':
    case 'NumberLiteral':
      return { expr: e, invariant: true, wrap: false };
    case 'StepInvariantExpr':
      return { expr: e, invariant: true, wrap: false };
  }
}

/**
 * Wraps step-invariant sub-trees and resolves `@ start()` / `@ end()` (parser.PreprocessExpr).
 * A tree that already holds a StepInvariantExpr is taken as preprocessed and returned as is.
 */
export function preprocessExpr(expr: Expr, startMs: number, endMs: number, stepMs = 0): Expr {
  if (hasStepInvariant(expr)) return expr;
  const r = walk(expr, startMs, endMs, stepMs);
  return r.wrap ? wrapIn(r.expr) : r.expr;
}
