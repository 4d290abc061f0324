/**
 * Ranges, steps and offsets: a duration literal (`5m`, `1.5` seconds), or, with the experimental
 * duration expressions enabled, arithmetic over them (`[5m+1m]`, `offset (1h*2)`, `[step()]`).
 * Expressions are kept as a small tree (printed back as upstream does); constant ones are also
 * folded at parse time, those using `step()` / `range()` by resolveDurations once a query's step
 * and range are known (promql/durations.go).
 */
import type { SyntaxNode } from '@lezer/common';
import type { PosRange } from '../ast.js';
import { parseNumber, parseDurationMs, durationError } from './literals.js';

/** Arithmetic of duration expressions. */
export type DurationBinaryOp = '+' | '-' | '*' | '/' | '%' | '^';

/** parser.DurationExpr (and the NumberLiteral leaves under it). */
export type DurationNode =
  | { readonly kind: 'literal'; readonly seconds: number; readonly duration: boolean; readonly wrapped?: boolean; readonly pos: PosRange }
  | { readonly kind: 'step' | 'range'; readonly wrapped?: boolean; readonly pos: PosRange }
  | { readonly kind: 'unary'; readonly op: '+' | '-'; readonly expr: DurationNode; readonly wrapped?: boolean; readonly pos: PosRange }
  | { readonly kind: 'binary'; readonly op: DurationBinaryOp; readonly lhs: DurationNode; readonly rhs: DurationNode; readonly wrapped?: boolean; readonly pos: PosRange }
  | { readonly kind: 'min_of' | 'max_of'; readonly lhs: DurationNode; readonly rhs: DurationNode; readonly wrapped?: boolean; readonly pos: PosRange };

type Report = (message: string, pos: PosRange) => void;

