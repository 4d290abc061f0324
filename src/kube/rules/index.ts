/** PrometheusRule objects -> rule groups, with namespace enforcement (issue 8). */
export { enforceLabel, enforceLabelInExpr } from './enforce.js';
export { DEFAULT_NAMESPACE_LABEL, prometheusRuleToGroups } from './prometheus-rule.js';
export type { PrometheusRuleGroups, PrometheusRuleOptions } from './prometheus-rule.js';
export { ruleOptionsFor } from './policy.js';
