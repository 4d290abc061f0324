/**
 * Words a lezer syntax error the way upstream's yacc grammar does: `unexpected <token> in
 * <context>, expected <what>`. The context is read from the tokens before the error, which is
 * what upstream's error productions key on.
 */
import type { PosRange } from '../ast.js';
import { getFunction } from '../functions/signatures.js';
import { describeToken } from './lexer.js';
import type { Token } from './lexer.js';
import { quoteString } from './go-text.js';

/** A syntax error's message and range. */
export interface SyntaxErrorInfo {
  readonly message: string;
  readonly pos: PosRange;
}

const GROUPING_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const MATCH_OPS = new Set(['=', '!=', '=~', '!~']);

/** A call of a name that is no function, which lezer reads as a broken selector. */
export function unknownFunction(tokens: readonly Token[]): SyntaxErrorInfo | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1] as Token;
    const afterAggregator = tokens[i - 1]?.kind === 'aggr';
    if ((t.kind === 'ident' || t.kind === 'metric') && next.text === '(' && !getFunction(t.text) && !afterAggregator && !insideBraces(tokens, i)) {
      return { message: `unknown function with name ${quoteString(t.text)}`, pos: { start: t.start, end: t.end } };
    }
  }
  return undefined;
}

function insideBraces(tokens: readonly Token[], k: number): boolean {
  let open = false;
  for (let i = 0; i < k; i++) {
    const t = (tokens[i] as Token).text;
    if ((tokens[i] as Token).kind !== 'punct') continue;
    if (t === '{') open = true;
    else if (t === '}') open = false;
  }
  return open;
}

/** Describes the syntax error at offset `at` of the input. */
export function describeSyntaxError(tokens: readonly Token[], at: number): SyntaxErrorInfo {
  let k = tokens.findIndex((t) => t.end > at || t.kind === 'eof');
  if (k < 0) k = tokens.length - 1;
  const tok = tokens[k] as Token;
  const prev = k > 0 ? tokens[k - 1] : undefined;
  const pos = { start: tok.start, end: tok.end };
  const say = (context: string, expected: string): SyntaxErrorInfo => {
    let m = `unexpected ${describeToken(tok)}`;
    if (context !== '') m += ` in ${context}`;
    if (expected !== '') m += `, expected ${expected}`;
    return { message: m, pos };
  };
  // Where are we: an open brace, bracket, or grouping parenthesis before the token?
  let brace = false;
  let bracket = false;
  let colon = false;
  const parens: boolean[] = [];
  for (let i = 0; i < k; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '{') brace = true;
    else if (t.text === '}') brace = false;
    else if (t.text === '[') {
      bracket = true;
      colon = false;
    } else if (t.text === ']') bracket = false;
    else if (t.text === ':') colon = true;
    else if (t.text === '(') {
      const before = tokens[i - 1];
      parens.push(before !== undefined && before.kind === 'keyword' && GROUPING_KEYWORDS.has(before.text.toLowerCase()));
    } else if (t.text === ')') parens.pop();
  }
  const pt = prev?.text.toLowerCase();
  if (brace) {
    if (prev === undefined || pt === '{' || pt === ',') return say('label matching', 'identifier or "}"');
    if (MATCH_OPS.has(prev.text)) return say('label matching', 'string');
    const before = tokens[k - 2]?.text;
    if ((prev.kind === 'ident' || prev.kind === 'string') && (before === '{' || before === ',')) {
      return say('label matching', prev.kind === 'string' && tok.text === '}' ? '' : 'label matching operator');
    }
    return say('label matching', '"," or "}"');
  }
  if (bracket) {
    if (pt === '[' || (prev?.kind === 'keyword' && tokens[k - 2]?.text === '[')) return say('subquery or range selector', 'number, duration, step(), or range()');
    if (pt === ':') return say('subquery selector', 'number, duration, step(), range(), or "]"');
    if (colon) return say('subquery selector', '"]"');
    return say('subquery or range', '":" or "]"');
  }
  if (pt === 'offset' && prev?.kind === 'keyword') return say('offset', 'number, duration, step(), or range()');
  if (pt === '@') return say('@', 'timestamp');
  if (prev?.kind === 'keyword' && pt !== undefined && GROUPING_KEYWORDS.has(pt) && tok.text !== '(') {
    return say('grouping opts', '"("');
  }
  if (parens[parens.length - 1] === true) {
    if (pt === '(' || pt === ',') return say('grouping opts', 'label');
    return say('grouping opts', '"," or ")"');
  }
  if (pt === ',' && tok.text === ')' && prev) {
    return { message: 'trailing commas not allowed in function call args', pos: { start: prev.start, end: prev.end } };
  }
  return say('', '');
}
