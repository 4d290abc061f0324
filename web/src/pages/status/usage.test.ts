import { describe, expect, it } from 'vitest';
import { formatRatio, formatUptime, limitText, otherLimits, usageRows } from './usage.js';

const USAGE = { alerts: 8, active_alerts: 5, silences: 1, aggregation_groups: 3, active_series: 120_000, rule_groups: 70, rules: 12 };
const LIMITS = { max_alerts: 0, max_silences: 10, max_aggregation_groups: '4', max_global_series_per_user: 150_000, ruler_max_rule_groups_per_tenant: 70, ingestion_rate: 10_000, ruler_min_rule_evaluation_interval: 0 };

describe('usageRows', () => {
  const rows = usageRows({ usage: USAGE, limits: LIMITS });
  const row = (n: string) => rows.find((r) => r.name === n)!;

  it('lists every counter in a fixed order', () => {
    expect(rows.map((r) => r.name)).toEqual(['alerts', 'active_alerts', 'silences', 'aggregation_groups', 'active_series', 'rule_groups', 'rules']);
  });

  it('pairs active series with max_global_series_per_user', () => {
    expect(row('active_series')).toMatchObject({ value: 120_000, limitName: 'max_global_series_per_user', limit: 150_000, ratio: 0.8, level: 'warn' });
  });

  it('reads 0 as unlimited and numbers given as strings', () => {
    expect(row('alerts')).toMatchObject({ limitName: 'max_alerts', limit: undefined, ratio: undefined, level: undefined });
    expect(row('aggregation_groups')).toMatchObject({ limit: 4, level: 'ok' });
  });

  it('flags a counter at its limit', () => expect(row('rule_groups').level).toBe('err'));

  it('has no limit for counters without one', () => {
    expect(row('active_alerts')).toMatchObject({ limitName: undefined, limit: undefined });
  });

  it('survives a limit missing from the answer', () => {
    expect(usageRows({ usage: USAGE, limits: {} }).every((r) => r.limit === undefined)).toBe(true);
  });
});

describe('otherLimits / limitText', () => {
  it('lists the limits not paired with a counter, sorted', () => {
    expect(otherLimits({ limits: LIMITS })).toEqual([
      { name: 'ingestion_rate', value: '10000' },
      { name: 'ruler_min_rule_evaluation_interval', value: '0' },
    ]);
  });

  it.each([
    ['max_alerts', 0, '0 (unlimited)'],
    ['max_alerts', 5, '5'],
    ['ruler_min_rule_evaluation_interval', 0, '0'],
    ['x', true, 'true'],
    ['x', '30s', '30s'],
  ])('%s = %j', (name, v, text) => expect(limitText(name, v)).toBe(text));
});

describe('formatUptime / formatRatio', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [90061, '1d1h1m1s'],
  ])('%d s', (s, text) => expect(formatUptime(s)).toBe(text));

  it.each([
    [0, '0%'],
    [0.004, '<1%'],
    [0.8, '80%'],
    [1.25, '125%'],
  ])('%d', (r, text) => expect(formatRatio(r)).toBe(text));
});
