import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/stale-nan.js';
import type { AlertingRuleView, RuleGroupConfig } from '../api.js';
import { alert, groupConfig, harness, MIN } from './test-fakes.js';
import type { Harness } from './test-fakes.js';

const T0 = 100 * MIN;

function view(h: Harness, i = 0): AlertingRuleView {
  const r = h.group.view().rules[i];
  if (r?.type !== 'alerting') throw new Error('not an alerting rule');
  return r;
}

/** Evaluates once a minute with `m` = values[i] (`_` = no sample); returns state letters per step. */
async function run(config: RuleGroupConfig, values: readonly (number | '_')[]): Promise<{ states: string; h: Harness }> {
  const h = harness(config);
  let states = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== '_' && v !== undefined) h.backend.source.add({ __name__: 'm' }, T0 + i * MIN, v);
    else h.backend.source.addStale({ __name__: 'm' }, T0 + i * MIN);
    await h.group.evaluate(T0 + i * MIN);
    const a = view(h).alerts[0];
    states += a ? a.state[0] : '-';
  }
  return { states, h };
}

describe('alert state machine', () => {
  it.each([
    { name: 'for 0 fires at once and resolves', forMs: 0, values: [1, 1, 0, 0], states: 'ffii' },
    { name: 'for 2m: pending twice, then firing', forMs: 2 * MIN, values: [1, 1, 1, 1], states: 'ppff' },
    { name: 'pending alert that vanishes is dropped', forMs: 2 * MIN, values: [1, 0, 1, 1, 1], states: 'p-ppf' },
    { name: 'firing -> inactive -> new pending', forMs: MIN, values: [1, 1, 0, 1, 1], states: 'pfipf' },
    { name: 'absent series resolves like a false condition', forMs: 0, values: [1, '_' as const, 1], states: 'fif' },
    { name: 'for 30s with 1m interval fires at the 2nd evaluation', forMs: 30_000, values: [1, 1], states: 'pf' },
  ])('$name', async ({ forMs, values, states }) => {
    const r = await run(groupConfig([alert('A', 'm > 0', { forMs })]), values);
    expect(r.states).toBe(states);
  });

  it('resolved alerts are kept 15 minutes (deleted once now - ResolvedAt > 15m)', async () => {
    const values = [1, ...Array<number>(17).fill(0)];
    const r = await run(groupConfig([alert('A', 'm > 0')]), values);
    // resolved at step 1; still there at step 16 (15m after), gone at step 17.
    expect(r.states).toBe('f' + 'i'.repeat(16) + '-');
  });

  it('a raised `for` sends a firing alert back to pending (state copied from the old group)', async () => {
    const old = harness(groupConfig([alert('A', 'm > 0', { forMs: MIN })]));
    for (let i = 0; i <= 3; i++) old.backend.source.add({ __name__: 'm' }, T0 + i * MIN, 1);
    await old.group.evaluate(T0);
    await old.group.evaluate(T0 + MIN);
    expect(view(old).alerts[0]?.state).toBe('firing');
    const raised = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN })]), { backend: old.backend });
    raised.group.copyStateFrom(old.group);
    await raised.group.evaluate(T0 + 2 * MIN);
    const a = view(raised).alerts[0];
    expect([a?.state, a?.activeAt]).toEqual(['pending', T0]);
    expect(raised.sink.batches).toEqual([]);
  });

  it('value and annotations of a live alert are updated; its ActiveAt is kept', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN })]));
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 9);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(view(h).alerts.map((a) => [a.value, a.activeAt])).toEqual([[9, T0]]);
  });
});

