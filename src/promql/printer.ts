/**
 * Canonical PromQL text of an AST, exactly as Prometheus' Expr.String() (promql/parser/printer.go)
 * prints it: `sum by (job) (rate(x[5m]))`, `a + on (l) group_left (m) b`, `x @ 123.000 offset 5m`.
 */
import type { Matcher } from '../core/matcher.js';
import type { AtModifier, BinaryExpr, Expr, VectorSelector } from './ast.js';
import type { DurationNode } from './parser/duration-expr.js';
import { formatModelDuration as formatDuration, quoteString } from './parser/go-text.js';
import { literalExtensions, matchingExtensions, matrixExtensions, selectorExtensions, subqueryExtensions } from './parser/extensions.js';

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PARAM_AGGS = new Set(['topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expStr] = m as unknown as [string, string, string, string | undefined, string];
  const digits = lead + frac;
  const exp = Number(expStr);
  if (exp >= 0) {
    const intLen = exp + 1;
    return sign + (digits.length <= intLen ? digits + '0'.repeat(intLen - digits.length) : `${digits.slice(0, intLen)}.${digits.slice(intLen)}`);
  }
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

/** Go's %v of a float64 (strconv 'g', shortest): `-23`, `1e-05`, `1e+21`, `NaN`, `+Inf`. */
export function formatFloatV(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = v.toExponential().split('e') as [string, string];
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return formatFloatF(v);
}

/** DurationExpr.String() and the NumberLiteral leaves under it. */
export function printDuration(n: DurationNode): string {
  let s: string;
  switch (n.kind) {
    case 'literal':
      if (!n.duration) s = formatFloatF(n.seconds);
      else s = n.seconds < 0 ? `-${formatDuration(Math.round(-n.seconds * 1000))}` : formatDuration(Math.round(n.seconds * 1000));
      break;
    case 'step':
    case 'range':
      s = `${n.kind}()`;
      break;
    case 'unary':
      s = n.op === '-' ? `-${printDuration(n.expr)}` : printDuration(n.expr);
      break;
    case 'min_of':
    case 'max_of':
      s = `${n.kind}(${printDuration(n.lhs)}, ${printDuration(n.rhs)})`;
      break;
    case 'binary':
      s = `${printDuration(n.lhs)} ${n.op} ${printDuration(n.rhs)}`;
      break;
  }
  return n.wrapped === true ? `(${s})` : s;
}

function labelList(names: readonly string[]): string {
  return names.map((n) => (LEGACY_LABEL.test(n) ? n : quoteString(n))).join(', ');
}

/** labels.Matcher.String(): the name quoted unless it is a classic label name. */
export function matcherString(m: Matcher): string {
  const name = LEGACY_LABEL.test(m.name) ? m.name : quoteString(m.name);
  return `${name}${m.type}${quoteString(m.value)}`;
}

function durationString(ms: number): string {
  return formatDuration(ms);
}

function atString(ts: number | undefined, se: AtModifier | undefined): string {
  if (ts !== undefined) return ` @ ${(ts / 1000).toFixed(3)}`;
  if (se === 'start') return ' @ start()';
  if (se === 'end') return ' @ end()';
  return '';
}

function offsetString(ms: number, expr?: DurationNode): string {
  if (expr) return ` offset ${printDuration(expr)}`;
  if (ms > 0) return ` offset ${durationString(ms)}`;
  if (ms < 0) return ` offset -${durationString(-ms)}`;
  return '';
}

function rangeModifier(vs: VectorSelector): string {
  const ext = selectorExtensions(vs);
  if (ext.anchored === true) return ' anchored';
  if (ext.smoothed === true) return ' smoothed';
  return '';
}

function selectorBody(vs: VectorSelector): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name && m.value !== '') continue;
    parts.push(matcherString(m));
  }
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return vs.name + (parts.length > 0 ? `{${parts.join(',')}}` : '');
}

function matchingString(e: BinaryExpr): string {
  const vm = e.matching;
  if (!vm) return '';
  let out = '';
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) out += ` ${vm.on ? 'on' : 'ignoring'} (${labelList(vm.matchingLabels)})`;
  if (grouped) out += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${labelList(vm.include)})`;
  const fill = matchingExtensions(vm).fillValues;
  if (fill && (fill.lhs !== undefined || fill.rhs !== undefined)) {
    if (fill.lhs !== undefined && fill.rhs !== undefined && fill.lhs === fill.rhs) out += ` fill (${formatFloatV(fill.lhs)})`;
    else {
      if (fill.lhs !== undefined) out += ` fill_left (${formatFloatV(fill.lhs)})`;
      if (fill.rhs !== undefined) out += ` fill_right (${formatFloatV(fill.rhs)})`;
    }
  }
  return out;
}

/** Expr.String(). StepInvariantExpr prints its inner expression, as upstream. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'AggregateExpr': {
      let head: string = e.op;
      if (e.without) head += ` without (${labelList(e.grouping)}) `;
      else if (e.grouping.length > 0) head += ` by (${labelList(e.grouping)}) `;
      const param = PARAM_AGGS.has(e.op) && e.param ? `${printExpr(e.param)}, ` : '';
      return `${head}(${param}${printExpr(e.expr)})`;
    }
    case 'BinaryExpr':
      return `${printExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matchingString(e)} ${printExpr(e.rhs)}`;
    case 'Call':
      return `${e.func.name}(${e.args.map(printExpr).join(', ')})`;
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      const ext = selectorExtensions(vs);
      const rangeExpr = matrixExtensions(e).rangeExpr;
      const range = rangeExpr ? printDuration(rangeExpr) : durationString(e.rangeMs);
      return `${selectorBody(vs)}[${range}]${rangeModifier(vs)}${atString(vs.timestampMs, vs.startOrEnd)}${offsetString(vs.offsetMs, ext.offsetExpr)}`;
    }
    case 'SubqueryExpr': {
      const ext = subqueryExtensions(e);
      const range = ext.rangeExpr ? printDuration(ext.rangeExpr) : durationString(e.rangeMs);
      const step = ext.stepExpr ? printDuration(ext.stepExpr) : e.stepMs !== 0 ? durationString(e.stepMs) : '';
      return `${printExpr(e.expr)}[${range}:${step}]${atString(e.timestampMs, e.startOrEnd)}${offsetString(e.offsetMs, ext.offsetExpr)}`;
    }
    case 'NumberLiteral':
      if (literalExtensions(e).duration === true && Number.isFinite(e.value)) {
        const ms = Math.round(Math.abs(e.value) * 1000);
        return e.value < 0 ? `-${formatDuration(ms)}` : formatDuration(ms);
      }
      return formatFloatF(e.value);
    case 'StringLiteral':
      return quoteString(e.value);
    case 'ParenExpr':
      return `(${printExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${printExpr(e.expr)}`;
    case 'VectorSelector':
      return `${selectorBody(e)}${atString(e.timestampMs, e.startOrEnd)}${rangeModifier(e)}${offsetString(e.offsetMs, selectorExtensions(e).offsetExpr)}`;
    case 'StepInvariantExpr':
      return printExpr(e.expr);
  }
}
