import { describe, expect, it } from 'vitest';
import { RuleStoreError } from '../api.js';
import { applyMinInterval, assertMaxRuleGroups, assertMaxRulesPerGroup, assertMinInterval, effectiveIntervalMs, UNLIMITED_RULER_LIMITS } from './limits.js';
import { group } from './test-kit.test-util.js';

const L = { maxRuleGroups: 70, maxRulesPerGroup: 20, minEvaluationIntervalMs: 30_000 };

describe('ruler limits', () => {
  it('accept values at the limit and 0 = unlimited', () => {
    expect(() => assertMaxRulesPerGroup(L, 20)).not.toThrow();
    expect(() => assertMaxRuleGroups(L, 70)).not.toThrow();
    expect(() => assertMaxRulesPerGroup(UNLIMITED_RULER_LIMITS, 10_000)).not.toThrow();
    expect(() => assertMaxRuleGroups(UNLIMITED_RULER_LIMITS, 10_000)).not.toThrow();
    expect(() => assertMinInterval(UNLIMITED_RULER_LIMITS, group('g', { intervalMs: 1 }))).not.toThrow();
  });

  it('refuse with Mimir messages and status 400', () => {
    expect(() => assertMaxRulesPerGroup(L, 21)).toThrow(new RuleStoreError(400, 'per-user rules per rule group limit (limit: 20 actual: 21) exceeded'));
    expect(() => assertMaxRuleGroups(L, 71)).toThrow(new RuleStoreError(400, 'per-user rule groups limit (limit: 70 actual: 71) exceeded'));
    expect(() => assertMinInterval(L, group('g', { intervalMs: 15_000 }))).toThrow(/rule group 'g' has an evaluation interval of 15s, lower than the minimum of 30s/);
    expect(() => assertMinInterval(L, group('g'))).not.toThrow();
  });

  it.each([
    // own interval, default, minimum -> effective
    [undefined, 60_000, 0, 60_000],
    [10_000, 60_000, 0, 10_000],
    [10_000, 60_000, 30_000, 30_000],
    [undefined, 60_000, 90_000, 90_000],
    [120_000, 60_000, 90_000, 120_000],
  ])('interval %s, default %d, minimum %d runs at %d', (own, def, min, want) => {
    const g = group('g', own === undefined ? {} : { intervalMs: own });
    const limits = { ...UNLIMITED_RULER_LIMITS, minEvaluationIntervalMs: min };
    expect(effectiveIntervalMs(g, def, limits)).toBe(want);
    const applied = applyMinInterval(g, def, limits);
    expect(applied.intervalMs ?? def).toBe(want);
    if (want === (own ?? def)) expect(applied).toBe(g);
  });
});
