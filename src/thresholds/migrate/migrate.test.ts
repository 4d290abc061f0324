import { describe, expect, it } from 'vitest';
import { parseExpr } from '../../promql/index.js';
import { parseRuleFile } from '../../ruler/rulefmt/index.js';
import type { RuleGroupConfig } from '../../ruler/api.js';
import { coveredKeys, indexPack, matchLegacyExpr, migrateLegacyRules, thresholdKey } from './index.js';

function shape(expr: string, label = 'namespace') {
  const p = parseExpr(expr);
  if (!p.ok) throw new Error(p.errors[0]?.message);
  return matchLegacyExpr(p.expr, label);
}

function groups(text: string): RuleGroupConfig[] {
  const r = parseRuleFile(text, 'legacy.yml');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('matchLegacyExpr: converted shapes', () => {
  it.each([
    ['mysql_global_status_threads_connected{namespace="a"} > 80', 'a', 'mysql_global_status_threads_connected', '>', 80, 'mysql_global_status_threads_connected'],
    ['80 < mysql_global_status_threads_connected{namespace="a"}', 'a', 'mysql_global_status_threads_connected', '>', 80, 'mysql_global_status_threads_connected'],
    ['max(redis_connected_clients{namespace="b"}) >= 100', 'b', 'redis_connected_clients', '>=', 100, 'max (redis_connected_clients)'],
    ['sum(rate(http_requests_total{namespace="a", code="500"}[5m])) > 2', 'a', 'http_requests_rate', '>', 2, 'sum (rate(http_requests_total{code="500"}[5m]))'],
    ['histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="a"}[5m]))) > 0.5', 'a', 'http_request_duration_seconds_p95', '>', 0.5, 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'],
    ['(node_hwmon_temp_celsius{namespace="c"}) < -5', 'c', 'node_hwmon_temp_celsius', '<', -5, 'node_hwmon_temp_celsius'],
  ])('%s', (expr, tenant, key, op, value, legacy) => {
    const r = shape(expr);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.shape.tenant).toBe(tenant);
    expect(thresholdKey(r.shape.measure)).toBe(key);
    expect(r.shape.op).toBe(op);
    expect(r.shape.threshold).toBe(value);
    expect(r.shape.legacyMeasure).toBe(legacy);
  });

  it('keeps equality matchers as dimensions and notes an aggregation change', () => {
    const r = shape('sum(redis_queue_length{namespace="a", queue="email"}) > 1000');
    expect(r.ok && r.shape.dimensions).toEqual({ queue: 'email' });
    expect(r.ok && r.shape.note).toBe('legacy aggregation sum, the pack uses max: check with --shadow');
  });

  it('honours --tenant-label', () => {
    const r = shape('mysql_up_connections{tenant_id="x"} > 1', 'tenant_id');
    expect(r.ok && r.shape.tenant).toBe('x');
  });
});

describe('matchLegacyExpr: refused shapes and why', () => {
  it.each([
    ['a_x{namespace="a"} > 1 and b_y{namespace="a"} > 2', "'and' combines several conditions; a threshold key holds one comparison"],
    ['a_x{namespace="a"} > 1 or b_y{namespace="a"} > 2', "'or' combines several conditions; a threshold key holds one comparison"],
    ['mysql_up{namespace="a"} == 0', "'==' against a constant is a state check, not a threshold"],
    ['a_x{namespace="a"} > bool 1', "the 'bool' modifier turns the comparison into a value; nothing to alert on"],
    ['a_x{namespace="a"} > a_limit{namespace="a"}', 'non-constant threshold: both sides are series'],
    ['a_x{namespace="a"} > scalar(a_limit{namespace="a"})', 'non-constant threshold: both sides are series'],
    ['absent(mysql_up{namespace="a"})', 'absent() is a presence check, not a threshold (packs ship their own down/absent alerts)'],
    ['increase(http_requests_total{namespace="a"}[1h]) > 5', 'function increase() is not mapped to a threshold'],
    ['http_requests_total{namespace="a"} > 5', 'http_requests_total is a counter compared without rate(): its raw value only grows'],
    ['a_x{namespace="a"} / a_y{namespace="a"} > 0.5', 'arithmetic (/) on the measured value: no single metric to compare'],
    ['count(a_x{namespace="a"}) > 5', 'aggregation count() is not mapped (sum, max, min and avg are)'],
    ['a_x > 5', 'a_x: no namespace="..." matcher, so the rule names no tenant'],
    ['a_x{namespace=~"a|b"} > 5', 'a_x: the tenant label is matched with namespace=~"a|b"; a threshold needs one rule per tenant (namespace="...")'],
    ['a_x{namespace="a", q!="x"} > 5', 'a_x: matcher q!="x" cannot become a threshold dimension (only label="value" can)'],
    ['a_x{namespace="a"} offset 5m > 5', 'a_x: offset and @ modifiers have no threshold equivalent'],
    ['histogram_quantile(0.9, rate(h_seconds_bucket{namespace="a"}[5m])) > 1', 'OK'],
    ['histogram_quantile(0.9, max by (le) (rate(h_seconds_bucket{namespace="a"}[5m]))) > 1', 'histogram_quantile() over anything but sum by (le, ...) (rate(x_bucket[r])) is not mapped'],
  ])('%s', (expr, reason) => {
    const r = shape(expr);
    if (reason === 'OK') expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, reason });
  });
});

