/**
 * The typed PromQL syntax tree. Mirrors Prometheus' promql/parser/ast.go (Prometheus 3.x): the
 * parser (./parser) produces it from @prometheus-io/lezer-promql's tree after type checking, the
 * printer (./printer.ts) turns it back into canonical text, the engine (./engine) evaluates it.
 *
 * Times and durations are milliseconds. Positions are UTF-16 offsets into the query text.
 */
import type { Matcher } from '../core/matcher.js';

/** A half-open range [start, end) of the query text (parser.PositionRange). */
export interface PosRange {
  readonly start: number;
  readonly end: number;
}

/** The four value types of PromQL (parser.ValueType). */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type AggregateOp = 'sum' | 'avg' | 'count' | 'min' | 'max' | 'group' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'count_values' | 'quantile' | 'limitk' | 'limit_ratio';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

/** `@ start()` / `@ end()` (parser.START / parser.END); absent when the modifier is a number or missing. */
export type AtModifier = 'start' | 'end';

/**
 * An instant vector selector: `name{l="v"} offset 5m @ 123`. `matchers` holds every matcher,
 * including `__name__="name"` when a name was written (as Prometheus does).
 */
export interface VectorSelector {
  readonly kind: 'VectorSelector';
  readonly name: string;
  readonly matchers: readonly Matcher[];
  /** Offset in ms (negative offsets allowed); 0 when absent. */
  readonly offsetMs: number;
  /** `@ <number>` in ms; undefined when absent or when `startOrEnd` is set. */
  readonly timestampMs?: number;
  readonly startOrEnd?: AtModifier;
  readonly pos: PosRange;
}

/** `selector[5m]`. Offset and `@` live on the inner VectorSelector, as upstream. */
export interface MatrixSelector {
  readonly kind: 'MatrixSelector';
  readonly vectorSelector: VectorSelector;
  readonly rangeMs: number;
  readonly pos: PosRange;
}

/** `expr[range:step] offset x @ t`. stepMs 0 means "the default evaluation interval". */
export interface SubqueryExpr {
  readonly kind: 'SubqueryExpr';
  readonly expr: Expr;
  readonly rangeMs: number;
  readonly stepMs: number;
  readonly offsetMs: number;
  readonly timestampMs?: number;
  readonly startOrEnd?: AtModifier;
  readonly pos: PosRange;
}

export interface NumberLiteral {
  readonly kind: 'NumberLiteral';
  readonly value: number;
  readonly pos: PosRange;
}

export interface StringLiteral {
  readonly kind: 'StringLiteral';
  readonly value: string;
  readonly pos: PosRange;
}

export interface ParenExpr {
  readonly kind: 'ParenExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

/** `-x` / `+x`. */
export interface UnaryExpr {
  readonly kind: 'UnaryExpr';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** parser.VectorMatching: how the two sides of a vector/vector binary operation pair up. */
export interface VectorMatching {
  readonly card: VectorMatchCardinality;
  /** Labels of `on(...)` or `ignoring(...)`. */
  readonly matchingLabels: readonly string[];
  /** True for `on`, false for `ignoring` (or no clause). */
  readonly on: boolean;
  /** Extra labels of `group_left(...)` / `group_right(...)`. */
  readonly include: readonly string[];
}

export interface BinaryExpr {
  readonly kind: 'BinaryExpr';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** Present when both sides are instant vectors (set operators always many-to-many). */
  readonly matching?: VectorMatching;
  /** The `bool` modifier of comparison operators. */
  readonly returnBool: boolean;
  readonly pos: PosRange;
}

export interface AggregateExpr {
  readonly kind: 'AggregateExpr';
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio. */
  readonly param?: Expr;
  readonly grouping: readonly string[];
  /** `without(...)`; false for `by(...)` and for no clause. */
  readonly without: boolean;
  readonly pos: PosRange;
}

/** A function's signature (parser.Function in promql/parser/functions.go). */
export interface FunctionSignature {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /** 0: exactly argTypes; n > 0: the last n argTypes are optional; -1: the last repeats without bound. */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Behind `--enable-feature=promql-experimental-functions` upstream. */
  readonly experimental: boolean;
}

export interface Call {
  readonly kind: 'Call';
  readonly func: FunctionSignature;
  readonly args: readonly Expr[];
  readonly pos: PosRange;
}

/**
 * Wraps a sub-tree whose value does not depend on the evaluation step (a literal, or anything under
 * `@`); the engine evaluates it once and repeats the result (parser.StepInvariantExpr, added by
 * PreprocessExpr, never printed).
 */
export interface StepInvariantExpr {
  readonly kind: 'StepInvariantExpr';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export type Expr =
  | AggregateExpr
  | BinaryExpr
  | Call
  | MatrixSelector
  | SubqueryExpr
  | NumberLiteral
  | StringLiteral
  | ParenExpr
  | UnaryExpr
  | VectorSelector
  | StepInvariantExpr;

/** The value type an expression yields (parser.Expr.Type()). */
export function exprType(e: Expr): ValueType {
  switch (e.kind) {
    case 'AggregateExpr':
      return 'vector';
    case 'BinaryExpr':
      return exprType(e.lhs) === 'scalar' && exprType(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'Call':
      return e.func.returnType;
    case 'MatrixSelector':
    case 'SubqueryExpr':
      return 'matrix';
    case 'NumberLiteral':
      return 'scalar';
    case 'StringLiteral':
      return 'string';
    case 'ParenExpr':
    case 'StepInvariantExpr':
      return exprType(e.expr);
    case 'UnaryExpr':
      return exprType(e.expr);
    case 'VectorSelector':
      return 'vector';
  }
}

/** The direct sub-expressions of `e`, in source order (a range selector's vector selector included). */
export function childExprs(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'AggregateExpr':
      return e.param ? [e.param, e.expr] : [e.expr];
    case 'BinaryExpr':
      return [e.lhs, e.rhs];
    case 'Call':
      return e.args;
    case 'MatrixSelector':
      return [e.vectorSelector];
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return [e.expr];
    case 'NumberLiteral':
    case 'StringLiteral':
    case 'VectorSelector':
      return [];
  }
}

/** Visits `e` and every node under it, parents first. */
export function walkExpr(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  for (const c of childExprs(e)) walkExpr(c, visit);
}

/**
 * A copy of `e` with each direct sub-expression replaced by `f(child)` (nodes are never mutated).
 * Selectors are leaves here: a range selector's vector selector is left alone.
 */
export function mapChildExprs(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'AggregateExpr':
      return e.param ? { ...e, expr: f(e.expr), param: f(e.param) } : { ...e, expr: f(e.expr) };
    case 'BinaryExpr':
      return { ...e, lhs: f(e.lhs), rhs: f(e.rhs) };
    case 'Call':
      return { ...e, args: e.args.map(f) };
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      return { ...e, expr: f(e.expr) };
    case 'MatrixSelector':
    case 'VectorSelector':
    case 'NumberLiteral':
    case 'StringLiteral':
      return e;
  }
}
