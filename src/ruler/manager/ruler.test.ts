import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { StateStore } from '../../core/state-store.js';
import { openMemoryStore } from '../../store/memory.js';
import { DEFAULT_RULER_CONFIG, RuleStoreError } from '../api.js';
import type { RulerConfig } from '../api.js';
import { UNLIMITED_RULER_LIMITS } from './limits.js';
import type { RulerLimits } from './limits.js';
import { createRuler } from './ruler.js';
import { firstSlot, groupOffsetMs } from './schedule.js';
import { fakeFactory, group, MemoryFs, NULL_BACKEND, RecordingMetrics, T0, TestClock } from './test-kit.test-util.js';

const MIN = 60_000;

interface SetupOptions {
  config?: Partial<RulerConfig>;
  limits?: (tenant: string) => RulerLimits;
  duration?: (group: string, n: number) => number;
  restoreNewGroups?: boolean;
  state?: StateStore;
  fs?: MemoryFs;
}

function setup(o: SetupOptions = {}) {
  const clock = new TestClock();
  const factory = fakeFactory(clock, o.duration);
  const metrics = new RecordingMetrics();
  const state = o.state ?? openMemoryStore({ now: () => T0 });
  const backendCalls: string[] = [];
  const ruler = createRuler({
    config: { ...DEFAULT_RULER_CONFIG, ...o.config },
    state,
    backendFor: (t) => {
      backendCalls.push(t);
      return Promise.resolve(NULL_BACKEND);
    },
    createGroup: factory.create,
    limits: o.limits ?? (() => UNLIMITED_RULER_LIMITS),
    clock,
    logger: NOOP_LOGGER,
    metrics,
    fs: o.fs ?? new MemoryFs(),
    ...(o.restoreNewGroups === undefined ? {} : { restoreNewGroups: o.restoreNewGroups }),
  });
  return { clock, factory, metrics, state, ruler, backendCalls };
}

const only = <T>(xs: T[]): T => {
  expect(xs).toHaveLength(1);
  return xs[0] as T;
};

/** The first slot of a group started at T0. */
const slot0 = (ns: string, name: string, interval = MIN): number => firstSlot(T0, groupOffsetMs(ns, name, interval), interval);

describe('scheduling', () => {
  it('evaluates at the group slots: offset = hash(name, file) % interval, first at the next slot', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('g1'));
    const g = only(h.factory.find('ns', 'g1'));
    const s0 = slot0('ns', 'g1');
    expect(s0).toBeGreaterThan(T0);
    expect((s0 - groupOffsetMs('ns', 'g1', MIN)) % MIN).toBe(0);
    await h.clock.advance(s0 - T0 - 1);
    expect(g.evaluations()).toEqual([]);
    await h.clock.advance(1);
    expect(g.evaluations()).toEqual([s0]);
    await h.clock.advance(3 * MIN);
    expect(g.evaluations()).toEqual([s0, s0 + MIN, s0 + 2 * MIN, s0 + 3 * MIN]);
    expect(g.calls.filter((c) => c.what === 'evaluate').every((c) => c.at === c.ts)).toBe(true);
    await h.ruler.stop();
  });

  it('spreads groups over the interval by their offsets', async () => {
    const h = setup();
    await h.ruler.start();
    const hour = 3600_000;
    for (const name of ['a', 'b', 'c']) await h.ruler.store.putGroup('t', 'ns', group(name, { intervalMs: hour }));
    await h.clock.advance(hour);
    const firsts = ['a', 'b', 'c'].map((n) => only(h.factory.find('ns', n)).evaluations()[0] as number);
    expect(firsts.map((ts) => ts % hour)).toEqual(['a', 'b', 'c'].map((n) => groupOffsetMs('ns', n, hour)));
    expect(new Set(firsts).size).toBe(3);
    await h.ruler.stop();
  });

  it('skips (never queues) the iterations an overrunning evaluation made late, and counts them', async () => {
    const h = setup({ duration: (_g, n) => (n === 2 ? 150_000 : 0) });
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('slow'));
    const g = only(h.factory.find('ns', 'slow'));
    const s0 = slot0('ns', 'slow');
    await h.clock.advance(s0 - T0 + 5 * MIN);
    const evals = g.calls.filter((c) => c.what === 'evaluate');
    // Slot s0+60 ran until s0+210: slot s0+120 is skipped, slot s0+180 runs at once (late), then on time.
    expect(evals.map((c) => c.ts - s0)).toEqual([0, MIN, 3 * MIN, 4 * MIN, 5 * MIN]);
    expect(evals.map((c) => c.at - s0)).toEqual([0, MIN, 210_000, 4 * MIN, 5 * MIN]);
    expect(h.metrics.lines.filter((l) => l.startsWith('missed'))).toEqual(['missed t ns;slow 1']);
    await h.ruler.stop();
  });

  it('passes an abort signal that fires when the group stops', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('g'));
    await h.clock.advance(2 * MIN);
    const g = only(h.factory.find('ns', 'g'));
    expect(g.signals[0]?.aborted).toBe(false);
    await h.ruler.stop();
    expect(g.signals[0]?.aborted).toBe(true);
  });
});

