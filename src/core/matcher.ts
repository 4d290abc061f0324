import RE2 from 're2';
import { intern } from './intern.js';
import { goQuote } from './labels.js';
import type { Labels } from './labels.js';
import { fail, issue, ok } from './result.js';
import type { Result } from './result.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/**
 * One label matcher. Regexes are RE2, fully anchored as `^(?:value)$`, as in Alertmanager's
 * pkg/labels.NewMatcher. A label that is absent matches as the empty string.
 */
export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  matches(value: string): boolean;
}

class EqualMatcher implements Matcher {
  readonly type: '=' | '!=';
  readonly name: string;
  readonly value: string;
  constructor(name: string, negate: boolean, value: string) {
    this.type = negate ? '!=' : '=';
    // Interned: reading labels[name] and comparing with value then skip string comparisons.
    this.name = intern(name);
    this.value = intern(value);
  }
  matches(v: string): boolean {
    return (v === this.value) !== (this.type === '!=');
  }
}

class RegexMatcher implements Matcher {
  readonly type: '=~' | '!~';
  readonly name: string;
  constructor(name: string, negate: boolean, readonly value: string, private readonly re: RE2) {
    this.type = negate ? '!~' : '=~';
    this.name = intern(name);
  }
  matches(v: string): boolean {
    return this.re.test(v) !== (this.type === '!~');
  }
}

/** Compiles an anchored RE2 regex; the error text names the regex. */
export function compileAnchored(value: string): Result<RE2> {
  try {
    return ok(new RE2(`^(?:${value})$`, 'u'));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return fail([issue('invalid_regex', `invalid regular expression ${goQuote(value)}: ${msg}`)]);
  }
}

/** Builds a matcher; fails only for a regex that does not compile. */
export function newMatcher(name: string, type: MatchType, value: string): Result<Matcher> {
  if (type === '=' || type === '!=') return ok(new EqualMatcher(name, type === '!=', value));
  const re = compileAnchored(value);
  if (!re.ok) return re;
  return ok(new RegexMatcher(name, type === '!~', value, re.value));
}

/** Builds a matcher from trusted input (tests, already-validated data). Throws on a bad regex. */
export function mustMatcher(name: string, type: MatchType, value: string): Matcher {
  const r = newMatcher(name, type, value);
  if (!r.ok) throw new Error(r.issues[0]?.message ?? 'invalid matcher');
  return r.value;
}

/** True when every matcher matches the label set (absent label = ""). */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (const m of matchers) {
    if (!m.matches(labels[m.name] ?? '')) return false;
  }
  return true;
}

const UNQUOTED_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Alertmanager's Matcher.String(): `name="value"`, quoting the name when it is not a classic name. */
export function matcherToString(m: Matcher): string {
  const name = UNQUOTED_NAME.test(m.name) ? m.name : goQuote(m.name);
  return `${name}${m.type}${goQuote(m.value)}`;
}

/** `{a="b", c=~"d"}` as Alertmanager prints a matcher list (route keys). */
export function matchersToString(ms: readonly Matcher[]): string {
  return `{${ms.map(matcherToString).join(',')}}`;
}

const TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** Alertmanager's Matchers.Less: by name, then value, then type. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}
