/**
 * Turns @prometheus-io/lezer-promql's syntax tree into Herald's typed AST, applying the
 * construction-time rules of upstream's grammar actions (generated_parser.y): offsets, `@`,
 * ranges, matchers, function lookup, aggregation arguments. Type rules live in check-types.ts.
 */
import type { SyntaxNode } from '@lezer/common';
import { newMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import type { NumberLiteral, AggregateExpr, AggregateOp, AtModifier, BinaryOp, Expr, MatrixSelector, PosRange, SubqueryExpr, VectorMatching, VectorSelector } from '../ast.js';
import { getFunction } from '../functions/signatures.js';
import { buildDuration, calculateDurationMs } from './duration-expr.js';
import type { DurationNode } from './duration-expr.js';
import type { ExtVectorMatching, ExtVectorSelector, LiteralExtensions } from './extensions.js';
import { goFloatF, isValidUtf8Name, quoteString, regexError } from './go-text.js';
import { parseNumber, unquoteString, durationError, parseDurationMs } from './literals.js';

/** The parser options the walker needs. */
export interface WalkOptions {
  readonly experimentalFunctions: boolean;
  readonly enableDurationExpressions: boolean;
  readonly enableExtendedRangeSelectors: boolean;
  readonly enableBinopFillModifiers: boolean;
}

/** Where construction and type errors go. */
export interface ErrorSink {
  add(message: string, pos: PosRange): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const AGG_WITH_PARAM = new Set<AggregateOp>(['topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);
const EXPERIMENTAL_AGG = new Set<AggregateOp>(['limitk', 'limit_ratio']);

/** The walker: one per parse. */
export class TreeWalker {
  constructor(
    private readonly input: string,
    private readonly opts: WalkOptions,
    private readonly errors: ErrorSink,
  ) {}

  private text(n: SyntaxNode): string {
    return this.input.slice(n.from, n.to);
  }

  private err(message: string, pos: PosRange): void {
    this.errors.add(message, pos);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  /** Builds the expression of a node in the Expr group. */
  expr(n: SyntaxNode): Expr {
    const pos = { start: n.from, end: n.to };
    const kids = this.children(n);
    switch (n.name) {
      case 'PromQL': {
        const first = kids[0];
        if (!first) throw new Error('empty tree');
        return this.expr(first);
      }
      case 'NumberDurationLiteral': {
        const text = this.text(n).replace(/\s+/g, '');
        const lit: NumberLiteral & LiteralExtensions = { kind: 'NumberLiteral', value: this.numberValue(text, pos), pos };
        // Written as a duration (`5m`): printed back as one, as upstream's NumberLiteral.Duration.
        if (!/^[+-]?\d+(?:ms|[smhdwy])/.test(text)) return lit;
        const asDuration: NumberLiteral & LiteralExtensions = { ...lit, duration: true };
        return asDuration;
      }
      case 'StringLiteral':
        return { kind: 'StringLiteral', value: this.stringValue(n), pos };
      case 'ParenExpr':
        return { kind: 'ParenExpr', expr: this.expr(this.only(kids, n)), pos };
      case 'UnaryExpr': {
        const op = this.text(kids[0] as SyntaxNode) === '-' ? '-' : '+';
        const inner = this.expr(kids[1] as SyntaxNode);
        if (inner.kind === 'NumberLiteral') return { ...inner, value: op === '-' ? -inner.value : inner.value, pos };
        return { kind: 'UnaryExpr', op, expr: inner, pos };
      }
      case 'VectorSelector':
        return this.vectorSelector(kids, pos);
      case 'MatrixSelector':
        return this.postfix(kids, pos, (inner) => this.matrixSelector(inner, n, kids, pos));
      case 'SubqueryExpr':
        return this.postfix(kids, pos, (inner) => this.subquery(inner, kids, pos));
      case 'OffsetExpr':
        return this.postfix(kids, pos, (inner) => this.offset(inner, kids, pos));
      case 'StepInvariantExpr':
        return this.postfix(kids, pos, (inner) => this.at(inner, kids, pos));
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return this.postfix(kids, pos, (inner) => this.rangeModifier(inner, n.name === 'AnchoredExpr' ? 'anchored' : 'smoothed', pos));
      case 'BinaryExpr':
        return this.binary(kids, pos);
      case 'AggregateExpr':
        return this.aggregate(kids, pos);
      case 'FunctionCall':
        return this.call(kids, pos);
      default:
        this.err(`unexpected ${n.name}`, pos);
        return { kind: 'NumberLiteral', value: 0, pos };
    }
  }

  private only(kids: SyntaxNode[], n: SyntaxNode): SyntaxNode {
    const k = kids.find((c) => c.name !== '(' && c.name !== ')');
    if (!k) throw new Error(`empty ${n.name}`);
    return k;
  }

  private numberValue(s: string, pos: PosRange): number {
    const body = s.replace(/^[+-]/, '');
    if (/^\d+(?:ms|[smhdwy])/.test(body)) {
      const ms = parseDurationMs(body);
      if (ms === undefined) {
        this.err(durationError(body), pos);
        return 0;
      }
      return (s.startsWith('-') ? -ms : ms) / 1000;
    }
    const r = parseNumber(s);
    if (!r.ok) {
      this.err(`error parsing number: ${r.error}`, pos);
      return 0;
    }
    return r.value;
  }

  private stringValue(n: SyntaxNode): string {
    const raw = this.text(n);
    const r = unquoteString(raw);
    if (!r.ok) {
      this.err(`error unquoting string ${quoteString(raw)}: ${r.error}`, { start: n.from, end: n.to });
      return '';
    }
    return r.value;
  }

  private vectorSelector(kids: SyntaxNode[], pos: PosRange): VectorSelector {
    let name = '';
    const matchers: Matcher[] = [];
    for (const k of kids) {
      if (k.name === 'Identifier') name = this.text(k);
      if (k.name === 'LabelMatchers') for (const m of this.children(k)) this.labelMatcher(m, matchers);
    }
    if (name !== '') matchers.push(this.matcher('__name__', '=', name, pos));
    return { kind: 'VectorSelector', name, matchers, offsetMs: 0, pos };
  }

  private labelMatcher(m: SyntaxNode, out: Matcher[]): void {
    const parts = this.children(m);
    if (m.name === 'QuotedLabelName') {
      out.push(this.matcher('__name__', '=', this.stringValue(parts[0] as SyntaxNode), { start: m.from, end: m.to }));
      return;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') return;
    const [nameNode, opNode, valueNode] = parts as [SyntaxNode, SyntaxNode, SyntaxNode];
    const label = m.name === 'QuotedLabelMatcher' ? this.stringValue(nameNode.firstChild as SyntaxNode) : this.text(nameNode);
    const op = this.text(opNode) as MatchType;
    out.push(this.matcher(label, op, this.stringValue(valueNode), { start: m.from, end: m.to }));
  }

  private matcher(name: string, op: MatchType, value: string, pos: PosRange): Matcher {
    const r = newMatcher(name, op, value);
    if (r.ok) return r.value;
    this.err(regexError(value, r.issues[0]?.message ?? 'invalid regular expression'), pos);
    const fallback = newMatcher(name, op === '=~' || op === '!~' ? (op === '=~' ? '=' : '!=') : op, value);
    if (!fallback.ok) throw new Error('unreachable');
    return fallback.value;
  }

  /** A range, step or offset: its ms value (0 when unknown) and its tree when not a plain literal. */
  private duration(n: SyntaxNode | undefined, positive: boolean): { ms: number; expr?: DurationNode } {
    if (!n) return { ms: 0 };
    const r = buildDuration(n, this.input, this.opts.enableDurationExpressions, (msg, p) => this.err(msg, p));
    if (r === undefined) return { ms: 0 };
    if (r.literal && r.node.kind === 'literal') {
      const secs = r.node.seconds;
      if (positive && secs <= 0) {
        this.err('duration must be greater than 0', r.node.pos);
        return { ms: 0 };
      }
      return { ms: Math.round(secs * 1000) };
    }
    // Constant expressions are folded now; step()/range() ones by resolveDurations at query time.
    const v = calculateDurationMs(r.node, { stepMs: 0, rangeMs: 0 }, !positive);
    return { ms: typeof v === 'number' ? v : 0, expr: r.node };
  }

  /** `anchored` / `smoothed` after a selector (parser.setAnchored / setSmoothed). */
  private rangeModifier(inner: Expr, what: 'anchored' | 'smoothed', pos: PosRange): Expr {
    if (!this.opts.enableExtendedRangeSelectors) {
      this.err(`${what} modifier is experimental and not enabled`, inner.pos);
      return inner;
    }
    if (inner.kind === 'SubqueryExpr') {
      this.err(`${what} modifier is not supported for subqueries`, inner.pos);
      return inner;
    }
    if (inner.kind !== 'VectorSelector' && inner.kind !== 'MatrixSelector') {
      this.err(`${what} modifier not implemented`, inner.pos);
      return inner;
    }
    const vs = (inner.kind === 'MatrixSelector' ? inner.vectorSelector : inner) as Mutable<ExtVectorSelector>;
    vs[what] = true;
    if (vs.anchored === true && vs.smoothed === true) this.err('anchored and smoothed modifiers cannot be used together', inner.pos);
    return this.withEnd(inner, pos.end);
  }

  /**
   * Applies a postfix modifier (range, subquery, offset, `@`, anchored, smoothed). These bind
   * tighter than any operator upstream (yacc precedence), while lezer attaches them to a whole
   * unparenthesised binary or unary expression: push them down to its rightmost operand.
   */
  private postfix(kids: SyntaxNode[], pos: PosRange, apply: (inner: Expr) => Expr): Expr {
    const push = (e: Expr): Expr => {
      if (e.kind === 'BinaryExpr') return { ...e, rhs: push(e.rhs), pos: { start: e.pos.start, end: pos.end } };
      if (e.kind === 'UnaryExpr') return { ...e, expr: push(e.expr), pos: { start: e.pos.start, end: pos.end } };
      return apply(e);
    };
    return push(this.expr(kids[0] as SyntaxNode));
  }

  private matrixSelector(inner: Expr, n: SyntaxNode, kids: SyntaxNode[], pos: PosRange): Expr {
    const open = this.input.indexOf('[', (kids[0] as SyntaxNode).to);
    const bracket = { start: open < 0 ? n.from : open, end: n.to };
    const range = this.duration(kids.find((k) => k.name === 'DurationExpr'), true);
    let msg = '';
    if (inner.kind !== 'VectorSelector') msg = 'ranges only allowed for vector selectors';
    else if (inner.offsetMs !== 0 || (inner as ExtVectorSelector).offsetExpr !== undefined) msg = 'no offset modifiers allowed before range';
    else if (inner.timestampMs !== undefined || inner.startOrEnd !== undefined) msg = 'no @ modifiers allowed before range';
    if (msg !== '') this.err(msg, bracket);
    const vs: VectorSelector =
      inner.kind === 'VectorSelector' ? inner : { kind: 'VectorSelector', name: '', matchers: [], offsetMs: 0, pos: inner.pos };
    return { kind: 'MatrixSelector', vectorSelector: vs, rangeMs: range.ms, pos: { start: inner.pos.start, end: pos.end }, ...(range.expr ? { rangeExpr: range.expr } : {}) };
  }

  private subquery(inner: Expr, kids: SyntaxNode[], pos: PosRange): SubqueryExpr {
    const durs = kids.filter((k) => k.name === 'DurationExpr');
    const range = this.duration(durs[0], true);
    const step = this.duration(durs[1], true);
    return {
      kind: 'SubqueryExpr',
      expr: inner,
      rangeMs: range.ms,
      stepMs: step.ms,
      offsetMs: 0,
      pos: { start: inner.pos.start, end: pos.end },
      ...(range.expr ? { rangeExpr: range.expr } : {}),
      ...(step.expr ? { stepExpr: step.expr } : {}),
    };
  }

  /** Target of an offset or `@`: the selector or subquery that carries it, or an error. */
  private modifierTarget(e: Expr, what: 'offset' | '@'): Mutable<VectorSelector> | Mutable<SubqueryExpr> | undefined {
    if (e.kind === 'VectorSelector' || e.kind === 'SubqueryExpr') return e;
    if (e.kind === 'MatrixSelector') return e.vectorSelector;
    this.err(`${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`, e.pos);
    return undefined;
  }

  private withEnd(e: Expr, end: number): Expr {
    const m = e as Mutable<MatrixSelector>;
    m.pos = { start: e.pos.start, end };
    return e;
  }

  private offset(inner: Expr, kids: SyntaxNode[], pos: PosRange): Expr {
    const off = this.duration(kids[2], false);
    const t = this.modifierTarget(inner, 'offset') as Mutable<ExtVectorSelector> | undefined;
    if (!t) return inner;
    if (t.offsetMs !== 0 || t.offsetExpr !== undefined) this.err('offset may not be set multiple times', inner.pos);
    else {
      t.offsetMs = off.ms;
      if (off.expr) t.offsetExpr = off.expr;
    }
    return this.withEnd(inner, pos.end);
  }

  private at(inner: Expr, kids: SyntaxNode[], pos: PosRange): Expr {
    const arg = kids[2];
    let ts: number | undefined;
    let se: AtModifier | undefined;
    if (arg?.name === 'AtModifierPreprocessors') se = this.text(arg).toLowerCase() === 'start' ? 'start' : 'end';
    else if (arg) {
      const v = this.numberValue(this.text(arg).replace(/\s+/g, ''), { start: arg.from, end: arg.to });
      if (!Number.isFinite(v) || v >= 2 ** 63 || v <= -(2 ** 63)) {
        this.err(`timestamp out of bounds for @ modifier: ${goFloatF(v)}`, inner.pos);
      }
      ts = Math.round(v * 1000);
    }
    const t = this.modifierTarget(inner, '@');
    if (!t) return inner;
    if (t.timestampMs !== undefined || t.startOrEnd !== undefined) {
      this.err('@ <timestamp> may not be set multiple times', inner.pos);
      return inner;
    }
    if (se !== undefined) t.startOrEnd = se;
    else if (ts !== undefined && Number.isFinite(ts)) t.timestampMs = ts;
    return this.withEnd(inner, pos.end);
  }

  private binary(kids: SyntaxNode[], pos: PosRange): Expr {
    const first = kids[0] as SyntaxNode;
    const signed = first.name === 'NumberDurationLiteral' && /^[+-]/.test(this.text(first)) && kids[1]?.name === 'Pow';
    if (signed) {
      // lezer folds the sign into the literal; upstream's unary minus binds looser than `^`.
      const sign = this.text(first)[0] === '-' ? '-' : '+';
      const litStart = first.from + 1 + (/^[+-]\s*/.exec(this.text(first))?.[0].length ?? 1) - 1;
      const inner = this.binaryOf(kids, { start: litStart, end: pos.end }, { kind: 'NumberLiteral', value: this.numberValue(this.input.slice(litStart, first.to), { start: litStart, end: first.to }), pos: { start: litStart, end: first.to } });
      return { kind: 'UnaryExpr', op: sign, expr: inner, pos };
    }
    return this.binaryOf(kids, pos, this.expr(first));
  }

  private binaryOf(kids: SyntaxNode[], pos: PosRange, lhs: Expr): Expr {
    const rhs = this.expr(kids[kids.length - 1] as SyntaxNode);
    const opNode = kids[1] as SyntaxNode;
    const opText = this.text(opNode).toLowerCase();
    let returnBool = false;
    const matching: Mutable<VectorMatching> = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    for (const k of kids.slice(2, -1)) {
      if (k.name === 'BoolModifier') returnBool = true;
      else if (k.name === 'MatchingModifierClause') {
        for (const c of this.children(k)) {
          if (c.name === 'On') matching.on = true;
          else if (c.name === 'GroupLeft') matching.card = 'many-to-one';
          else if (c.name === 'GroupRight') matching.card = 'one-to-many';
          else if (c.name === 'GroupingLabels') {
            if (matching.card === 'one-to-one') matching.matchingLabels = this.groupingLabels(c);
            else matching.include = this.groupingLabels(c);
          }
        }
      } else if (k.name === 'FillModifier') {
        if (!this.opts.enableBinopFillModifiers) this.err('binop fill modifiers are experimental and not enabled', pos);
        else (matching as Mutable<ExtVectorMatching>).fillValues = this.fillValues(k);
      }
    }
    // `</` / `>/` (trim_upper / trim_lower on native histograms) are upstream operators that
    // ast.ts's BinaryOp does not list yet.
    return { kind: 'BinaryExpr', op: opText as BinaryOp, lhs, rhs, matching, returnBool, pos };
  }

  private fillValues(n: SyntaxNode): { lhs?: number; rhs?: number } {
    const out: { lhs?: number; rhs?: number } = {};
    for (const clause of this.children(n)) {
      const lit = clause.getChild('NumberDurationLiteral');
      if (!lit) continue;
      const text = this.input.slice(lit.from, lit.to);
      let v = this.numberValue(text.replace(/\s+/g, ''), { start: lit.from, end: lit.to });
      // A sign written before the literal inside the parentheses (`fill(- 1)`).
      const before = this.input.slice(clause.from, lit.from);
      if (/-\s*$/.test(before)) v = -v;
      if (clause.name === 'FillClause' || clause.name === 'FillLeftClause') out.lhs = v;
      if (clause.name === 'FillClause' || clause.name === 'FillRightClause') out.rhs = v;
    }
    return out;
  }

  private groupingLabels(n: SyntaxNode): string[] {
    const out: string[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'LabelName') out.push(this.text(c));
      else if (c.name === 'QuotedLabelName') {
        const v = this.stringValue(c.firstChild as SyntaxNode);
        if (v === '' || !isValidUtf8Name(v)) this.err(`invalid label name for grouping: ${quoteString(v)}`, { start: c.from, end: c.to });
        out.push(v);
      }
    }
    return out;
  }

  private args(body: SyntaxNode | undefined): Expr[] {
    if (!body) return [];
    return this.children(body)
      .filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',')
      .map((c) => this.expr(c));
  }

  private aggregate(kids: SyntaxNode[], pos: PosRange): Expr {
    const opNode = kids[0] as SyntaxNode;
    const op = this.text(opNode).toLowerCase() as AggregateOp;
    const agg: Mutable<AggregateExpr> = { kind: 'AggregateExpr', op, expr: { kind: 'NumberLiteral', value: 0, pos }, grouping: [], without: false, pos };
    for (const k of kids) {
      if (k.name !== 'AggregateModifier') continue;
      const mod = this.children(k);
      agg.without = mod[0]?.name === 'Without';
      agg.grouping = mod[1] ? this.groupingLabels(mod[1]) : [];
    }
    const args = this.args(kids.find((k) => k.name === 'FunctionCallBody'));
    if (args.length === 0) {
      this.err('no arguments for aggregate expression provided', pos);
      return agg;
    }
    let desired = 1;
    if (AGG_WITH_PARAM.has(op)) {
      if (!this.opts.experimentalFunctions && EXPERIMENTAL_AGG.has(op)) {
        this.err(`${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`, pos);
        return agg;
      }
      desired = 2;
      agg.param = args[0] as Expr;
    }
    if (args.length !== desired) {
      this.err(`wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`, pos);
      return agg;
    }
    agg.expr = args[desired - 1] as Expr;
    return agg;
  }

  private call(kids: SyntaxNode[], pos: PosRange): Expr {
    const id = kids[0] as SyntaxNode;
    const name = this.text(id);
    const idPos = { start: id.from, end: id.to };
    const func = getFunction(name);
    const args = this.args(kids[1]);
    if (!func) {
      this.err(`unknown function with name ${quoteString(name)}`, idPos);
      return { kind: 'NumberLiteral', value: 0, pos };
    }
    if (func.experimental && !this.opts.experimentalFunctions) this.err(`function ${quoteString(name)} is not enabled`, idPos);
    return { kind: 'Call', func, args, pos };
  }
}

