/**
 * The one place alert label/annotation templates are expanded (rules/alerting.go `expand`):
 * Prometheus' alert templates from src/ruler/template, injectable for tests.
 */
import { expandAlertTemplate as prometheusExpand } from '../template/index.js';
import type { AlertTemplateData, TemplateEnv } from '../template/index.js';

export type { AlertTemplateData, TemplateEnv };

/** Expands one template text for the alert `name`; never rejects (errors become `<error expanding template: ...>`). */
export type TemplateExpander = (name: string, text: string, data: AlertTemplateData, env: TemplateEnv) => Promise<string>;

/** The expander the evaluation uses by default. */
export const expandAlertTemplate: TemplateExpander = prometheusExpand;
