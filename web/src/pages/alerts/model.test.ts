import { describe, expect, it } from 'vitest';
import type { AlertGroup, GettableAlert } from '../../api/alertmanager.js';
import { alertState, applyStateFilter, countAlerts, groupKey, otherAnnotations, ownLabels, reportsMuted, safeUrl, silenceMatchers } from './model.js';
import { DEFAULT_STATES } from './filter-state.js';

function alert(fp: string, status: Partial<GettableAlert['status']> = {}, labels: Record<string, string> = { alertname: fp }): GettableAlert {
  return {
    labels,
    annotations: {},
    startsAt: '2026-11-22T10:00:00Z',
    endsAt: '2026-11-22T11:00:00Z',
    updatedAt: '2026-11-22T10:00:00Z',
    fingerprint: fp,
    receivers: [{ name: 'r' }],
    status: { state: 'active', silencedBy: [], inhibitedBy: [], ...status },
  };
}
const group = (alerts: GettableAlert[], labels: Record<string, string> = {}, receiver = 'r'): AlertGroup => ({ labels, receiver: { name: receiver }, alerts });

describe('state filter on the page', () => {
  const muted = alert('m', { state: 'suppressed', mutedBy: ['weekends'] });
  const plain = alert('p', { mutedBy: [] });
  it('drops muted alerts when muted is unchecked, and groups left empty', () => {
    const gs = [group([muted, plain], { g: '1' }), group([muted], { g: '2' })];
    expect(applyStateFilter(gs, { ...DEFAULT_STATES, muted: false })).toEqual([group([plain], { g: '1' })]);
    expect(applyStateFilter(gs, DEFAULT_STATES)).toEqual(gs);
  });
  it('knows whether the server reports mutedBy', () => {
    expect(reportsMuted([group([plain])])).toBe(true);
    expect(reportsMuted([group([alert('x')])])).toBe(false);
    expect(reportsMuted([])).toBe(false);
  });
});

describe('counts and keys', () => {
  it('counts an alert routed to two groups once', () => {
    const a = alert('a');
    expect(countAlerts([group([a, alert('b')]), group([a], {}, 'other')])).toEqual({ alerts: 2, groups: 2 });
  });
  it('keys groups by receiver and sorted labels', () => {
    expect(groupKey(group([], { b: '2', a: '1' }))).toBe(groupKey(group([], { a: '1', b: '2' })));
    expect(groupKey(group([], { a: '1' }, 'x'))).not.toBe(groupKey(group([], { a: '1' }, 'y')));
  });
});

describe('alertState', () => {
  it.each([
    [alert('a'), 'active', []],
    [alert('s', { state: 'suppressed', silencedBy: ['id1'] }), 'suppressed', ['silenced']],
    [alert('i', { state: 'suppressed', inhibitedBy: ['fp2'], mutedBy: ['night'] }), 'suppressed', ['inhibited', 'muted']],
    [alert('u', { state: 'unprocessed' }), 'unprocessed', []],
  ] as const)('%#', (a, badge, kinds) => {
    const s = alertState(a);
    expect(s.badge).toBe(badge);
    expect(s.reasons.map((r) => r.kind)).toEqual(kinds);
  });
});

describe('links and labels', () => {
  it.each([
    ['https://runbooks.example.com/disk', 'https://runbooks.example.com/disk'],
    [' http://x.example/a?b=c ', 'http://x.example/a?b=c'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,hi', undefined],
    ['not a url', undefined],
    [undefined, undefined],
  ])('safeUrl(%s)', (s, want) => {
    expect(safeUrl(s)).toBe(want);
  });

  it('lists other annotations sorted, with links for URLs', () => {
    expect(otherAnnotations({ summary: 's', runbook_url: 'https://r.example/x', description: 'd', dashboard: 'none' })).toEqual([
      { name: 'dashboard', value: 'none', href: undefined },
      { name: 'runbook_url', value: 'https://r.example/x', href: 'https://r.example/x' },
    ]);
  });

  it('keeps the labels the group does not show', () => {
    expect(ownLabels(alert('a', {}, { alertname: 'X', job: 'api', env: 'prod' }), { alertname: 'X', env: 'dev' })).toEqual({ job: 'api', env: 'prod' });
  });

  it('makes one equality matcher per label for the Silences page, sorted by name', () => {
    expect(silenceMatchers({ severity: 'critical', alertname: 'Disk "full"' })).toEqual(['alertname="Disk \\"full\\""', 'severity="critical"']);
  });
});