const LEGACY = `groups:
- name: tenant-a
  rules:
  - alert: MySQLTooManyConnections
    expr: mysql_global_status_threads_connected{namespace="a"} > 80
    for: 1m
    labels: {severity: warning}
  - alert: MySQLTooManyConnectionsCritical
    expr: mysql_global_status_threads_connected{namespace="a"} > 150
    for: 1m
    labels: {severity: critical}
  - alert: RedisClients
    expr: max(redis_connected_clients{namespace="a"}) > 100
  - alert: Weird
    expr: mysql_up{namespace="a"} == 0 or absent(mysql_up{namespace="a"})
  - record: x:y
    expr: sum(mysql_up)
- name: tenant-b
  rules:
  - alert: MySQLTooManyConnections
    expr: mysql_global_status_threads_connected{namespace="b"} > 200
    for: 1m
    labels: {severity: warning}
  - alert: MySQLTooManyConnectionsDup
    expr: mysql_global_status_threads_connected{namespace="b"} > 250
  - alert: RedisQueue
    expr: redis_queue_length{namespace="b", queue="email"} > 10
`;

describe('migrateLegacyRules', () => {
  const result = migrateLegacyRules(groups(LEGACY), { tenantLabel: 'namespace', coveredKeys: new Set(['redis_connected_clients']) });

  it('writes one document per tenant', () => {
    expect([...result.tenants.keys()]).toEqual(['a', 'b']);
    expect(Object.fromEntries(result.tenants.get('a') ?? [])).toEqual({
      mysql_global_status_threads_connected: 80,
      mysql_global_status_threads_connected_critical: 150,
      redis_connected_clients: 100,
    });
    expect(Object.fromEntries(result.tenants.get('b') ?? [])).toEqual({ mysql_global_status_threads_connected: 200 });
  });

  it('proposes defaults for keys the platform lacks', () => {
    expect(Object.fromEntries(result.newDefaults)).toEqual({ mysql_global_status_threads_connected: 80, redis_connected_clients: 100 });
  });

  it('reports every refused rule with its reason', () => {
    expect(result.refusals.map((r) => [r.rule, r.reason])).toEqual([
      ['Weird', "'or' combines several conditions; a threshold key holds one comparison"],
      ['x:y', 'recording rule: only alerting rules are migrated'],
      ['MySQLTooManyConnectionsDup', 'tenant b already has mysql_global_status_threads_connected: 200 from another rule; one key holds one value'],
      ['RedisQueue', 'dimensions {queue="email"} need a pack that groups by them; no shipped pack covers redis_queue_length, convert it by hand'],
    ]);
  });

  it('generates pack rules only for uncovered keys, in the pack conventions', () => {
    const g = result.packGroup;
    expect(g?.name).toBe('migrated');
    const names = g?.rules.map((r) => (r.kind === 'recording' ? r.record : r.alert));
    expect(names).toEqual([
      'tenant:mysql_global_status_threads_connected:max',
      'tenant:alert_threshold:mysql_global_status_threads_connected',
      'tenant:alert_threshold:mysql_global_status_threads_connected_critical',
      'MySQLTooManyConnections',
      'MySQLTooManyConnectionsCritical',
    ]);
    const warn = g?.rules[3];
    expect(warn?.kind === 'alerting' && warn.expr).toBe(
      '(tenant:mysql_global_status_threads_connected:max > on (tenant) group_left tenant:alert_threshold:mysql_global_status_threads_connected) unless on (tenant) (user_state_filter{filter="maintenance"} == 1) unless on (tenant) (tenant:mysql_global_status_threads_connected:max > on (tenant) group_left tenant:alert_threshold:mysql_global_status_threads_connected_critical)',
    );
    expect(warn?.kind === 'alerting' && warn.forMs).toBe(60_000);
    expect(g?.rules[1]?.expr).toBe('max by (tenant) (user_threshold{component="mysql", metric="global_status_threads_connected", severity="warning"})');
    for (const r of g?.rules ?? []) expect(parseExpr(r.expr).ok).toBe(true);
  });

  it('gives shadow expressions for each conversion', () => {
    const c = result.conversions.find((x) => x.tenant === 'a' && x.alert === 'RedisClients');
    expect(c?.legacyExpr).toBe('max (redis_connected_clients) > 100');
    expect(c?.packExpr).toBe('max (redis_connected_clients) > 100');
  });

  it('skips defaults the platform already has and refuses invalid tenant ids', () => {
    const r = migrateLegacyRules(groups('groups:\n- name: g\n  rules:\n  - alert: A\n    expr: mysql_x{namespace="a"} > 1\n  - alert: B\n    expr: mysql_x{namespace="bad/id"} > 1\n'), {
      tenantLabel: 'namespace',
      coveredKeys: new Set(['mysql_x']),
      defaults: { defaults: new Map([['mysql_x', 5]]), stateFilters: new Map() },
    });
    expect(r.newDefaults.size).toBe(0);
    expect(r.packGroup).toBeUndefined();
    expect(r.refusals.map((x) => x.reason)).toEqual(["namespace=\"bad/id\" is not a valid Herald tenant id: tenant ID 'bad/id' contains unsupported character '/'"]);
  });
});

