import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import type { MatchType } from '../core/matcher.js';
import { Postings, intersect, merge, subtract } from './postings.js';

const SERIES: Record<string, string>[] = [
  { __name__: 'up', job: 'api', instance: 'a' }, // 1
  { __name__: 'up', job: 'api', instance: 'b' }, // 2
  { __name__: 'up', job: 'db', instance: 'c', env: 'prod' }, // 3
  { __name__: 'http_requests_total', job: 'api', code: '200' }, // 4
  { __name__: 'http_requests_total', job: 'api', code: '500', env: '' }, // 5 (empty value = absent)
  { __name__: 'up', job: 'db', instance: 'd', env: 'dev' }, // 6
];

function index(): Postings {
  const p = new Postings();
  SERIES.forEach((s, i) => p.add(i + 1, Object.entries(s).filter(([, v]) => v !== '').sort()));
  return p;
}

describe('postings matcher evaluation', () => {
  it.each<[string, [string, MatchType, string][], number[]]>([
    ['no matchers = all', [], [1, 2, 3, 4, 5, 6]],
    ['equality', [['__name__', '=', 'up']], [1, 2, 3, 6]],
    ['two equalities intersect', [['__name__', '=', 'up'], ['job', '=', 'db']], [3, 6]],
    ['unknown value', [['job', '=', 'nope']], []],
    ['unknown name', [['nope', '=', 'x']], []],
    ['not-equal subtracts', [['__name__', '=', 'up'], ['instance', '!=', 'a']], [2, 3, 6]],
    ['not-equal matches series without the label', [['job', '=', 'api'], ['env', '!=', 'prod']], [1, 2, 4, 5]],
    ['empty value matches series without the label', [['env', '=', '']], [1, 2, 4, 5]],
    ['not-empty requires the label', [['env', '!=', '']], [3, 6]],
    ['regex is anchored', [['job', '=~', 'ap']], []],
    ['regex alternation', [['instance', '=~', 'a|c']], [1, 3]],
    ['regex matching empty includes absent', [['env', '=~', 'prod|']], [1, 2, 3, 4, 5]],
    ['regex .* matches everything', [['env', '=~', '.*']], [1, 2, 3, 4, 5, 6]],
    ['regex .+ requires the label', [['env', '=~', '.+']], [3, 6]],
    ['negative regex', [['__name__', '=~', '.+'], ['job', '!~', 'a.*']], [3, 6]],
    ['negative regex on absent label keeps series', [['__name__', '=', 'up'], ['code', '!~', '2..']], [1, 2, 3, 6]],
    ['negative regex matching empty removes absent', [['__name__', '=', 'http_requests_total'], ['env', '!~', '']], []],
    ['only negative matchers start from all', [['job', '!=', 'api']], [3, 6]],
    ['case matters', [['job', '=~', 'API']], []],
    ['case-insensitive flag', [['job', '=~', '(?i)API']], [1, 2, 4, 5]],
  ])('%s', (_name, ms, want) => {
    expect(index().select(ms.map(([n, t, v]) => mustMatcher(n, t, v)))).toEqual(want);
  });

  it('forgets removed series everywhere', () => {
    const p = index();
    p.removeMany([{ id: 3, pairs: Object.entries(SERIES[2]!).sort() }]);
    expect(p.select([mustMatcher('env', '=', 'prod')])).toEqual([]);
    expect(p.allIds()).toEqual([1, 2, 4, 5, 6]);
    expect([...p.valuesOf('env').keys()]).toEqual(['dev']);
    p.removeMany([{ id: 6, pairs: Object.entries(SERIES[5]!).sort() }]);
    expect(p.names()).not.toContain('env');
  });
});

describe('sorted id lists', () => {
  it.each([
    [[1, 3, 5, 7], [2, 3, 4, 7, 9], [3, 7], [1, 5], [1, 2, 3, 4, 5, 7, 9]],
    [[], [1, 2], [], [], [1, 2]],
    [[1, 2], [], [], [1, 2], [1, 2]],
  ])('intersect/subtract/merge %j %j', (a, b, i, s, m) => {
    expect(intersect(a, b)).toEqual(i);
    expect(subtract(a, b)).toEqual(s);
    expect(merge([a, b])).toEqual(m);
  });
});

describe('postings ids out of order', () => {
  it('keeps lists sorted when an older id arrives late (replay) and ignores a repeated id', () => {
    const p = new Postings();
    p.add(5, [['a', '1']]);
    p.add(2, [['a', '1']]);
    p.add(9, [['a', '1']]);
    p.add(2, [['a', '1']]);
    expect(p.select([mustMatcher('a', '=', '1')])).toEqual([2, 5, 9]);
    expect(p.allIds()).toEqual([2, 5, 9]);
  });
});
