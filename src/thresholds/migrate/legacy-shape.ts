/**
 * Recognises the legacy per-tenant alert shapes a threshold can replace, on the PromQL AST:
 * `<measure> <op> <number>` (or `<number> <op> <measure>`), where the measure is a selector, an
 * aggregation (sum/max/min/avg) of one, rate()/irate() of a counter, or
 * histogram_quantile(q, ... rate(x_bucket[r]) ...), and the selector names its tenant with an
 * equality matcher on the tenant label (`namespace="a"`). Anything else is refused with a reason
 * the user can act on.
 */
import type { Expr } from '../../promql/index.js';
import { formatDuration } from '../../core/duration.js';
import { matcherToString } from '../../core/matcher.js';
import { DEFAULT_RATE_RANGE_MS, kindFromName } from './metric-kind.js';
import type { Measure } from './metric-kind.js';
import { unwrap } from './expr-walk.js';
import type { VectorSelector } from './expr-walk.js';

type AggregateExpr = Extract<Expr, { kind: 'AggregateExpr' }>;

/** A legacy comparison that maps onto a threshold. */
export interface LegacyShape {
  readonly tenant: string;
  readonly measure: Measure;
  readonly op: '>' | '>=' | '<' | '<=';
  readonly threshold: number;
  /** Equality matchers other than the tenant label's: the dimensions of the key. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** The measured side as the legacy rule computes it, for the tenant's own store (tenant matcher removed). */
  readonly legacyMeasure: string;
  /** The legacy aggregation when it differs from the pack's (a semantic change worth a --shadow run). */
  readonly note?: string;
}

export type ShapeResult = { readonly ok: true; readonly shape: LegacyShape } | { readonly ok: false; readonly reason: string };

const SET_OPS = new Set(['and', 'or', 'unless']);
const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SIMPLE_AGGS = new Set(['sum', 'max', 'min', 'avg']);
const FLIP: Record<'>' | '>=' | '<' | '<=', '>' | '>=' | '<' | '<='> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };

const refuse = (reason: string): ShapeResult => ({ ok: false, reason });

function constant(e: Expr): number | undefined {
  const u = unwrap(e);
  if (u.kind === 'NumberLiteral') return u.value;
  if (u.kind === 'UnaryExpr') {
    const v = constant(u.expr);
    return v === undefined ? undefined : u.op === '-' ? -v : v;
  }
  return undefined;
}

interface SelectorParts {
  readonly tenant: string;
  readonly dimensions: Record<string, string>;
}

function selectorParts(sel: VectorSelector, tenantLabel: string): SelectorParts | string {
  if (sel.name === '') return 'the selector has no metric name';
  if (sel.offsetMs !== 0 || sel.timestampMs !== undefined || sel.startOrEnd !== undefined) return `${sel.name}: offset and @ modifiers have no threshold equivalent`;
  let tenant: string | undefined;
  const dimensions: Record<string, string> = {};
  for (const m of sel.matchers) {
    if (m.name === '__name__') continue;
    if (m.name === tenantLabel) {
      if (m.type !== '=') return `${sel.name}: the tenant label is matched with ${matcherToString(m)}; a threshold needs one rule per tenant (${tenantLabel}="...")`;
      tenant = m.value;
      continue;
    }
    if (m.type !== '=') return `${sel.name}: matcher ${matcherToString(m)} cannot become a threshold dimension (only label="value" can)`;
    dimensions[m.name] = m.value;
  }
  if (tenant === undefined) return `${sel.name}: no ${tenantLabel}="..." matcher, so the rule names no tenant`;
  return { tenant, dimensions };
}

interface Measured {
  readonly measure: Measure;
  readonly sel: VectorSelector;
  readonly legacyAgg?: string;
  /** The measured expression re-printed without the tenant matcher. */
  readonly text: string;
}

/** `sel` printed without its name matcher and the tenant label's matcher. */
function selectorText(sel: VectorSelector, tenantLabel: string): string {
  const ms = sel.matchers.filter((m) => m.name !== '__name__' && m.name !== tenantLabel).map(matcherToString);
  return ms.length > 0 ? `${sel.name}{${ms.join(', ')}}` : sel.name;
}

function rateOf(e: Expr, tl: string): { sel: VectorSelector; rangeMs: number; text: string } | string {
  const u = unwrap(e);
  if (u.kind !== 'Call') return 'expected rate(...)';
  const fn = u.func.name;
  if (fn !== 'rate' && fn !== 'irate') return `function ${fn}() is not mapped (packs compare counters as rate())`;
  const arg = u.args[0];
  if (arg?.kind !== 'MatrixSelector') return `${fn}() of a subquery is not mapped`;
  return { sel: arg.vectorSelector, rangeMs: arg.rangeMs, text: `${fn}(${selectorText(arg.vectorSelector, tl)}[${formatDuration(arg.rangeMs)}])` };
}

