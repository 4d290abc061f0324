/**
 * Prometheus' type checks (parser.checkAST) over a built tree, with upstream's wording. Runs only
 * when construction found no errors, as upstream does. May normalise the tree the same way
 * upstream does: set operators become many-to-many, non vector/vector matching is dropped.
 */
import type { BinaryExpr, Expr, PosRange, ValueType, VectorMatching } from '../ast.js';
import { exprType } from '../ast.js';
import type { ErrorSink } from './walk.js';
import { quoteString } from './go-text.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

/** parser.DocumentedType. */
export function documentedType(t: ValueType | 'none'): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

/** Checks `e` and everything under it, reporting each problem to `errors`. */
export function checkTypes(e: Expr, input: string, errors: ErrorSink): ValueType {
  const err = (m: string, p: PosRange): void => errors.add(m, p);
  const expect = (n: Expr, want: ValueType, context: string): void => {
    const t = checkTypes(n, input, errors);
    if (t !== want) err(`expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`, n.pos);
  };
  switch (e.kind) {
    case 'AggregateExpr':
      expect(e.expr, 'vector', 'aggregation expression');
      if (['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio'].includes(e.op) && e.param) expect(e.param, 'scalar', 'aggregation parameter');
      if (e.op === 'count_values' && e.param) expect(e.param, 'string', 'aggregation parameter');
      break;
    case 'BinaryExpr':
      checkBinary(e, input, errors);
      break;
    case 'Call': {
      const f = e.func;
      const nargs = f.argTypes.length;
      if (f.variadic === 0) {
        if (nargs !== e.args.length) err(`expected ${nargs} argument(s) in call to ${quoteString(f.name)}, got ${e.args.length}`, e.pos);
      } else {
        const na = nargs - 1;
        if (na > e.args.length) err(`expected at least ${na} argument(s) in call to ${quoteString(f.name)}, got ${e.args.length}`, e.pos);
        else if (f.variadic > 0 && na + f.variadic < e.args.length) {
          err(`expected at most ${na + f.variadic} argument(s) in call to ${quoteString(f.name)}, got ${e.args.length}`, e.pos);
        }
      }
      if (f.name === 'info' && e.args.length > 1) {
        const a = e.args[1] as Expr;
        const t = exprType(a);
        if (t !== 'vector') err(`expected type instant vector in call to function "info", got ${documentedType(t)}`, e.pos);
        if (a.kind === 'VectorSelector' && a.name !== '') err('expected label selectors only, got vector selector instead', a.pos);
        else if (a.kind !== 'VectorSelector') err('expected label selectors only', a.pos);
      }
      e.args.forEach((arg, i) => {
        if (i >= nargs && f.variadic === 0) return;
        const want = f.argTypes[Math.min(i, nargs - 1)] as ValueType;
        const skipEmptyCheck = f.name === 'info' && i === 1 && arg.kind === 'VectorSelector';
        const t = skipEmptyCheck ? 'vector' : checkTypes(arg, input, errors);
        if (t !== want) err(`expected type ${documentedType(want)} in call to function ${quoteString(f.name)}, got ${documentedType(t)}`, arg.pos);
      });
      break;
    }
    case 'ParenExpr':
    case 'StepInvariantExpr':
      checkTypes(e.expr, input, errors);
      break;
    case 'UnaryExpr': {
      const t = checkTypes(e.expr, input, errors);
      if (t !== 'scalar' && t !== 'vector') err(`unary expression only allowed on expressions of type scalar or instant vector, got ${quoteString(documentedType(t))}`, e.pos);
      break;
    }
    case 'SubqueryExpr': {
      const t = checkTypes(e.expr, input, errors);
      if (t !== 'vector') err(`subquery is only allowed on instant vector, got ${t} instead`, e.pos);
      break;
    }
    case 'MatrixSelector':
      checkTypes(e.vectorSelector, input, errors);
      break;
    case 'VectorSelector':
      if (e.name !== '') {
        for (const m of e.matchers.slice(0, -1)) {
          if (m.name === '__name__') err(`metric name must not be set twice: ${quoteString(e.name)} or ${quoteString(m.value)}`, e.pos);
        }
      } else if (!e.matchers.some((m) => !m.matches(''))) {
        err('vector selector must contain at least one non-empty matcher', e.pos);
      }
      break;
    case 'NumberLiteral':
    case 'StringLiteral':
      break;
  }
  return exprType(e);
}

function checkBinary(n: Mutable<BinaryExpr>, input: string, errors: ErrorSink): void {
  const err = (m: string, p: PosRange): void => errors.add(m, p);
  const lt = checkTypes(n.lhs, input, errors);
  const rt = checkTypes(n.rhs, input, errors);
  const opRange = (): PosRange => {
    let start = n.lhs.pos.end;
    while (/\s/.test(input[start] ?? '')) start++;
    let end = n.rhs.pos.start - 1;
    while (/\s/.test(input[end] ?? '')) end--;
    return { start, end };
  };
  const comparison = COMPARISON.has(n.op);
  const setOp = SET_OPS.has(n.op);
  if (n.returnBool && !comparison) err('bool modifier can only be used on comparison operators', opRange());
  if (comparison && !n.returnBool && lt === 'scalar' && rt === 'scalar') err('comparisons between scalars must use BOOL modifier', opRange());
  let vm = n.matching as Mutable<VectorMatching> | undefined;
  if (vm && setOp && vm.card === 'one-to-one') {
    vm = { ...vm, card: 'many-to-many' };
    n.matching = vm;
  }
  if (vm?.on) {
    for (const l1 of vm.matchingLabels) {
      if (vm.include.includes(l1)) err(`label ${quoteString(l1)} must not occur in ON and GROUP clause at once`, opRange());
    }
  }
  if (lt !== 'scalar' && lt !== 'vector') err('binary expression must contain only scalar and instant vector types', n.lhs.pos);
  if (rt !== 'scalar' && rt !== 'vector') err('binary expression must contain only scalar and instant vector types', n.rhs.pos);
  if ((lt !== 'vector' || rt !== 'vector') && vm) {
    if (vm.matchingLabels.length > 0) err('vector matching only allowed between instant vectors', n.pos);
    delete n.matching;
  } else if (setOp && vm) {
    if (vm.card === 'one-to-many' || vm.card === 'many-to-one') err(`no grouping allowed for ${quoteString(n.op)} operation`, n.pos);
    if (vm.card !== 'many-to-many') err('set operations must always be many-to-many', n.pos);
  }
  if ((lt === 'scalar' || rt === 'scalar') && setOp) err(`set operator ${quoteString(n.op)} not allowed in binary scalar expression`, n.pos);
}
