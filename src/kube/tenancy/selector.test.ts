import { describe, expect, it } from 'vitest';
import { matchesSelector, parseLabelSelector } from './selector.js';
import type { LabelSelector } from '../api.js';

describe('matchesSelector', () => {
  const labels = { team: 'a', env: 'prod', empty: '' };
  it.each<[string, LabelSelector, boolean]>([
    ['empty selector', {}, true],
    ['matchLabels hit', { matchLabels: { team: 'a' } }, true],
    ['matchLabels miss', { matchLabels: { team: 'b' } }, false],
    ['matchLabels absent', { matchLabels: { owner: 'x' } }, false],
    ['In hit', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }] }, true],
    ['In absent', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] }, false],
    ['NotIn hit', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false],
    ['NotIn absent label', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['x'] }] }, true],
    ['Exists with empty value', { matchExpressions: [{ key: 'empty', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'empty', operator: 'DoesNotExist' }] }, false],
    ['ANDed', { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, false],
  ])('%s', (_n, sel, want) => {
    expect(matchesSelector(sel, labels)).toBe(want);
  });
});

describe('parseLabelSelector', () => {
  it('reads both spellings', () => {
    expect(parseLabelSelector({ matchLabels: { a: 'b' }, match_expressions: [{ key: 'k', operator: 'Exists' }] }, ['s'])).toEqual({
      ok: true,
      value: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] },
    });
    expect(parseLabelSelector(undefined, ['s'])).toEqual({ ok: true, value: {} });
  });

  it('reports every problem with its path', () => {
    const r = parseLabelSelector({ matchLabels: { a: 1 }, matchExpressions: [{ key: 'k', operator: 'Equals' }, { key: 'j', operator: 'In' }, { key: 'e', operator: 'Exists', values: ['x'] }], extra: 1 }, ['sel']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.path?.join('.'), i.message])).toEqual([
      ['sel.matchLabels.a', 'value of label "a" must be a string'],
      ['sel.matchExpressions.0.operator', 'operator must be one of In, NotIn, Exists, DoesNotExist, got "Equals"'],
      ['sel.matchExpressions.1.values', 'values must be non-empty for operator In'],
      ['sel.matchExpressions.2.values', 'values must be empty for operator Exists'],
      ['sel.extra', 'unknown field "extra" in label selector'],
    ]);
    expect(parseLabelSelector('x', ['sel']).ok).toBe(false);
  });
});
