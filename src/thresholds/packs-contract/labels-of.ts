/**
 * Which labels the series of a PromQL expression certainly carry, worked out from the AST without
 * evaluating anything: a selector has its exporter's labels, `by(...)` keeps the listed labels the
 * input has, one-to-one matching with `on(...)` keeps only those labels, `group_left(...)` adds
 * the right side's included labels, `label_replace` adds its target, `or` keeps the labels both
 * sides have. The rules are Prometheus' (promql/engine.go resultMetric and aggregation, functions.go
 * label_replace/histogram_quantile). The contract uses it to prove that a dimensional threshold's
 * labels are on the value it is compared with, and that a warning and its critical tier produce
 * the same alert labels.
 */
import type { Expr } from '../../promql/index.js';
import { exprType } from '../../promql/index.js';
import { selectorUse } from './pack-model.js';
import type { Pack, SelectorUse } from './pack-model.js';

/** The labels a vector's series certainly have (no `__name__`); 'scalar' for a scalar or string; undefined when not known. */
export type LabelsOf = ReadonlySet<string> | 'scalar' | undefined;

/** The labels of the series one selector reads; undefined when not known. */
export type SelectorLabels = (sel: SelectorUse) => ReadonlySet<string> | undefined;

const intersect = (a: ReadonlySet<string>, b: Iterable<string>): Set<string> => new Set([...b].filter((x) => a.has(x)));
const minus = (a: ReadonlySet<string>, b: readonly string[]): Set<string> => new Set([...a].filter((x) => !b.includes(x)));

function stringArg(e: Expr | undefined): string | undefined {
  if (e?.kind === 'StringLiteral') return e.value;
  if (e?.kind === 'ParenExpr' || e?.kind === 'StepInvariantExpr') return stringArg(e.expr);
  return undefined;
}

/** The labels of `expr`'s output series; `selector` answers for every selector it reads. */
export function labelsOf(expr: Expr, selector: SelectorLabels): LabelsOf {
  const of = (e: Expr): LabelsOf => {
    switch (e.kind) {
      case 'NumberLiteral':
      case 'StringLiteral':
        return 'scalar';
      case 'VectorSelector':
        return selector(selectorUse(e));
      case 'MatrixSelector':
        return of(e.vectorSelector);
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr':
        return of(e.expr);
      case 'Call':
        return call(e.func.name, e.func.returnType, e.args);
      case 'AggregateExpr': {
        const inner = of(e.expr);
        if (inner === undefined || inner === 'scalar') return inner === 'scalar' ? new Set() : undefined;
        if (e.op === 'topk' || e.op === 'bottomk' || e.op === 'limitk' || e.op === 'limit_ratio') return inner;
        const kept = e.without ? minus(inner, e.grouping) : intersect(inner, e.grouping);
        const label = e.op === 'count_values' ? stringArg(e.param) : undefined;
        if (label !== undefined) kept.add(label);
        return kept;
      }
      case 'BinaryExpr':
        return binary(e.op, e.lhs, e.rhs, e.matching);
    }
  };

  const call = (name: string, returnType: string, args: readonly Expr[]): LabelsOf => {
    if (returnType === 'scalar' || returnType === 'string') return 'scalar';
    if (name === 'label_replace' || name === 'label_join') {
      const inner = args[0] === undefined ? undefined : of(args[0]);
      const dst = stringArg(args[1]);
      if (inner === undefined || inner === 'scalar' || dst === undefined) return undefined;
      return new Set([...inner, dst]);
    }
    if (name === 'vector') return new Set();
    if (name === 'absent' || name === 'absent_over_time') return undefined;
    const vectorArg = args.find((a) => exprType(a) === 'vector' || exprType(a) === 'matrix');
    if (vectorArg === undefined) return new Set();
    const inner = of(vectorArg);
    if (name === 'histogram_quantile' && inner !== undefined && inner !== 'scalar') return minus(inner, ['le']);
    return inner;
  };

  const binary = (op: string, lhs: Expr, rhs: Expr, matching: Extract<Expr, { kind: 'BinaryExpr' }>['matching']): LabelsOf => {
    const l = of(lhs);
    const r = of(rhs);
    if (l === 'scalar' && r === 'scalar') return 'scalar';
    if (l === 'scalar') return r;
    if (r === 'scalar') return l;
    if (op === 'and' || op === 'unless') return l;
    if (op === 'or') return l === undefined || r === undefined ? undefined : intersect(l, r);
    if (matching === undefined) return l;
    const fromOther = (other: LabelsOf): string[] => (other === undefined || other === 'scalar' ? [] : matching.include.filter((x) => other.has(x)));
    switch (matching.card) {
      case 'many-to-one':
        return l === undefined ? undefined : new Set([...minus(l, matching.include), ...fromOther(r)]);
      case 'one-to-many':
        return r === undefined ? undefined : new Set([...minus(r, matching.include), ...fromOther(l)]);
      default:
        if (l === undefined) return undefined;
        return matching.on ? intersect(l, matching.matchingLabels) : minus(l, matching.matchingLabels);
    }
  };

  return of(expr);
}

/**
 * The labels of every record of a pack, in rule order (a record read by a later rule answers with
 * the labels of its expression plus its rule labels; a name recorded twice keeps the labels both
 * have), and a SelectorLabels that answers records from them and everything else from `base`.
 */
export function packSelectorLabels(pack: Pack, base: SelectorLabels): SelectorLabels {
  const records = new Map<string, ReadonlySet<string> | undefined>();
  const answer: SelectorLabels = (sel) => (records.has(sel.metric) ? records.get(sel.metric) : base(sel));
  for (const r of pack.rules) {
    if (r.rule.kind !== 'recording') continue;
    const got = labelsOf(r.expr, answer);
    const set = got === undefined ? undefined : got === 'scalar' ? new Set<string>() : new Set([...got, ...Object.keys(r.rule.labels)]);
    const name = r.rule.record;
    if (records.has(name)) {
      const prev = records.get(name);
      records.set(name, prev === undefined || set === undefined ? undefined : intersect(prev, set));
    } else {
      records.set(name, set);
    }
  }
  return answer;
}