describe('restoring for state', () => {
  it('restores after the second evaluation of groups loaded at start, at the wall clock time', async () => {
    const state = openMemoryStore({ now: () => T0 });
    const first = setup({ state });
    await first.ruler.store.putGroup('t', 'ns', group('g'));
    const h = setup({ state, duration: () => 1_000 });
    await h.ruler.start();
    const g = only(h.factory.find('ns', 'g'));
    expect(g.params.shouldRestore).toBe(true);
    const s0 = slot0('ns', 'g');
    await h.clock.advance(s0 - T0);
    expect(g.calls.map((c) => c.what)).toEqual(['evaluate']);
    await h.clock.advance(MIN);
    expect(g.calls.map((c) => c.what)).toEqual(['evaluate', 'evaluate', 'restore']);
    // Prometheus restores at time.Now() after the second evaluation, not at its slot.
    expect(g.calls[2]).toEqual({ what: 'restore', ts: s0 + MIN + 1_000, at: s0 + MIN + 1_000 });
    await h.clock.advance(5 * MIN);
    expect(g.calls.filter((c) => c.what === 'restore')).toHaveLength(1);
    await h.ruler.stop();
  });

  it('restores new and changed groups too (Mimir); only the first load with restoreNewGroups: false (Prometheus)', async () => {
    for (const restoreNewGroups of [true, false]) {
      const state = openMemoryStore({ now: () => T0 });
      await setup({ state }).ruler.store.putGroup('t', 'ns', group('old'));
      const h = setup({ state, restoreNewGroups });
      await h.ruler.start();
      await h.ruler.store.putGroup('t', 'ns', group('new'));
      await h.ruler.store.putGroup('t', 'ns', group('old', { rules: 2 }));
      const [oldFirst, oldChanged] = h.factory.find('ns', 'old');
      const added = only(h.factory.find('ns', 'new'));
      expect(oldFirst?.params.shouldRestore).toBe(true);
      expect(added.params.shouldRestore).toBe(restoreNewGroups);
      expect(oldChanged?.params.shouldRestore).toBe(restoreNewGroups);
      await h.clock.advance(3 * MIN);
      expect(added.calls.some((c) => c.what === 'restore')).toBe(restoreNewGroups);
      expect(oldChanged?.calls.some((c) => c.what === 'restore')).toBe(restoreNewGroups);
      await h.ruler.stop();
    }
  });
});

