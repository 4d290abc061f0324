/**
 * Alertmanager-compatible notification templates: a Go text/template engine with Alertmanager's
 * functions, data shapes and Herald's built-in default templates.
 */
import type { Clock } from '../../core/runtime.js';
import type { Result } from '../../core/result.js';
import { ok } from '../../core/result.js';
import type { LoadTemplates, TemplateSource } from './api.js';
import { buildTemplateSet } from './template-set.js';

export { LITERAL_TEMPLATES, TemplateExecError } from './api.js';
export type { LoadTemplates, TemplateSource, Templates } from './api.js';
export { TemplateSet, buildTemplateSet } from './template-set.js';
export type { TemplateSetOptions } from './template-set.js';
export { DEFAULT_TEMPLATE_SOURCES } from './defaults.js';

/** A LoadTemplates bound to a clock (used by `since`). */
export function makeLoadTemplates(clock: Pick<Clock, 'now'>): LoadTemplates {
  return (sources) => buildTemplateSet(sources, { clock });
}

/** Loads Herald's defaults then the tenant's sources (`since` uses the system clock; see makeLoadTemplates). */
export const loadTemplates: LoadTemplates = (sources) => buildTemplateSet(sources);

/** Validates tenant template files: every parse error as an Issue naming file, line and column. */
export function checkTemplates(sources: readonly TemplateSource[]): Result<void> {
  const r = buildTemplateSet(sources);
  return r.ok ? ok(undefined) : r;
}
