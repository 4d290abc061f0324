import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/result.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { openMemoryStore } from '../../store/memory.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import type { ThresholdProblem } from '../api.js';
import { ThresholdEngine, ThresholdsDirectoryOwnedError } from './engine.js';
import type { ThresholdEngineOptions } from './engine.js';
import { MemoryConfDir, RecordingThresholdMetrics } from './test-fakes.js';

const DEFAULTS = `defaults:
  mysql_connections: 80
  mysql_connections_critical: 150
  mysql_cpu: 90
state_filters:
  maintenance: {severity: info, default_state: disable}
`;

function setup(extra: Partial<ThresholdEngineOptions> = {}): { fs: MemoryConfDir; engine: ThresholdEngine; changes: string[][]; metrics: RecordingThresholdMetrics } {
  const fs = new MemoryConfDir();
  fs.write('_defaults.yaml', DEFAULTS);
  const metrics = new RecordingThresholdMetrics();
  const engine = new ThresholdEngine({ directory: fs.root, fs, clock: new ManualClock(), logger: NOOP_LOGGER, metrics, ...extra });
  const changes: string[][] = [];
  engine.onChange((t) => changes.push([...t]));
  return { fs, engine, changes, metrics };
}

/** `key=value/severity` of a tenant's resolved thresholds. */
function values(engine: ThresholdEngine, tenant: string): string[] {
  return engine.resolved(tenant).thresholds.map((t) => `${t.key}=${t.value}/${t.labels['severity'] ?? ''}`);
}

function problemText(problems: readonly ThresholdProblem[]): string[] {
  return problems.flatMap((p) => p.issues.map((i) => formatIssue(i, p.source)));
}

