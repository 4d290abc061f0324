/**
 * Rule evaluation: one group's recording and alerting rules, alert state, restore and hand-over.
 * Mirrors Prometheus' rules/ package (group.go, alerting.go, recording.go, manager.go).
 */
export { createEvalGroup } from './group.js';
export type { EvalGroupParams } from './group.js';
export type { AlertTemplateData, TemplateEnv, TemplateExpander } from './template.js';
export { generatorURL, queryEscape } from './alert.js';