function measured(e: Expr, tl: string): Measured | string {
  const u = unwrap(e);
  switch (u.kind) {
    case 'VectorSelector': {
      const kind = kindFromName(u.name);
      if (kind === 'counter') return `${u.name} is a counter compared without rate(): its raw value only grows`;
      if (kind === 'histogram') return `${u.name} is a histogram bucket compared without histogram_quantile()`;
      return { measure: { kind: 'gauge', metric: u.name, rangeMs: DEFAULT_RATE_RANGE_MS }, sel: u, text: selectorText(u, tl) };
    }
    case 'AggregateExpr':
      return aggregated(u, tl);
    case 'Call': {
      const fn = u.func.name;
      if (fn === 'rate' || fn === 'irate') {
        const r = rateOf(u, tl);
        if (typeof r === 'string') return r;
        if (kindFromName(r.sel.name) === 'histogram') return `${r.sel.name}: rate() of a histogram bucket without histogram_quantile() is not mapped`;
        return { measure: { kind: 'counter', metric: r.sel.name, rangeMs: r.rangeMs }, sel: r.sel, text: r.text, ...(fn === 'irate' ? { legacyAgg: 'irate' } : {}) };
      }
      if (fn === 'histogram_quantile') return quantileOf(u.args, tl);
      if (fn === 'absent' || fn === 'absent_over_time') return `${fn}() is a presence check, not a threshold (packs ship their own down/absent alerts)`;
      return `function ${fn}() is not mapped to a threshold`;
    }
    case 'BinaryExpr':
      return `arithmetic (${u.op}) on the measured value: no single metric to compare`;
    case 'SubqueryExpr':
      return 'subqueries are not mapped to a threshold';
    default:
      return `${u.kind} is not a measured value`;
  }
}

function aggregated(a: AggregateExpr, tl: string): Measured | string {
  if (!SIMPLE_AGGS.has(a.op)) return `aggregation ${a.op}() is not mapped (sum, max, min and avg are)`;
  const inner = measured(a.expr, tl);
  if (typeof inner === 'string') return inner;
  if (inner.legacyAgg !== undefined && inner.legacyAgg !== 'irate') return `nested aggregations (${a.op} of ${inner.legacyAgg}) are not mapped`;
  const grouped = a.grouping.length > 0 ? ` ${a.without ? 'without' : 'by'} (${a.grouping.join(', ')})` : '';
  return { ...inner, legacyAgg: `${a.op}${grouped}`, text: `${a.op}${grouped} (${inner.text})` };
}

function quantileOf(args: readonly Expr[], tl: string): Measured | string {
  const [qe, inner] = args;
  const q = qe === undefined ? undefined : constant(qe);
  if (q === undefined || !(q >= 0 && q <= 1)) return 'histogram_quantile() needs a constant quantile between 0 and 1';
  if (inner === undefined) return 'histogram_quantile() without buckets';
  let body = unwrap(inner);
  let wrap = (t: string): string => t;
  if (body.kind === 'AggregateExpr') {
    const grouping = body.grouping.join(', ');
    wrap = (t) => `sum by (${grouping}) (${t})`;
    if (body.op !== 'sum' || body.without || !body.grouping.includes('le')) return 'histogram_quantile() over anything but sum by (le, ...) (rate(x_bucket[r])) is not mapped';
    body = body.expr;
  }
  const r = rateOf(body, tl);
  if (typeof r === 'string') return `histogram_quantile(): ${r}`;
  if (kindFromName(r.sel.name) !== 'histogram') return `histogram_quantile() over ${r.sel.name}, which is not a _bucket series`;
  return { measure: { kind: 'histogram', metric: r.sel.name, rangeMs: r.rangeMs, quantile: q }, sel: r.sel, text: `histogram_quantile(${q}, ${wrap(r.text)})` };
}

/** Matches one legacy alert expression against the shapes a threshold can replace. */
export function matchLegacyExpr(expr: Expr, tenantLabel: string): ShapeResult {
  const top = unwrap(expr);
  if (top.kind !== 'BinaryExpr') {
    if (top.kind === 'Call' && (top.func.name === 'absent' || top.func.name === 'absent_over_time')) return refuse(`${top.func.name}() is a presence check, not a threshold (packs ship their own down/absent alerts)`);
    return refuse('not a comparison of a measured value with a constant');
  }
  if (SET_OPS.has(top.op)) return refuse(`'${top.op}' combines several conditions; a threshold key holds one comparison`);
  if (!COMPARISONS.has(top.op)) return refuse(`arithmetic (${top.op}) at the top level: not a comparison`);
  const op = top.op;
  if (op !== '>' && op !== '>=' && op !== '<' && op !== '<=') return refuse(`'${op}' against a constant is a state check, not a threshold`);
  if (top.returnBool) return refuse("the 'bool' modifier turns the comparison into a value; nothing to alert on");
  const rhsConst = constant(top.rhs);
  const lhsConst = constant(top.lhs);
  let side: Expr;
  let value: number;
  let finalOp = op;
  if (rhsConst !== undefined && lhsConst === undefined) {
    side = top.lhs;
    value = rhsConst;
  } else if (lhsConst !== undefined && rhsConst === undefined) {
    side = top.rhs;
    value = lhsConst;
    finalOp = FLIP[op];
  } else if (lhsConst !== undefined) {
    return refuse('both sides are constants');
  } else {
    return refuse('non-constant threshold: both sides are series');
  }
  if (!Number.isFinite(value)) return refuse(`the threshold ${value} is not a finite number`);
  const m = measured(side, tenantLabel);
  if (typeof m === 'string') return refuse(m);
  const parts = selectorParts(m.sel, tenantLabel);
  if (typeof parts === 'string') return refuse(parts);
  const canonical = m.measure.kind === 'gauge' ? 'max' : m.measure.kind === 'counter' ? 'sum of rate' : 'sum by (le) of rate';
  const legacy = m.legacyAgg ?? (m.measure.kind === 'gauge' ? 'none (per series)' : 'none');
  const same = (m.measure.kind === 'gauge' && (m.legacyAgg === 'max' || m.legacyAgg === undefined)) || (m.measure.kind === 'counter' && m.legacyAgg === 'sum') || m.measure.kind === 'histogram';
  const note = same ? undefined : `legacy aggregation ${legacy}, the pack uses ${canonical}: check with --shadow`;
  return { ok: true, shape: { tenant: parts.tenant, measure: m.measure, op: finalOp, threshold: value, dimensions: parts.dimensions, legacyMeasure: m.text, ...(note ? { note } : {}) } };
}
