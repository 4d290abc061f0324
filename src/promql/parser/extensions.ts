/**
 * Fields upstream's AST has for experimental syntax that ast.ts does not declare yet: duration
 * expressions (`[step()]`, `offset (1h*2)`), `anchored` / `smoothed` range modifiers and the binop
 * `fill()` modifiers. The parser sets them on the nodes it returns (only when used); read them with
 * the helpers here. resolveDurations fills the step()/range() dependent durations of a query.
 */
import { mapChildExprs } from '../ast.js';
import type { Expr, NumberLiteral, MatrixSelector, SubqueryExpr, VectorMatching, VectorSelector } from '../ast.js';
import { calculateDurationMs } from './duration-expr.js';
import type { DurationContext, DurationNode } from './duration-expr.js';

export interface SelectorExtensions {
  /** `anchored` modifier (--enable-feature=promql-extended-range-selectors). */
  readonly anchored?: boolean;
  readonly smoothed?: boolean;
  /** The offset as written, when it is an expression rather than a literal. */
  readonly offsetExpr?: DurationNode;
}

export interface MatrixExtensions {
  readonly rangeExpr?: DurationNode;
}

export interface SubqueryExtensions {
  readonly rangeExpr?: DurationNode;
  readonly stepExpr?: DurationNode;
  readonly offsetExpr?: DurationNode;
}

/** A number written as a duration (`5m`), printed back as one (NumberLiteral.Duration). */
export interface LiteralExtensions {
  readonly duration?: boolean;
}

/** `fill(v)` / `fill_left(v)` / `fill_right(v)`: values for a missing side (FillValues). */
export interface MatchingExtensions {
  readonly fillValues?: { readonly lhs?: number; readonly rhs?: number };
}

export type ExtVectorSelector = VectorSelector & SelectorExtensions;
export type ExtMatrixSelector = MatrixSelector & MatrixExtensions;
export type ExtSubqueryExpr = SubqueryExpr & SubqueryExtensions;
export type ExtVectorMatching = VectorMatching & MatchingExtensions;

/** The experimental fields of a selector (empty object when none). */
export function selectorExtensions(vs: VectorSelector): SelectorExtensions {
  return vs as ExtVectorSelector;
}

export function literalExtensions(n: NumberLiteral): LiteralExtensions {
  return n as NumberLiteral & LiteralExtensions;
}

export function matrixExtensions(m: MatrixSelector): MatrixExtensions {
  return m as ExtMatrixSelector;
}

export function subqueryExtensions(s: SubqueryExpr): SubqueryExtensions {
  return s as ExtSubqueryExpr;
}

export function matchingExtensions(vm: VectorMatching): MatchingExtensions {
  return vm as ExtVectorMatching;
}

/**
 * Returns `e` with every duration written as an expression computed for a query with the given
 * step and range (end - start; 0 for instant queries), as the engine's durationVisitor does
 * (constant ones were already folded by the parser; this also reports their errors as upstream).
 * Errors carry upstream's `start:end: message` text.
 */
export function resolveDurations(e: Expr, ctx: DurationContext): { ok: true; expr: Expr } | { ok: false; error: string } {
  let error: string | undefined;
  const calc = (n: DurationNode | undefined, fallback: number, allowNegative: boolean): number => {
    if (!n || error !== undefined) return fallback;
    const r = calculateDurationMs(n, ctx, allowNegative);
    if (typeof r === 'string') {
      error = r;
      return fallback;
    }
    return r;
  };
  const walk = (x: Expr): Expr => {
    switch (x.kind) {
      case 'VectorSelector': {
        const off = selectorExtensions(x).offsetExpr;
        return off ? { ...x, offsetMs: calc(off, x.offsetMs, true) } : x;
      }
      case 'MatrixSelector': {
        const vs = walk(x.vectorSelector) as VectorSelector;
        return { ...x, vectorSelector: vs, rangeMs: calc(matrixExtensions(x).rangeExpr, x.rangeMs, false) };
      }
      case 'SubqueryExpr': {
        const ext = subqueryExtensions(x);
        return {
          ...x,
          expr: walk(x.expr),
          rangeMs: calc(ext.rangeExpr, x.rangeMs, false),
          stepMs: calc(ext.stepExpr, x.stepMs, false),
          offsetMs: calc(ext.offsetExpr, x.offsetMs, true),
        };
      }
      default:
        return mapChildExprs(x, walk);
    }
  };
  const out = walk(e);
  return error === undefined ? { ok: true, expr: out } : { ok: false, error };
}
