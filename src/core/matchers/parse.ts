import { fail, issue, ok } from '../result.js';
import type { Result } from '../result.js';
import type { Matcher } from '../matcher.js';
import { parseClassicMatcher, parseClassicMatchers } from './classic-parser.js';
import { toIssue } from './errors.js';
import { parseUtf8Matchers } from './utf8-parser.js';

/** Alertmanager's matcher parser modes: default fallback, `utf8-strict-mode`, `classic-mode`. */
export type MatcherMode = 'fallback' | 'utf8' | 'classic';

function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Matcher;
    const y = b[i] as Matcher;
    if (x.name !== y.name || x.type !== y.type || x.value !== y.value) return false;
  }
  return true;
}

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Parses a matcher list (`{a="b", c=~"d.*"}` or `a=b,c!=d`), in input order.
 * Mirrors matcher/compat: fallback parses with both parsers; when the UTF-8 parser fails, the
 * classic result (or, if both fail, the classic error) is returned, and when both succeed but
 * disagree the classic result wins, as upstream does.
 */
export function parseMatchers(input: string, mode: MatcherMode = 'fallback'): Result<Matcher[]> {
  if (mode === 'classic') {
    const c = parseClassicMatchers(input);
    return c.ok ? ok(c.value) : fail([toIssue(c.error)]);
  }
  const u = parseUtf8Matchers(input);
  if (mode === 'utf8') return u.ok ? ok(u.value) : fail([toIssue(u.error)]);
  const c = parseClassicMatchers(input);
  if (!u.ok) return c.ok ? ok(c.value) : fail([toIssue(c.error)]);
  if (c.ok && !sameMatchers(u.value, c.value)) return ok(c.value);
  return ok(u.value);
}

function utf8Single(input: string): Result<Matcher> {
  const u = parseUtf8Matchers(input);
  if (!u.ok) return fail([toIssue(u.error)]);
  const span = { start: 0, end: codePoints(input) };
  if (u.value.length === 0) return fail([issue('matcher_count', 'no matchers', { span })]);
  if (u.value.length > 1) {
    return fail([issue('matcher_count', `expected 1 matcher, found ${u.value.length}`, { span })]);
  }
  return ok(u.value[0] as Matcher);
}

/**
 * Parses exactly one matcher (the v2 API `filter` parameter). Mirrors matcher/compat.Matcher:
 * in utf8 and fallback modes input that starts with `{` or ends with `}` is rejected.
 */
export function parseMatcher(input: string, mode: MatcherMode = 'fallback'): Result<Matcher> {
  const classic = (): Result<Matcher> => {
    const c = parseClassicMatcher(input);
    return c.ok ? ok(c.value) : fail([toIssue(c.error)]);
  };
  if (mode === 'classic') return classic();
  if (input.startsWith('{') || input.endsWith('}')) {
    const span = { start: 0, end: codePoints(input) };
    return fail([issue('matcher_syntax', `unexpected open or close brace: ${input}`, { span })]);
  }
  const u = utf8Single(input);
  if (mode === 'utf8') return u;
  const c = classic();
  if (!u.ok) return c;
  if (c.ok && !sameMatchers([u.value], [c.value])) return c;
  return u;
}
