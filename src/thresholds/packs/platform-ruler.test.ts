import { beforeEach, describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { isStaleNaN } from '../../core/stale-nan.js';
import type { EvalGroup, EvalSettings, GroupView, RulerMetrics } from '../../ruler/api.js';
import { NOOP_RULER_METRICS } from '../../ruler/api.js';
import type { EvalGroupParams } from '../../ruler/eval/index.js';
import { createPlatformRuler } from './platform-ruler.js';
import type { PlatformRuler } from './platform-ruler.js';
import { MemoryFs, memoryTenants, seriesNames, TenantSink, TestClock, valueAt } from './test-kit.test-util.js';
import type { MemoryStore } from './test-kit.test-util.js';

const MIN = 60_000;
const SETTINGS: EvalSettings = {
  defaultIntervalMs: MIN,
  defaultQueryOffsetMs: 0,
  // Every evaluation re-sends firing alerts, so each step shows what fires.
  resendDelayMs: 0,
  forGracePeriodMs: 10 * MIN,
  forOutageToleranceMs: 60 * MIN,
  externalLabels: {},
  externalURL: 'http://herald.example:9093',
};

/** The addendum's pack shape: recording, thresholds, alerts with maintenance and a critical tier; "down" not suppressed. */
const MYSQL_PACK = `groups:
  - name: mysql
    interval: 1m
    rules:
      - record: tenant:mysql_connections:max
        expr: max by(tenant) (mysql_global_status_threads_connected)
      - record: tenant:alert_threshold:mysql_connections
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="warning"})
      - record: tenant:alert_threshold:mysql_connections_critical
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="critical"})
      - alert: MySQLTooManyConnections
        expr: |
          (tenant:mysql_connections:max > on(tenant) group_left tenant:alert_threshold:mysql_connections)
          unless on(tenant) (tenant:mysql_connections:max > on(tenant) group_left tenant:alert_threshold:mysql_connections_critical)
          unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        labels:
          severity: warning
        annotations:
          summary: "{{ $labels.tenant }} has {{ $value }} connections"
      - alert: MySQLTooManyConnectionsCritical
        expr: |
          (tenant:mysql_connections:max > on(tenant) group_left tenant:alert_threshold:mysql_connections_critical)
          unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        labels:
          severity: critical
      - alert: MySQLDown
        expr: max by(tenant) (mysql_up) == 0
        labels:
          severity: critical
`;

const TENANTS = ['db-a', 'db-b', 'db-c'];

describe('PlatformRuler over three tenant stores', () => {
  let clock: TestClock;
  let fs: MemoryFs;
  let stores: Map<string, MemoryStore>;
  let sink: TenantSink;
  let ruler: PlatformRuler;
  /** What the next step() writes: connections and mysql_up per tenant, tenants in maintenance. */
  let scenario: { conns: Record<string, number>; maintenance: Set<string>; up: Record<string, number> };

  const put = (tenant: string, labels: Labels, v: number): void => stores.get(tenant)!.source.add(labels, clock.t, v);
  const threshold = (tenant: string, severity: string, v: number): void =>
    put(tenant, { __name__: 'user_threshold', tenant, component: 'mysql', metric: 'connections', severity }, v);
  /** Writes every tenant's current data (samples must be within the lookback of each evaluation). */
  let data: () => void;
  const step = async (): Promise<void> => {
    data();
    await clock.advance(MIN);
  };

  beforeEach(async () => {
    clock = new TestClock();
    fs = new MemoryFs('/packs');
    fs.write('mysql.yaml', MYSQL_PACK);
    const mem = memoryTenants(TENANTS, ['platform']);
    stores = mem.stores;
    sink = new TenantSink();
    scenario = { conns: { 'db-a': 90, 'db-b': 90, 'db-c': 200 }, maintenance: new Set(), up: { 'db-a': 1, 'db-b': 1, 'db-c': 1 } };
    const { conns, maintenance, up } = scenario;
    data = () => {
      for (const t of TENANTS) {
        put(t, { __name__: 'mysql_global_status_threads_connected', instance: 'db:9104', job: 'mysql', tenant: 'forged-by-exporter' }, conns[t] ?? 0);
        put(t, { __name__: 'mysql_up', instance: 'db:9104', job: 'mysql' }, up[t] ?? 0);
        threshold(t, 'warning', t === 'db-b' ? 100 : 80);
        threshold(t, 'critical', 150);
        if (maintenance.has(t)) put(t, { __name__: 'user_state_filter', tenant: t, filter: 'maintenance', severity: 'info' }, 1);
      }
    };
    ruler = createPlatformRuler({ tenants: mem.tenants, sink, settings: SETTINGS, packsDirectory: '/packs', fs, pollIntervalMs: 0, clock, logger: NOOP_LOGGER });
    await ruler.start();
  });

  it('fires only for the tenant over its own threshold; the critical tier replaces the warning', async () => {
    await step();
    await step();
    expect(sink.sent.filter((b) => b.tenant !== 'db-a' && b.tenant !== 'db-c')).toEqual([]);
    expect(sink.take(clock.t)).toEqual(['db-a: MySQLTooManyConnections', 'db-c: MySQLTooManyConnectionsCritical']);
  });

  it('writes outputs into the store of the tenant they belong to, and nowhere else', async () => {
    for (let i = 0; i < 3; i++) await step();
    expect(await valueAt(stores.get('db-a')!, { __name__: 'tenant:mysql_connections:max', tenant: 'db-a' }, clock.t)).toBe(90);
    expect(await valueAt(stores.get('db-b')!, { __name__: 'tenant:alert_threshold:mysql_connections', tenant: 'db-b' }, clock.t)).toBe(100);
    for (const t of TENANTS) {
      const outputs = (await seriesNames(stores.get(t)!)).filter((n) => n.startsWith('tenant:') || n.startsWith('ALERTS'));
      expect(outputs.length).toBeGreaterThanOrEqual(3);
      expect(outputs.filter((n) => !n.endsWith(`{tenant=${t}}`))).toEqual([]);
    }
    // ALERTS (written once `for` state was restored, after the second evaluation) land in the alerting tenant's store.
    const alertsA = await seriesNames(stores.get('db-a')!);
    expect(alertsA).toContain('ALERTS{tenant=db-a}');
    expect(alertsA).toContain('ALERTS_FOR_STATE{tenant=db-a}');
    expect(await seriesNames(stores.get('db-b')!)).not.toContain('ALERTS{tenant=db-b}');
    expect(await seriesNames(stores.get('platform')!)).toEqual([]);
  });

  it('sends alerts with the tenant label and expanded annotations', async () => {
    await step();
    const batch = sink.sent.find((b) => b.tenant === 'db-a');
    expect(batch?.alerts[0]?.labels).toEqual({ alertname: 'MySQLTooManyConnections', severity: 'warning', tenant: 'db-a' });
    expect(batch?.alerts[0]?.annotations).toEqual({ summary: 'db-a has 90 connections' });
  });

  it('maintenance suppresses threshold alerts but not the "down" alert', async () => {
    await step();
    expect(sink.take(clock.t)).toEqual(['db-a: MySQLTooManyConnections', 'db-c: MySQLTooManyConnectionsCritical']);
    scenario.maintenance.add('db-a');
    scenario.up['db-a'] = 0;
    await step();
    const resolvedA = sink.sent.filter((b) => b.tenant === 'db-a').flatMap((b) => b.alerts.filter((x) => x.endsAt <= clock.t).map((x) => x.labels['alertname']));
    expect(resolvedA).toEqual(['MySQLTooManyConnections']);
    expect(sink.take(clock.t)).toEqual(['db-a: MySQLDown', 'db-c: MySQLTooManyConnectionsCritical']);
  });

  it('sends the warning instead once the critical tier stops firing', async () => {
    await step();
    sink.take(clock.t);
    scenario.conns['db-c'] = 120;
    await step();
    expect(sink.take(clock.t)).toEqual(['db-a: MySQLTooManyConnections', 'db-c: MySQLTooManyConnections']);
  });

  it('shows the pack groups as views in namespace pack:<name>', async () => {
    await step();
    const views: readonly GroupView[] = ruler.groups();
    expect(views.map((v) => [v.file, v.name, v.intervalSeconds])).toEqual([['pack:mysql', 'mysql', 60]]);
    expect(views[0]?.rules.map((r) => [r.name, r.health, r.lastError])).toEqual([
      ['tenant:mysql_connections:max', 'ok', ''],
      ['tenant:alert_threshold:mysql_connections', 'ok', ''],
      ['tenant:alert_threshold:mysql_connections_critical', 'ok', ''],
      ['MySQLTooManyConnections', 'ok', ''],
      ['MySQLTooManyConnectionsCritical', 'ok', ''],
      ['MySQLDown', 'ok', ''],
    ]);
    await ruler.stop();
  });

  it('keeps the last good pack when a file breaks, and reports the file and line', async () => {
    await step();
    fs.write('mysql.yaml', 'groups:\n  - name: mysql\n    rules:\n      - record: x\n        expr: sum(\n');
    await ruler.reload();
    expect(ruler.problems()).toEqual([{ namespace: 'pack:mysql', file: '/packs/mysql.yaml', messages: [expect.stringMatching(/^\/packs\/mysql\.yaml: 5:15: group "mysql", rule 1, "x": could not parse expression: /)] }]);
    await step();
    expect(sink.take(clock.t)).toEqual(['db-a: MySQLTooManyConnections', 'db-c: MySQLTooManyConnectionsCritical']);
    expect(ruler.groups()).toHaveLength(1);
  });

  it('stops a removed pack and marks its series stale two intervals later', async () => {
    await step();
    await step();
    fs.remove('mysql.yaml');
    await ruler.reload();
    expect(ruler.groups()).toEqual([]);
    await clock.advance(2 * MIN);
    const v = await valueAt(stores.get('db-a')!, { __name__: 'tenant:mysql_connections:max', tenant: 'db-a' }, clock.t);
    expect(isStaleNaN(v ?? 0)).toBe(true);
    await ruler.stop();
  });

  it('leaves an unchanged group running on reload and replaces a changed one', async () => {
    await step();
    const before = ruler.groups()[0]?.lastEvaluation;
    await ruler.reload();
    expect(ruler.groups()[0]?.lastEvaluation).toBe(before);
    fs.write('mysql.yaml', MYSQL_PACK.replace('interval: 1m', 'interval: 2m'));
    await ruler.reload();
    expect(ruler.groups()[0]?.intervalSeconds).toBe(120);
    // The replacement copied the evaluation state of the group it replaced.
    expect(ruler.groups()[0]?.lastEvaluation).toBe(before);
  });
});

describe('PlatformRuler scheduling', () => {
  function fakeGroups(clock: TestClock, durationMs: (n: number) => number) {
    let n = 0;
    const calls: { what: string; ts: number }[] = [];
    const create = (p: EvalGroupParams): EvalGroup => ({
      tenant: p.tenant,
      namespace: p.namespace,
      name: p.config.name,
      intervalMs: p.config.intervalMs ?? p.settings.defaultIntervalMs,
      evaluate: (ts) => {
        calls.push({ what: 'evaluate', ts });
        clock.t += durationMs(++n);
        return Promise.resolve();
      },
      restoreForState: (ts) => {
        calls.push({ what: 'restore', ts });
        return Promise.resolve();
      },
      copyStateFrom: () => undefined,
      markStale: () => Promise.resolve(),
      sameDefinition: () => true,
      view: () => ({ name: p.config.name, file: p.namespace, intervalSeconds: 60, limit: 0, rules: [], evaluationTime: 0, lastEvaluation: 0 }),
    });
    return { calls, create };
  }

  it('evaluates at slot timestamps, restores after the second evaluation, and counts missed iterations', async () => {
    const clock = new TestClock();
    const fs = new MemoryFs('/packs');
    fs.write('p.yaml', 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n');
    const missed: number[] = [];
    const metrics: RulerMetrics = { ...NOOP_RULER_METRICS, groupMissed: (_t, _g, n) => missed.push(n) };
    const { calls, create } = fakeGroups(clock, (n) => (n === 4 ? 200_000 : 0));
    const { tenants } = memoryTenants(['a']);
    const ruler = createPlatformRuler({ tenants, settings: SETTINGS, packsDirectory: '/packs', fs, pollIntervalMs: 0, clock, logger: NOOP_LOGGER, metrics, createGroup: create, platformTenant: 'ops' });
    await ruler.start();
    await clock.advance(3 * MIN);
    const evals = calls.filter((c) => c.what === 'evaluate').map((c) => c.ts);
    expect(evals).toHaveLength(3);
    expect(evals[1]! - evals[0]!).toBe(MIN);
    expect(calls.map((c) => c.what)).toEqual(['evaluate', 'evaluate', 'restore', 'evaluate']);
    // The fourth evaluation takes 200s: the slots it overran are skipped (not queued) and counted.
    await clock.advance(MIN);
    expect(missed).toEqual([]);
    // The overrun slot's timer is taken at once when the evaluation ends.
    await clock.advance(0);
    expect(missed).toEqual([2]);
    const after = calls.filter((c) => c.what === 'evaluate').map((c) => c.ts);
    expect(after).toHaveLength(5);
    expect(after[4]! - after[3]!).toBe(3 * MIN);
    expect(ruler.groups().map((g) => g.file)).toEqual(['pack:p']);
    expect(ruler.platformTenant).toBe('ops');
    await ruler.stop();
    await clock.advance(5 * MIN);
    expect(calls.filter((c) => c.what === 'evaluate')).toHaveLength(5);
  });

  it('polls the pack directory on its interval and keeps the packs when the directory cannot be read', async () => {
    const clock = new TestClock();
    const fs = new MemoryFs('/packs');
    const { create } = fakeGroups(clock, () => 0);
    const { tenants } = memoryTenants(['a']);
    const ruler = createPlatformRuler({ tenants, settings: SETTINGS, packsDirectory: '/packs', fs, pollIntervalMs: 10_000, clock, logger: NOOP_LOGGER, createGroup: create });
    await ruler.start();
    expect(ruler.groups()).toEqual([]);
    fs.write('p.yml', 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: vector(1)\n');
    await clock.advance(10_000);
    expect(ruler.groups().map((g) => `${g.file}/${g.name}`)).toEqual(['pack:p/g']);
    fs.failReadDir = true;
    await clock.advance(10_000);
    expect(ruler.groups()).toHaveLength(1);
    await ruler.stop();
  });
});
