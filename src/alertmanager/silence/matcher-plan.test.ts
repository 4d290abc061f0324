import { describe, expect, it } from 'vitest';
import { matchesAll, mustMatcher, newMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import { MatcherPlan, literalAlternatives, literalPrefix } from './matcher-plan.js';

describe('literalAlternatives', () => {
  it.each([
    { p: 'web', want: ['web'] },
    { p: 'web-1|web-2', want: ['web-1', 'web-2'] },
    { p: 'a\\.b|c', want: ['a.b', 'c'] },
    { p: 'x|', want: ['x', ''] },
    { p: '', want: [''] },
    { p: '🙂|é', want: ['🙂', 'é'] },
    { p: 'a.b', want: undefined },
    { p: 'a|b*', want: undefined },
    { p: '(a|b)', want: undefined },
    { p: 'a\\d', want: undefined },
    { p: '\\Qa|b\\E', want: undefined },
    { p: 'a)|(b', want: undefined },
  ])('$p', ({ p, want }) => {
    const got = literalAlternatives(p);
    expect(got === undefined ? undefined : [...got]).toEqual(want);
  });
});

describe('literalPrefix', () => {
  it.each([
    { p: 'host-1[0-9]*', want: 'host-1' },
    { p: 'db-.+', want: 'db-' },
    { p: 'abc*', want: 'ab' },
    { p: 'abc?', want: 'ab' },
    { p: 'abc{2}', want: 'ab' },
    { p: 'abc+', want: 'abc' },
    { p: 'a\\.b.*', want: 'a.b' },
    { p: 'ab(c|d)', want: 'ab' },
    { p: 'ab[)(]x', want: 'ab' },
    { p: '🙂x*', want: '🙂' },
    { p: '.*foo', want: '' },
    { p: '(?i)foo.*', want: '' },
    { p: 'foo|bar.*', want: '' },
    // Patterns that break out of the ^(?:...)$ wrapper must not yield a prefix.
    { p: 'a)|(b', want: '' },
    { p: 'ab(c))*(?:', want: '' },
    { p: 'ab\\Q(\\E)*(?:', want: '' },
    { p: 'ab[[:alpha:])]x', want: 'ab' },
  ])('$p -> "$want"', ({ p, want }) => {
    expect(literalPrefix(p)).toBe(want);
  });
});

describe('MatcherPlan', () => {
  const patterns = [
    'web-1|web-2', 'host-1[0-9]*', 'db-.+', 'abc*', 'a\\.b.*', 'ab(c|d)', '.*foo', '(?i)FOO.*', 'x|', '',
    'a)|(b', 'ab(c))*(?:', 'ab[)(]x', 'foo|bar.*', '[a-c]?', 'a{2,3}', '🙂.*', 'ab[[:alpha:])]x',
  ];
  const values = ['', 'a', 'ab', 'abc', 'abcc', 'abd', 'aa', 'aaa', 'a.b', 'a.bz', 'axb', 'b', 'web-1', 'web-2', 'web-3', 'host-1', 'host-17', 'host-2',
    'db-', 'db-x', 'foo', 'xfoo', 'FOOd', 'bar', 'barx', 'x', 'ab)x', 'c', '🙂', '🙂z'];

  it('agrees with core matchers for every pattern, type and value', () => {
    let checked = 0;
    for (const p of patterns) {
      for (const type of ['=~', '!~'] as MatchType[]) {
        const r = newMatcher('l', type, p);
        if (!r.ok) continue;
        const plan = new MatcherPlan([r.value]);
        for (const v of values) {
          expect(plan.matches({ l: v }), `${type}${p} on "${v}"`).toBe(r.value.matches(v));
          checked++;
        }
        expect(plan.matches({}), `${type}${p} on absent`).toBe(r.value.matches(''));
      }
    }
    expect(checked).toBeGreaterThan(800);
  });

  it('checks all matchers, cheapest first, with the semantics of matchesAll', () => {
    const ms: Matcher[] = [mustMatcher('job', '=~', 'api.*'), mustMatcher('env', '!=', 'dev'), mustMatcher('alertname', '=', 'A'), mustMatcher('team', '!~', 'ops|sre')];
    const plan = new MatcherPlan(ms);
    for (const l of [
      { alertname: 'A', job: 'api-1', env: 'prod' },
      { alertname: 'A', job: 'api-1', env: 'dev' },
      { alertname: 'A', job: 'web', env: 'prod' },
      { alertname: 'B', job: 'api', env: 'prod' },
      { alertname: 'A', job: 'api', team: 'ops' },
      { alertname: 'A', job: 'api', team: 'db' },
      {},
    ]) {
      expect(plan.matches(l), JSON.stringify(l)).toBe(matchesAll(ms, l));
    }
  });

  it('agrees with core matchers on random patterns built from literals and metacharacters', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ['a', 'b', 'ab', '\\.', '.', '*', '+', '?', '|', '(', ')', '[ab]', '[)]', '{2}', '\\d', '(?:', '🙂'];
    const vals = ['', 'a', 'b', 'ab', 'aab', 'abab', 'a.', 'a.b', 'ba', 'b1', 'aa', '🙂', 'a🙂', ')', 'ab)', 'abb'];
    let compiled = 0;
    for (let k = 0; k < 3000; k++) {
      let p = '';
      const n = 1 + rnd(6);
      for (let i = 0; i < n; i++) p += atoms[rnd(atoms.length)] as string;
      const r = newMatcher('l', rnd(2) === 0 ? '=~' : '!~', p);
      if (!r.ok) continue;
      compiled++;
      const plan = new MatcherPlan([r.value]);
      for (const v of vals) expect(plan.matches({ l: v }), `${r.value.type}${p} on "${v}"`).toBe(r.value.matches(v));
    }
    expect(compiled).toBeGreaterThan(500);
  });
});
