/**
 * incident.io alert sources. Mirrors Alertmanager's notify/incidentio/incidentio.go: the webhook
 * message shape (template data + version "1", groupKey, truncatedAlerts) POSTed with the alert
 * source token as a Bearer credential; 5xx and 429 retried; cut to the first alert past 512 KiB.
 */
import { Buffer } from 'node:buffer';
import type { Alert } from '../../../../core/alert.js';
import type { HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import { durationSetting, failureReasonFromStatus, jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData, webhookMessageValue } from '../../template-data.js';
import type { TemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret } from '../shared/templating.js';

/** Upstream's maxPayloadSize. */
export const MAX_PAYLOAD_BYTES = 512 * 1024;

/** The message body (Go field order: template.Data, then version, groupKey, truncatedAlerts). */
export function encodeIncidentioMessage(data: TemplateData, groupKey: string, truncatedAlerts: number): string {
  return goJsonEncode(webhookMessageValue(data, '1', groupKey, truncatedAlerts));
}

/** errDetails: `message: error: errors...` from a JSON error body, "" when it is not JSON. */
export function incidentioErrorDetails(body: string): string {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return '';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return '';
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof o['message'] === 'string' && o['message'] !== '') parts.push(o['message']);
  if (typeof o['error'] === 'string' && o['error'] !== '') parts.push(o['error']);
  if (Array.isArray(o['errors']) && o['errors'].length > 0) parts.push(o['errors'].filter((e) => typeof e === 'string').join(', '));
  return parts.join(': ');
}

/** Builds the incident.io Notifier for one validated incidentio_configs entry. */
export function createIncidentioNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const maxAlerts = typeof s['max_alerts'] === 'number' && s['max_alerts'] > 0 ? Math.floor(s['max_alerts']) : 0;
  const timeoutMs = durationSetting(s['timeout']);
  const headers = jsonHeaders(s, deps.version);

  return {
    async notify(ctx: NotifyContext, all: readonly Alert[]): Promise<NotifyResult> {
      const token = inlineSecret(s, 'alert_source_token', deps.secrets);
      if ('error' in token) return { ok: false, retryable: false, error: token.error };
      const url = inlineSecret(s, 'url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error };
      const auth = token.value !== '' ? { Authorization: `Bearer ${token.value}` } : {};
      const kept = maxAlerts > 0 && all.length > maxAlerts ? all.slice(0, maxAlerts) : all;
      const data = buildTemplateData(ctx, kept);
      const truncated = all.length - kept.length;
      let body = encodeIncidentioMessage(data, ctx.groupKey, truncated);
      if (Buffer.byteLength(body, 'utf8') > MAX_PAYLOAD_BYTES) {
        body = encodeIncidentioMessage({ ...data, alerts: data.alerts.slice(0, 1) }, ctx.groupKey, truncated);
        deps.logger.warn({ integration: 'incidentio', max_size: MAX_PAYLOAD_BYTES }, 'Truncated alert content due to incident.io payload size limit');
      }
      let res: HttpResponse | undefined;
      const http = { request: async (r: Parameters<NotifierDeps['http']['request']>[0]) => (res = await deps.http.request(r)) };
      const result = await sendRequest({ ...deps, http }, { url: url.value, method: 'POST', headers: { ...headers, ...auth }, body }, ctx.signal, timeoutMs, [429], 'incident.io');
      if (result.ok || res === undefined) return result;
      const details = incidentioErrorDetails(res.body);
      const error = details !== '' ? `unexpected status code ${res.status}: ${details}` : `unexpected status code ${res.status}`;
      return { ok: false, retryable: result.retryable, error, reason: failureReasonFromStatus(res.status) };
    },
  };
}