describe('keep_firing_for', () => {
  it.each([
    { name: 'keeps firing while now - KeepFiringSince < keep_firing_for', keep: 2 * MIN, values: [1, 0, 0, 0, 0], states: 'fffii' },
    { name: 'a pending alert is not kept', keep: 2 * MIN, forMs: MIN, values: [1, 0], states: 'p-' },
    { name: 'reappearing resets KeepFiringSince', keep: 2 * MIN, values: [1, 0, 1, 0, 0, 0], states: 'fffffi' },
  ])('$name', async ({ keep, forMs, values, states }) => {
    const r = await run(groupConfig([alert('A', 'm > 0', { keepFiringForMs: keep, forMs: forMs ?? 0 })]), values);
    expect(r.states).toBe(states);
  });

  it('KeepFiringSince is shown while kept, ALERTS stays firing, and resolution is sent only at the end', async () => {
    const { h } = await run(groupConfig([alert('A', 'm > 0', { keepFiringForMs: 2 * MIN })]), [1, 0]);
    expect(view(h).alerts[0]?.keepFiringSince).toBe(T0 + MIN);
    expect((await h.backend.queryVector('ALERTS', T0 + MIN)).map((s) => s.labels['alertstate'])).toEqual(['firing']);
    expect(h.sink.take().map((a) => a.endsAt)).toEqual([T0 + 4 * MIN]);
  });
});

describe('limit', () => {
  it('more active alerts than the limit: all alerts are dropped and the rule fails', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')], { limit: 1 }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0, 1);
    await h.group.evaluate(T0);
    expect([view(h).health, view(h).lastError, view(h).alerts]).toEqual(['err', 'exceeded limit of 1 with 2 alerts', []]);
    expect(h.sink.batches).toEqual([]);
    expect(h.backend.appends).toEqual([]);
  });

  it('at the limit: fine', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')], { limit: 2 }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0, 1);
    await h.group.evaluate(T0);
    expect([view(h).health, view(h).alerts.length]).toEqual(['ok', 2]);
  });

  it('resolved alerts do not count towards the limit', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')], { limit: 1 }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN, 0);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0 + MIN, 1);
    await h.group.evaluate(T0);
    await h.group.evaluate(T0 + MIN);
    expect(view(h).health).toBe('ok');
  });
});

describe('ALERTS and ALERTS_FOR_STATE', () => {
  it('are written at ts - query_offset with rule labels, ActiveAt in seconds, stale markers when the alert leaves', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { forMs: 5 * MIN, labels: { sev: 'page' } })], { queryOffsetMs: 30_000, labels: { team: 'x' } }));
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 - 30_000, 1);
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN - 30_000, 0);
    await h.group.evaluate(T0);
    expect(h.backend.takeAppended()).toEqual([
      { labels: { __name__: 'ALERTS', alertname: 'A', alertstate: 'pending', i: '1', sev: 'page', team: 'x' }, t: T0 - 30_000, v: 1 },
      { labels: { __name__: 'ALERTS_FOR_STATE', alertname: 'A', i: '1', sev: 'page', team: 'x' }, t: T0 - 30_000, v: T0 / 1000 },
    ]);
    await h.group.evaluate(T0 + MIN);
    const stale = h.backend.takeAppended();
    expect(stale.map((s) => [s.labels['__name__'], s.t, isStaleNaN(s.v)])).toEqual([
      ['ALERTS', T0 + MIN - 30_000, true],
      ['ALERTS_FOR_STATE', T0 + MIN - 30_000, true],
    ]);
  });

  it('a state change pending -> firing ends the pending ALERTS series with a stale marker', async () => {
    const { h } = await run(groupConfig([alert('A', 'm > 0', { forMs: MIN })]), [1, 1]);
    const last = h.backend.appends.at(-1) ?? [];
    expect(last.map((s) => `${s.labels['alertstate']}:${isStaleNaN(s.v)}`)).toEqual(['pending:true']);
    expect((await h.backend.queryVector('ALERTS', T0 + MIN)).map((s) => s.labels['alertstate'])).toEqual(['firing']);
  });

  it('are not written before the rule is restored (shouldRestore)', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0')]), { shouldRestore: true });
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect(h.backend.appends).toEqual([]);
    expect(h.sink.take()).toHaveLength(1);
    await h.group.restoreForState(T0 + 1000);
    h.backend.source.add({ __name__: 'm' }, T0 + MIN, 1);
    await h.group.evaluate(T0 + MIN);
    expect(h.backend.takeAppended().map((s) => s.labels['__name__'])).toEqual(['ALERTS', 'ALERTS_FOR_STATE']);
  });
});

