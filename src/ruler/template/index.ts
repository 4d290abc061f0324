/**
 * Prometheus alert templates: parse checks for rule files and expansion of label/annotation
 * templates with `$labels`, `$value`, `query`, `humanize*` and the rest of Prometheus' functions.
 */
export { ALERT_TEMPLATE_PREFIX, alertTemplateName, checkAlertTemplate } from './check.js';
export { MAX_TEMPLATE_QUERIES, expandAlertTemplate, tryExpandAlertTemplate } from './expand.js';
export type { AlertTemplateData, ExpandResult, TemplateEnv } from './expand.js';