describe('applying changes', () => {
  it('keeps unchanged groups, replaces changed ones with their state, removes deleted ones', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('keep'));
    await h.ruler.store.putGroup('t', 'ns', group('change'));
    await h.ruler.store.putGroup('t', 'ns', group('drop'));
    await h.clock.advance(2 * MIN);

    await h.ruler.store.putGroup('t', 'ns', group('keep'));
    expect(h.factory.find('ns', 'keep')).toHaveLength(1);

    await h.ruler.store.putGroup('t', 'ns', group('change', { rules: 2 }));
    const [before, after] = h.factory.find('ns', 'change');
    expect(after?.copiedFrom).toBe(before);
    const beforeCount = before?.evaluations().length;

    await h.ruler.store.deleteGroup('t', 'ns', 'drop');
    const dropped = only(h.factory.find('ns', 'drop'));
    const droppedCount = dropped.evaluations().length;
    const stoppedAt = h.clock.t;

    await h.clock.advance(2 * MIN - 1);
    expect(before?.evaluations()).toHaveLength(beforeCount as number);
    expect(dropped.evaluations()).toHaveLength(droppedCount);
    expect(dropped.calls.some((c) => c.what === 'markStale')).toBe(false);
    // The replacement keeps the slots of the group it replaced.
    expect(after?.evaluations().every((ts) => (ts - slot0('ns', 'change')) % MIN === 0)).toBe(true);
    expect(after?.evaluations().length).toBeGreaterThan(0);

    await h.clock.advance(1);
    expect(dropped.calls.filter((c) => c.what === 'markStale')).toEqual([{ what: 'markStale', ts: stoppedAt, at: stoppedAt + 2 * MIN }]);
    expect(h.ruler.groups('t').map((g) => g.name)).toEqual(['change', 'keep']);
    expect(h.metrics.lines).toContain('configured t ns;drop -1 60');
    expect(h.metrics.lines).toContain('configured t ns;change 2 60');
    await h.ruler.stop();
  });

  it('writes no stale markers for a group that never ran, nor when the ruler stops first', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('early'));
    await h.ruler.store.deleteGroup('t', 'ns', 'early');
    await h.ruler.store.putGroup('t', 'ns', group('late'));
    await h.clock.advance(2 * MIN);
    await h.ruler.store.deleteGroup('t', 'ns', 'late');
    await h.ruler.stop();
    await h.clock.advance(10 * MIN);
    for (const g of h.factory.made) expect(g.calls.filter((c) => c.what === 'markStale')).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });

  it('stops a tenant whose rules all vanish; asks for its backend again when rules return', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('g'));
    await h.ruler.store.deleteNamespace('t', 'ns');
    expect(h.ruler.groups('t')).toEqual([]);
    await h.ruler.store.putGroup('t', 'ns', group('g'));
    expect(h.ruler.groups('t').map((g) => g.name)).toEqual(['g']);
    expect(h.backendCalls).toEqual(['t', 't']);
    await h.ruler.stop();
  });

  it('reload: new evaluation settings replace every group (state copied); disabled stops all', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t', 'ns', group('a'));
    await h.ruler.store.putGroup('t', 'ns', group('b', { intervalMs: 30_000 }));
    await h.clock.advance(MIN);
    await h.ruler.reload({ ...DEFAULT_RULER_CONFIG, evaluationIntervalMs: 120_000 });
    const [a1, a2] = h.factory.find('ns', 'a');
    expect(a2?.copiedFrom).toBe(a1);
    expect(a2?.intervalMs).toBe(120_000);
    expect(h.factory.find('ns', 'b')).toHaveLength(2);
    await h.ruler.reload({ ...DEFAULT_RULER_CONFIG, evaluationIntervalMs: 120_000 });
    expect(h.factory.made).toHaveLength(4);
    await h.ruler.reload({ ...DEFAULT_RULER_CONFIG, evaluationIntervalMs: 120_000, enabled: false });
    expect(h.ruler.groups('t')).toEqual([]);
    expect((await h.ruler.store.list('t')).get('ns')).toHaveLength(2);
    await h.ruler.stop();
  });
});

