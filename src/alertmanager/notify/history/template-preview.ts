/**
 * Renders a template text against sample alerts with a tenant's template set (or files given in
 * the request), for `POST /api/herald/v1/templates/preview`. Load and execution problems come
 * back as issues carrying Go's positioned text (`template: <name>:<line>:<col>: ...`).
 */
import { fail, issue, ok } from '../../../core/result.js';
import type { Result } from '../../../core/result.js';
import type { Alert } from '../../../core/alert.js';
import type { LoadTemplates, TemplateSource } from '../../template/api.js';
import { buildTemplateData } from '../template-data.js';

export interface PreviewInput {
  readonly template: string;
  readonly alerts: readonly Alert[];
  readonly sources: readonly TemplateSource[];
  readonly receiver: string;
  readonly externalURL: string;
  readonly tenant: string;
  readonly now: number;
}

/** The rendered text, or the problems (template file issues first, then the execution error). */
export function previewTemplate(load: LoadTemplates, input: PreviewInput): Result<string> {
  const loaded = load(input.sources, { externalURL: input.externalURL });
  if (!loaded.ok) return loaded;
  const alertname = input.alerts[0]?.labels['alertname'];
  const data = buildTemplateData(
    {
      tenant: input.tenant,
      receiver: input.receiver,
      groupKey: '{}:{}',
      groupLabels: alertname === undefined ? {} : { alertname },
      externalURL: input.externalURL,
      signal: new AbortController().signal,
      now: input.now,
    },
    input.alerts,
  );
  try {
    return ok(loaded.value.executeText(input.template, data));
  } catch (e) {
    return fail([issue('template', e instanceof Error ? e.message : String(e))]);
  }
}
