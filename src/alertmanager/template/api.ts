/**
 * The notification template contract. Mirrors Alertmanager's template.Template: a set of Go
 * text/template definitions (Herald's built-in defaults first, then the tenant's files) against
 * which integrations execute their templated fields (`{{ template "slack.default.title" . }}`).
 */
import type { Result } from '../../core/result.js';
import type { TemplateData } from '../notify/template-data.js';

/** One template file: its name (as in `template_files` or the file path) and text. */
export interface TemplateSource {
  readonly name: string;
  readonly text: string;
}

/**
 * A failure while executing a template (missing template, bad function argument, ...). `message`
 * is in Go's shape: `template: <name>:<line>:<col>: executing "<name>" at <...>: <reason>`.
 */
export class TemplateExecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

/** A loaded, parsed template set, bound to one tenant's configuration. */
export interface Templates {
  /**
   * Parses `text` as a template in the context of the set and executes it with text/template
   * rules (ExecuteTextString). An empty `text` renders as "". Throws TemplateExecError.
   */
  executeText(text: string, data: TemplateData): string;
  /** The same with html/template contextual escaping (ExecuteHTMLString, used by email `html`). */
  executeHtml(text: string, data: TemplateData): string;
  /** Names of every defined template (`{{ define "x" }}`), sorted. */
  definedNames(): readonly string[];
}

/**
 * Loads the built-in defaults and then `sources` in order (later definitions replace earlier ones,
 * as Go's ParseFiles does). Every parse error comes back as an Issue whose message names the file,
 * line and column (`template: <file>:<line>: <reason>`), with `path: [file name]`.
 */
export type LoadTemplates = (sources: readonly TemplateSource[], options?: { readonly externalURL?: string }) => Result<Templates>;

/**
 * A set with no definitions that renders only literal text: used where no templates were loaded
 * (tests of non-templated integrations). Any action fails.
 */
export const LITERAL_TEMPLATES: Templates = {
  executeText(text) {
    if (text.includes('{{')) throw new TemplateExecError('template: no template engine bound: cannot execute ' + JSON.stringify(text));
    return text;
  },
  executeHtml(text) {
    if (text.includes('{{')) throw new TemplateExecError('template: no template engine bound: cannot execute ' + JSON.stringify(text));
    return text;
  },
  definedNames: () => [],
};
