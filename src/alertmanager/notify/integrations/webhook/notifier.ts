/**
 * The generic webhook. Mirrors Alertmanager's notify/webhook/webhook.go: a version "4" JSON
 * message (template.Data + version, groupKey, truncatedAlerts) POSTed to `url`, cut to
 * `max_alerts`, bounded by `timeout`, 2xx = sent, 5xx = retry, other codes = give up.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode, goTimeJson, GoMap } from '../../../../core/go-json.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import { durationSetting, jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { TemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret } from '../shared/templating.js';

/** Cuts the alert list to `maxAlerts` (0 = unlimited); returns the kept alerts and how many were cut. */
export function truncateAlerts(maxAlerts: number, alerts: readonly Alert[]): { alerts: readonly Alert[]; truncated: number } {
  if (maxAlerts > 0 && alerts.length > maxAlerts) return { alerts: alerts.slice(0, maxAlerts), truncated: alerts.length - maxAlerts };
  return { alerts, truncated: 0 };
}

/** The webhook message body, byte for byte as Alertmanager 0.25 encodes it (fields in struct order). */
export function encodeWebhookMessage(data: TemplateData, groupKey: string, truncatedAlerts: number): string {
  const alerts: GoJsonValue[] = data.alerts.map((a) => ({
    status: a.status,
    labels: new GoMap(a.labels),
    annotations: new GoMap(a.annotations),
    startsAt: goTimeJson(a.startsAt),
    endsAt: goTimeJson(a.endsAt),
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  }));
  return goJsonEncode({
    receiver: data.receiver,
    status: data.status,
    alerts,
    groupLabels: new GoMap(data.groupLabels),
    commonLabels: new GoMap(data.commonLabels),
    commonAnnotations: new GoMap(data.commonAnnotations),
    externalURL: data.externalURL,
    version: '4',
    groupKey,
    truncatedAlerts,
  });
}

/** Builds the webhook Notifier for one validated webhook_configs entry. */
export function createWebhookNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const maxAlerts = typeof s['max_alerts'] === 'number' && s['max_alerts'] > 0 ? Math.floor(s['max_alerts']) : 0;
  const timeoutMs = durationSetting(s['timeout']);
  // Headers are fixed per config: computed once, not per notification.
  const headers = jsonHeaders(s, deps.version);

  return {
    async notify(ctx: NotifyContext, all: readonly Alert[]): Promise<NotifyResult> {
      const u = inlineSecret(s, 'url', deps.secrets);
      if ('error' in u) return { ok: false, retryable: false, error: u.error, reason: 'other' };
      const url = u.value;
      if (url === '') return { ok: false, retryable: false, error: 'webhook URL is empty', reason: 'other' };
      const { alerts, truncated } = truncateAlerts(maxAlerts, all);
      const body = encodeWebhookMessage(buildTemplateData(ctx, alerts), ctx.groupKey, truncated);
      return sendRequest(deps, { url, method: 'POST', headers, body }, ctx.signal, timeoutMs, [], 'webhook');
    },
  };
}