describe('ThresholdEngine: the conf.d directory', () => {
  it('loads _defaults.yaml and tenant files; hidden files, subdirectories and other extensions are skipped', async () => {
    const { fs, engine, changes } = setup();
    fs.write('db-b.yml', 'mysql_cpu: 50\n');
    fs.write('db-a.yaml', 'mysql_connections: 70\n_state_maintenance: enable\n');
    fs.write('.hidden.yaml', 'nope: 1\n');
    fs.write('README.md', '# hi');
    fs.subdirs.add('..data');
    fs.subdirs.add('nested.yaml');
    expect(await engine.poll()).toEqual(['db-a', 'db-b']);
    expect(changes).toEqual([['db-a', 'db-b']]);
    expect(engine.tenants()).toEqual(['db-a', 'db-b']);
    expect(engine.problems()).toEqual([]);
    expect(values(engine, 'db-a')).toEqual(['mysql_connections_critical=150/critical', 'mysql_connections=70/warning', 'mysql_cpu=90/warning']);
    expect(engine.resolved('db-a').stateFilters).toEqual([{ filter: 'maintenance', severity: 'info' }]);
    expect(values(engine, 'db-b')).toEqual(['mysql_connections_critical=150/critical', 'mysql_connections=80/warning', 'mysql_cpu=50/warning']);
    expect(engine.document('db-b')).toEqual({ text: 'mysql_cpu: 50\n', source: 'directory' });
    expect(engine.document('db-c')).toBeUndefined();
    // A tenant without a document resolves to the defaults.
    expect(values(engine, 'db-c')).toEqual(['mysql_connections_critical=150/critical', 'mysql_connections=80/warning', 'mysql_cpu=90/warning']);
  });

  it('re-reads only changed files, and reports only real changes', async () => {
    const { fs, engine, changes } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    fs.write('db-b.yaml', 'mysql_cpu: 60\n');
    await engine.poll();
    const reads = fs.reads;
    expect(await engine.poll()).toEqual([]);
    expect(fs.reads).toBe(reads);
    fs.touch('db-a.yaml');
    expect(await engine.poll()).toEqual([]);
    expect(fs.reads).toBe(reads + 1);
    fs.write('db-b.yaml', 'mysql_cpu: 61\n');
    expect(await engine.poll()).toEqual(['db-b']);
    expect(values(engine, 'db-b')).toContain('mysql_cpu=61/warning');
    fs.write('db-b.yaml', 'mysql_cpu: 61 # same values, other text\n');
    expect(await engine.poll()).toEqual([]);
    fs.remove('db-a.yaml');
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.tenants()).toEqual(['db-b']);
    expect(changes).toEqual([['db-a', 'db-b'], ['db-b'], ['db-a']]);
  });

  it('keeps the last good thresholds of a tenant whose file breaks, and reports where', async () => {
    const { fs, engine, metrics } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 50\n_state_maintenance: enable\n');
    await engine.poll();
    fs.write('db-a.yaml', 'mysql_cpu: 50\n_state_maintenance: enable\nmysql_cpu_percent: 10\n');
    expect(await engine.poll()).toEqual([]);
    expect(problemText(engine.problems())).toEqual(['/conf.d/db-a.yaml: line 3, column 1: key "mysql_cpu_percent" has no default in _defaults.yaml']);
    expect(engine.problems()[0]?.tenant).toBe('db-a');
    expect(values(engine, 'db-a')).toContain('mysql_cpu=50/warning');
    expect(engine.resolved('db-a').stateFilters).toHaveLength(1);
    expect(engine.document('db-a')?.text).toContain('mysql_cpu_percent');
    expect(metrics.get('load_errors', { source: '/conf.d/db-a.yaml' })).toBe(1);
    expect(metrics.get('reloads', { result: 'failure' })).toBe(1);

    fs.write('db-a.yaml', 'mysql_cpu: "oops\n');
    await engine.poll();
    expect(problemText(engine.problems())).toEqual(['/conf.d/db-a.yaml: line 2, column 1: Missing closing "quote']);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=50/warning');

    fs.write('db-a.yaml', 'mysql_cpu: 55\n');
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.problems()).toEqual([]);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=55/warning');
    expect(metrics.get('load_errors', { source: '/conf.d/db-a.yaml' })).toBe(0);
    expect(metrics.get('thresholds', { tenant: 'db-a' })).toBe(3);
  });

  it('uses the valid keys of a file that is broken at its first load', async () => {
    const { fs, engine } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 42\nmysql_typo: 1\n');
    await engine.poll();
    expect(engine.tenants()).toEqual(['db-a']);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=42/warning');
    expect(engine.problems()).toHaveLength(1);
    // Never good so far: the latest valid keys count.
    fs.write('db-a.yaml', 'mysql_cpu: 43\nmysql_typo: 1\n');
    expect(await engine.poll()).toEqual(['db-a']);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=43/warning');
  });

  it('validates tenant files again once a broken first _defaults.yaml is fixed', async () => {
    const { fs, engine } = setup();
    fs.write('_defaults.yaml', 'defaults: [\n');
    fs.write('db-a.yaml', 'mysql_cpu: 42\n');
    await engine.poll();
    expect(engine.problems().map((p) => p.source)).toEqual(['/conf.d/_defaults.yaml', '/conf.d/db-a.yaml']);
    expect(values(engine, 'db-a')).toEqual([]);
    fs.write('_defaults.yaml', DEFAULTS);
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.problems()).toEqual([]);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=42/warning');
  });

  it('keeps the last good defaults when _defaults.yaml breaks or disappears', async () => {
    const { fs, engine, changes } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    await engine.poll();
    fs.write('_defaults.yaml', 'defaults:\n  mysql_connections: eighty\n');
    expect(await engine.poll()).toEqual([]);
    expect(problemText(engine.problems())).toEqual(['/conf.d/_defaults.yaml: line 2, column 22: default of "mysql_connections" must be a finite number']);
    expect(engine.problems()[0]?.tenant).toBeUndefined();
    expect(engine.defaults.defaults.get('mysql_connections')).toBe(80);
    // Still reported on the next poll although the file did not change.
    await engine.poll();
    expect(engine.problems()).toHaveLength(1);

    fs.remove('_defaults.yaml');
    await engine.poll();
    expect(problemText(engine.problems())).toEqual(['/conf.d/_defaults.yaml: _defaults.yaml is missing; keeping the defaults loaded before']);
    expect(values(engine, 'db-a')).toEqual(['mysql_connections_critical=150/critical', 'mysql_connections=80/warning', 'mysql_cpu=50/warning']);

    fs.write('_defaults.yaml', DEFAULTS.replace('mysql_connections: 80', 'mysql_connections: 85'));
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.problems()).toEqual([]);
    expect(values(engine, 'db-a')).toContain('mysql_connections=85/warning');
    expect(changes).toEqual([['db-a'], ['db-a']]);
  });

  it('re-validates tenants when the defaults change', async () => {
    const { fs, engine } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 50\nmysql_connections: 60\n');
    await engine.poll();
    fs.write('_defaults.yaml', 'defaults:\n  mysql_connections: 80\n');
    expect(await engine.poll()).toEqual(['db-a']);
    expect(problemText(engine.problems())).toEqual(['/conf.d/db-a.yaml: line 1, column 1: key "mysql_cpu" has no default in _defaults.yaml']);
    // The last good document, applied to the new defaults: mysql_cpu has no series any more.
    expect(values(engine, 'db-a')).toEqual(['mysql_connections=60/warning']);
  });

  it('refuses a dimension on a key or label _defaults.yaml does not declare, keeping the last good thresholds', async () => {
    const { fs, engine } = setup();
    fs.write('_defaults.yaml', `${DEFAULTS}dimensions:\n  mysql_cpu: [core]\n`);
    fs.write('db-a.yaml', 'mysql_cpu{core="0"}: 95\n');
    await engine.poll();
    expect(engine.problems()).toEqual([]);
    expect(values(engine, 'db-a')).toContain('mysql_cpu{core="0"}=95/warning');

    fs.write('db-a.yaml', 'mysql_cpu{core="0"}: 96\nmysql_connections{db="x"}: 5\nmysql_cpu_critical{cpu="1"}: 99\n');
    expect(await engine.poll()).toEqual([]);
    expect(problemText(engine.problems())).toEqual([
      '/conf.d/db-a.yaml: line 2, column 1: key "mysql_connections{db=\\"x\\"}": mysql_connections takes no dimensions, its threshold is per tenant (keys with dimensions: mysql_cpu (core); dimensions in _defaults.yaml)',
      '/conf.d/db-a.yaml: line 3, column 1: key "mysql_cpu_critical{cpu=\\"1\\"}": label "cpu" is not a dimension of mysql_cpu (allowed label: core; dimensions in _defaults.yaml)',
    ]);
    expect(values(engine, 'db-a')).toContain('mysql_cpu{core="0"}=95/warning');

    // The platform withdraws the declaration: the tenant's dimension is an error, and its series goes.
    fs.write('db-a.yaml', 'mysql_cpu{core="0"}: 95\n');
    fs.write('_defaults.yaml', DEFAULTS);
    expect(await engine.poll()).toEqual(['db-a']);
    expect(problemText(engine.problems())).toEqual([
      '/conf.d/db-a.yaml: line 1, column 1: key "mysql_cpu{core=\\"0\\"}": mysql_cpu takes no dimensions, its threshold is per tenant (no key has dimensions; dimensions in _defaults.yaml)',
    ]);
    expect(values(engine, 'db-a')).toEqual(['mysql_connections_critical=150/critical', 'mysql_connections=80/warning', 'mysql_cpu=90/warning']);
  });

  it('reports files that name no tenant, reserved names and duplicate tenants', async () => {
    const { fs, engine } = setup();
    fs.write('a b.yaml', 'mysql_cpu: 1\n');
    fs.write('_extra.yaml', 'defaults: {}\n');
    fs.write('db-a.yaml', 'mysql_cpu: 1\n');
    fs.write('db-a.yml', 'mysql_cpu: 2\n');
    await engine.poll();
    expect(engine.tenants()).toEqual(['db-a']);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=1/warning');
    expect(problemText(engine.problems())).toEqual([
      '/conf.d/_extra.yaml: file names starting with "_" are reserved for the platform; only _defaults.yaml is read',
      "/conf.d/a b.yaml: the file name is not a tenant id: tenant ID 'a b' contains unsupported character ' '",
      '/conf.d/db-a.yml: tenant "db-a" is already defined by /conf.d/db-a.yaml; this file is ignored',
    ]);
  });

  it('keeps everything when the directory or a file cannot be read', async () => {
    const { fs, engine } = setup();
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    await engine.poll();
    fs.listFails = true;
    expect(await engine.poll()).toEqual([]);
    expect(engine.tenants()).toEqual(['db-a']);
    expect(problemText(engine.problems())).toEqual([
      "/conf.d: cannot read the thresholds directory: ENOENT: no such file or directory, scandir '/conf.d'; keeping what was loaded before",
    ]);
    fs.listFails = false;
    fs.write('db-a.yaml', 'mysql_cpu: 51\n');
    fs.unreadable.add('db-a.yaml');
    expect(await engine.poll()).toEqual([]);
    expect(values(engine, 'db-a')).toContain('mysql_cpu=50/warning');
    expect(problemText(engine.problems())).toEqual(["/conf.d/db-a.yaml: cannot read the file: EACCES: permission denied, open '/conf.d/db-a.yaml'"]);
    fs.unreadable.clear();
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.problems()).toEqual([]);
  });

  it('polls on its interval once started', async () => {
    const clock = new ManualClock();
    const { fs, engine } = setup({ clock, pollIntervalMs: 1000 });
    await engine.start();
    expect(engine.tenants()).toEqual([]);
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    clock.advance(1000);
    await engine.poll(); // waits for the poll the timer started
    expect(engine.tenants()).toEqual(['db-a']);
    engine.stop();
    expect(clock.pending).toBe(0);
  });
});