const LIMIT = 2 ** 63 / 1e9;
const OPS: Readonly<Record<string, DurationBinaryOp>> = { Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^' };

/** A parsed duration: the tree, and whether it is a plain (possibly signed) literal. */
export interface ParsedDuration {
  readonly node: DurationNode;
  readonly literal: boolean;
}

/** Builds the tree of a DurationExpr / OffsetDurationExpr node; undefined after reporting an error. */
export function buildDuration(node: SyntaxNode, input: string, enabled: boolean, report: Report): ParsedDuration | undefined {
  let failed = false;
  const fail = (msg: string, p: PosRange): DurationNode => {
    if (!failed) report(msg, p);
    failed = true;
    return { kind: 'literal', seconds: 0, duration: false, pos: p };
  };
  const build = (n: SyntaxNode): DurationNode => {
    const kids: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
    const p = { start: n.from, end: n.to };
    if (n.name === 'NumberDurationLiteralInDurationContext' || n.name === 'NumberDurationLiteral') return literal(input.slice(n.from, n.to), p, fail);
    const first = kids[0];
    if (!first) return fail('unexpected end of input in duration expression', p);
    if (kids.length === 1) {
      // Parentheses are anonymous in lezer's tree: an inner expression narrower than its parent.
      if (first.name === 'DurationStep') return { kind: 'step', pos: p };
      if (first.name === 'DurationRange') return { kind: 'range', pos: p };
      if ((first.name === 'DurationExpr' || first.name === 'OffsetDurationExpr') && first.from > n.from) return { ...build(first), wrapped: true, pos: p };
      return build(first);
    }
    if (first.name === 'UnaryOp') {
      const op = input.slice(first.from, first.to) === '-' ? '-' : '+';
      const inner = build(kids[1] as SyntaxNode);
      if (inner.kind === 'literal' && inner.wrapped !== true) {
        // A sign on a literal folds into it (applyUnaryOpToDurationExpr).
        return { ...inner, seconds: op === '-' ? -inner.seconds : inner.seconds, pos: p };
      }
      return { kind: 'unary', op, expr: inner, pos: p };
    }
    if (first.name === 'DurationMinOf' || first.name === 'DurationMaxOf') {
      const args = kids.filter((k) => k.name === 'DurationExpr');
      return { kind: first.name === 'DurationMinOf' ? 'min_of' : 'max_of', lhs: build(args[0] as SyntaxNode), rhs: build(args[1] as SyntaxNode), pos: p };
    }
    const opNode = kids[1] as SyntaxNode;
    const op = OPS[opNode.name];
    if (op === undefined) return fail(`unexpected ${opNode.name} in duration expression`, p);
    const lhs = build(first);
    const rhs = build(kids[2] as SyntaxNode);
    if ((op === '/' || op === '%') && rhs.kind === 'literal' && rhs.seconds === 0) {
      return fail(op === '/' ? 'division by zero' : 'modulo by zero', { start: opNode.from, end: opNode.to });
    }
    return { kind: 'binary', op, lhs, rhs, pos: p };
  };
  const tree = build(node);
  if (failed) return undefined;
  const isLiteral = tree.kind === 'literal' && tree.wrapped !== true;
  if (!isLiteral && !enabled) {
    report('experimental duration expression is not enabled', firstOperandPos(tree));
    return undefined;
  }
  return { node: tree, literal: isLiteral };
}

/** Upstream reports "not enabled" at the left operand of the first operator it reduces. */
function firstOperandPos(n: DurationNode): PosRange {
  if (n.wrapped === true) return n.pos;
  if (n.kind === 'binary') return firstOperandPos(n.lhs);
  return n.pos;
}

function literal(raw: string, p: PosRange, fail: (m: string, p: PosRange) => DurationNode): DurationNode {
  const text = raw.replace(/\s+/g, '');
  const body = text.replace(/^[+-]/, '');
  if (/^\d+(?:ms|[smhdwy])/.test(body)) {
    const ms = parseDurationMs(body);
    if (ms === undefined) return fail(durationError(body), p);
    return { kind: 'literal', seconds: (text.startsWith('-') ? -ms : ms) / 1000, duration: true, pos: p };
  }
  const r = parseNumber(text);
  if (!r.ok) return fail(`error parsing number: ${r.error}`, p);
  if (Math.abs(r.value) > LIMIT) return fail('duration out of range', p);
  return { kind: 'literal', seconds: r.value, duration: false, pos: p };
}

/** The query-dependent values `step()` and `range()` stand for, in ms. */
export interface DurationContext {
  readonly stepMs: number;
  readonly rangeMs: number;
}

/** True when the tree mentions step() or range(). */
export function dependsOnQuery(n: DurationNode): boolean {
  switch (n.kind) {
    case 'step':
    case 'range':
      return true;
    case 'literal':
      return false;
    case 'unary':
      return dependsOnQuery(n.expr);
    default:
      return dependsOnQuery(n.lhs) || dependsOnQuery(n.rhs);
  }
}

/** Evaluates a tree in seconds (durationVisitor.evaluateDurationExpr); an error text on failure. */
export function evaluateSeconds(n: DurationNode, ctx: DurationContext): number | string {
  switch (n.kind) {
    case 'literal':
      return n.seconds;
    case 'step':
      return ctx.stepMs / 1000;
    case 'range':
      return ctx.rangeMs / 1000;
    case 'unary': {
      const v = evaluateSeconds(n.expr, ctx);
      return typeof v === 'string' || n.op === '+' ? v : -v;
    }
    default: {
      const a = evaluateSeconds(n.lhs, ctx);
      if (typeof a === 'string') return a;
      const b = evaluateSeconds(n.rhs, ctx);
      if (typeof b === 'string') return b;
      if (n.kind !== 'binary') return n.kind === 'min_of' ? Math.min(a, b) : Math.max(a, b);
      switch (n.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? `${n.pos.start}:${n.pos.end}: division by zero` : a / b;
        case '%':
          return b === 0 ? `${n.pos.start}:${n.pos.end}: modulo by zero` : a % b;
        case '^':
          return Math.pow(a, b);
      }
    }
  }
}

/** durationVisitor.calculateDuration: ms, or upstream's error text. */
export function calculateDurationMs(n: DurationNode, ctx: DurationContext, allowNegative: boolean): number | string {
  const v = evaluateSeconds(n, ctx);
  if (typeof v === 'string') return v;
  const where = `${n.pos.start}:${n.pos.end}`;
  if (!Number.isFinite(v)) return `${where}: duration is NaN or infinite`;
  if (v <= 0 && !allowNegative) return `${where}: duration must be greater than 0`;
  if (v > LIMIT || v < -LIMIT) return `${where}: duration is out of range`;
  return Math.trunc(v * 1000);
}