describe('templates', () => {
  it('a rejecting expander yields the error text, not a failed rule', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { annotations: { s: '{{ bad }}' } })]), {
      expandTemplate: () => Promise.reject(new Error('boom')),
    });
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect([view(h).health, view(h).alerts[0]?.annotations]).toEqual(['ok', { s: '<error expanding template: boom>' }]);
    const plain = harness(groupConfig([alert('A', 'm > 0', { annotations: { s: 'no actions' } })]), { expandTemplate: () => Promise.reject(new Error('called')) });
    plain.backend.source.add({ __name__: 'm' }, T0, 1);
    await plain.group.evaluate(T0);
    expect(view(plain).alerts[0]?.annotations).toEqual({ s: 'no actions' });
  });

  it('templates get the sample labels incl. __name__, value, external labels/URL, eval time and a query at eval time', async () => {
    const seen: unknown[] = [];
    const h = harness(groupConfig([alert('A', 'm > 0', { annotations: { s: '{{ x }}' } })], { queryOffsetMs: MIN }), {
      expandTemplate: async (name, text, data, env) => {
        const q = await env.query('vector(5)');
        seen.push({ name, text, data, evalTimeMs: env.evalTimeMs, externalURL: env.externalURL, q });
        return 'ok';
      },
    });
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 - MIN, 2);
    await h.group.evaluate(T0);
    expect(seen).toEqual([
      {
        name: 'A',
        text: '{{ x }}',
        data: { labels: { __name__: 'm', i: '1' }, externalLabels: { cluster: 'eu1' }, externalURL: 'http://herald.example:9093', value: 2 },
        evalTimeMs: T0,
        externalURL: 'http://herald.example:9093',
        q: [{ labels: {}, t: T0, v: 5 }],
      },
    ]);
  });

  it('a label expanding to the empty string is dropped from the alert', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { labels: { gone: '{{ x }}' } })]), { expandTemplate: () => Promise.resolve('') });
    h.backend.source.add({ __name__: 'm' }, T0, 1);
    await h.group.evaluate(T0);
    expect(view(h).alerts[0]?.labels).toEqual({ alertname: 'A' });
  });
});

describe('alert labels built once per result series', () => {
  it('each series keeps its own labels across evaluations, and a templated label is expanded each time', async () => {
    const h = harness(groupConfig([alert('A', 'm > 0', { labels: { sev: 'page' } }), alert('B', 'm > 0', { labels: { v: '{{ $value }}' } })]));
    const labelsOf = (rule: number): string[] => {
      const r = h.group.view().rules[rule];
      return r?.type === 'alerting' ? r.alerts.map((a) => JSON.stringify(a.labels)) : [];
    };
    h.backend.source.add({ __name__: 'm', i: '1' }, T0, 1);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0, 2);
    await h.group.evaluate(T0);
    expect(labelsOf(0)).toEqual(['{"alertname":"A","i":"1","sev":"page"}', '{"alertname":"A","i":"2","sev":"page"}']);
    h.backend.source.add({ __name__: 'm', i: '1' }, T0 + MIN, 3);
    h.backend.source.add({ __name__: 'm', i: '2' }, T0 + MIN, 2);
    await h.group.evaluate(T0 + MIN);
    expect(labelsOf(0)).toEqual(['{"alertname":"A","i":"1","sev":"page"}', '{"alertname":"A","i":"2","sev":"page"}']);
    // B: the alert with value 1 resolved (kept, resolved, for resending); the one with value 3 is new.
    expect(labelsOf(1)).toEqual(['{"alertname":"B","i":"1","v":"1"}', '{"alertname":"B","i":"1","v":"3"}', '{"alertname":"B","i":"2","v":"2"}']);
  });
});