describe('migrateLegacyRules: dimensions', () => {
  const LEGACY_DIMS = 'groups:\n- name: g\n  rules:\n  - alert: Q\n    expr: redis_queue_length{namespace="a", queue="email"} > 10\n  - alert: C\n    expr: redis_connected_clients{namespace="a", db="db0"} > 5\n';
  const defaults = {
    defaults: new Map([['redis_queue_length', 1000], ['redis_connected_clients', 500]]),
    stateFilters: new Map(),
    dimensions: new Map([['redis_queue_length', ['queue']]]),
  };

  it('keeps a dimension _defaults.yaml declares and refuses one on a key it does not', () => {
    const r = migrateLegacyRules(groups(LEGACY_DIMS), { tenantLabel: 'namespace', coveredKeys: new Set(['redis_queue_length', 'redis_connected_clients']), defaults });
    expect(Object.fromEntries(r.tenants.get('a') ?? [])).toEqual({ 'redis_queue_length{queue="email"}': 10 });
    expect(r.refusals.map((x) => [x.rule, x.reason])).toEqual([
      ['C', 'dimensions {db="db0"}: redis_connected_clients takes no dimensions (dimensions in _defaults.yaml); the pack compares redis_connected_clients per tenant otherwise, convert it by hand'],
    ]);
  });
});

describe('indexPack', () => {
  it('finds threshold keys, metrics and state filters', () => {
    const p = indexPack('mariadb', groups(`groups:
- name: mariadb
  rules:
  - record: tenant:mysql_connections:max
    expr: max by (tenant) (mysql_global_status_threads_connected)
  - record: tenant:alert_threshold:mysql_connections
    expr: max by (tenant) (user_threshold{component="mysql", metric="connections", severity="warning"})
  - record: tenant:alert_threshold:mysql_connections_critical
    expr: max by (tenant) (user_threshold{component="mysql", metric="connections", severity="critical"})
  - alert: MariaDBHighConnections
    expr: tenant:mysql_connections:max > on (tenant) group_left tenant:alert_threshold:mysql_connections unless on (tenant) (user_state_filter{filter="maintenance"} == 1)
  - alert: MariaDBDown
    expr: mysql_up == 0
`));
    expect(p.thresholdKeys).toEqual(['mysql_connections', 'mysql_connections_critical']);
    expect(p.metrics).toEqual(['mysql_global_status_threads_connected', 'mysql_up']);
    expect(p.stateFilters).toEqual(['maintenance']);
    expect(p.alerts.map((a) => a.alert)).toEqual(['MariaDBHighConnections', 'MariaDBDown']);
    expect([...coveredKeys([p])]).toEqual(['mysql_connections']);
    expect(Object.fromEntries(p.metricKeys)).toEqual({ mysql_global_status_threads_connected: { key: 'mysql_connections', kind: 'gauge' } });
  });

  it('lets migrate reuse a pack key for the metric it reads', () => {
    const r = migrateLegacyRules(groups('groups:\n- name: g\n  rules:\n  - alert: A\n    expr: mysql_global_status_threads_connected{namespace="a"} > 70\n'), {
      tenantLabel: 'namespace',
      coveredKeys: new Set(['mysql_connections']),
      packMetrics: new Map([['mysql_global_status_threads_connected', { key: 'mysql_connections', kind: 'gauge' as const }]]),
    });
    expect(Object.fromEntries(r.tenants.get('a') ?? [])).toEqual({ mysql_connections: 70 });
    expect(r.packGroup).toBeUndefined();
  });
});
