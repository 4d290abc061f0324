import RE2 from 're2';
import { issue } from '../result.js';
import type { Issue } from '../result.js';
import { newMatcher } from '../matcher.js';
import type { Matcher, MatchType } from '../matcher.js';

/** A matcher syntax error: upstream's text and its 0-based column span (code points). */
export interface MatcherError {
  readonly code: string;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export function toIssue(e: MatcherError): Issue {
  return issue(e.code, e.text, { span: { start: e.start, end: e.end } });
}

// RE2 (C++) error codes mapped to the text of Go's regexp/syntax.ErrorCode.
const GO_REGEXP_CODES: ReadonlyArray<readonly [string, string]> = [
  ['missing ]', 'missing closing ]'],
  ['missing )', 'missing closing )'],
  ['unexpected )', 'unexpected )'],
  ['bad repetition operator', 'invalid nested repetition operator'],
  ['invalid repetition size', 'invalid repeat count'],
  ['invalid named capture group', 'invalid named capture'],
  ['trailing \\', 'trailing backslash at end of expression'],
  ['invalid perl operator', 'invalid or unsupported Perl syntax'],
];

/** Go's `error parsing regexp: <code>: \`<expr>\`` text for a regex RE2 rejects. */
export function goRegexpError(value: string): string {
  let raw = 'invalid regular expression';
  try {
    new RE2(`^(?:${value})$`, 'u');
  } catch (e) {
    raw = e instanceof Error ? e.message : String(e);
  }
  const sep = raw.indexOf(': ');
  let code = sep >= 0 ? raw.slice(0, sep) : raw;
  const arg = sep >= 0 ? raw.slice(sep + 2) : '';
  for (const [re2, go] of GO_REGEXP_CODES) if (code === re2) code = go;
  return `error parsing regexp: ${code}: \`${arg}\``;
}

/** newMatcher with the regex failure phrased as Go's regexp error (prefix as the caller needs). */
export function buildMatcher(
  name: string,
  type: MatchType,
  value: string,
): { ok: true; value: Matcher } | { ok: false; text: string } {
  const m = newMatcher(name, type, value);
  if (m.ok) return { ok: true, value: m.value };
  return { ok: false, text: goRegexpError(value) };
}
