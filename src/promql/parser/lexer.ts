/**
 * A token scanner shaped like Prometheus' promql/parser/lex.go. lezer builds the tree; this pass
 * finds the lexical errors upstream reports (with its wording) and describes the token at a
 * syntax error the way upstream's `unexpected <token>` messages do.
 */
import type { PosRange } from '../ast.js';
import { parseDurationMs } from './literals.js';
import { quoteString } from './go-text.js';

/** Token classes, as far as upstream's error texts tell them apart. */
export type TokenKind = 'ident' | 'metric' | 'keyword' | 'op' | 'aggr' | 'string' | 'number' | 'duration' | 'punct' | 'eof';

/** One token with its UTF-16 range. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The first lexical error, worded as upstream's lexer. */
export interface LexError {
  readonly message: string;
  readonly pos: PosRange;
}

const AGGREGATORS = new Set(['sum', 'avg', 'count', 'min', 'max', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'count_values', 'quantile', 'limitk', 'limit_ratio']);
const WORD_OPS = new Set(['and', 'or', 'unless', 'atan2']);
const KEYWORDS = new Set(['offset', 'smoothed', 'anchored', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'fill', 'fill_left', 'fill_right', 'bool', 'start', 'end', 'step', 'range', 'max_of', 'min_of']);
const SYMBOL_OPS = ['==', '!=', '<=', '>=', '=~', '!~', '</', '>/', '+', '-', '*', '/', '%', '^', '<', '>', '@'];

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isAlpha = (c: string): boolean => /^[a-zA-Z_]$/.test(c);
const isAlnum = (c: string): boolean => /^[a-zA-Z0-9_]$/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Go's %q of one character, as the lexer's error texts print runes. */
function quoteRune(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '\\') return "'\\\\'";
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  return `'${c}'`;
}

/** Item.desc(): how upstream names a token in `unexpected ...` messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'ident':
      return `identifier ${quoteString(t.text)}`;
    case 'metric':
      return `metric identifier ${quoteString(t.text)}`;
    case 'keyword':
      return `<${t.text}>`;
    case 'op':
      return `<op:${t.text}>`;
    case 'aggr':
      return `<aggr:${t.text}>`;
    case 'punct':
      return quoteString(t.text);
    case 'string':
    case 'number':
    case 'duration': {
      const shown = [...t.text].length > 10 ? quoteString([...t.text].slice(0, 10).join('')) + '...' : quoteString(t.text);
      return `${t.kind} ${shown}`;
    }
  }
}

/** Scans the whole input; stops at the first lexical error as upstream's lexer does. */
export function scan(input: string): { tokens: Token[]; error?: LexError } {
  const tokens: Token[] = [];
  let i = 0;
  let parenDepth = 0;
  let braceOpen = false;
  let bracketOpen = false;
  let gotColon = false;
  const fail = (message: string, start: number): { tokens: Token[]; error: LexError } => ({
    tokens,
    error: { message, pos: { start, end: input.length } },
  });
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: input.slice(start, end), start, end });
  };
  while (true) {
    while (i < input.length && isSpace(input[i] as string)) i++;
    if (input[i] === '#') {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const c = input[i];
    if (c === undefined) {
      if (braceOpen) return fail('unexpected end of input inside braces', start);
      if (bracketOpen) return fail('unexpected end of input in duration expression', start);
      if (parenDepth !== 0) return fail('unclosed left parenthesis', start);
      push('eof', i, i);
      return { tokens };
    }
    if (bracketOpen && !/[0-9.+\-*/%^(),:\][a-zA-Z_]/.test(c)) {
      return fail(`unexpected character in duration expression: ${quoteRune(c)}`, start);
    }
    if (c === '"' || c === "'" || c === '`') {
      const r = scanString(input, i);
      if ('error' in r) return fail(r.error, start);
      i = r.end;
      push('string', start, i);
      continue;
    }
    if (braceOpen) {
      if (c === '}') {
        braceOpen = false;
        push('punct', i, ++i);
      } else if (c === ',') push('punct', i, ++i);
      else if (c === '=') {
        i += input[i + 1] === '~' ? 2 : 1;
        push(i - start === 2 ? 'op' : 'punct', start, i);
      } else if (c === '!') {
        const n = input[i + 1] ?? '';
        if (n !== '=' && n !== '~') return fail(`unexpected character after '!' inside braces: ${quoteRune(n)}`, start);
        i += 2;
        push('op', start, i);
      } else if (isAlpha(c)) {
        while (isAlnum(input[i] ?? '')) i++;
        push('ident', start, i);
      } else if (c === '{') return fail(`unexpected left brace ${quoteRune(c)}`, start);
      else return fail(`unexpected character inside braces: ${quoteRune(c)}`, start);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(input[i + 1] ?? ''))) {
      const r = scanNumberOrDuration(input, i);
      if ('error' in r) return { tokens, error: { message: r.error, pos: { start, end: r.end } } };
      i = r.end;
      push(r.kind, start, i);
      continue;
    }
    if (isAlpha(c) || c === ':') {
      if (bracketOpen) {
        if (c === ':') {
          if (gotColon) return fail(`unexpected colon ':'`, start);
          gotColon = true;
          push('punct', i, ++i);
          continue;
        }
        const w = /^[a-zA-Z_]+/.exec(input.slice(i))?.[0] ?? c;
        if (['step', 'range', 'max_of', 'min_of'].includes(w.toLowerCase())) {
          i += w.length;
          push('keyword', start, i);
          continue;
        }
        return fail(`unexpected character: ${quoteRune(c)}, expected ':'`, start);
      }
      while (isAlnum(input[i] ?? '') || input[i] === ':') i++;
      const word = input.slice(start, i);
      const lower = word.toLowerCase();
      if (AGGREGATORS.has(lower)) push('aggr', start, i);
      else if (WORD_OPS.has(lower)) push('op', start, i);
      else if (KEYWORDS.has(lower)) push('keyword', start, i);
      else if (lower === 'inf' || lower === 'nan') push('number', start, i);
      else push(word.includes(':') ? 'metric' : 'ident', start, i);
      continue;
    }
    const op = SYMBOL_OPS.find((o) => input.startsWith(o, i));
    if (c === '=' && input[i + 1] === '~') return fail(`unexpected character after '=': '~'`, start);
    if (c === '!' && input[i + 1] !== '=') return fail(`unexpected character after '!': ${quoteRune(input[i + 1] ?? '')}`, start);
    if (op !== undefined && op !== '=~' && op !== '!~') {
      i += op.length;
      push('op', start, i);
      continue;
    }
    i++;
    switch (c) {
      case ',':
      case '=':
        push('punct', start, i);
        break;
      case '(':
        parenDepth++;
        push('punct', start, i);
        break;
      case ')':
        push('punct', start, i);
        if (--parenDepth < 0) return fail(`unexpected right parenthesis ')'`, i);
        break;
      case '{':
        braceOpen = true;
        push('punct', start, i);
        break;
      case '[':
        if (bracketOpen) return fail(`unexpected left bracket '['`, start);
        bracketOpen = true;
        gotColon = false;
        push('punct', start, i);
        break;
      case ']':
        if (!bracketOpen) return fail(`unexpected right bracket ']'`, start);
        bracketOpen = false;
        push('punct', start, i);
        break;
      default:
        return fail(`unexpected character: ${quoteRune(c)}`, start);
    }
  }
}

