import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/stale-nan.js';
import type { RulerMetrics, RuleSample } from '../api.js';
import { alert, groupConfig, harness, MIN, record, SETTINGS } from './test-fakes.js';

const T0 = 100 * MIN;

function staleness(samples: readonly RuleSample[]): string[] {
  return samples.map((s) => `${s.labels['__name__']}${s.labels['i'] ?? ''}@${s.t}:${isStaleNaN(s.v) ? 'stale' : s.v}`);
}

describe('recording rules', () => {
  it('output: result labels, __name__ = record, group labels then rule labels override', async () => {
    const h = harness(groupConfig([record('job:m:sum', 'sum by (job, team) (m)', { team: 'rule' })], { labels: { team: 'group', env: 'prod' } }));
    h.backend.source.add({ __name__: 'm', job: 'a', team: 'orig' }, T0, 2);
    await h.group.evaluate(T0);
    expect(h.backend.takeAppended()).toEqual([{ labels: { __name__: 'job:m:sum', env: 'prod', job: 'a', team: 'rule' }, t: T0, v: 2 }]);
    expect(h.group.view().rules[0]).toMatchObject({ type: 'recording', name: 'job:m:sum', query: 'sum by (job, team) (m)', labels: { env: 'prod', team: 'rule' }, health: 'ok' });
  });

  it('duplicate output label sets fail with Prometheus text and write nothing', async () => {
    const h = harness(groupConfig([record('r', '{job="a"}')]));
    h.backend.source.add({ __name__: 'x', job: 'a' }, T0, 1);
    h.backend.source.add({ __name__: 'y', job: 'a' }, T0, 1);
    await h.group.evaluate(T0);
    expect(h.group.view().rules[0]).toMatchObject({ health: 'err', lastError: 'vector contains metrics with the same labelset after applying rule labels' });
    expect(h.backend.appends).toEqual([]);
  });

  it.each([
    { limit: 0, series: 3, error: '' },
    { limit: 3, series: 3, error: '' },
    { limit: 2, series: 3, error: 'exceeded limit of 2 with 3 series' },
  ])('limit $limit with $series series -> "$error"', async ({ limit, series, error }) => {
    const h = harness(groupConfig([record('r', 'm')], { limit }));
    for (let i = 0; i < series; i++) h.backend.source.add({ __name__: 'm', i: String(i) }, T0, 1);
    await h.group.evaluate(T0);
    expect(h.group.view().rules[0]?.lastError).toBe(error);
    expect(h.backend.takeAppended()).toHaveLength(error === '' ? series : 0);
  });

  it('a scalar result is recorded as one series with only __name__ and rule labels', async () => {
    const h = harness(groupConfig([record('answer', '42', { k: 'v' })]));
    await h.group.evaluate(T0);
    expect(h.backend.takeAppended()).toEqual([{ labels: { __name__: 'answer', k: 'v' }, t: T0, v: 42 }]);
  });

  it('query_offset: queries at ts - offset and writes there (group offset wins over the default)', async () => {
    const settings = { ...SETTINGS, defaultQueryOffsetMs: 10_000 };
    const h = harness(groupConfig([record('r', 'm')]), { settings });
    const h2 = harness(groupConfig([record('r', 'm')], { queryOffsetMs: 0 }), { settings });
    h.backend.source.add({ __name__: 'm' }, T0 - 10_000, 1);
    h2.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    await h2.group.evaluate(T0);
    expect([h.backend.queries[0]?.t, h.backend.takeAppended()[0]?.t]).toEqual([T0 - 10_000, T0 - 10_000]);
    expect([h2.backend.queries[0]?.t, h2.backend.takeAppended()[0]?.t]).toEqual([T0, T0]);
  });
});

