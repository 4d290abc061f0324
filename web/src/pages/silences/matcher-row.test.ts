import { describe, expect, it } from 'vitest';
import { breadth, compileRow, matcherFromRow, matchesEmpty, rowFromMatcher, rowMatches } from './matcher-row.js';
import type { MatcherOp, MatcherRow } from './matcher-row.js';

const row = (name: string, op: MatcherOp, value: string): MatcherRow => ({ name, op, value });

describe('matcher rows', () => {
  it.each([
    [{ name: 'a', value: 'b', isRegex: false, isEqual: true }, '='],
    [{ name: 'a', value: 'b', isRegex: false, isEqual: false }, '!='],
    [{ name: 'a', value: 'b', isRegex: true, isEqual: true }, '=~'],
    [{ name: 'a', value: 'b', isRegex: true, isEqual: false }, '!~'],
    [{ name: 'a', value: 'b', isRegex: true }, '=~'],
  ])('%j <-> %s', (m, op) => {
    const r = rowFromMatcher(m);
    expect(r.op).toBe(op);
    expect(matcherFromRow(r)).toEqual({ isEqual: true, ...m });
  });

  it('trims the label name only', () => {
    expect(matcherFromRow(row(' job ', '=', ' x '))).toEqual({ name: 'job', value: ' x ', isRegex: false, isEqual: true });
  });

  it.each([
    [row('a', '=', 'x'), 'x', true],
    [row('a', '=', 'x'), 'xy', false],
    [row('a', '!=', 'x'), 'y', true],
    [row('a', '=~', 'x|y'), 'y', true],
    [row('a', '=~', 'x'), 'xx', false],
    [row('a', '!~', 'x.*'), 'xyz', false],
    [row('a', '!~', 'x.*'), 'abc', true],
    [row('a', '=~', '('), '(', false],
  ])('%j matches %j: %s', (r, v, want) => {
    expect(rowMatches(r, v)).toBe(want);
  });

  it('reports a bad regex and accepts a good one', () => {
    expect(compileRow(row('a', '=~', '(x'))).toMatch(/^invalid regular expression: /);
    expect(compileRow(row('a', '!~', 'x+'))).toBeInstanceOf(RegExp);
    expect(compileRow(row('a', '=', '(x'))).toBeUndefined();
  });

  it.each([
    [row('a', '=', ''), true],
    [row('a', '=', 'x'), false],
    [row('a', '!=', ''), false],
    [row('a', '!=', 'x'), true],
    [row('a', '=~', '.*'), true],
    [row('a', '=~', 'x|'), true],
    [row('a', '=~', '.+'), false],
    [row('a', '!~', '.+'), true],
  ])('%j matches the empty string: %s', (r, want) => {
    expect(matchesEmpty(r)).toBe(want);
  });

  it.each([
    [row('a', '=~', '.*'), 'everything'],
    [row('a', '=~', '(.*)'), 'everything'],
    [row('a', '=~', '.*|x'), 'everything'],
    [row('a', '!~', ''), 'any-value'],
    [row('a', '!=', ''), 'any-value'],
    [row('a', '=~', '.+'), 'any-value'],
    [row('a', '=~', '[a-z]+'), 'narrow'],
    [row('a', '=', 'x'), 'narrow'],
    [row('a', '!=', 'x'), 'narrow'],
    [row('a', '!~', 'x'), 'narrow'],
    [row('', '=~', '.*'), 'narrow'],
  ])('%j is %s', (r, want) => {
    expect(breadth(r)).toBe(want);
  });
});