describe('ThresholdEngine: API documents', () => {
  it('stores valid documents, refuses invalid ones without storing them, and reloads them after a restart', async () => {
    const store = openMemoryStore();
    const { fs, engine, changes } = setup({ store });
    await engine.start();
    const r = await engine.putDocument('api-t', 'mysql_cpu: 33\n');
    expect(r.ok && r.value.thresholds.map((t) => t.value)).toEqual([150, 80, 33]);
    expect(changes).toEqual([['api-t']]);
    expect(engine.document('api-t')).toEqual({ text: 'mysql_cpu: 33\n', source: 'api' });

    const bad = await engine.putDocument('api-t', 'mysql_cpu: 34\nmysql_qps: 1\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => formatIssue(i))).toEqual(['line 2, column 1: key "mysql_qps" has no default in _defaults.yaml']);
    const badDim = await engine.putDocument('api-t', 'mysql_cpu: 34\nmysql_cpu{core="1"}: 1\n');
    expect(badDim.ok).toBe(false);
    if (!badDim.ok) expect(badDim.issues.map((i) => formatIssue(i))).toEqual(['line 2, column 1: key "mysql_cpu{core=\\"1\\"}": mysql_cpu takes no dimensions, its threshold is per tenant (no key has dimensions; dimensions in _defaults.yaml)']);
    const badPatch = await engine.patchDocument('api-t', { 'mysql_connections{db="a"}': 1 });
    expect(badPatch.ok).toBe(false);
    expect(engine.document('api-t')?.text).toBe('mysql_cpu: 33\n');
    expect((await store.load('thresholds', 'api-t')).map((x) => x.value)).toEqual(['mysql_cpu: 33\n']);

    const badTenant = await engine.putDocument('a/b', 'mysql_cpu: 1\n');
    expect(badTenant.ok).toBe(false);
    engine.stop();

    const again = new ThresholdEngine({ directory: fs.root, fs, store, clock: new ManualClock(), logger: NOOP_LOGGER });
    await again.start();
    expect(again.tenants()).toEqual(['api-t']);
    expect(values(again, 'api-t')).toContain('mysql_cpu=33/warning');
    again.stop();
  });

  it('patches keys keeping comments, deletes documents', async () => {
    const store = openMemoryStore();
    const { engine } = setup({ store });
    await engine.start();
    await engine.putDocument('t', '# owned by team x\n\nmysql_cpu: 33 # tuned\n# raised for the sale\nmysql_connections: 90 # was 80\n');
    const r = await engine.patchDocument('t', { mysql_connections: '100', mysql_cpu: null, _state_maintenance: 'enable' });
    expect(r.ok).toBe(true);
    expect(engine.document('t')?.text).toBe('# owned by team x\n\n# raised for the sale\nmysql_connections: "100" # was 80\n_state_maintenance: enable\n');
    const bad = await engine.patchDocument('t', { mysql_nope: 1 });
    expect(bad.ok).toBe(false);
    const fresh = await engine.patchDocument('new', { mysql_cpu: 12 });
    expect(fresh.ok).toBe(true);
    expect(engine.document('new')?.text).toBe('mysql_cpu: 12\n');

    expect(await engine.deleteDocument('t')).toBe(true);
    expect(await engine.deleteDocument('t')).toBe(false);
    expect(engine.tenants()).toEqual(['new']);
    expect(await store.load('thresholds', 't')).toEqual([]);
    engine.stop();
  });

  it('refuses changes to a tenant the directory owns', async () => {
    const { fs, engine } = setup({ store: openMemoryStore() });
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    await engine.start();
    await expect(engine.putDocument('db-a', 'mysql_cpu: 1\n')).rejects.toBeInstanceOf(ThresholdsDirectoryOwnedError);
    await expect(engine.patchDocument('db-a', { mysql_cpu: 1 })).rejects.toThrow('managed in /conf.d/db-a.yaml');
    await expect(engine.deleteDocument('db-a')).rejects.toMatchObject({ code: 'directory_owned', tenant: 'db-a' });
    expect(values(engine, 'db-a')).toContain('mysql_cpu=50/warning');
    engine.stop();
  });

  it('lets a directory file take over a tenant that had an API document', async () => {
    const store = openMemoryStore();
    const { fs, engine } = setup({ store });
    await engine.start();
    await engine.putDocument('db-a', 'mysql_cpu: 10\n');
    fs.write('db-a.yaml', 'mysql_cpu: 20\n');
    expect(await engine.poll()).toEqual(['db-a']);
    expect(engine.document('db-a')?.source).toBe('directory');
    expect(values(engine, 'db-a')).toContain('mysql_cpu=20/warning');
    engine.stop();
  });

  it('works without a directory (API only, empty defaults)', async () => {
    const engine = new ThresholdEngine({ clock: new ManualClock(), logger: NOOP_LOGGER });
    await engine.start();
    const r = await engine.putDocument('t', 'mysql_cpu: 1\n');
    expect(r.ok).toBe(false);
    expect((await engine.putDocument('t', '')).ok).toBe(true);
    expect(engine.tenants()).toEqual(['t']);
    engine.stop();
  });
});
