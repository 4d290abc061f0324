/**
 * The PromQL parser: text -> typed, type-checked AST (parser.ParseExpr), on top of
 * @prometheus-io/lezer-promql. Errors carry positions and Prometheus' wording.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { Matcher } from '../../core/matcher.js';
import type { Expr, PosRange } from '../ast.js';
import { PromQLParseError } from '../api.js';
import { checkTypes } from './check-types.js';
import { describeToken, scan } from './lexer.js';
import type { Token } from './lexer.js';
import { describeSyntaxError, unknownFunction } from './syntax-errors.js';
import { TreeWalker } from './walk.js';

export { parseDurationMs } from './literals.js';
export { literalExtensions, matchingExtensions, matrixExtensions, resolveDurations, selectorExtensions, subqueryExtensions } from './extensions.js';
export type { LiteralExtensions, MatchingExtensions, MatrixExtensions, SelectorExtensions, SubqueryExtensions } from './extensions.js';
export type { DurationContext, DurationNode } from './duration-expr.js';

/** Feature switches; each mirrors an upstream `--enable-feature` / parser option, all off by default. */
export interface ParseOptions {
  readonly experimentalFunctions?: boolean;
  readonly enableDurationExpressions?: boolean;
  /** `anchored` / `smoothed` (--enable-feature=promql-extended-range-selectors). */
  readonly enableExtendedRangeSelectors?: boolean;
  /** `fill()` / `fill_left()` / `fill_right()` on binary operators. */
  readonly enableBinopFillModifiers?: boolean;
}

/** The tree, or every error found (the first is what upstream reports). */
export type ParseResult = { ok: true; expr: Expr } | { ok: false; errors: readonly PromQLParseError[] };
/** The matchers of a series selector, or its errors. */
export type MatchersResult = { ok: true; matchers: readonly Matcher[] } | { ok: false; errors: readonly PromQLParseError[] };

function firstErrorNode(tree: Tree): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.type.isError) {
        found = n.node;
        return false;
      }
      return undefined;
    },
  });
  return found;
}

class Collector {
  readonly errors: PromQLParseError[] = [];
  constructor(private readonly input: string) {}
  add(message: string, pos: PosRange): void {
    this.errors.push(new PromQLParseError(message, pos, this.input));
  }
}

/** Parses and type-checks a PromQL expression (parser.ParseExpr). */
export function parseExpr(input: string, options: ParseOptions = {}): ParseResult {
  const errs = new Collector(input);
  const syntax = syntaxCheck(input, errs);
  if (!syntax) return { ok: false, errors: errs.errors };
  const walker = new TreeWalker(
    input,
    {
      experimentalFunctions: options.experimentalFunctions === true,
      enableDurationExpressions: options.enableDurationExpressions === true,
      enableExtendedRangeSelectors: options.enableExtendedRangeSelectors === true,
      enableBinopFillModifiers: options.enableBinopFillModifiers === true,
    },
    errs,
  );
  let expr: Expr;
  try {
    expr = walker.expr(syntax.topNode);
  } catch (e) {
    errs.add(`unexpected error: ${e instanceof Error ? e.message : String(e)}`, { start: 0, end: input.length });
    return { ok: false, errors: errs.errors };
  }
  if (errs.errors.length > 0) return { ok: false, errors: errs.errors };
  checkTypes(expr, input, errs);
  if (errs.errors.length > 0) return { ok: false, errors: errs.errors };
  return { ok: true, expr };
}

/** Runs the lexical scan and lezer; returns the tree, or undefined after reporting the first error. */
function syntaxCheck(input: string, errs: Collector): Tree | undefined {
  const lexed = scan(input);
  if (lexed.error) {
    errs.add(lexed.error.message, lexed.error.pos);
    return undefined;
  }
  if (lexed.tokens.length <= 1) {
    errs.add('no expression found in input', { start: 0, end: 0 });
    return undefined;
  }
  const tree = parser.parse(lezerInput(input, lexed.tokens));
  const bad = firstErrorNode(tree);
  if (bad) {
    const e = unknownFunction(lexed.tokens) ?? describeSyntaxError(lexed.tokens, bad.from);
    errs.add(e.message, e.pos);
    return undefined;
  }
  const keyword = keywordAsMetricName(tree, lexed.tokens);
  if (keyword) {
    errs.add(keyword.message, keyword.pos);
    return undefined;
  }
  return tree;
}

/** Keywords upstream's grammar never takes as a metric name (all others may be, e.g. `sum`, `by`). */
const NOT_METRIC_NAMES = new Set(['bool', 'on', 'ignoring', 'group_left', 'group_right', 'atan2']);

/** lezer takes any keyword as a metric name; upstream's metric_identifier rule excludes a few. */
function keywordAsMetricName(tree: Tree, tokens: readonly Token[]): { message: string; pos: PosRange } | undefined {
  let found: { message: string; pos: PosRange } | undefined;
  tree.iterate({
    enter(n) {
      if (found) return false;
      if (n.name !== 'Identifier' || n.node.parent?.name !== 'VectorSelector') return undefined;
      const tok = tokens.find((t) => t.start === n.from);
      if (!tok || !NOT_METRIC_NAMES.has(tok.text.toLowerCase())) return undefined;
      found = { message: `unexpected ${describeToken(tok)}`, pos: { start: tok.start, end: tok.end } };
      return false;
    },
  });
  return found;
}