describe('rule store', () => {
  it('keeps tenants apart, sorts namespaces and groups, answers 404 as Mimir', async () => {
    const h = setup();
    await h.ruler.start();
    await h.ruler.store.putGroup('t1', 'b', group('g2'));
    await h.ruler.store.putGroup('t1', 'a', group('g1'));
    await h.ruler.store.putGroup('t1', 'a', group('g0'));
    await h.ruler.store.putGroup('t2', 'a', group('x'));
    const names = async (t: string) => [...(await h.ruler.store.list(t))].map(([ns, gs]) => `${ns}:${gs.map((g) => g.name).join(',')}`);
    expect(await names('t1')).toEqual(['a:g0,g1', 'b:g2']);
    expect(await names('t2')).toEqual(['a:x']);
    await expect(h.ruler.store.deleteGroup('t2', 'a', 'g1')).rejects.toEqual(new RuleStoreError(404, 'group does not exist'));
    await expect(h.ruler.store.deleteNamespace('t2', 'b')).rejects.toEqual(new RuleStoreError(404, 'group namespace does not exist'));
    await h.ruler.store.deleteNamespace('t1', 'a');
    expect(await names('t1')).toEqual(['b:g2']);
    expect(await names('t2')).toEqual(['a:x']);
    expect(h.ruler.groups('t1').map((g) => `${g.file}/${g.name}`)).toEqual(['b/g2']);
    expect(h.ruler.groups('t2').map((g) => `${g.file}/${g.name}`)).toEqual(['a/x']);
    await expect(h.ruler.store.putGroup('t1', '', group('g'))).rejects.toMatchObject({ status: 400 });
    await h.ruler.stop();
  });

  it('survives a restart: stored groups come back equal and run', async () => {
    const state = openMemoryStore({ now: () => T0 });
    const a = setup({ state });
    const g = { ...group('g', { intervalMs: 30_000, rules: 2 }), labels: { team: 'x' }, limit: 5 };
    await a.ruler.store.putGroup('t', 'ns', g);
    const b = setup({ state });
    await b.ruler.start();
    expect((await b.ruler.store.list('t')).get('ns')).toEqual([g]);
    expect(b.ruler.groups('t').map((v) => v.name)).toEqual(['g']);
    await b.ruler.stop();
  });

  it('skips damaged stored records with a log line, keeping the good ones', async () => {
    const state = openMemoryStore({ now: () => T0 });
    await setup({ state }).ruler.store.putGroup('t', 'ns', group('good'));
    await state.write([
      { op: 'put', tenant: 't', kind: 'rules', key: 'ns\u0000bad', value: 'name: bad\nrules: [' },
      { op: 'put', tenant: 't', kind: 'rules', key: 'no-separator', value: 'x' },
    ]);
    const logged: string[] = [];
    const logger = { ...NOOP_LOGGER, error: (o: object | string, msg?: string) => void logged.push(`${msg ?? ''} ${JSON.stringify(o)}`), child: () => logger };
    const ruler = createRuler({ config: DEFAULT_RULER_CONFIG, state, backendFor: () => Promise.resolve(NULL_BACKEND), createGroup: fakeFactory(new TestClock()).create, clock: new TestClock(), logger });
    await ruler.start();
    expect([...(await ruler.store.list('t'))].map(([ns, gs]) => `${ns}:${gs.map((g) => g.name).join(',')}`)).toEqual(['ns:good']);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('skipping unreadable stored rule group');
    await ruler.stop();
  });

  it('enforces the limits with Mimir messages before storing anything', async () => {
    let limits: RulerLimits = { maxRuleGroups: 2, maxRulesPerGroup: 3, minEvaluationIntervalMs: 30_000 };
    const h = setup({ limits: () => limits });
    await h.ruler.start();
    const put = (name: string, o: Parameters<typeof group>[1] = {}) => h.ruler.store.putGroup('t', 'ns', group(name, o));
    await expect(put('big', { rules: 4 })).rejects.toEqual(new RuleStoreError(400, 'per-user rules per rule group limit (limit: 3 actual: 4) exceeded'));
    await put('a', { intervalMs: 120_000 });
    await put('b', { rules: 3 });
    await expect(put('c')).rejects.toEqual(new RuleStoreError(400, 'per-user rule groups limit (limit: 2 actual: 3) exceeded'));
    await put('a', { rules: 2, intervalMs: 120_000 });
    await expect(put('a', { intervalMs: 10_000 })).rejects.toEqual(
      new RuleStoreError(400, "invalid rules configuration: rule group 'a' has an evaluation interval of 10s, lower than the minimum of 30s allowed for this tenant"),
    );
    expect((await h.ruler.store.list('t')).get('ns')?.map((g) => `${g.name}/${g.rules.length}`)).toEqual(['a/2', 'b/3']);
    // A minimum above the default interval slows down the running groups that set none.
    limits = { ...limits, minEvaluationIntervalMs: 90_000 };
    await put('b', { rules: 1 });
    expect(h.ruler.groups('t').map((g) => `${g.name}:${g.intervalSeconds}`)).toEqual(['a:120', 'b:90']);
    await h.ruler.stop();
  });
});

