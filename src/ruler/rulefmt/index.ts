/**
 * Prometheus rule files and Mimir rule groups: parse + validate with Prometheus' and Mimir's
 * messages (model/rulefmt/rulefmt.go, Mimir pkg/ruler), format the problems, marshal YAML back.
 */
export { parseRuleFile, parseRuleFileValue, parseRuleGroup, hasExtraDocuments } from './parse.js';
export type { ParseRulesOptions } from './parse.js';
export type { TemplateChecker } from './validate.js';
export { formatGroupIssues, formatRuleIssues, isRuleIssue } from './issues.js';
export type { RuleIssue, RuleIssueForm } from './issues.js';
export { marshalNamespaces, marshalRuleGroup, marshalRuleGroups } from './marshal.js';