/**
 * The text lezer parses: same length and offsets as the query, patched where lezer's grammar is
 * narrower than upstream's lexer. Keywords are lower-cased (upstream's are case-insensitive, e.g.
 * `STEP()`); `min_of` / `max_of` outside a duration are spelled as another known function (lezer
 * only knows them inside durations; the walker reads names from the real text); `offset` where an
 * operand is expected is spelled as a plain name; and a number with a trailing dot (`5.`, valid in
 * Go) gets a digit.
 */
function lezerInput(input: string, tokens: readonly Token[]): string {
  const chars = input.split('');
  let bracket = false;
  // Inside an offset's duration expression: its paren depth, or -1 when not in one.
  let offsetDepth = -1;
  let prev: Token | undefined;
  const DURATION_WORDS = new Set(['step', 'range', 'min_of', 'max_of']);
  for (const t of tokens) {
    const lower = t.text.toLowerCase();
    if (offsetDepth >= 0) {
      const partOfDuration =
        t.kind === 'number' || t.kind === 'duration' || (t.kind === 'keyword' && DURATION_WORDS.has(lower)) ||
        (t.kind === 'op' && '+-*/%^'.includes(t.text)) || (t.kind === 'punct' && (t.text === '(' || t.text === ')' || t.text === ','));
      if (t.text === '(') offsetDepth++;
      if (t.text === ')') offsetDepth--;
      if (!partOfDuration || offsetDepth < 0 || (t.text === ',' && offsetDepth === 0)) offsetDepth = -1;
    }
    if (t.kind === 'punct' && t.text === '[') bracket = true;
    if (t.kind === 'punct' && t.text === ']') bracket = false;
    if (t.kind === 'keyword' || t.kind === 'aggr' || (t.kind === 'op' && /^[a-z]/i.test(t.text))) {
      const inDuration = bracket || offsetDepth >= 0;
      const word = (lower === 'min_of' || lower === 'max_of') && !inDuration ? 'minute' : lower;
      for (let i = 0; i < word.length; i++) chars[t.start + i] = word[i] as string;
    }
    const endsOperand =
      prev !== undefined &&
      (['ident', 'metric', 'number', 'duration', 'string', 'aggr'].includes(prev.kind) || (prev.kind === 'punct' && [')', '}', ']'].includes(prev.text)) ||
        (prev.kind === 'keyword' && ['anchored', 'smoothed'].includes(prev.text.toLowerCase())));
    if (t.kind === 'keyword' && lower === 'offset' && !endsOperand) {
      // `offset` where an operand is expected is a metric name upstream; lezer only knows the modifier.
      chars[t.start] = 'x';
    } else if (t.kind === 'keyword' && lower === 'offset') offsetDepth = 0;
    prev = t;
    if (t.kind === 'number' && t.text.endsWith('.')) chars[t.end - 1] = '0';
  }
  return chars.join('');
}

/** Parses a series selector such as `up{job="x"}` (parser.ParseMetricSelector). */
export function parseMetricSelector(input: string): MatchersResult {
  const errs = new Collector(input);
  const tree = syntaxCheck(input, errs);
  if (!tree) return { ok: false, errors: errs.errors };
  const top = tree.topNode.firstChild;
  if (top?.name !== 'VectorSelector') {
    // Something follows the selector (an operator, a modifier): upstream stops at that token.
    let first = top;
    while (first && first.name !== 'VectorSelector' && first.firstChild) first = first.firstChild;
    const e = describeSyntaxError(scan(input).tokens, first?.name === 'VectorSelector' ? first.to : (top?.from ?? 0));
    errs.add(e.message, e.pos);
    return { ok: false, errors: errs.errors };
  }
  const walker = new TreeWalker(input, { experimentalFunctions: false, enableDurationExpressions: false, enableExtendedRangeSelectors: false, enableBinopFillModifiers: false }, errs);
  const vs = walker.expr(top);
  if (errs.errors.length > 0 || vs.kind !== 'VectorSelector') return { ok: false, errors: errs.errors };
  return { ok: true, matchers: vs.matchers };
}

/** ParseErr.Error(): `line:col: parse error: message`, columns counted in bytes as upstream does. */
export function formatParseError(e: PromQLParseError): string {
  return `${startPosInput(e.query, e.pos.start)}: parse error: ${e.message}`;
}

function startPosInput(query: string, pos: number): string {
  if (query === '') return 'unknown position';
  if (pos < 0 || pos > query.length) return 'invalid position';
  const before = query.slice(0, pos);
  const lastBreak = before.lastIndexOf('\n');
  const line = before.split('\n').length;
  const col = new TextEncoder().encode(before.slice(lastBreak + 1)).length + 1;
  return `${line}:${col}`;
}
