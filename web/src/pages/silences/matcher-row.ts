/**
 * One matcher as the silence editor edits it (name, operator, value), and what it matches. The
 * editor warns about matchers that match any value, since those do not narrow a silence, and
 * Alertmanager refuses a silence whose every matcher matches the empty string.
 */
import type { Matcher } from '../../api/alertmanager.js';
import { matches } from '../../lib/matchers.js';

export type MatcherOp = '=' | '!=' | '=~' | '!~';

export const MATCHER_OPS: readonly MatcherOp[] = ['=', '!=', '=~', '!~'];

export interface MatcherRow {
  readonly name: string;
  readonly op: MatcherOp;
  readonly value: string;
}

export function rowFromMatcher(m: Matcher): MatcherRow {
  const eq = m.isEqual ?? true;
  return { name: m.name, op: m.isRegex ? (eq ? '=~' : '!~') : eq ? '=' : '!=', value: m.value };
}

export function matcherFromRow(r: MatcherRow): Matcher {
  return { name: r.name.trim(), value: r.value, isRegex: r.op === '=~' || r.op === '!~', isEqual: r.op === '=' || r.op === '=~' };
}

/** The regex a row compiles to (anchored, as Alertmanager's), or an error message. */
export function compileRow(r: MatcherRow): RegExp | string | undefined {
  if (r.op !== '=~' && r.op !== '!~') return undefined;
  try {
    // No `u` flag: RE2 takes escapes such as `\-` that unicode mode refuses; the server has the
    // last word.
    return new RegExp(`^(?:${r.value})$`);
  } catch (e) {
    return `invalid regular expression: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e)}`;
  }
}

/** Whether the row matches the label value `v` (absent labels are ""); false for a bad regex. */
export function rowMatches(r: MatcherRow, v: string): boolean {
  const m = matcherFromRow(r);
  return matches(m, { [m.name]: v });
}

/** True when the row matches the empty string, i.e. alerts without the label. */
export function matchesEmpty(r: MatcherRow): boolean {
  return rowMatches(r, '');
}

// Values of many shapes; a matcher that accepts all of them accepts (practically) anything.
const SAMPLES = ['a', '12345', 'x', 'Z', '0', 'foo', 'critical', 'api-server.prod_1', 'a b', 'x/y:z', 'ünïcødé', '%', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', '\u0000'];

/**
 * How broad a row is: `everything` when it matches any value and the empty string (`=~".*"`),
 * `any-value` when it matches any non-empty value (`=~".+"`, `!=""`: every alert with the
 * label), `narrow` otherwise. A heuristic over sample values, for warnings only.
 */
export function breadth(r: MatcherRow): 'everything' | 'any-value' | 'narrow' {
  if (r.name.trim() === '') return 'narrow';
  if (r.op === '=') return 'narrow';
  if (r.op === '!=') return r.value === '' ? 'any-value' : 'narrow';
  // A negative regex excludes at least what it is written as (`!~"x"` excludes x).
  const samples = r.op === '!~' ? [...SAMPLES, r.value, r.value.replace(/[^A-Za-z0-9]/g, '')] : SAMPLES;
  for (const s of samples) if (s !== '' && !rowMatches(r, s)) return 'narrow';
  return matchesEmpty(r) ? 'everything' : 'any-value';
}
