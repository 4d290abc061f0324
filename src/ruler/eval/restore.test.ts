import { describe, expect, it } from 'vitest';
import type { AlertingRuleView } from '../api.js';
import { AlertingRule } from './alerting-rule.js';
import { forStateSelector, restoredActiveAt } from './restore.js';
import { expandAlertTemplate } from './template.js';
import { alert, groupConfig, harness, MIN } from './test-fakes.js';
import type { Harness, SpyBackend } from './test-fakes.js';

const T0 = 1000 * MIN;
const GRACE = 10 * MIN;

describe('restoredActiveAt', () => {
  it.each([
    { name: 'was firing (remaining <= 0): keeps the stored ActiveAt', forMs: 30 * MIN, downAt: T0, activeAt: T0 - 40 * MIN, ts: T0 + 5 * MIN, want: T0 - 40 * MIN },
    { name: 'exactly at for: was firing', forMs: 30 * MIN, downAt: T0, activeAt: T0 - 30 * MIN, ts: T0 + 5 * MIN, want: T0 - 30 * MIN },
    { name: 'remaining < grace: fires grace period after the restart', forMs: 30 * MIN, downAt: T0, activeAt: T0 - 25 * MIN, ts: T0 + 5 * MIN, want: T0 + 5 * MIN + GRACE - 30 * MIN },
    { name: 'remaining >= grace: downtime does not count', forMs: 60 * MIN, downAt: T0, activeAt: T0 - 20 * MIN, ts: T0 + 5 * MIN, want: T0 - 15 * MIN },
    { name: 'times are truncated to seconds', forMs: 60 * MIN, downAt: T0 + 999, activeAt: T0 - 20 * MIN + 700, ts: T0 + 5 * MIN, want: T0 - 15 * MIN },
  ])('$name', ({ forMs, downAt, activeAt, ts, want }) => {
    expect(restoredActiveAt(forMs, downAt, activeAt / 1000, ts, GRACE)).toBe(want);
  });
});

describe('forStateSelector', () => {
  it('matches ALERTS_FOR_STATE by alertname and the non-templated rule labels', () => {
    const r = new AlertingRule('A"x', 'm', 30 * MIN, 0, { sev: 'page', dyn: '{{ $labels.x }}', 'dotted.name': 'v' }, {}, { externalLabels: {}, externalURL: '', expand: expandAlertTemplate }, false);
    expect(forStateSelector(r, 60 * MIN)).toBe('{__name__="ALERTS_FOR_STATE", alertname="A\\"x", "dotted.name"="v", sev="page"}[1h]');
  });
});

function view(h: Harness): AlertingRuleView {
  const r = h.group.view().rules[0];
  if (r?.type !== 'alerting') throw new Error('not alerting');
  return r;
}

/** A previous run's ALERTS_FOR_STATE: active since `activeAt`, last written at `downAt`. */
function history(b: SpyBackend, activeAt: number, downAt: number, labels: Record<string, string> = {}): void {
  for (let t = activeAt; t <= downAt; t += MIN) b.source.add({ __name__: 'ALERTS_FOR_STATE', alertname: 'A', ...labels }, t, activeAt / 1000);
}

describe('restoreForState', () => {
  async function restart(forMs: number, prep: (b: SpyBackend) => void): Promise<Harness> {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs })]), { shouldRestore: true });
    prep(h.backend);
    for (let t = T0; t <= T0 + 10 * MIN; t += MIN) h.backend.source.add({ __name__: 'm' }, t, 1);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(h.backend.appends).toEqual([]);
    await h.group.restoreForState(T0 + MIN);
    return h;
  }

  it('for below the grace period: restored without a query', async () => {
    const h = await restart(5 * MIN, (b) => history(b, T0 - 30 * MIN, T0 - 2 * MIN));
    expect(h.backend.queries.filter((q) => q.expr.startsWith('{'))).toEqual([]);
    expect(view(h).alerts[0]?.activeAt).toBe(T0);
    await h.group.evaluate(T0 + 2 * MIN);
    expect(h.backend.takeAppended().map((s) => s.labels['__name__'])).toEqual(['ALERTS', 'ALERTS_FOR_STATE']);
  });

  it('was firing before the restart: ActiveAt restored, fires at the next evaluation', async () => {
    const h = await restart(30 * MIN, (b) => history(b, T0 - 40 * MIN, T0 - 2 * MIN));
    expect(view(h).alerts[0]?.activeAt).toBe(T0 - 40 * MIN);
    await h.group.evaluate(T0 + 2 * MIN);
    expect(view(h).alerts[0]?.state).toBe('firing');
    expect(h.sink.take()).toHaveLength(1);
  });

  it('little time left: fires one grace period after the restore', async () => {
    const h = await restart(30 * MIN, (b) => history(b, T0 - 25 * MIN, T0 - 2 * MIN));
    const activeAt = T0 + MIN + GRACE - 30 * MIN;
    expect(view(h).alerts[0]?.activeAt).toBe(activeAt);
    await h.group.evaluate(T0 + MIN + GRACE - MIN);
    expect(view(h).alerts[0]?.state).toBe('pending');
    await h.group.evaluate(T0 + MIN + GRACE);
    expect(view(h).alerts[0]?.state).toBe('firing');
  });

  it('much time left: the downtime is added to ActiveAt', async () => {
    const h = await restart(60 * MIN, (b) => history(b, T0 - 20 * MIN, T0 - 2 * MIN));
    expect(view(h).alerts[0]?.activeAt).toBe(T0 - 20 * MIN + 3 * MIN);
  });

  it('no history within the outage tolerance: ActiveAt stays', async () => {
    const h = await restart(30 * MIN, (b) => history(b, T0 - 200 * MIN, T0 - 70 * MIN));
    expect(view(h).alerts[0]?.activeAt).toBe(T0);
  });

  it('history of other label sets does not apply', async () => {
    const h = await restart(30 * MIN, (b) => history(b, T0 - 40 * MIN, T0 - 2 * MIN, { other: 'x' }));
    expect(view(h).alerts[0]?.activeAt).toBe(T0);
  });

  it('a failing query still marks the rule restored', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: 30 * MIN })]), { shouldRestore: true });
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    h.backend.failQueries = 'down';
    await h.group.restoreForState(T0);
    h.backend.failQueries = undefined;
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 1);
    await h.group.evaluate(T0 + MIN);
    expect(h.backend.takeAppended().map((s) => s.labels['__name__'])).toEqual(['ALERTS', 'ALERTS_FOR_STATE']);
  });

  it('queries the outage tolerance window at the restore time', async () => {
    const h = await restart(30 * MIN, () => undefined);
    expect(h.backend.queries.at(-1)).toEqual({ expr: '{__name__="ALERTS_FOR_STATE", alertname="A"}[1h]', t: T0 + MIN });
  });
});