describe('rules directory', () => {
  const rules = (name: string, expr = 'up') => `groups:\n  - name: ${name}\n    rules:\n      - record: ${name}:sum\n        expr: ${expr}\n`;

  it('runs the directory rules, refuses API writes there (409), keeps the last good rules of a broken file', async () => {
    const fs = new MemoryFs();
    fs.write('/rules/t/infra.yml', rules('disk'));
    const h = setup({ config: { rulesDirectory: '/rules', pollIntervalMs: 10_000 }, fs });
    await h.ruler.start();
    expect(h.ruler.groups('t').map((g) => `${g.file}/${g.name}`)).toEqual(['infra/disk']);
    await expect(h.ruler.store.putGroup('t', 'infra', group('x'))).rejects.toMatchObject({ status: 409 });
    await expect(h.ruler.store.deleteGroup('t', 'infra', 'disk')).rejects.toMatchObject({ status: 409 });
    await expect(h.ruler.store.deleteNamespace('t', 'infra')).rejects.toMatchObject({ status: 409 });
    await h.ruler.store.putGroup('t', 'api', group('x'));
    expect([...(await h.ruler.store.list('t')).keys()]).toEqual(['api', 'infra']);

    fs.write('/rules/t/infra.yml', rules('disk', 'sum('));
    await h.clock.advance(10_000);
    expect(h.ruler.directoryErrors('t')).toEqual([
      { namespace: 'infra', file: '/rules/t/infra.yml', messages: ['/rules/t/infra.yml: 5:15: group "disk", rule 1, "disk:sum": could not parse expression: 1:5: parse error: unclosed left parenthesis'] },
    ]);
    expect(h.ruler.groups('t').map((g) => `${g.file}/${g.name}`)).toEqual(['api/x', 'infra/disk']);
    expect(h.factory.find('infra', 'disk')).toHaveLength(1);
    expect((await h.ruler.store.list('t')).get('infra')?.[0]?.rules[0]?.expr).toBe('up');

    fs.write('/rules/t/infra.yml', rules('disk', 'sum(up)'));
    await h.clock.advance(10_000);
    expect(h.ruler.directoryErrors('t')).toEqual([]);
    expect(h.factory.find('infra', 'disk')).toHaveLength(2);

    // A new tenant directory starts a tenant; a removed file removes its namespace.
    fs.write('/rules/u/x.yaml', rules('cpu'));
    fs.remove('/rules/t/infra.yml');
    await h.clock.advance(10_000);
    expect(h.ruler.groups('t').map((g) => `${g.file}/${g.name}`)).toEqual(['api/x']);
    expect(h.ruler.groups('u').map((g) => `${g.file}/${g.name}`)).toEqual(['x/cpu']);
    await h.ruler.store.putGroup('t', 'infra', group('x'));
    await h.ruler.stop();
  });

  it('reload switches to another directory and poll interval without a second poll loop', async () => {
    const fs = new MemoryFs();
    fs.write('/a/t/x.yml', rules('fromA'));
    fs.write('/b/t/x.yml', rules('fromB'));
    const h = setup({ config: { rulesDirectory: '/a', pollIntervalMs: 10_000 }, fs });
    await h.ruler.start();
    expect(h.ruler.groups('t').map((g) => g.name)).toEqual(['fromA']);
    await h.clock.advance(5_000);
    await h.ruler.reload({ ...DEFAULT_RULER_CONFIG, rulesDirectory: '/b', pollIntervalMs: 3_000 });
    expect(h.ruler.groups('t').map((g) => g.name)).toEqual(['fromB']);
    fs.write('/b/t/y.yml', rules('later'));
    await h.clock.advance(3_000);
    expect(h.ruler.groups('t').map((g) => g.name)).toEqual(['fromB', 'later']);
    // Exactly one poll timer (3s ahead); the others are the two groups' next slots and, as
    // fromA ran once, its stale-marker timer two intervals after removal.
    expect(h.clock.dueIn().filter((ms) => ms === 3_000)).toHaveLength(1);
    expect(h.clock.pending).toBe(only(h.factory.find('x', 'fromA')).evaluations().length > 0 ? 4 : 3);
    await h.ruler.stop();
    expect(h.clock.pending).toBe(0);
  });
});
