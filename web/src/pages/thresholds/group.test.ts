import { describe, expect, it } from 'vitest';
import type { TenantThresholds, ThresholdDefaults } from './api.js';
import { baseKey, filterGroups, groupThresholds, issueText, sourceCounts, splitKey, stateFilterRows } from './group.js';

const DEFAULTS: ThresholdDefaults = {
  defaults: { mysql_connections: 80, mysql_connections_critical: 150, mysql_slow_queries: 1, redis_queue_length: 1000 },
  stateFilters: { maintenance: { severity: 'info', defaultState: 'disable' }, container_crashloop: { severity: 'warning', defaultState: 'enable' } },
  tenantKeys: null,
};

function th(key: string, labels: Record<string, string>, value: number, source: 'default' | 'custom') {
  return { key, labels: { tenant: 'db-a', ...labels }, value, source };
}

const TENANT: TenantThresholds = {
  tenant: 'db-a',
  source: 'api',
  document: 'mysql_connections: 50\nmysql_slow_queries: disable\n',
  resolved: [
    th('redis_queue_length{queue="email"}', { component: 'redis', metric: 'queue_length', severity: 'warning', queue: 'email' }, 5000, 'custom'),
    th('mysql_connections_critical', { component: 'mysql', metric: 'connections', severity: 'critical' }, 150, 'default'),
    th('mysql_connections', { component: 'mysql', metric: 'connections', severity: 'warning' }, 50, 'custom'),
    th('redis_queue_length', { component: 'redis', metric: 'queue_length', severity: 'warning' }, 1000, 'default'),
  ],
  stateFilters: [{ filter: 'maintenance', severity: 'info' }],
  problems: [],
};

describe('baseKey / splitKey', () => {
  it.each([
    ['mysql_connections', 'mysql_connections'],
    ['mysql_connections_critical', 'mysql_connections'],
    ['redis_queue_length_critical{queue="a_critical"}', 'redis_queue_length'],
  ])('%s -> %s', (k, b) => expect(baseKey(k)).toBe(b));

  it('splits at the first underscore', () => {
    expect(splitKey('redis_memory_usage')).toEqual({ component: 'redis', metric: 'memory_usage' });
    expect(splitKey('odd')).toEqual({ component: 'odd', metric: '' });
  });
});

describe('groupThresholds', () => {
  const groups = groupThresholds(TENANT, DEFAULTS);

  it('groups by component, plain keys first, warning before critical, dimensions last', () => {
    expect(groups.map((g) => [g.component, g.rows.map((r) => `${r.key} ${r.severity} ${r.source}`)])).toEqual([
      ['mysql', ['mysql_connections warning custom', 'mysql_connections_critical critical default', 'mysql_slow_queries warning disabled']],
      ['redis', ['redis_queue_length warning default', 'redis_queue_length{queue="email"} warning custom']],
    ]);
  });

  it('keeps dimensions, values and defaults', () => {
    const email = groups[1]!.rows[1]!;
    expect(email).toMatchObject({ dimensions: { queue: 'email' }, value: 5000, defaultValue: undefined, base: 'redis_queue_length', metric: 'queue_length' });
    expect(groups[0]!.rows[0]).toMatchObject({ value: 50, defaultValue: 80 });
    expect(groups[0]!.rows[2]).toMatchObject({ value: undefined, defaultValue: 1, source: 'disabled' });
  });

  it('works without the defaults (no disabled rows then)', () => {
    expect(sourceCounts(groupThresholds(TENANT, undefined))).toEqual({ custom: 2, default: 2, disabled: 0 });
  });

  it('counts and filters', () => {
    expect(sourceCounts(groups)).toEqual({ custom: 2, default: 2, disabled: 1 });
    expect(filterGroups(groups, 'QUEUE', '').map((g) => g.component)).toEqual(['redis']);
    expect(filterGroups(groups, '', 'disabled').flatMap((g) => g.rows.map((r) => r.key))).toEqual(['mysql_slow_queries']);
    expect(filterGroups(groups, 'nothing', '')).toEqual([]);
  });
});

describe('stateFilterRows', () => {
  it('lists every defined filter with whether it is on', () => {
    expect(stateFilterRows(TENANT, DEFAULTS)).toEqual([
      { name: 'container_crashloop', severity: 'warning', on: false, onByDefault: true },
      { name: 'maintenance', severity: 'info', on: true, onByDefault: false },
    ]);
  });

  it('keeps a filter that is on but not in the defaults', () => {
    expect(stateFilterRows(TENANT, undefined)).toEqual([{ name: 'maintenance', severity: 'info', on: true, onByDefault: undefined }]);
  });
});

describe('issueText', () => {
  it.each([
    [{ message: 'bad', line: 3, column: 5 }, 'line 3, column 5: bad'],
    [{ message: 'bad', path: ['a', 0] }, 'a.0: bad'],
    [{ message: 'bad' }, 'bad'],
  ])('%j', (i, text) => expect(issueText(i)).toBe(text));
});
