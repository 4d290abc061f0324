import { describe, expect, it } from 'vitest';
import type { NotificationEntry } from './api.js';
import { alertCounts, distinct, EMPTY_FILTER, filterFromParams, filterToParams, FIRST_PAGE, formatLatency, historyQuery, isFailure, newer, older, pageNumber } from './query.js';

function entry(over: Partial<NotificationEntry> = {}): NotificationEntry {
  return {
    id: '000000000000001-000001',
    time: '2026-11-22T10:00:00Z',
    receiver: 'team-db',
    integration: 'webhook',
    integrationIndex: 0,
    groupKey: '{}:{alertname="X"}',
    outcome: 'success',
    retry: 0,
    latencyMs: 12,
    firingCount: 1,
    resolvedCount: 0,
    firing: ['abc'],
    resolved: [],
    ...over,
  };
}

describe('filterFromParams / filterToParams', () => {
  it('reads the route parameters', () => {
    expect(filterFromParams(new URLSearchParams('receiver=team-db&outcome=failed&limit=100&integration=slack'))).toEqual({ receiver: 'team-db', integration: 'slack', outcome: 'failed', limit: 100 });
  });

  it('falls back to the defaults for bad values', () => {
    expect(filterFromParams(new URLSearchParams('outcome=exploded&limit=7'))).toEqual(EMPTY_FILTER);
  });

  it('leaves defaults out and round-trips', () => {
    expect(filterToParams(EMPTY_FILTER)).toEqual({});
    const f = { receiver: ' a ', integration: '', outcome: 'rate_limited' as const, limit: 25 };
    expect(filterToParams(f)).toEqual({ receiver: 'a', outcome: 'rate_limited', limit: '25' });
    expect(filterFromParams(new URLSearchParams(filterToParams(f)))).toEqual({ ...f, receiver: 'a' });
  });
});

describe('historyQuery', () => {
  it('always sends the page size; filters and cursor when set', () => {
    expect(historyQuery(EMPTY_FILTER, undefined)).toEqual({ limit: '50' });
    expect(historyQuery({ receiver: 'r', integration: 'webhook', outcome: 'failed', limit: 25 }, 'Y3Vy')).toEqual({ limit: '25', receiver: 'r', integration: 'webhook', outcome: 'failed', cursor: 'Y3Vy' });
  });
});

describe('pager', () => {
  it('goes older and back to newer', () => {
    const p2 = older(FIRST_PAGE, 'c2');
    const p3 = older(p2, 'c3');
    expect([pageNumber(FIRST_PAGE), pageNumber(p2), pageNumber(p3)]).toEqual([1, 2, 3]);
    expect(p3.cursor).toBe('c3');
    expect(newer(p3)).toEqual(p2);
    expect(newer(p2)).toEqual(FIRST_PAGE);
    expect(newer(FIRST_PAGE)).toEqual(FIRST_PAGE);
  });
});

describe('entry helpers', () => {
  it.each([
    ['success', false],
    ['failed', true],
    ['rate_limited', true],
  ] as const)('isFailure(%s) = %s', (outcome, want) => expect(isFailure(entry({ outcome }))).toBe(want));

  it.each([
    [1, 0, '1 firing'],
    [2, 3, '2 firing, 3 resolved'],
    [0, 1, '1 resolved'],
    [0, 0, 'no alerts'],
  ])('alertCounts(%i, %i)', (firingCount, resolvedCount, text) => expect(alertCounts(entry({ firingCount, resolvedCount }))).toBe(text));

  it.each([
    [12.4, '12ms'],
    [1340, '1.3s'],
    [12_500, '13s'],
    [-1, ''],
  ])('formatLatency(%d)', (ms, text) => expect(formatLatency(ms)).toBe(text));

  it('lists distinct values, sorted, with extra ones', () => {
    expect(distinct([entry({ receiver: 'b' }), entry({ receiver: 'a' }), entry({ receiver: 'b' })], 'receiver', ['c', ''])).toEqual(['a', 'b', 'c']);
  });
});