describe('stale markers', () => {
  it('series that vanished since the previous evaluation get a stale marker at ts - offset', async () => {
    const h = harness(groupConfig([record('r', 'm')], { queryOffsetMs: 5000 }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 - 5000, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0 - 5000, 2);
    h.backend.source.addStale({ __name__: 'm', i: '2' }, T0 + MIN - 6000);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    await h.group.evaluate(T0 + 2 * MIN);
    expect(staleness(h.backend.takeAppended())).toEqual([
      `r1@${T0 - 5000}:1`,
      `r2@${T0 - 5000}:2`,
      `r1@${T0 + MIN - 5000}:1`,
      `r2@${T0 + MIN - 5000}:stale`,
      `r1@${T0 + 2 * MIN - 5000}:1`,
    ]);
  });

  it('a failed evaluation writes no stale markers and keeps the bookkeeping', async () => {
    const h = harness(groupConfig([record('r', 'm')]));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    await h.group.evaluate(T0);
    h.backend.failQueries = 'down';
    await h.group.evaluate(T0 + MIN);
    h.backend.failQueries = undefined;
    h.backend.source.addStale({ __name__: 'm', i: '1' }, T0 + MIN);
    await h.group.evaluate(T0 + 2 * MIN);
    expect(staleness(h.backend.takeAppended())).toEqual([`r1@${T0}:1`, `r1@${T0 + 2 * MIN}:stale`]);
  });

  it('markStale writes stale markers for every series of the last evaluation', async () => {
    const h = harness(groupConfig([record('r', 'm'), alert('A', 'm')]));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    await h.group.evaluate(T0);
    h.backend.takeAppended();
    await h.group.markStale(T0 + 30_000);
    expect(staleness(h.backend.takeAppended())).toEqual([`r1@${T0 + 30_000}:stale`, `ALERTS1@${T0 + 30_000}:stale`, `ALERTS_FOR_STATE1@${T0 + 30_000}:stale`]);
  });
});

describe('writes', () => {
  it('refused samples mark the rule unhealthy but are not fatal; later rules still run', async () => {
    const h = harness(groupConfig([record('r', 'm'), record('s', 'm')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.rejectAll = true;
    await h.group.evaluate(T0);
    expect(h.group.view().rules.map((r) => [r.health, r.lastError])).toEqual([
      ['err', 'out of order sample'],
      ['err', 'out of order sample'],
    ]);
    h.backend.rejectAll = false;
    await h.group.evaluate(T0 + MIN);
    expect(h.group.view().rules.map((r) => r.health)).toEqual(['ok', 'ok']);
  });

  it('a transport failure marks the rule failed and counts as a failed evaluation', async () => {
    const calls: [boolean, number][] = [];
    const metrics: RulerMetrics = {
      ruleEvaluated: (_t, _g, failed) => calls.push([failed, 0]),
      groupEvaluated: (_t, g, _s, samples) => calls.push([g === 'ns;g', samples]),
      groupMissed: () => undefined,
      groupConfigured: () => undefined,
    };
    const h = harness(groupConfig([record('r', 'm')]), { metrics });
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.failAppends = true;
    await h.group.evaluate(T0);
    expect(h.group.view().rules[0]).toMatchObject({ health: 'err', lastError: 'connection refused' });
    expect(calls).toEqual([
      [true, 0],
      [true, 1],
    ]);
  });

  it('each rule sees the previous rules output (sequential writes)', async () => {
    const h = harness(groupConfig([record('a', 'm * 2'), record('b', 'a + 1'), record('c', 'b * 10')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect((await h.backend.queryVector('c', T0)).map((s) => s.v)).toEqual([30]);
  });

  it('an expression that does not parse fails every evaluation with a clear error', async () => {
    const h = harness(groupConfig([record('r', 'sum(')]));
    await h.group.evaluate(T0);
    const r = h.group.view().rules[0];
    expect(r?.health).toBe('err');
    expect(r?.lastError).toMatch(/^could not parse expression: /);
    expect(r?.query).toBe('sum(');
  });

  it('an aborted evaluation stops before the next rule and does not throw', async () => {
    const ac = new AbortController();
    const h = harness(groupConfig([record('a', 'm'), record('b', 'm')]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    ac.abort();
    await expect(h.group.evaluate(T0, ac.signal)).resolves.toBeUndefined();
    expect(h.backend.queries).toEqual([]);
  });

  it('timings: rule and group evaluationTime from the clock, lastEvaluation = ts', async () => {
    const h = harness(groupConfig([record('r', 'm')]));
    const inner = h.backend.inner;
    h.backend.queryVector = (e, t) => {
      h.clock.t += 250;
      return inner.queryVector(e, t);
    };
    await h.group.evaluate(T0);
    const v = h.group.view();
    expect([v.evaluationTime, v.lastEvaluation, v.rules[0]?.evaluationTime, v.rules[0]?.lastEvaluation]).toEqual([0.25, T0, 0.25, T0]);
  });
});

describe('copyStateFrom', () => {
  it('carries alerts and series by rule name + labels; removed rules get stale markers at the next evaluation', async () => {
    const old = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN }), record('gone', 'm'), record('kept', 'm')]));
    old.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    old.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN, 1);
    await old.group.evaluate(T0);
    old.backend.takeAppended();
    const next = harness(groupConfig([record('kept', 'm'), alert('A', 'm > 0', { forMs: 5 * MIN, annotations: { new: 'yes' } })]), { backend: old.backend });
    next.group.copyStateFrom(old.group);
    await next.group.evaluate(T0 + MIN);
    const a = next.group.view().rules[1];
    expect(a?.type === 'alerting' ? a.alerts.map((x) => [x.state, x.activeAt, x.annotations]) : []).toEqual([['pending', T0, { new: 'yes' }]]);
    expect(staleness(next.backend.takeAppended())).toEqual([
      `kept1@${T0 + MIN}:1`,
      `ALERTS1@${T0 + MIN}:1`,
      `ALERTS_FOR_STATE1@${T0 + MIN}:${T0 / 1000}`,
      `gone1@${T0 + MIN}:stale`,
    ]);
    expect(next.group.view().lastEvaluation).toBe(T0 + MIN);
  });

  it('a rule whose labels changed does not take over the old alerts', async () => {
    const old = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN })]));
    old.backend.source.add({ __name__: 'm' }, T0, 1);
    await old.group.evaluate(T0);
    const next = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN, labels: { x: 'y' } })]), { backend: old.backend });
    next.group.copyStateFrom(old.group);
    const v = next.group.view().rules[0];
    expect(v?.type === 'alerting' ? v.alerts : undefined).toEqual([]);
    expect(next.group.view().lastEvaluation).toBe(T0);
  });

  it('duplicate rules are matched first to first', async () => {
    const old = harness(groupConfig([record('r', 'm'), record('r', 'n')]));
    old.backend.source.add({ __name__: 'm' }, T0, 1);
    await old.group.evaluate(T0);
    old.backend.takeAppended();
    const next = harness(groupConfig([record('r', 'n')]), { backend: old.backend });
    next.group.copyStateFrom(old.group);
    await next.group.evaluate(T0 + MIN);
    // The new single rule took the first old rule's series (r from m), which `n` no longer yields.
    expect(staleness(next.backend.takeAppended())).toEqual([`r@${T0 + MIN}:stale`]);
  });
});

