import { describe, expect, it } from 'vitest';
import type { GettableSilence, SilenceState } from '../../api/alertmanager.js';
import { byState, silenceView, stateParam } from './list.js';

const sil = (id: string, state: SilenceState, startsAt: string, endsAt: string): GettableSilence => ({
  id,
  matchers: [{ name: 'a', value: 'b', isRegex: false, isEqual: true }],
  startsAt,
  endsAt,
  updatedAt: startsAt,
  createdBy: 'me',
  comment: 'c',
  status: { state },
});

describe('silence views', () => {
  it.each([
    ['/silences', { kind: 'list' }],
    ['/silences/', { kind: 'list' }],
    ['/silences/new', { kind: 'new' }],
    ['/silences/0b3c6e2a-1f7d-4c47-9b4e-2f0a1b2c3d4e', { kind: 'detail', id: '0b3c6e2a-1f7d-4c47-9b4e-2f0a1b2c3d4e' }],
    ['/silences/abc/edit', { kind: 'edit', id: 'abc' }],
    ['/silences/new/edit', { kind: 'unknown', path: '/silences/new/edit' }],
    ['/silences/abc/other', { kind: 'unknown', path: '/silences/abc/other' }],
  ])('%s', (path, want) => {
    expect(silenceView(path)).toEqual(want);
  });

  it.each([
    [null, 'active'],
    ['pending', 'pending'],
    ['expired', 'expired'],
    ['bogus', 'active'],
  ])('state param %j is %s', (v, want) => {
    expect(stateParam(v)).toBe(want);
  });
});

describe('byState', () => {
  it('splits by state and sorts each list', () => {
    const r = byState([
      sil('a1', 'active', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'),
      sil('a2', 'active', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'),
      sil('p1', 'pending', '2026-02-02T00:00:00Z', '2026-02-03T00:00:00Z'),
      sil('p2', 'pending', '2026-02-01T00:00:00Z', '2026-02-05T00:00:00Z'),
      sil('e1', 'expired', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z'),
      sil('e2', 'expired', '2025-01-01T00:00:00Z', '2025-03-02T00:00:00Z'),
      sil('e0', 'expired', '2025-01-01T00:00:00Z', '2025-03-02T00:00:00Z'),
    ]);
    expect(r.active.map((s) => s.id)).toEqual(['a2', 'a1']);
    expect(r.pending.map((s) => s.id)).toEqual(['p2', 'p1']);
    expect(r.expired.map((s) => s.id)).toEqual(['e0', 'e2', 'e1']);
  });
});
