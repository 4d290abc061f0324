import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import type { ResolvedThreshold } from '../api.js';
import { newRelabelRule } from '../../ingest/scrape/index.js';
import {
  checkDimensions,
  checkExporterMetrics,
  checkPackShape,
  checkStateFilterSelectors,
  checkThresholdSelectors,
  checkTierLabels,
  collectSelectors,
  exporterMetricsFromFamilies,
  findUnusedThresholds,
  labelsOf,
  loadPack,
  packSelectorLabels,
  parseExporterMetrics,
  relabelExporterMetrics,
} from './index.js';
import type { DimensionalKeys, Pack, SelectorLabels } from './index.js';
import { parseExpr } from '../../promql/index.js';

const BASE = 'https://runbooks/';

function pack(rules: string, file = 'rule-packs/p.yaml'): Pack {
  const r = loadPack(`groups:\n  - name: g\n    rules:\n${rules}`, file);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.value;
}

const THR = (metric: string, severity: string, component = 'mysql'): Labels => ({ __name__: 'user_threshold', tenant: 't', component, metric, severity });
const resolved = (key: string, labels: Labels): ResolvedThreshold => ({ key, labels, value: 1, source: 'default' });

const GOOD_ALERT = `      - record: tenant:x:max
        expr: max by(tenant) (mysql_up)
      - record: tenant:alert_threshold:mysql_connections
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="warning"})
      - alert: A
        expr: (tenant:x:max > on(tenant) group_left tenant:alert_threshold:mysql_connections) unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        for: 1m
        labels: {severity: warning}
        annotations: {summary: s, description: d, runbook_url: "https://runbooks/A"}
`;

describe('collectSelectors', () => {
  it.each([
    ['max by(tenant) (rate(a{x="1"}[5m]))', ['a']],
    ['a / on(t) group_left b + c', ['a', 'b', 'c']],
    ['histogram_quantile(0.9, sum by(le) (rate(h_bucket[5m])))', ['h_bucket']],
    ['(a unless b) or -c offset 5m', ['a', 'b', 'c']],
    ['max_over_time(a[10m:1m])', ['a']],
    ['{__name__="n", job="j"}', ['n']],
    ['quantile(scalar(q), a)', ['q', 'a']],
  ])('%s reads %j', (expr, names) => {
    const e = parseExpr(expr);
    if (!e.ok) throw new Error(expr);
    expect(collectSelectors(e.expr).map((s) => s.metric)).toEqual(names);
  });

  it('keeps the label matchers without __name__', () => {
    const e = parseExpr('user_threshold{component="c", metric=~"m.*"}');
    if (!e.ok) throw new Error('parse');
    const [s] = collectSelectors(e.expr);
    expect(s?.matchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['component=c', 'metric=~m.*']);
  });
});

