import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/result.js';
import type { ThresholdDefaults } from '../api.js';
import { parseDefaults } from './defaults.js';
import { checkTenantDocument, parseTenantDocument } from './tenant-document.js';

function defaultsOf(text: string): ThresholdDefaults {
  const r = parseDefaults(text, '_defaults.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const DEFAULTS = defaultsOf(`
defaults:
  mysql_connections: 80
  mysql_connections_critical: 150
  mysql_cpu: 90
  redis_queue_length: 500
  redis_stream_lag: 10
state_filters:
  maintenance: {severity: info, default_state: disable}
  backup: {severity: warning, default_state: enable}
dimensions:
  redis_queue_length: [queue]
  redis_stream_lag: [stream, shard]
`);

const RESTRICTED = defaultsOf(`
defaults:
  mysql_connections: 80
  mysql_cpu: 90
tenant_keys: [mysql_connections]
dimensions: {mysql_connections: [db]}
`);

function errors(text: string, defaults = DEFAULTS): string[] {
  const r = parseTenantDocument(text, 'db-a.yaml', defaults);
  if (r.ok) throw new Error('expected errors');
  return r.issues.map((i) => formatIssue(i, 'db-a.yaml'));
}

describe('parseTenantDocument: good documents', () => {
  it.each<[string, string, [string, unknown][]]>([
    ['empty', '', []],
    ['comments only', '# nothing yet\n', []],
    ['number', 'mysql_connections: 70\n', [['mysql_connections', { kind: 'value', value: 70 }]]],
    ['string number', 'mysql_connections: "70.5"\n', [['mysql_connections', { kind: 'value', value: 70.5 }]]],
    ['severity suffix', 'mysql_cpu: "95:critical"\n', [['mysql_cpu', { kind: 'value', value: 95, severity: 'critical' }]]],
    ['critical key with explicit critical', 'mysql_connections_critical: "200:critical"\n', [['mysql_connections_critical', { kind: 'value', value: 200, severity: 'critical' }]]],
    ['disable words', 'mysql_cpu: Disable\nmysql_connections: "OFF"\nredis_queue_length: false\n', [
      ['mysql_cpu', { kind: 'disable' }],
      ['mysql_connections', { kind: 'disable' }],
      ['redis_queue_length', { kind: 'disable' }],
    ]],
    ['tenant-only critical tier', 'mysql_cpu_critical: 99\n', [['mysql_cpu_critical', { kind: 'value', value: 99 }]]],
    ['dimensions', `'redis_queue_length{queue="email"}': 1000\n"redis_queue_length_critical{queue='sms'}": "5:critical"\n"redis_stream_lag{stream='s', shard=\\"2\\"}": 3\n`, [
      ['redis_queue_length{queue="email"}', { kind: 'value', value: 1000 }],
      [`redis_queue_length_critical{queue='sms'}`, { kind: 'value', value: 5, severity: 'critical' }],
      [`redis_stream_lag{stream='s', shard="2"}`, { kind: 'value', value: 3 }],
    ]],
    ['state filters', '_state_maintenance: enable\n_state_backup: disabled\n', [
      ['_state_maintenance', { kind: 'state', enabled: true }],
      ['_state_backup', { kind: 'state', enabled: false }],
    ]],
    ['state filter as boolean', '_state_maintenance: true\n', [['_state_maintenance', { kind: 'state', enabled: true }]]],
  ])('%s', (_name, text, want) => {
    const r = parseTenantDocument(text, 'db-a.yaml', DEFAULTS);
    if (!r.ok) throw new Error(r.issues.map((i) => formatIssue(i)).join('\n'));
    expect([...r.value]).toEqual(want);
  });

  it('accepts allowed keys with tenant_keys, their tiers and dimensions', () => {
    const r = parseTenantDocument('mysql_connections: 1\nmysql_connections_critical: 2\n"mysql_connections{db=\\"x\\"}": 3\n', 't', RESTRICTED);
    expect(r.ok).toBe(true);
  });
});

describe('parseTenantDocument: every rule, with positions', () => {
  it.each<[string, string, string[], ThresholdDefaults?]>([
    ['a yaml syntax error', 'mysql_cpu: 1\nmysql_cpu: 2\n', ['db-a.yaml: line 2, column 1: Map keys must be unique']],
    ['a list', '- mysql_cpu\n', ['db-a.yaml: line 1, column 1: a tenant document must be a mapping of threshold keys to values']],
    ['a key with no default', 'mysql_connection: 70\n', ['db-a.yaml: line 1, column 1: key "mysql_connection" has no default in _defaults.yaml']],
    ['a critical tier with no base default', 'mysql_qps_critical: 70\n', ['db-a.yaml: line 1, column 1: key "mysql_qps_critical" has no default in _defaults.yaml: its key "mysql_qps" has none']],
    ['a dimension with no base default', '"mysql_qps{db=\\"a\\"}": 1\n', ['db-a.yaml: line 1, column 1: key "mysql_qps{db=\\"a\\"}" has no default in _defaults.yaml: its key "mysql_qps" has none']],
    ['a key outside tenant_keys', 'mysql_connections: 1\nmysql_cpu: 5\n', ['db-a.yaml: line 2, column 1: key "mysql_cpu" is not one tenants may set (tenant_keys in _defaults.yaml)'], RESTRICTED],
    ['defaults in a tenant file', 'defaults:\n  mysql_cpu: 1\n', ['db-a.yaml: line 1, column 1: a tenant document cannot set defaults (only _defaults.yaml can)']],
    ['state_filters in a tenant file', 'mysql_cpu: 5\nstate_filters: {}\n', ['db-a.yaml: line 2, column 1: a tenant document cannot define state filters (only _defaults.yaml can)']],
    ['tenant_keys in a tenant file', 'tenant_keys: []\n', ['db-a.yaml: line 1, column 1: a tenant document cannot change which keys tenants may set (only _defaults.yaml can)']],
    ['another tenant (upstream format)', 'tenants:\n  db-b:\n    mysql_cpu: "1"\n', ['db-a.yaml: line 1, column 1: a tenant document is a flat map of keys for its own tenant; "tenants:" blocks are not read']],
    ['an unknown state filter', '_state_maintenance: enable\n_state_maintenence: enable\n', ['db-a.yaml: line 2, column 1: unknown state filter "maintenence" (defined: backup, maintenance)']],
    ['a bad state value', '_state_maintenance: soon\n', ['db-a.yaml: line 1, column 21: _state_maintenance: a state filter takes "enable" or "disable", not "soon"']],
    ['a reserved key', '_silent_mode: true\n', ['db-a.yaml: line 1, column 1: key "_silent_mode": keys starting with "_" are reserved (_state_<filter> switches a state filter)']],
    ['a malformed key', 'mysql: 1\n', ['db-a.yaml: line 1, column 1: key "mysql" must be <component>_<metric> (letters, digits and underscores, starting with a letter)']],
    ['a non-number', 'mysql_cpu: "80%"\n', ['db-a.yaml: line 1, column 12: mysql_cpu: "80%" is not a number, "<number>:<severity>" or "disable"']],
    ['a missing value', 'mysql_cpu:\n', ['db-a.yaml: line 1, column 11: mysql_cpu: the value is missing (a number, "80:critical" or "disable")']],
    ['a mapping value', 'mysql_cpu: {warning: 1}\n', ['db-a.yaml: line 1, column 12: mysql_cpu: the value must be a number, "80:critical" or "disable"']],
    ['an infinite value', 'mysql_cpu: .inf\n', ['db-a.yaml: line 1, column 12: mysql_cpu: the value must be a finite number']],
    ['true as a threshold', 'mysql_cpu: true\n', ['db-a.yaml: line 1, column 12: mysql_cpu: the value must be a number, "80:critical" or "disable"']],
    ['a bad severity', 'mysql_cpu: "80:"\n', ['db-a.yaml: line 1, column 12: mysql_cpu: "80:": the severity after ":" must be a word such as critical']],
    ['a critical tier with another severity', 'mysql_connections_critical: "90:warning"\n', ['db-a.yaml: line 1, column 29: mysql_connections_critical is a critical tier; its value cannot carry severity "warning"']],
    ['a dimension on a reserved label', '"redis_queue_length{tenant=\\"db-b\\"}": 1\n', ['db-a.yaml: line 1, column 1: key "redis_queue_length{tenant=\\"db-b\\"}": label "tenant" is reserved and cannot be a dimension']],
    ['a regex dimension', '"redis_queue_length{queue=~\\"e.*\\"}": 1\n', ['db-a.yaml: line 1, column 1: key "redis_queue_length{queue=~\\"e.*\\"}": label "queue": only equality (name="value") is supported']],
    ['empty dimensions', '"redis_queue_length{}": 1\n', ['db-a.yaml: line 1, column 1: key "redis_queue_length{}": dimensions "{}" name no label']],
    ['an unquoted dimension', '"redis_queue_length{queue=email}": 1\n', ['db-a.yaml: line 1, column 1: key "redis_queue_length{queue=email}": label "queue": the value must be quoted']],
    ['a repeated dimension label', `"redis_queue_length{q='a',q='b'}": 1\n`, [`db-a.yaml: line 1, column 1: key "redis_queue_length{q='a',q='b'}": label "q" appears twice`]],
    [
      'a dimension on a key that takes none',
      'mysql_cpu: 1\n"mysql_cpu{db=\\"a\\"}": 2\n',
      ['db-a.yaml: line 2, column 1: key "mysql_cpu{db=\\"a\\"}": mysql_cpu takes no dimensions, its threshold is per tenant (keys with dimensions: redis_queue_length (queue), redis_stream_lag (shard, stream); dimensions in _defaults.yaml)'],
    ],
    [
      'a dimension on a critical tier of a key that takes none',
      '"mysql_connections_critical{db=\\"a\\"}": 2\n',
      ['db-a.yaml: line 1, column 1: key "mysql_connections_critical{db=\\"a\\"}": mysql_connections takes no dimensions, its threshold is per tenant (keys with dimensions: redis_queue_length (queue), redis_stream_lag (shard, stream); dimensions in _defaults.yaml)'],
    ],
    [
      'a label that is not the key\'s dimension',
      '"redis_queue_length_critical{db=\\"0\\"}": 2\n',
      ['db-a.yaml: line 1, column 1: key "redis_queue_length_critical{db=\\"0\\"}": label "db" is not a dimension of redis_queue_length (allowed label: queue; dimensions in _defaults.yaml)'],
    ],
    [
      'an extra label next to the dimension',
      `"redis_queue_length{queue='a', db='0', host='h'}": 2\n`,
      [`db-a.yaml: line 1, column 1: key "redis_queue_length{queue='a', db='0', host='h'}": labels "db", "host" are not dimensions of redis_queue_length (allowed label: queue; dimensions in _defaults.yaml)`],
    ],
    [
      'some of several dimension labels',
      `"redis_stream_lag{stream='a'}": 2\n`,
      [`db-a.yaml: line 1, column 1: key "redis_stream_lag{stream='a'}": it lacks "shard" of redis_stream_lag (allowed labels: shard, stream, each one required; dimensions in _defaults.yaml)`],
    ],
    [
      'a dimension when the defaults declare none',
      `"mysql_connections{db='a'}": 2\n`,
      [`db-a.yaml: line 1, column 1: key "mysql_connections{db='a'}": mysql_connections takes no dimensions, its threshold is per tenant (no key has dimensions; dimensions in _defaults.yaml)`],
      defaultsOf('defaults:\n  mysql_connections: 80\n'),
    ],
    [
      'two keys for one series',
      `"redis_stream_lag{stream='1',shard='2'}": 1\n"redis_stream_lag{shard='2', stream='1'}": 2\n`,
      [`db-a.yaml: line 2, column 1: key "redis_stream_lag{shard='2', stream='1'}" gives the same series as "redis_stream_lag{stream='1',shard='2'}" (severity "warning")`],
    ],
    [
      'a severity suffix colliding with a tier',
      'mysql_cpu: "80:critical"\nmysql_cpu_critical: 95\n',
      ['db-a.yaml: line 2, column 1: key "mysql_cpu_critical" gives the same series as "mysql_cpu" (severity "critical")'],
    ],
    [
      'a severity suffix colliding with a default tier',
      'mysql_connections: "100:critical"\n',
      ['db-a.yaml: line 1, column 1: key "mysql_connections" gives the same series as the default "mysql_connections_critical" (severity "critical"); set or disable "mysql_connections_critical" instead'],
    ],
    [
      'every problem at once, sorted',
      'mysql_cpu: abc\nnope_x: 1\n_state_x: on\ndefaults: {}\n',
      [
        'db-a.yaml: line 1, column 12: mysql_cpu: "abc" is not a number, "<number>:<severity>" or "disable"',
        'db-a.yaml: line 2, column 1: key "nope_x" has no default in _defaults.yaml',
        'db-a.yaml: line 3, column 1: unknown state filter "x" (defined: backup, maintenance)',
        'db-a.yaml: line 4, column 1: a tenant document cannot set defaults (only _defaults.yaml can)',
      ],
    ],
  ])('refuses %s', (_name, text, want, defaults) => {
    expect(errors(text, defaults ?? DEFAULTS)).toEqual(want);
  });

  it('accepts a severity suffix when the tenant disabled the default tier', () => {
    expect(parseTenantDocument('mysql_connections: "100:critical"\nmysql_connections_critical: disable\n', 't', DEFAULTS).ok).toBe(true);
  });

  it('keeps the valid part of a broken document', () => {
    const r = checkTenantDocument('mysql_cpu: 70\nmysql_x: 1\n_state_maintenance: enable\n', DEFAULTS);
    expect(r.issues).toHaveLength(1);
    expect([...r.value.keys()]).toEqual(['mysql_cpu', '_state_maintenance']);
  });
});
