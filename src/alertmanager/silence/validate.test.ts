import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import { validateSilence } from './validate.js';

const T = 1_700_000_000_000;

/** A matcher-shaped object that skips core's constructor, as a careless caller could pass. */
function raw(name: string, type: string, value: string): Matcher {
  return { name, type: type as MatchType, value, matches: () => true };
}

// Cases follow upstream silence_test.go TestValidateSilence, TestValidateUTF8Matcher
// (Alertmanager's default UTF-8 label names) and TestSilencesSetFail.
describe('validateSilence', () => {
  it.each([
    { name: 'valid', matchers: [mustMatcher('a', '=', 'b')], startsAt: T, endsAt: T, err: undefined },
    { name: 'start equals end is valid', matchers: [mustMatcher('a', '=~', 'b.*')], startsAt: T, endsAt: T, err: undefined },
    { name: 'UTF-8 label names are valid', matchers: [mustMatcher('00', '=', 'a'), mustMatcher('🙂', '!=', 'x')], startsAt: T, endsAt: T + 1, err: undefined },
    { name: 'no matchers', matchers: [], startsAt: T, endsAt: T, err: 'at least one matcher set required' },
    { name: 'empty label name', matchers: [mustMatcher('a', '=', 'b'), raw('', '=', 'b')], startsAt: T, endsAt: T, err: 'invalid label matcher 1 in set 0: invalid label name ""' },
    { name: 'lone surrogate in name', matchers: [raw('a\ud800', '=', 'b')], startsAt: T, endsAt: T, err: 'invalid label matcher 0 in set 0: invalid label name "a\\ufffd"' },
    { name: 'invalid value', matchers: [raw('a', '=', '\udc00')], startsAt: T, endsAt: T, err: 'invalid label matcher 0 in set 0: invalid label value "\\ufffd"' },
    { name: 'regex does not compile', matchers: [raw('a', '=~', '((')], startsAt: T, endsAt: T, err: /^invalid label matcher 0 in set 0: invalid regular expression "\(\(": / },
    { name: 'negative regex does not compile', matchers: [raw('a', '!~', '))')], startsAt: T, endsAt: T, err: /^invalid label matcher 0 in set 0: invalid regular expression "\)\)"/ },
    { name: 'unknown type', matchers: [raw('a', '==', 'b')], startsAt: T, endsAt: T, err: 'invalid label matcher 0 in set 0: unknown matcher type "=="' },
    { name: 'all matchers match empty', matchers: [mustMatcher('a', '=', ''), mustMatcher('b', '=~', '.*')], startsAt: T, endsAt: T, err: 'matcher set 0: at least one matcher must not match the empty string' },
    { name: 'regex matching empty only', matchers: [mustMatcher('a', '=~', 'x|')], startsAt: T, endsAt: T, err: 'matcher set 0: at least one matcher must not match the empty string' },
    { name: 'negative matchers do not count as matching empty', matchers: [mustMatcher('a', '!=', 'x')], startsAt: T, endsAt: T, err: undefined },
    { name: 'one non-empty matcher is enough', matchers: [mustMatcher('a', '=', ''), mustMatcher('b', '=~', '.+')], startsAt: T, endsAt: T, err: undefined },
    { name: 'end before start', matchers: [mustMatcher('a', '=', 'b')], startsAt: T, endsAt: T - 1000, err: 'end time must not be before start time' },
    { name: 'zero start', matchers: [mustMatcher('a', '=', 'b')], startsAt: 0, endsAt: T, err: 'invalid zero start timestamp' },
    { name: 'zero end', matchers: [mustMatcher('a', '=', 'b')], startsAt: T, endsAt: 0, err: 'invalid zero end timestamp' },
  ])('$name', ({ matchers, startsAt, endsAt, err }) => {
    const r = validateSilence({ matchers, startsAt, endsAt });
    if (err === undefined) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(matchers.map((m) => `${m.name}${m.type}${m.value}`));
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]?.message).toMatch(err);
    }
  });

  it('reports every problem, each with a path', () => {
    const r = validateSilence({ matchers: [raw('', '=', 'x'), raw('b', '=~', '(')], startsAt: T, endsAt: T - 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ['silence_invalid_matcher', ['matchers', 0]],
      ['silence_invalid_matcher', ['matchers', 1]],
      ['silence_end_before_start', ['endsAt']],
    ]);
  });

  it('rebuilds matchers instead of trusting the caller', () => {
    const r = validateSilence({ matchers: [raw('job', '=~', 'api|web')], startsAt: T, endsAt: T });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]?.matches('api')).toBe(true);
    expect(r.value[0]?.matches('db')).toBe(false);
    expect(r.value[0]?.matches('xapi')).toBe(false);
  });
});
