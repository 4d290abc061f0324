/**
 * Small helpers over the PromQL AST (src/promql ast.ts) for the migration and pack tools: the
 * direct children of a node, a pre-order walk, and stripping of parentheses.
 */
import type { Expr } from '../../promql/index.js';

/** An instant vector selector node (the promql index exports Expr only). */
export type VectorSelector = Extract<Expr, { kind: 'VectorSelector' }>;

/** The direct sub-expressions of `e`, in source order. */
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

/** Every vector selector under `e` (those of range selectors included). */
export function vectorSelectors(e: Expr): VectorSelector[] {
  const out: VectorSelector[] = [];
  walkExpr(e, (n) => {
    if (n.kind === 'VectorSelector') out.push(n);
  });
  return out;
}

/** `e` without enclosing parentheses and step-invariant wrappers. */
export function unwrap(e: Expr): Expr {
  let cur = e;
  while (cur.kind === 'ParenExpr' || cur.kind === 'StepInvariantExpr') cur = cur.expr;
  return cur;
}

/** The value of the equality matcher on `label`, or undefined. */
export function equalityValue(sel: VectorSelector, label: string): string | undefined {
  for (const m of sel.matchers) if (m.name === label && m.type === '=') return m.value;
  return undefined;
}