/**
 * A number, or a duration as lexNumberOrDuration + acceptRemainingDuration accept it (units
 * loosely, `hs` included); durations are then validated as model.ParseDuration does.
 */
function scanNumberOrDuration(input: string, from: number): { kind: 'number' | 'duration'; end: number } | { error: string; end: number } {
  const m = /^(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(input.slice(from));
  let k = from + (m?.[0].length ?? 1);
  const bad = (end: number): { error: string; end: number } => ({ error: `bad number or duration syntax: ${quoteString(input.slice(from, end))}`, end });
  const at = (j: number): string => input[j] ?? '';
  if (at(k) === '.') return bad(k + 1);
  if (!isAlnum(at(k))) return { kind: 'number', end: k };
  if (!'smhdwy'.includes(at(k))) return bad(k);
  k++;
  if (at(k) === 's') k++;
  while (isDigit(at(k))) {
    while (isDigit(at(k))) k++;
    if (at(k) === '' || !'smhdw'.includes(at(k))) return bad(k);
    k++;
    if (at(k) === 's') k++;
  }
  if (isAlnum(at(k))) return bad(k + 1);
  const text = input.slice(from, k);
  if (parseDurationMs(text) === undefined) return { error: badDuration(text), end: k };
  return { kind: 'duration', end: k };
}

/** model.ParseDuration's error for a run like `5m1h` or `5y1hs`. */
function badDuration(run: string): string {
  for (const [, unit] of run.matchAll(/\d+([a-zA-Z]+)/g)) {
    if (!['ms', 's', 'm', 'h', 'd', 'w', 'y'].includes(unit as string)) return `unknown unit ${quoteString(unit as string)} in duration ${quoteString(run)}`;
  }
  return `not a valid duration string: ${quoteString(run)}`;
}

function scanString(input: string, from: number): { end: number } | { error: string } {
  const q = input[from] as string;
  let i = from + 1;
  if (q === '`') {
    const close = input.indexOf('`', i);
    return close < 0 ? { error: 'unterminated raw string' } : { end: close + 1 };
  }
  while (true) {
    const c = input[i++];
    if (c === undefined || c === '\n') return { error: 'unterminated quoted string' };
    if (c === q) return { end: i };
    if (c !== '\\') continue;
    const e = input[i++];
    if (e === undefined) return { error: 'escape sequence not terminated' };
    if ('abfnrtv\\'.includes(e) || e === q) continue;
    let n = 0;
    let base = 16;
    if (e >= '0' && e <= '7') {
      n = 2;
      base = 8;
    } else if (e === 'x') n = 2;
    else if (e === 'u') n = 4;
    else if (e === 'U') n = 8;
    else return { error: `unknown escape sequence ${unicodeRune(e)}` };
    let v = base === 8 ? Number(e) : 0;
    for (let k = 0; k < n; k++) {
      const d = input[i++];
      if (d === undefined) return { error: 'escape sequence not terminated' };
      const dv = parseInt(d, 16);
      if (Number.isNaN(dv) || dv >= base) return { error: `illegal character ${unicodeRune(d)} in escape sequence` };
      v = v * base + dv;
    }
    const max = e === 'u' || e === 'U' ? 0x10ffff : 255;
    if (v > max || (v >= 0xd800 && v < 0xe000)) return { error: 'escape sequence is an invalid Unicode code point' };
  }
}

/** Go's %#U: `U+0071 'q'`. */
function unicodeRune(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}
