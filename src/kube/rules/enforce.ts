/**
 * Label enforcement in PromQL: a matcher `<label>="<value>"` put on every vector selector (also
 * those inside range selectors, subqueries, functions and aggregations), replacing any matcher the
 * expression already had on that label. This is what prometheus-operator's enforcedNamespaceLabel
 * does to PrometheusRule expressions (pkg/namespacelabeler/labeler.go, which uses
 * prom-label-proxy's injectproxy PromQLEnforcer with errorOnReplace=false); the result is re-printed
 * in Prometheus' canonical form.
 */
import { mustMatcher } from '../../core/matcher.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { formatParseError, mapChildExprs, parseExpr, printExpr } from '../../promql/index.js';
import type { Expr } from '../../promql/index.js';

type VectorSelector = Extract<Expr, { kind: 'VectorSelector' }>;

function enforceSelector(vs: VectorSelector, label: string, value: string): VectorSelector {
  const kept = vs.matchers.filter((m) => m.name !== label);
  return { ...vs, matchers: [...kept, mustMatcher(label, '=', value)] };
}

/** The expression with `label="value"` on every selector (nodes are copied, never mutated). */
export function enforceLabelInExpr(e: Expr, label: string, value: string): Expr {
  const walk = (x: Expr): Expr => {
    if (x.kind === 'VectorSelector') return enforceSelector(x, label, value);
    if (x.kind === 'MatrixSelector') return { ...x, vectorSelector: enforceSelector(x.vectorSelector, label, value) };
    return mapChildExprs(x, walk);
  };
  return walk(e);
}

/**
 * Parses `expr`, enforces `label="value"` on every selector and prints it back. A parse error is
 * an issue naming the expression's problem (as Prometheus words it).
 */
export function enforceLabel(expr: string, label: string, value: string): Result<string> {
  const parsed = parseExpr(expr);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    return fail([issue('invalid_expr', `could not parse expression: ${first ? formatParseError(first) : 'parse error'}`)]);
  }
  return ok(printExpr(enforceLabelInExpr(parsed.expr, label, value)));
}
