import { describe, expect, it } from 'vitest';
import { unquote } from './go-literals.js';
import { parseSeriesLine } from './series-notation.js';
import type { SeqValue } from './series-notation.js';

const O = 'omit';
const H = 'hist';

describe('parseSeriesLine values', () => {
  it.each<[string, SeqValue[]]>([
    ['m 1 2 3', [1, 2, 3]],
    ['m 5 2+3x2 _ 7', [5, 2, 5, 8, O, 7]],
    ['m 10-2x3', [10, 8, 6, 4]],
    ['m -1-1x2', [-1, -2, -3]],
    ['m +1+0x2', [1, 1, 1]],
    ['m 1x3', [1, 1, 1, 1]],
    ['m _x3 1', [O, O, O, 1]],
    ['m _ _', [O, O]],
    ['m 1e3 .5 2. 1_000 1.5e-1', [1000, 0.5, 2, 1000, 0.15]],
    ['m Inf -Inf +inf NaN nan', [Infinity, -Infinity, Infinity, NaN, NaN]],
    ['m Inf+0x2', [Infinity, Infinity, Infinity]],
    ['m 010', [8]],
    ['m 0x2', [0, 0, 0]],
    ['m {{schema:1 sum:3 count:22 buckets:[5 10 7]}} 1', [H, 1]],
    ['m {{count:1}}x2', [H, H, H]],
    ['m {{count:1}}+{{count:2}}x3 _', [H, H, H, H, O]],
    ['m', []],
    ['m\t1\t\t2', [1, 2]],
  ])('%s', (line, want) => {
    const r = parseSeriesLine(line);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.values).toEqual(want);
  });

  it('repeated addition rounds as upstream does (0.1 added three times)', () => {
    const r = parseSeriesLine('m 0+0.1x3');
    expect(r.ok && r.value.values[3]).toBe(0.1 + 0.1 + 0.1);
  });

  it('stale is kept as a token until it is written as a marker', () => {
    const r = parseSeriesLine('m 1 stale');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.values).toEqual([1, 'stale']);
  });

  it.each([
    ['m 1+2', 'needs x'],
    ['m 1x', 'count missing'],
    ['m 1m', 'duration is not a number here'],
    ['m abc', 'identifier'],
    ['m Infx3', 'Inf absorbs the x'],
    ['m 1,2', 'comma'],
    ['m {{count:1', 'unterminated histogram'],
    ['m 1_', 'trailing underscore'],
    ['m stalex2', 'stale cannot repeat'],
  ])('rejects %s (%s)', (line) => {
    const r = parseSeriesLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/./);
  });
});

describe('parseSeriesLine labels', () => {
  it.each<[string, Record<string, string>]>([
    ['metric 1', { __name__: 'metric' }],
    ['metric{} 1', { __name__: 'metric' }],
    ['{} 1', {}],
    ['a:b_c{x="1", y=\'2\'} 1', { __name__: 'a:b_c', x: '1', y: '2' }],
    ['m{x="a\\"b\\n", y=`raw\\n`} 1', { __name__: 'm', x: 'a"b\n', y: 'raw\\n' }],
    ['{"my.metric", "la.bel"="v"} 1', { __name__: 'my.metric', 'la.bel': 'v' }],
    ['m{le="+Inf",} 1', { __name__: 'm', le: '+Inf' }],
    ['m{u=""} 1', { __name__: 'm', u: '' }],
    ['m{x="\\u00e9\\xc3\\xa9"} 1', { __name__: 'm', x: 'éé' }],
  ])('%s', (line, want) => {
    const r = parseSeriesLine(line);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.labels).toEqual(want);
  });

  it.each([
    ['m{x="1" 1', 'unclosed set'],
    ['m{x=~"1"} 1', 'regex matcher'],
    ['m{x="1", x="2"} 1', 'duplicate label'],
    ['m{x="\\q"} 1', 'bad escape'],
    ['m{x="open} 1', 'unterminated string'],
    ['1 2', 'no metric'],
  ])('rejects %s (%s)', (line) => {
    expect(parseSeriesLine(line).ok).toBe(false);
  });
});

describe('unquote', () => {
  it.each<[string, string | undefined]>([
    ['"Foo"', 'Foo'],
    ['`Foo`', 'Foo'],
    ['" Foo "', ' Foo '],
    ['""', ''],
    ["'a'", 'a'],
    ["'ab'", undefined],
    ['"a', undefined],
    ['"\\z"', undefined],
  ])('%s', (text, want) => {
    expect(unquote(text)).toBe(want);
  });
});