describe('loadPack', () => {
  it('names the file and rule of a bad expression', () => {
    const r = loadPack('groups:\n  - name: g\n    rules:\n      - record: tenant:x\n        expr: sum(\n', 'p.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain('p.yaml');
  });

  it('reports a file that is not a rule file', () => {
    const r = loadPack('groups: 3\n', 'p.yaml');
    expect(r.ok).toBe(false);
  });
});

describe('checkThresholdSelectors', () => {
  it('accepts a selector that matches an emitted series', () => {
    expect(checkThresholdSelectors([pack(GOOD_ALERT)], [THR('connections', 'warning')])).toEqual([]);
  });

  it('flags the upstream defect: metric named with its component prefix matches nothing', () => {
    const p = pack(`      - record: tenant:alert_threshold:redis_memory
        expr: max by(tenant) (user_threshold{component="redis", metric="redis_memory", severity="warning"})
`);
    const issues = checkThresholdSelectors([p], [THR('memory', 'warning', 'redis')]);
    expect(issues.map((i) => i.code)).toEqual(['selector_matches_nothing']);
    expect(issues[0]?.message).toContain('rule-packs/p.yaml: group "g", rule 1 (tenant:alert_threshold:redis_memory)');
  });

  it('flags a critical selector when only warning series are emitted', () => {
    const p = pack(`      - record: tenant:alert_threshold:mysql_connections_critical
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="critical"})
`);
    expect(checkThresholdSelectors([p], [THR('connections', 'warning')]).map((i) => i.code)).toEqual(['selector_matches_nothing']);
  });

  it('flags a selector without component (collides across components)', () => {
    const p = pack(`      - record: tenant:alert_threshold:connections
        expr: max by(tenant) (user_threshold{metric="connections", severity="warning"})
`);
    expect(checkThresholdSelectors([p], [THR('connections', 'warning')]).map((i) => i.code)).toEqual(['selector_unpinned']);
  });
});

describe('findUnusedThresholds', () => {
  it('flags a default key no pack reads, once per tier', () => {
    const emitted = [
      resolved('mysql_connections', THR('connections', 'warning')),
      resolved('mysql_connections_critical', THR('connections', 'critical')),
      resolved('mysql_slow', THR('slow', 'warning')),
    ];
    expect(findUnusedThresholds([pack(GOOD_ALERT)], emitted).map((i) => i.message)).toEqual([
      'threshold key mysql_connections_critical (severity critical) is read by no rule pack: a dead key',
      'threshold key mysql_slow (severity warning) is read by no rule pack: a dead key',
    ]);
  });
});

describe('checkStateFilterSelectors', () => {
  it('flags an undefined filter and an unnamed one', () => {
    const p = pack(`      - record: tenant:x
        expr: user_state_filter{filter="maintenanse"} or user_state_filter
`);
    expect(checkStateFilterSelectors([p], new Set(['maintenance'])).map((i) => i.code)).toEqual(['filter_unknown', 'filter_unpinned']);
    expect(checkStateFilterSelectors([pack(GOOD_ALERT)], new Set(['maintenance']))).toEqual([]);
  });
});

describe('checkExporterMetrics', () => {
  const fixture = parseExporterMetrics('# c\nmysql_up gauge -\nmysql_info untyped ?\nm gauge conn_type\n', 'f');
  if (!fixture.ok) throw new Error('fixture');

  it('accepts exposed metrics, target labels, records, thresholds and up', () => {
    const p = pack(`      - record: tenant:y
        expr: mysql_up{job="j", tenant="t"} + on() group_left m{conn_type="c"} + mysql_info{anything="x"} + up + user_threshold + tenant:z
`);
    expect(checkExporterMetrics(p, fixture.value)).toEqual([]);
  });

  it('flags a metric the exporter does not expose and a label it lacks', () => {
    const p = pack(`      - record: tenant:y
        expr: mysql_global_status_threads_conected + m{state="current"} + {job="x"}
`);
    expect(checkExporterMetrics(p, fixture.value).map((i) => i.code)).toEqual(['metric_not_exposed', 'label_not_exposed', 'selector_no_name']);
  });
});

describe('checkPackShape', () => {
  it('accepts a conventional pack', () => {
    expect(checkPackShape(pack(GOOD_ALERT), BASE)).toEqual([]);
  });

  it('flags a record read before it is defined, and a threshold record reading another key', () => {
    const p = pack(`      - record: tenant:alert_threshold:mysql_connections
        expr: max by(tenant) (user_threshold{component="mysql", metric="threads", severity="warning"}) + tenant:later
      - record: tenant:later
        expr: mysql_up
`);
    expect(checkPackShape(p, BASE).map((i) => i.code)).toEqual(['record_undefined', 'threshold_record']);
  });

  it('flags missing for/severity/annotations, a wrong runbook and no maintenance suppression', () => {
    const p = pack(`      - alert: B
        expr: mysql_up > 1
        labels: {severity: page}
        annotations: {summary: s, runbook_url: "https://elsewhere/B"}
`);
    expect(checkPackShape(p, BASE).map((i) => i.code)).toEqual(['alert_severity', 'alert_for', 'alert_annotation', 'alert_runbook', 'alert_maintenance']);
  });

  it('flags a down alert silenced by maintenance', () => {
    const p = pack(`      - alert: MySQLDown
        expr: (mysql_up == 0) unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        for: 1m
        labels: {severity: critical}
        annotations: {summary: s, description: d, runbook_url: "https://runbooks/MySQLDown"}
`);
    expect(checkPackShape(p, BASE).map((i) => i.code)).toEqual(['alert_maintenance']);
  });

});

const TIERS = (critical: string, warning: string): string => `      - record: tenant:x:max
        expr: max by(tenant, instance) (mysql_up)
      - record: tenant:alert_threshold:mysql_connections
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="warning"})
      - record: tenant:alert_threshold:mysql_connections_critical
        expr: max by(tenant) (user_threshold{component="mysql", metric="connections", severity="critical"})
${critical}${warning}`;
const CRIT = (expr = '(tenant:x:max > on(tenant) group_left tenant:alert_threshold:mysql_connections_critical)', labels = '{severity: critical}'): string => `      - alert: A
        expr: ${expr} unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        for: 1m
        labels: ${labels}
        annotations: {summary: s, description: d, runbook_url: "https://runbooks/A"}
`;
const WARN = (givesWay: string): string => `      - alert: A
        expr: (tenant:x:max > on(tenant) group_left tenant:alert_threshold:mysql_connections) ${givesWay} unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        for: 1m
        labels: {severity: warning}
        annotations: {summary: s, description: d, runbook_url: "https://runbooks/A"}
`;
const GIVES_WAY = 'unless ignoring(alertname, alertstate, severity) ALERTS{alertname="A", alertstate="firing", severity="critical"}';

describe('checkPackShape: warning and critical tiers', () => {
  const codes = (p: Pack): string[] => checkPackShape(p, BASE).map((i) => i.code);

  it('accepts the critical rule first and a warning that gives way to its firing ALERTS', () => {
    expect(checkPackShape(pack(TIERS(CRIT(), WARN(GIVES_WAY))), BASE)).toEqual([]);
  });

  it('flags the old shape: giving way as soon as the value is over the critical threshold', () => {
    const old = 'unless on(tenant, instance) (tenant:x:max > on(tenant) group_left tenant:alert_threshold:mysql_connections_critical)';
    const issues = checkPackShape(pack(TIERS(CRIT(), WARN(old))), BASE);
    expect(issues.map((i) => i.code)).toEqual(['alert_critical_tier', 'alert_critical_tier']);
    expect(issues[0]?.message).toContain('(A, warning)');
    expect(issues[1]?.message).toContain('still pending');
  });

  it('flags a critical rule after the warning (the warning would read the previous evaluation)', () => {
    expect(codes(pack(TIERS(WARN(GIVES_WAY), CRIT())))).toEqual(['alert_critical_order']);
  });

  it('flags giving way to the pending, another alert, or an inexact match', () => {
    expect(codes(pack(TIERS(CRIT(), WARN(GIVES_WAY.replace('"firing"', '"pending"')))))).toEqual(['alert_critical_tier']);
    expect(codes(pack(TIERS(CRIT(), WARN(GIVES_WAY.replace('alertname="A"', 'alertname="B"')))))).toEqual(['alert_critical_tier']);
    expect(codes(pack(TIERS(CRIT(), WARN(GIVES_WAY.replace('ignoring(alertname, alertstate, severity)', 'ignoring(alertname, alertstate, severity, instance)')))))).toEqual(['alert_critical_tier']);
  });

  it('flags tiers whose labels differ apart from severity', () => {
    expect(codes(pack(TIERS(CRIT(undefined, '{severity: critical, team: db}'), WARN(GIVES_WAY))))).toEqual(['alert_critical_labels']);
  });
});

describe('labelsOf', () => {
  const exposed: Record<string, string[]> = { m: ['instance', 'tenant', 'key', 'db'], h_bucket: ['tenant', 'le', 'job'], t: ['tenant'] };
  const sel: SelectorLabels = (s) => (exposed[s.metric] ? new Set(exposed[s.metric]) : undefined);
  const of = (text: string): string[] | string | undefined => {
    const e = parseExpr(text);
    if (!e.ok) throw new Error(text);
    const l = labelsOf(e.expr, sel);
    return l === undefined || l === 'scalar' ? l : [...l].sort();
  };

  it.each([
    ['m', ['db', 'instance', 'key', 'tenant']],
    ['max by(tenant, queue) (m)', ['tenant']],
    ['max by(tenant, queue) (label_replace(m, "queue", "$1", "key", "(.+)"))', ['queue', 'tenant']],
    ['sum without(instance) (rate(m[5m]))', ['db', 'key', 'tenant']],
    ['histogram_quantile(0.9, sum by(tenant, le) (rate(h_bucket[5m])))', ['tenant']],
    ['m > on(tenant) t', ['tenant']],
    ['m > ignoring(db) m', ['instance', 'key', 'tenant']],
    ['m > on(tenant) group_left t', ['db', 'instance', 'key', 'tenant']],
    ['t * on(tenant) group_right(nope) m', ['db', 'instance', 'key', 'tenant']],
    ['max by(tenant, key) (m) or on(tenant) t', ['tenant']],
    ['m unless on(tenant) t', ['db', 'instance', 'key', 'tenant']],
    ['100 * m / 2', ['db', 'instance', 'key', 'tenant']],
    ['count_values by(tenant) ("v", m)', ['tenant', 'v']],
    ['vector(1)', []],
    ['scalar(t) + 1', 'scalar'],
    ['unknown_metric', undefined],
    ['max by(tenant) (unknown_metric)', undefined],
  ])('%s', (text, want) => {
    expect(of(text)).toEqual(want);
  });

  it('answers records with the labels their rules produce', () => {
    const p = pack(`      - record: tenant:q:max
        expr: max by(tenant, queue) (label_replace(m, "queue", "$1", "key", "(.+)"))
        labels: {tier: x}
      - record: tenant:q:max
        expr: max by(tenant, queue, db) (label_replace(m, "queue", "$1", "key", "(.+)"))
`);
    const answer = packSelectorLabels(p, sel);
    expect([...(answer({ metric: 'tenant:q:max', matchers: [] }) ?? [])].sort()).toEqual(['queue', 'tenant']);
  });
});

describe('checkDimensions', () => {
  const DIMS: DimensionalKeys = { redis_queue_length: ['queue'] };
  const exposedLabels: SelectorLabels = (s) =>
    s.metric === 'user_threshold' ? new Set(['tenant', 'component', 'metric', 'severity', 'queue']) : s.metric === 'redis_key_size' ? new Set(['tenant', 'db', 'key']) : undefined;
  const run = (value: string, threshold: string, compare: string): string[] => {
    const p = pack(`      - record: tenant:redis_queue_length:max
        expr: ${value}
      - record: tenant:alert_threshold:redis_queue_length
        expr: ${threshold}
      - alert: Q
        expr: ${compare} unless on(tenant) (user_state_filter{filter="maintenance"} == 1)
        for: 1m
        labels: {severity: warning}
        annotations: {summary: s, description: d, runbook_url: "https://runbooks/Q"}
`);
    return checkDimensions(p, DIMS, packSelectorLabels(p, exposedLabels)).map((i) => i.code);
  };
  const VALUE = 'max by(tenant, queue) (label_replace(redis_key_size, "queue", "$1", "key", "(.+)"))';
  const THRESHOLD = `max by(tenant, queue) (user_threshold{component="redis", metric="queue_length", severity="warning", queue!=""})
          or on(tenant, queue) (group by(tenant, queue) (tenant:redis_queue_length:max) * on(tenant) group_left max by(tenant) (user_threshold{component="redis", metric="queue_length", severity="warning", queue=""}))`;
  const COMPARE = 'tenant:redis_queue_length:max > on(tenant, queue) group_left tenant:alert_threshold:redis_queue_length';

  it('accepts a per-queue threshold compared on(tenant, queue) with a value that has queue', () => {
    expect(run(VALUE, `|
          ${THRESHOLD}`, COMPARE)).toEqual([]);
  });

  it('flags the upstream shape: one max by(tenant) over every series of the key', () => {
    expect(run(VALUE, 'max by(tenant) (user_threshold{component="redis", metric="queue_length", severity="warning"})', 'tenant:redis_queue_length:max > on(tenant) group_left tenant:alert_threshold:redis_queue_length')).toEqual([
      'dimension_unpinned',
      'dimension_not_compared',
    ]);
  });

  it('flags a value that lost the dimension label (aggregated away, or never relabelled)', () => {
    expect(run('max by(tenant) (redis_key_size)', `|
          ${THRESHOLD}`, COMPARE)).toEqual(['dimension_label_missing']);
    expect(run('max by(tenant, queue) (redis_key_size)', `|
          ${THRESHOLD}`, COMPARE)).toEqual(['dimension_label_missing']);
  });

  it('flags a comparison that matches on tenant only', () => {
    expect(run(VALUE, `|
          ${THRESHOLD}`, 'tenant:redis_queue_length:max > on(tenant) group_left max by(tenant) (tenant:alert_threshold:redis_queue_length)')).toEqual(['dimension_not_compared']);
  });
});

describe('checkTierLabels', () => {
  const sel: SelectorLabels = (s) => (s.metric === 'mysql_up' ? new Set(['tenant', 'instance']) : s.metric === 'user_threshold' ? new Set(['tenant', 'component', 'metric', 'severity']) : s.metric === 'user_state_filter' ? new Set(['tenant', 'filter']) : undefined);

  it('accepts tiers with the same labels, flags a critical aggregated differently', () => {
    const good = pack(TIERS(CRIT(), WARN(GIVES_WAY)));
    expect(checkTierLabels(good, packSelectorLabels(good, sel))).toEqual([]);
    const bad = pack(TIERS(CRIT('(max by(tenant) (tenant:x:max) > on(tenant) group_left tenant:alert_threshold:mysql_connections_critical)'), WARN(GIVES_WAY)));
    const issues = checkTierLabels(bad, packSelectorLabels(bad, sel));
    expect(issues.map((i) => i.code)).toEqual(['alert_tier_labels']);
    expect(issues[0]?.message).toContain('{instance, tenant}');
  });

  it('flags an on(...) match that is not exactly the alert labels', () => {
    const p = pack(TIERS(CRIT(), WARN('unless on(tenant) ALERTS{alertname="A", alertstate="firing", severity="critical"}')));
    expect(checkTierLabels(p, packSelectorLabels(p, sel)).map((i) => i.code)).toEqual(['alert_tier_labels']);
  });
});

describe('relabelExporterMetrics', () => {
  it('renames and drops labels as the scrape job would', () => {
    const rules = [
      newRelabelRule({ source_labels: ['tenant'], regex: '(.+)', target_label: 'herald_tenant' }),
      newRelabelRule({ action: 'labeldrop', regex: 'tenant' }),
      newRelabelRule({ source_labels: ['__name__'], regex: 'go_.*', action: 'drop' }),
    ].map((r) => {
      if (!r.ok) throw new Error('rule');
      return r.value;
    });
    const fixture = parseExporterMetrics('a counter tenant,rule_group\nb gauge -\ngo_x gauge -\nc gauge ?\n', 'f');
    if (!fixture.ok) throw new Error('fixture');
    const out = relabelExporterMetrics(fixture.value, rules);
    expect([...out.keys()].sort()).toEqual(['a', 'b']);
    expect([...(out.get('a')?.labels ?? [])].sort()).toEqual(['herald_tenant', 'rule_group']);
  });
});

describe('parseExporterMetrics', () => {
  it('reads names, types and labels', () => {
    const r = parseExporterMetrics('a counter x,y\nb gauge -\nc untyped ?\n', 'f');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...(r.value.get('a')?.labels ?? [])]).toEqual(['x', 'y']);
    expect(r.value.get('b')?.labels?.size).toBe(0);
    expect(r.value.get('c')?.labels).toBeUndefined();
  });

  it('reports every bad line with its number', () => {
    const r = parseExporterMetrics('ok gauge -\nbad\n1x gauge -\ny weird -\nok gauge -\nz gauge a-b\n', 'f.metrics');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual([
      'f.metrics:2: expected "<name> <type> <labels|-|?>", got "bad"',
      'f.metrics:3: "1x" is not a metric name',
      'f.metrics:4: unknown metric type "weird"',
      'f.metrics:5: ok is listed twice',
      'f.metrics:6: "a-b" is not a label name',
    ]);
  });
});

describe('exporterMetricsFromFamilies', () => {
  it('expands histograms and summaries into their sample names', () => {
    const m = exporterMetricsFromFamilies([
      { name: 'h', type: 'histogram', labelNames: ['tenant'] },
      { name: 's', type: 'summary', labelNames: [] },
      { name: 'c_total', type: 'counter', labelNames: ['x'] },
    ]);
    expect([...m.keys()].sort()).toEqual(['c_total', 'h_bucket', 'h_count', 'h_sum', 's', 's_count', 's_sum']);
    expect(m.get('h_bucket')?.labels?.has('le')).toBe(true);
    expect(m.get('s')?.labels?.has('quantile')).toBe(true);
  });
});
