/**
 * Small helpers over the PromQL AST for the migration and pack tools (the walk itself is
 * src/promql's childExprs/walkExpr, re-exported here): selectors, stripping of parentheses.
 */
import { childExprs, walkExpr } from '../../promql/index.js';
import type { Expr } from '../../promql/index.js';

/** An instant vector selector node (the promql index exports Expr only). */
export type VectorSelector = Extract<Expr, { kind: 'VectorSelector' }>;

export { childExprs, walkExpr };

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
