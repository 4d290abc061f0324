import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, FRACTIONAL_LIMITS, LIMIT_NAMES, Limits } from './limits.js';

describe('Limits', () => {
  it('lists every limit exactly once, with a default', () => {
    expect(new Set(LIMIT_NAMES).size).toBe(LIMIT_NAMES.length);
    expect([...LIMIT_NAMES].sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    for (const f of FRACTIONAL_LIMITS) expect(LIMIT_NAMES).toContain(f);
  });

  it('history is bounded by default; rates are unlimited', () => {
    const l = new Limits();
    expect(l.historyBounds('t')).toEqual({ maxEntries: 10_000, maxAgeMs: 7 * 24 * 3600 * 1000 });
    expect(l.notificationRateLimits('t')).toEqual({ total: 0, perIntegration: 0 });
  });

  it('per-tenant overrides replace single limits', () => {
    const l = new Limits({ ...DEFAULT_LIMITS, notification_rate_limit: 5 }, new Map([['small', { notification_rate_limit_total: 0.5, notification_history_max_entries: 100, notification_history_max_age_seconds: 60 }]]));
    expect(l.notificationRateLimits('small')).toEqual({ total: 0.5, perIntegration: 5 });
    expect(l.historyBounds('small')).toEqual({ maxEntries: 100, maxAgeMs: 60_000 });
    expect(l.notificationRateLimits('other')).toEqual({ total: 0, perIntegration: 5 });
  });

  it('ruler limits default to Mimir\'s and convert the minimum interval to ms', () => {
    const l = new Limits(DEFAULT_LIMITS, new Map([['slow', { ruler_min_rule_evaluation_interval: 30, ruler_max_rule_groups_per_tenant: 0 }]]));
    expect(l.rulerLimits('t')).toEqual({ maxRuleGroups: 70, maxRulesPerGroup: 20, minEvaluationIntervalMs: 0 });
    expect(l.rulerLimits('slow')).toEqual({ maxRuleGroups: 0, maxRulesPerGroup: 20, minEvaluationIntervalMs: 30_000 });
  });
});
