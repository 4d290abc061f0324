/**
 * The ruler's per-tenant limits and the checks made when a rule group is written through the API.
 * Messages are Mimir's (pkg/ruler/ruler.go AssertMaxRuleGroups / AssertMaxRulesPerRuleGroup, HTTP
 * 400 from pkg/ruler/api.go CreateRuleGroup). The minimum interval follows Mimir's
 * ruler_min_rule_evaluation_interval: refused on write, raised to the minimum when groups load
 * (pkg/ruler/manager.go applyRuleGroupLimits).
 */
import { formatDuration } from '../../core/duration.js';
import { RuleStoreError } from '../api.js';
import type { RuleGroupConfig } from '../api.js';

/** 0 = unlimited. */
export interface RulerLimits {
  readonly maxRuleGroups: number;
  readonly maxRulesPerGroup: number;
  readonly minEvaluationIntervalMs: number;
}

export const UNLIMITED_RULER_LIMITS: RulerLimits = { maxRuleGroups: 0, maxRulesPerGroup: 0, minEvaluationIntervalMs: 0 };

/** Throws RuleStoreError 400 when `rules` exceeds the per-group limit. */
export function assertMaxRulesPerGroup(limits: RulerLimits, rules: number): void {
  const limit = limits.maxRulesPerGroup;
  if (limit > 0 && rules > limit) {
    throw new RuleStoreError(400, `per-user rules per rule group limit (limit: ${limit} actual: ${rules}) exceeded`);
  }
}

/** Throws RuleStoreError 400 when the tenant would hold `groups` groups, more than its limit. */
export function assertMaxRuleGroups(limits: RulerLimits, groups: number): void {
  const limit = limits.maxRuleGroups;
  if (limit > 0 && groups > limit) {
    throw new RuleStoreError(400, `per-user rule groups limit (limit: ${limit} actual: ${groups}) exceeded`);
  }
}

/**
 * Throws RuleStoreError 400 when the group sets an interval below the tenant's minimum. A group
 * without an interval is accepted: it runs at max(default interval, minimum).
 */
export function assertMinInterval(limits: RulerLimits, group: RuleGroupConfig): void {
  const min = limits.minEvaluationIntervalMs;
  if (min > 0 && group.intervalMs !== undefined && group.intervalMs > 0 && group.intervalMs < min) {
    throw new RuleStoreError(
      400,
      `invalid rules configuration: rule group '${group.name}' has an evaluation interval of ${formatDuration(group.intervalMs)}, lower than the minimum of ${formatDuration(min)} allowed for this tenant`,
    );
  }
}

/** The interval a group runs at: its own or the default, raised to the tenant's minimum. */
export function effectiveIntervalMs(group: RuleGroupConfig, defaultIntervalMs: number, limits: RulerLimits): number {
  const own = group.intervalMs !== undefined && group.intervalMs > 0 ? group.intervalMs : defaultIntervalMs;
  return Math.max(own, limits.minEvaluationIntervalMs);
}

/** `group` with the interval it actually runs at (only when the minimum raises it). */
export function applyMinInterval(group: RuleGroupConfig, defaultIntervalMs: number, limits: RulerLimits): RuleGroupConfig {
  const ms = effectiveIntervalMs(group, defaultIntervalMs, limits);
  const own = group.intervalMs !== undefined && group.intervalMs > 0 ? group.intervalMs : defaultIntervalMs;
  return ms === own ? group : { ...group, intervalMs: ms };
}
