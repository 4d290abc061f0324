/**
 * Silence validation. Mirrors Alertmanager's silence/silence.go validateSilence and
 * validateMatcher, with the same messages, for the single matcher set the v2 API exposes
 * ("matcher set 0"). All problems are returned; `set()` reports the first, as upstream does.
 */
import { ZERO_TIME } from '../../core/alert.js';
import { goQuote, isValidLabelName, isWellFormedUtf16 } from '../../core/labels.js';
import { newMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { SilenceInput } from './types.js';

const MATCH_TYPES: ReadonlySet<string> = new Set<MatchType>(['=', '!=', '=~', '!~']);

/**
 * Checks a silence as submitted and returns its matchers rebuilt from name/type/value (so a
 * caller's matcher objects are never trusted for matching). Upstream order of checks: matchers,
 * "not all match the empty string", zero times, end before start.
 */
export function validateSilence(s: Pick<SilenceInput, 'matchers' | 'startsAt' | 'endsAt'>): Result<Matcher[]> {
  const issues: Issue[] = [];
  const compiled: Matcher[] = [];
  if (s.matchers.length === 0) {
    issues.push(issue('silence_no_matchers', 'at least one matcher set required', { path: ['matchers'] }));
  } else {
    let allMatchEmpty = true;
    s.matchers.forEach((m, i) => {
      const r = validateMatcher(m);
      if (!r.ok) {
        issues.push(issue('silence_invalid_matcher', `invalid label matcher ${i} in set 0: ${r.message}`, { path: ['matchers', i] }));
        allMatchEmpty = false;
        return;
      }
      compiled.push(r.matcher);
      allMatchEmpty = allMatchEmpty && matchesEmpty(r.matcher);
    });
    if (allMatchEmpty) {
      issues.push(issue('silence_matches_empty', 'matcher set 0: at least one matcher must not match the empty string', { path: ['matchers'] }));
    }
  }
  if (s.startsAt === ZERO_TIME) issues.push(issue('silence_zero_start', 'invalid zero start timestamp', { path: ['startsAt'] }));
  if (s.endsAt === ZERO_TIME) issues.push(issue('silence_zero_end', 'invalid zero end timestamp', { path: ['endsAt'] }));
  if (s.startsAt !== ZERO_TIME && s.endsAt !== ZERO_TIME && s.endsAt < s.startsAt) {
    issues.push(issue('silence_end_before_start', 'end time must not be before start time', { path: ['endsAt'] }));
  }
  return issues.length > 0 ? fail(issues) : ok(compiled);
}

type MatcherCheck = { ok: true; matcher: Matcher } | { ok: false; message: string };

/** Upstream validateMatcher: UTF-8 label name, valid value for (not-)equal, compiling regex, known type. */
function validateMatcher(m: Pick<Matcher, 'name' | 'type' | 'value'>): MatcherCheck {
  const name: unknown = m.name;
  const value: unknown = m.value;
  if (typeof name !== 'string' || !isValidLabelName(name)) {
    return { ok: false, message: `invalid label name ${goQuote(String(name))}` };
  }
  if (typeof value !== 'string') return { ok: false, message: `invalid label value ${goQuote(String(value))}` };
  if (!MATCH_TYPES.has(m.type)) return { ok: false, message: `unknown matcher type ${goQuote(String(m.type))}` };
  if ((m.type === '=' || m.type === '!=') && !isWellFormedUtf16(value)) {
    return { ok: false, message: `invalid label value ${goQuote(value)}` };
  }
  const built = newMatcher(name, m.type, value);
  if (!built.ok) return { ok: false, message: built.issues[0]?.message ?? `invalid regular expression ${goQuote(value)}` };
  return { ok: true, matcher: built.value };
}

/** Upstream matchesEmpty: only `=` and `=~` count; negative matchers never do. */
function matchesEmpty(m: Matcher): boolean {
  return (m.type === '=' || m.type === '=~') && m.matches('');
}
