import { describe, expect, it } from 'vitest';
import { formatMatcher, matches, parseMatchers } from './matchers.js';

describe('parseMatchers', () => {
  it('reads the four operators, braces, quotes and bare values', () => {
    const r = parseMatchers('{severity="critical", job=~"api.*", env!=prod, team!~"a|b"}');
    expect(r).toEqual({
      ok: true,
      matchers: [
        { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
        { name: 'job', value: 'api.*', isRegex: true, isEqual: true },
        { name: 'env', value: 'prod', isRegex: false, isEqual: false },
        { name: 'team', value: 'a|b', isRegex: true, isEqual: false },
      ],
    });
  });

  it('unescapes quoted values and accepts quoted (UTF-8) names', () => {
    const r = parseMatchers('"service name"="a \\"b\\"\\n"');
    expect(r).toEqual({ ok: true, matchers: [{ name: 'service name', value: 'a "b"\n', isRegex: false, isEqual: true }] });
  });

  it('treats empty input as no matchers', () => {
    expect(parseMatchers('  ')).toEqual({ ok: true, matchers: [] });
    expect(parseMatchers('{}')).toEqual({ ok: true, matchers: [] });
  });

  it('says what is wrong and where', () => {
    expect(parseMatchers('{a="b"')).toEqual({ ok: false, error: 'missing closing "}"' });
    expect(parseMatchers('a>b')).toEqual({ ok: false, error: 'expected one of =, !=, =~, !~ after "a" at position 2' });
    expect(parseMatchers('a="b" c="d"')).toEqual({ ok: false, error: 'expected "," at position 7' });
    expect(parseMatchers('1a="b"')).toEqual({ ok: false, error: 'expected a label name at position 1' });
    expect(parseMatchers('a="b')).toEqual({ ok: false, error: 'unterminated quoted value starting at position 3' });
    expect(parseMatchers('a=~"("')).toEqual({ ok: false, error: 'invalid regular expression "(" for "a"' });
  });
});

describe('formatMatcher', () => {
  it('prints what parseMatchers reads back', () => {
    for (const text of ['a="b"', 'a!="b"', 'a=~"x.*"', 'a!~"y"', '"odd name"="v \\"q\\""']) {
      const r = parseMatchers(text);
      if (!r.ok) throw new Error(r.error);
      expect(formatMatcher(r.matchers[0]!)).toBe(text);
    }
  });
});

describe('matches', () => {
  it('anchors regexes and treats a missing label as empty', () => {
    expect(matches({ name: 'job', value: 'api', isRegex: true, isEqual: true }, { job: 'api-2' })).toBe(false);
    expect(matches({ name: 'job', value: 'api.*', isRegex: true, isEqual: true }, { job: 'api-2' })).toBe(true);
    expect(matches({ name: 'env', value: '', isRegex: false, isEqual: true }, {})).toBe(true);
    expect(matches({ name: 'env', value: 'prod', isRegex: false, isEqual: false }, {})).toBe(true);
    expect(matches({ name: 'env', value: 'prod', isRegex: false }, { env: 'prod' })).toBe(true);
  });
});
