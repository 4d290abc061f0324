import { describe, expect, it } from 'vitest';
import type { GettableAlert } from '../../api/alertmanager.js';
import { splitAffected } from './affected.js';

const alert = (fingerprint: string, silencedBy: string[]): GettableAlert => ({
  labels: { alertname: fingerprint },
  annotations: {},
  startsAt: '2026-11-22T10:00:00Z',
  endsAt: '2026-11-22T11:00:00Z',
  updatedAt: '2026-11-22T10:00:00Z',
  fingerprint,
  receivers: [],
  status: { state: silencedBy.length > 0 ? 'suppressed' : 'active', silencedBy, inhibitedBy: [] },
});

describe('splitAffected', () => {
  it('tells silenced alerts from merely matching ones, each once', () => {
    const a = alert('a', ['S']);
    const b = alert('b', []);
    const c = alert('c', ['T']);
    const d = alert('d', ['T', 'S']);
    const e = alert('e', []);
    const r = splitAffected('S', [a, b, c], [a, b, c, d, e]);
    expect(r.silenced.map((x) => x.fingerprint)).toEqual(['a', 'd']);
    expect(r.others.map((x) => x.fingerprint)).toEqual(['b', 'c']);
  });

  it('is empty when nothing matches', () => {
    expect(splitAffected('S', [], [alert('x', [])])).toEqual({ silenced: [], others: [] });
  });
});
