/**
 * One test per requirement of prometheus/compliance alert_generator/specification.md (1.0), named
 * after the section and item. Where Prometheus 3 deviates from the spec's wording the test pins
 * Prometheus' behaviour and says so.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULER_CONFIG } from '../api.js';
import type { AlertingRuleView } from '../api.js';
import { alert, groupConfig, harness, loadSeries, MIN, record, SETTINGS } from './test-fakes.js';

const T0 = 100 * MIN;

function alertingView(h: ReturnType<typeof harness>, i = 0): AlertingRuleView {
  const r = h.group.view().rules[i];
  if (r?.type !== 'alerting') throw new Error('not an alerting rule');
  return r;
}

describe('alert-generator spec: Alert Format', () => {
  it('Alert Format: labels, annotations, startsAt, endsAt and generatorURL are set', async () => {
    const h = harness(groupConfig([alert('HighLatency', 'latency > 0.5', { annotations: { summary: 'slow' } })]));
    loadSeries(h.backend, { __name__: 'latency', job: 'a' }, T0, T0, 0.9);
    await h.group.evaluate(T0);
    const [sent] = h.sink.take();
    expect(sent).toEqual({
      labels: { alertname: 'HighLatency', job: 'a' },
      annotations: { summary: 'slow' },
      startsAt: T0,
      endsAt: T0 + 4 * MIN,
      generatorURL: 'http://herald.example:9093/graph?g0.expr=latency+%3E+0.5&g0.tab=1',
    });
  });
});

describe('alert-generator spec: Alerting Rules', () => {
  it('The Format: interval defaults to the ruler evaluation interval (1m)', () => {
    expect(harness(groupConfig([])).group.intervalMs).toBe(MIN);
    expect(harness(groupConfig([], { intervalMs: 15_000 })).group.intervalMs).toBe(15_000);
    expect(DEFAULT_RULER_CONFIG.evaluationIntervalMs).toBe(MIN);
  });

  it('Constraints 1: results of a rule are visible to later rules in the same cycle, in config order', async () => {
    const h = harness(
      groupConfig([
        record('job:up:sum', 'sum by (job) (up)'),
        alert('JobDown', 'job:up:sum == 0'),
        alert('AlertsSeen', 'ALERTS{alertname="JobDown"}'),
      ]),
    );
    h.backend.source.add({ __name__: 'up', job: 'a' }, T0, 0);
    await h.group.evaluate(T0);
    const sent = h.sink.take().map((a) => a.labels['alertname']);
    expect(sent).toEqual(['JobDown', 'AlertsSeen']);
  });

  it('Constraints 2: optional template variables and functions render (external labels/URL, tableLink, query, humanize)', async () => {
    const h = harness(
      groupConfig([
        alert('T', 'm > 1', {
          annotations: {
            ext: '{{ $externalLabels.cluster }} {{ $externalURL }}',
            link: '{{ tableLink "up" }}',
            q: '{{ with query "vector(1234.5)" }}{{ . | first | value | humanize }}{{ end }}',
            bad: '{{ query "nope(" }}',
          },
        }),
      ]),
    );
    h.backend.source.add({ __name__: 'm' }, T0, 7);
    await h.group.evaluate(T0);
    const [a] = h.sink.take();
    expect(a?.annotations['ext']).toBe('eu1 http://herald.example:9093');
    expect(a?.annotations['link']).toBe('/graph?g0.expr=up&g0.tab=1');
    expect(a?.annotations['q']).toBe('1.234k');
    expect(a?.annotations['bad']).toMatch(/^<error expanding template: .*error calling query: /);
  });

  it('Constraints 2: label and annotation templates are expanded per alert', async () => {
    const h = harness(
      groupConfig([alert('High', 'm > 1', { labels: { severity: '{{ $labels.tier }}' }, annotations: { v: 'value {{ $value }}' } })])
    );
    h.backend.source.add({ __name__: 'm', tier: 'gold' }, T0, 7);
    await h.group.evaluate(T0);
    const [a] = h.sink.take();
    expect(a?.labels).toEqual({ alertname: 'High', severity: 'gold', tier: 'gold' });
    expect(a?.annotations).toEqual({ v: 'value 7' });
  });
});

describe('alert-generator spec: Executing an Alerting Rule', () => {
  it('the expression runs as an instant query at the group evaluation time', async () => {
    const h = harness(groupConfig([alert('A', 'up  ==  0')]));
    await h.group.evaluate(T0);
    expect(h.backend.queries).toEqual([{ expr: 'up == 0', t: T0 }]);
  });

  it('Step 1: each result element becomes a distinct alert carrying its labels (Prometheus drops __name__)', async () => {
    const h = harness(groupConfig([alert('Errors', 'my_metric_total')]));
    h.backend.source.add({ __name__: 'my_metric_total', job: 'foo', status: '500' }, T0, 10);
    h.backend.source.add({ __name__: 'my_metric_total', job: 'foo', status: '400' }, T0, 18);
    await h.group.evaluate(T0);
    const labels = alertingView(h).alerts.map((a) => a.labels);
    expect(labels).toEqual([
      { alertname: 'Errors', job: 'foo', status: '400' },
      { alertname: 'Errors', job: 'foo', status: '500' },
    ]);
  });

  it('Step 2: label templates override the element labels', async () => {
    const h = harness(groupConfig([alert('A', 'm', { labels: { job: 'overridden-{{ $labels.job }}' } })]));
    h.backend.source.add({ __name__: 'm', job: 'foo' }, T0, 1);
    await h.group.evaluate(T0);
    expect(alertingView(h).alerts[0]?.labels).toEqual({ alertname: 'A', job: 'overridden-foo' });
  });

  it('Step 3: alertname is set to the rule name, overriding an existing alertname', async () => {
    const h = harness(groupConfig([alert('Real', 'm', { labels: { alertname: 'Fake' } })]));
    h.backend.source.add({ __name__: 'm', alertname: 'FromSeries' }, T0, 1);
    await h.group.evaluate(T0);
    expect(alertingView(h).alerts[0]?.labels).toEqual({ alertname: 'Real' });
  });

  it('Step 4: duplicate label sets fail the rule, nothing is sent or written, the error is in the rules API', async () => {
    // Series differing only in __name__: identical once __name__ is dropped.
    const h2 = harness(groupConfig([alert('Dup', '{job="a"}')]));
    h2.backend.source.add({ __name__: 'm', job: 'a' }, T0, 1);
    h2.backend.source.add({ __name__: 'n', job: 'a' }, T0, 1);
    await h2.group.evaluate(T0);
    const v = alertingView(h2);
    expect(v.health).toBe('err');
    expect(v.lastError).toBe('vector contains metrics with the same labelset after applying alert labels');
    expect(v.alerts).toEqual([]);
    expect(h2.sink.batches).toEqual([]);
    expect(h2.backend.appends).toEqual([]);
  });
});

describe('alert-generator spec: alert states', () => {
  it('pending State Conditions: an alert with non-zero for starts pending, ActiveAt = first evaluation', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: 2 * MIN })]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 10 * MIN);
    await h.group.evaluate(T0);
    expect(alertingView(h).alerts.map((a) => [a.state, a.activeAt])).toEqual([['pending', T0]]);
  });

  it('pending State Conditions: stays pending while evaluation time - ActiveAt < for', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: 2 * MIN })]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 10 * MIN);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(alertingView(h).alerts[0]?.state).toBe('pending');
    expect(h.sink.batches).toEqual([]);
  });

  it('pending/firing State Conditions: annotations are updated at every evaluation', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: 2 * MIN, annotations: { v: '{{ $value }}' } })]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 10 * MIN, (t) => (t - T0) / MIN);
    for (let i = 0; i <= 3; i++) {
      await h.group.evaluate(T0 + i * MIN);
      expect(alertingView(h).alerts[0]?.annotations).toEqual({ v: String(i) });
    }
    expect(alertingView(h).alerts[0]?.state).toBe('firing');
    expect(h.sink.take().map((a) => a.annotations['v'])).toEqual(['2']);
  });

  it('firing State Conditions: fires when evaluation time - ActiveAt >= for; FiredAt is that evaluation', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: 2 * MIN })]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 10 * MIN);
    for (let i = 0; i <= 2; i++) await h.group.evaluate(T0 + i * MIN);
    expect(alertingView(h).alerts[0]?.state).toBe('firing');
    expect(h.sink.take().map((a) => a.startsAt)).toEqual([T0 + 2 * MIN]);
  });

  it('firing State Conditions: a zero for fires at the first evaluation, skipping pending', async () => {
    const h = harness(groupConfig([alert('A', 'm')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect(alertingView(h).alerts.map((a) => [a.state, a.activeAt])).toEqual([['firing', T0]]);
    expect(await h.backend.queryVector('ALERTS', T0)).toEqual([{ labels: { __name__: 'ALERTS', alertname: 'A', alertstate: 'firing' }, t: T0, v: 1 }]);
  });

  it('firing State Conditions: for shorter than the interval fires at the next evaluation, not between', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: 10_000 })]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 10 * MIN);
    await h.group.evaluate(T0);
    expect(alertingView(h).alerts[0]?.state).toBe('pending');
    await h.group.evaluate(T0 + MIN);
    expect(alertingView(h).alerts[0]?.state).toBe('firing');
    expect(h.sink.take().map((a) => a.startsAt)).toEqual([T0 + MIN]);
  });

  it('inactive State Conditions: an alert absent from the result goes inactive at once; ResolvedAt = that evaluation', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 0);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    const [a] = alertingView(h).alerts;
    expect([a?.state, a?.resolvedAt]).toEqual(['inactive', T0 + MIN]);
    expect(alertingView(h).state).toBe('inactive');
  });

  it('inactive State Conditions: a pending alert that disappears is dropped (never sent)', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN })]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 0);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(alertingView(h).alerts).toEqual([]);
    expect(h.sink.batches).toEqual([]);
  });

  it('inactive State Conditions: the same labels later are a new alert with new ActiveAt and ResolvedAt', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: MIN })]));
    const values = [1, 1, 0, 1, 1];
    values.forEach((v, i) => h.backend.source.add({ __name__: 'm' }, T0 + i * MIN, v));
    const states: [string | undefined, number | undefined, number | undefined][] = [];
    for (let i = 0; i < values.length; i++) {
      await h.group.evaluate(T0 + i * MIN);
      const a = alertingView(h).alerts[0];
      states.push([a?.state, a?.activeAt, a?.resolvedAt]);
    }
    expect(states).toEqual([
      ['pending', T0, 0],
      ['firing', T0, 0],
      ['inactive', T0, T0 + 2 * MIN],
      ['pending', T0 + 3 * MIN, 0],
      ['firing', T0 + 3 * MIN, 0],
    ]);
  });
});

describe('alert-generator spec: Time Series to Create', () => {
  it('ALERTS has value 1 at the evaluation time, the alert labels, alertstate and __name__ overriding', async () => {
    const h = harness(groupConfig([alert('HighRequestLatency', 'm', { forMs: MIN, labels: { severity: 'page' } })]));
    loadSeries(h.backend, { __name__: 'm', alertstate: 'very_critical' }, T0, T0 + 5 * MIN);
    await h.group.evaluate(T0);
    expect(await h.backend.queryVector('ALERTS', T0)).toEqual([
      { labels: { __name__: 'ALERTS', alertname: 'HighRequestLatency', alertstate: 'pending', severity: 'page' }, t: T0, v: 1 },
    ]);
    await h.group.evaluate(T0 + MIN);
    expect(await h.backend.queryVector('ALERTS', T0 + MIN)).toEqual([
      { labels: { __name__: 'ALERTS', alertname: 'HighRequestLatency', alertstate: 'firing', severity: 'page' }, t: T0 + MIN, v: 1 },
    ]);
  });

  it('ALERTS is queryable by later rules of the group in the same cycle', async () => {
    const h = harness(groupConfig([alert('A', 'm'), record('alerts:count', 'count(ALERTS{alertstate="firing"})')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect(await h.backend.queryVector('alerts:count', T0)).toEqual([{ labels: { __name__: 'alerts:count' }, t: T0, v: 1 }]);
  });

  it('no series for inactive alerts (a stale marker ends the ALERTS series)', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 0);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(await h.backend.queryVector('ALERTS', T0 + MIN)).toEqual([]);
    expect(alertingView(h).alerts[0]?.state).toBe('inactive');
  });
});

describe('alert-generator spec: Sending Alerts to Alertmanager', () => {
  it('only firing and inactive alerts are sent, only right after evaluations', async () => {
    const h = harness(groupConfig([alert('P', 'm', { forMs: 10 * MIN }), alert('F', 'm')]));
    loadSeries(h.backend, { __name__: 'm' }, T0, T0 + 5 * MIN);
    await h.group.evaluate(T0);
    expect(h.sink.take().map((a) => a.labels['alertname'])).toEqual(['F']);
  });

  it('ResendDelay defaults to 1 minute', () => {
    expect(DEFAULT_RULER_CONFIG.resendDelayMs).toBe(MIN);
  });

  it.each([
    { intervalSec: 15, expected: [0, 75, 150, 225] },
    { intervalSec: 45, expected: [0, 90, 180] },
    { intervalSec: 60, expected: [0, 120, 240] },
  ])('Conditions for Sending firing Alerts: interval $intervalSec s resends at the first multiple > ResendDelay', async ({ intervalSec, expected }) => {
    const iv = intervalSec * 1000;
    const h = harness(groupConfig([alert('A', 'm')], { intervalMs: iv }));
    for (let t = 0; t <= 4 * MIN; t += 15_000) h.backend.source.add({ __name__: 'm' }, T0 + t, 1);
    const sentAt: number[] = [];
    for (let t = 0; t <= 4 * MIN; t += iv) {
      await h.group.evaluate(T0 + t);
      if (h.sink.take().length > 0) sentAt.push(t / 1000);
    }
    expect(sentAt).toEqual(expected);
  });

  it('Conditions for Sending inactive Alerts: sent at once, resent until 15m after ResolvedAt', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    h.sink.take();
    const sentAt: number[] = [];
    for (let i = 1; i <= 20; i++) {
      h.backend.source.add({ __name__: 'm' }, T0 + i * MIN, 0);
      await h.group.evaluate(T0 + i * MIN);
      for (const a of h.sink.take()) {
        expect(a.endsAt).toBe(T0 + MIN);
        sentAt.push(i);
      }
    }
    // Resolved at minute 1; resent every 2 minutes (first multiple of 1m > 1m); dropped once > 15m.
    expect(sentAt).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
    expect(alertingView(h).alerts).toEqual([]);
  });

  it('Conditions for Sending inactive Alerts: stops when a new alert with the same labels appears', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN })]));
    [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1].forEach((v, i) => h.backend.source.add({ __name__: 'm' }, T0 + i * MIN, v));
    for (let i = 0; i <= 6; i++) await h.group.evaluate(T0 + i * MIN);
    expect(h.sink.take().map((a) => a.endsAt)).toEqual([T0 + 9 * MIN, T0 + 6 * MIN]);
    for (let i = 7; i <= 10; i++) await h.group.evaluate(T0 + i * MIN);
    expect(h.sink.batches).toEqual([]);
    expect(alertingView(h).alerts.map((a) => a.state)).toEqual(['pending']);
  });

  it('Payload: startsAt = FiredAt; endsAt = ResolvedAt when inactive, else send time + 4 x max(ResendDelay, interval)', async () => {
    // The spec says StartsAt + 4 x max(...); Prometheus (and Herald) count from the send time.
    const h = harness(groupConfig([alert('A', 'm > 0')], { intervalMs: 2 * MIN }));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + 2 * MIN, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + 4 * MIN, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + 6 * MIN, 0);
    const sent = [];
    for (let i = 0; i <= 3; i++) {
      await h.group.evaluate(T0 + 2 * i * MIN);
      sent.push(...h.sink.take().map((a) => [a.startsAt, a.endsAt]));
    }
    expect(sent).toEqual([
      [T0, T0 + 8 * MIN],
      [T0, T0 + 2 * MIN + 8 * MIN],
      [T0, T0 + 4 * MIN + 8 * MIN],
      [T0, T0 + 6 * MIN],
    ]);
  });

  it('Payload: generatorURL links to the query page of the (re-printed) expression', async () => {
    const h = harness(groupConfig([alert('A', 'sum by(job)(rate(x{a="b c"}[5m]))>0')]));
    h.backend.source.add({ __name__: 'x', a: 'b c', job: 'j' }, T0 - MIN, 0);
    h.backend.source.add({ __name__: 'x', a: 'b c', job: 'j' }, T0, 60);
    await h.group.evaluate(T0);
    expect(h.sink.take()[0]?.generatorURL).toBe(
      'http://herald.example:9093/graph?g0.expr=sum+by+%28job%29+%28rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29%29+%3E+0&g0.tab=1',
    );
  });
});

describe('alert-generator spec: APIs to Support', () => {
  it('GET /api/v1/rules: group name, interval, lastEvaluation; rule query, duration, labels, annotations, health, state, alerts', async () => {
    const h = harness(groupConfig([alert('A', 'm  >  0', { forMs: 5 * MIN, labels: { sev: 'x' }, annotations: { s: 'y' } })], { name: 'grp', intervalMs: 30_000 }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 3);
    h.clock.t = 1000;
    await h.group.evaluate(T0);
    const g = h.group.view();
    expect([g.name, g.file, g.intervalSeconds, g.lastEvaluation]).toEqual(['grp', 'ns', 30, T0]);
    expect(alertingView(h)).toMatchObject({
      type: 'alerting',
      name: 'A',
      query: 'm > 0',
      durationSeconds: 300,
      labels: { sev: 'x' },
      annotations: { s: 'y' },
      health: 'ok',
      lastError: '',
      lastEvaluation: T0,
      state: 'pending',
      alerts: [{ labels: { alertname: 'A', i: '1', sev: 'x' }, annotations: { s: 'y' }, state: 'pending', activeAt: T0, value: 3, resolvedAt: 0, keepFiringSince: 0 }],
    });
  });

  it('GET /api/v1/rules: lastError is set exactly when health is err; state firing beats pending', async () => {
    const h = harness(groupConfig([alert('A', 'm', { forMs: MIN }), alert('B', 'm')]));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.failQueries = 'remote unavailable';
    await h.group.evaluate(T0);
    expect([alertingView(h).health, alertingView(h).lastError]).toEqual(['err', 'remote unavailable']);
    h.backend.failQueries = undefined;
    await h.group.evaluate(T0 + MIN);
    expect([alertingView(h).health, alertingView(h).lastError, alertingView(h).state]).toEqual(['ok', '', 'pending']);
    expect(alertingView(h, 1).state).toBe('firing');
  });

  it('GET /api/v1/alerts: the union of active alerts (resolved ones are retained with resolvedAt set)', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0'), alert('B', 'm > 0')]));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0 + MIN, 0);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    const all = h.group.view().rules.flatMap((r) => (r.type === 'alerting' ? r.alerts : []));
    const active = all.filter((a) => a.resolvedAt === 0).map((a) => `${a.labels['alertname']}/${a.labels['i']}`);
    expect(active).toEqual(['A/1', 'B/1']);
    expect(all).toHaveLength(4);
    expect(SETTINGS.resendDelayMs).toBe(MIN);
  });
});