describe('sameDefinition', () => {
  const base = groupConfig([alert('A', 'm > 0', { forMs: MIN, labels: { a: '1' }, annotations: { s: 'x' } }), record('r', 'm')], { labels: { g: '1' } });
  const h = harness(base);
  it.each([
    { name: 'identical', ns: 'ns', cfg: base, same: true },
    { name: 'expression formatted differently', ns: 'ns', cfg: { ...base, rules: [alert('A', 'm>0', { forMs: MIN, labels: { a: '1' }, annotations: { s: 'x' } }), record('r', 'm')] }, same: true },
    { name: 'interval set to the default', ns: 'ns', cfg: { ...base, intervalMs: MIN }, same: true },
    { name: 'other namespace', ns: 'other', cfg: base, same: false },
    { name: 'other name', ns: 'ns', cfg: { ...base, name: 'h' }, same: false },
    { name: 'interval', ns: 'ns', cfg: { ...base, intervalMs: 30_000 }, same: false },
    { name: 'limit', ns: 'ns', cfg: { ...base, limit: 5 }, same: false },
    { name: 'query_offset set', ns: 'ns', cfg: { ...base, queryOffsetMs: 0 }, same: false },
    { name: 'group labels', ns: 'ns', cfg: { ...base, labels: { g: '2' } }, same: false },
    { name: 'rule for', ns: 'ns', cfg: { ...base, rules: [alert('A', 'm > 0', { forMs: 2 * MIN, labels: { a: '1' }, annotations: { s: 'x' } }), record('r', 'm')] }, same: false },
    { name: 'annotation', ns: 'ns', cfg: { ...base, rules: [alert('A', 'm > 0', { forMs: MIN, labels: { a: '1' }, annotations: { s: 'y' } }), record('r', 'm')] }, same: false },
    { name: 'rule order', ns: 'ns', cfg: { ...base, rules: [...base.rules].reverse() }, same: false },
  ])('$name -> $same', ({ ns, cfg, same }) => {
    expect(h.group.sameDefinition(ns, cfg)).toBe(same);
  });
});

describe('series identity across evaluations', () => {
  it('a series written again is written with the same frozen labels object (the store finds it by identity)', async () => {
    const h = harness(groupConfig([record('r', 'sum by (i) (m)'), alert('A', 'm > 0')]));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0, 1);
    await h.group.evaluate(T0);
    const first = h.backend.takeAppended();
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0 + MIN, 1);
    await h.group.evaluate(T0 + MIN);
    const second = h.backend.takeAppended();
    expect(second.map((s) => s.labels)).toEqual(first.map((s) => s.labels));
    expect(first.every((s) => Object.isFrozen(s.labels))).toBe(true);
    second.forEach((s, k) => expect(s.labels).toBe(first[k]?.labels));
  });

  it('ALERTS gets a new label set when the state changes; ALERTS_FOR_STATE keeps its object', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: MIN })]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    const pending = h.backend.takeAppended();
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 1);
    await h.group.evaluate(T0 + MIN);
    const firing = h.backend.takeAppended();
    expect(pending.map((s) => s.labels['alertstate'] ?? s.labels['__name__'])).toEqual(['pending', 'ALERTS_FOR_STATE']);
    // firing ALERTS, ALERTS_FOR_STATE, then the stale marker of the pending series.
    expect(firing.map((s) => `${s.labels['alertstate'] ?? s.labels['__name__']}:${isStaleNaN(s.v)}`)).toEqual(['firing:false', 'ALERTS_FOR_STATE:false', 'pending:true']);
    expect(firing[1]?.labels).toBe(pending[1]?.labels);
    expect(firing[2]?.labels).toBe(pending[0]?.labels);
  });
});
