import type { Matcher, MatchType } from '../matcher.js';
import { buildMatcher } from './errors.js';
import type { MatcherError } from './errors.js';
import { goTrimSpace } from './go-strings.js';

// pkg/labels' matcher regex; Go's \s is [\t\n\f\r ], and `=~` is tried before `=`.
const CLASSIC_RE = /^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*([\s\S]*?)[\t\n\f\r ]*$/;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Mirrors Alertmanager's pkg/labels.ParseMatcher: classic label name, optional quotes around the
 * value, escapes `\"`, `\n`, `\\` (other backslashes literal), empty value allowed.
 * `col` is where `s` starts in the whole input, for the span.
 */
export function parseClassicMatcher(s: string, col = 0): { ok: true; value: Matcher } | { ok: false; error: MatcherError } {
  const span = { start: col, end: col + codePoints(s) };
  const m = CLASSIC_RE.exec(s);
  if (!m) return { ok: false, error: { code: 'matcher_syntax', text: `bad matcher format: ${s}`, ...span } };
  const name = m[1] as string;
  const op = m[2] as MatchType;
  const matched = m[3] as string;
  let raw = matched;
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  if (!(raw as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    return { ok: false, error: { code: 'matcher_syntax', text: `matcher value not valid UTF-8: ${matched}`, ...span } };
  }
  const unescapedQuote: MatcherError = {
    code: 'matcher_syntax',
    text: `matcher value contains unescaped double quote: ${matched}`,
    ...span,
  };
  let value = '';
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (escaped) {
      escaped = false;
      if (ch === 'n') value += '\n';
      else if (ch === '"' || ch === '\\') value += ch;
      else value += '\\' + ch;
      continue;
    }
    if (ch === '\\') {
      if (i < raw.length - 1) escaped = true;
      else value += '\\';
    } else if (ch === '"') {
      if (!expectTrailingQuote || i < raw.length - 1) return { ok: false, error: unescapedQuote };
      expectTrailingQuote = false;
    } else {
      value += ch;
    }
  }
  if (expectTrailingQuote) return { ok: false, error: unescapedQuote };
  const built = buildMatcher(name, op, value);
  if (!built.ok) return { ok: false, error: { code: 'invalid_regex', text: built.text, ...span } };
  return built;
}

/**
 * Mirrors Alertmanager's pkg/labels.ParseMatchers: one optional `{` and `}` trimmed, split on
 * commas outside double quotes (`\"` does not toggle), a trailing empty part dropped.
 */
export function parseClassicMatchers(input: string): { ok: true; value: Matcher[] } | { ok: false; error: MatcherError } {
  let s = input;
  let col = 0;
  if (s.startsWith('{')) {
    s = s.slice(1);
    col = 1;
  }
  if (s.endsWith('}')) s = s.slice(0, -1);
  const parts: Array<{ text: string; col: number }> = [];
  let inside = false;
  let escaped = false;
  let token = '';
  let tokenCol = col;
  for (const ch of s) {
    if (ch === ',' && !inside) {
      parts.push({ text: token, col: tokenCol });
      token = '';
      col++;
      tokenCol = col;
      continue;
    }
    if (ch === ',') {
      // A quoted comma leaves the escape state alone, as upstream's switch does.
    } else if (ch === '"') {
      if (!escaped) inside = !inside;
      else escaped = false;
    } else if (ch === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += ch;
    col++;
  }
  const last = goTrimSpace(token);
  if (last !== '') parts.push({ text: last, col: tokenCol + codePoints(token.slice(0, token.indexOf(last))) });
  const out: Matcher[] = [];
  for (const p of parts) {
    const m = parseClassicMatcher(p.text, p.col);
    if (!m.ok) return m;
    out.push(m.value);
  }
  return { ok: true, value: out };
}
