import { describe, expect, it } from 'vitest';
import type { TenantThresholds, ThresholdDefaults } from '../api.js';
import { parseDefaults } from './defaults.js';
import { resolveTenant } from './resolve.js';
import { parseTenantDocument } from './tenant-document.js';

const DEFAULTS = ((): ThresholdDefaults => {
  const r = parseDefaults(
    `defaults:
  mysql_connections: 80
  mysql_connections_critical: 150
  redis_queue_length: 500
state_filters:
  maintenance: {severity: info, default_state: disable}
  backup: {severity: warning, default_state: enable}
dimensions:
  redis_queue_length: [queue, shard]
`,
    '_defaults.yaml',
  );
  if (!r.ok) throw new Error('bad defaults');
  return r.value;
})();

function doc(text: string): TenantThresholds {
  const r = parseTenantDocument(text, 't.yaml', DEFAULTS);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** `component/metric/severity{dims}=value (source)` per series, in output order. */
function lines(text: string | undefined): string[] {
  const r = resolveTenant('db-a', DEFAULTS, text === undefined ? undefined : doc(text));
  return r.thresholds.map((t) => {
    const { component, metric, severity, tenant, ...dims } = t.labels;
    expect(tenant).toBe('db-a');
    const d = Object.entries(dims).map(([k, v]) => `${k}=${v}`).join(',');
    return `${component}/${metric}/${severity}${d ? `{${d}}` : ''}=${t.value} ${t.source} ${t.key}`;
  });
}

describe('resolveTenant', () => {
  it.each<[string, string | undefined, string[]]>([
    ['no document: defaults, with the default critical tier', undefined, [
      'mysql/connections/critical=150 default mysql_connections_critical',
      'mysql/connections/warning=80 default mysql_connections',
      'redis/queue_length/warning=500 default redis_queue_length',
    ]],
    ['custom value', 'mysql_connections: 70\n', [
      'mysql/connections/critical=150 default mysql_connections_critical',
      'mysql/connections/warning=70 custom mysql_connections',
      'redis/queue_length/warning=500 default redis_queue_length',
    ]],
    ['disabled key keeps its critical tier', 'mysql_connections: disable\n', [
      'mysql/connections/critical=150 default mysql_connections_critical',
      'redis/queue_length/warning=500 default redis_queue_length',
    ]],
    ['own critical tier and disabled default tier', 'mysql_connections_critical: 120\nredis_queue_length_critical: 900\n', [
      'mysql/connections/critical=120 custom mysql_connections_critical',
      'mysql/connections/warning=80 default mysql_connections',
      'redis/queue_length/critical=900 custom redis_queue_length_critical',
      'redis/queue_length/warning=500 default redis_queue_length',
    ]],
    ['severity suffix', 'redis_queue_length: "700:page"\nmysql_connections_critical: off\n', [
      'mysql/connections/warning=80 default mysql_connections',
      'redis/queue_length/page=700 custom redis_queue_length',
    ]],
    ['dimensions, sorted by labels (Go order: a dimension name sorts among the others)', `"redis_queue_length{queue='sms',shard='1'}": 10\n"redis_queue_length{shard='1',queue='email'}": "20:critical"\n"redis_queue_length{queue='push',shard='1'}": disable\n`, [
      'mysql/connections/critical=150 default mysql_connections_critical',
      'mysql/connections/warning=80 default mysql_connections',
      'redis/queue_length/critical{queue=email,shard=1}=20 custom redis_queue_length{shard=\'1\',queue=\'email\'}',
      'redis/queue_length/warning{queue=sms,shard=1}=10 custom redis_queue_length{queue=\'sms\',shard=\'1\'}',
      'redis/queue_length/warning=500 default redis_queue_length',
    ]],
  ])('%s', (_name, text, want) => {
    expect(lines(text)).toEqual(want);
  });

  it('puts label names in sorted order (dimensions among them)', () => {
    const r = resolveTenant('db-a', DEFAULTS, doc(`"redis_queue_length{shard='z',queue='a'}": 1\n`));
    const dim = r.thresholds.find((t) => t.labels['shard'] !== undefined);
    expect(Object.keys(dim?.labels ?? {})).toEqual(['component', 'metric', 'queue', 'severity', 'shard', 'tenant']);
  });

  it.each<[string, string | undefined, { filter: string; severity: string }[]]>([
    ['default states', undefined, [{ filter: 'backup', severity: 'warning' }]],
    ['maintenance on', '_state_maintenance: enable\n', [{ filter: 'backup', severity: 'warning' }, { filter: 'maintenance', severity: 'info' }]],
    ['default-on filter switched off', '_state_backup: disable\n', []],
  ])('state filters: %s', (_name, text, want) => {
    expect(resolveTenant('t', DEFAULTS, text === undefined ? undefined : doc(text)).stateFilters).toEqual(want);
  });

  it('skips settings that no longer fit changed defaults', () => {
    const old = doc('mysql_connections: 70\n"redis_queue_length{queue=\'a\',shard=\'1\'}": 3\n_state_maintenance: enable\n');
    const shrunk: ThresholdDefaults = { defaults: new Map([['mysql_connections', 80]]), stateFilters: new Map() };
    const r = resolveTenant('t', shrunk, old);
    expect(r.thresholds.map((t) => [t.key, t.value])).toEqual([['mysql_connections', 70]]);
    expect(r.stateFilters).toEqual([]);
  });

  it('skips a dimension the defaults no longer declare (its value would count for every series)', () => {
    const old = doc('"redis_queue_length{queue=\'a\',shard=\'1\'}": 3\n');
    const undeclared: ThresholdDefaults = { defaults: DEFAULTS.defaults, stateFilters: new Map() };
    expect(resolveTenant('t', undeclared, old).thresholds.map((t) => t.key)).not.toContain("redis_queue_length{queue='a',shard='1'}");
    const other: ThresholdDefaults = { ...undeclared, dimensions: new Map([['redis_queue_length', ['queue']]]) };
    expect(resolveTenant('t', other, old).thresholds.map((t) => t.key)).not.toContain("redis_queue_length{queue='a',shard='1'}");
    expect(resolveTenant('t', DEFAULTS, old).thresholds.map((t) => t.key)).toContain("redis_queue_length{queue='a',shard='1'}");
  });
});
