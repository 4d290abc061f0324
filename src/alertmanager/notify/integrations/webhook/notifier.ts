/**
 * The generic webhook. Mirrors Alertmanager's notify/webhook/webhook.go: a version "4" JSON
 * message (template.Data + version, groupKey, truncatedAlerts) POSTed to `url`, cut to
 * `max_alerts`, bounded by `timeout`, 2xx = sent, 5xx = retry, other codes = give up.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonString, goTimeJson } from '../../../../core/go-json.js';
import { sortedNames } from '../../../../core/labels.js';
import type { Labels } from '../../../../core/labels.js';
import { durationSetting, jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { TemplateAlert, TemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret } from '../shared/templating.js';

/** Cuts the alert list to `maxAlerts` (0 = unlimited); returns the kept alerts and how many were cut. */
export function truncateAlerts(maxAlerts: number, alerts: readonly Alert[]): { alerts: readonly Alert[]; truncated: number } {
  if (maxAlerts > 0 && alerts.length > maxAlerts) return { alerts: alerts.slice(0, maxAlerts), truncated: alerts.length - maxAlerts };
  return { alerts, truncated: 0 };
}

/**
 * The webhook message body, byte for byte as Alertmanager 0.25 encodes it (fields in struct order).
 * Written straight into one string rather than through goJsonEncode's value tree: a burst of group
 * flushes sends one of these per group. (A cache of encoded label maps per map object was tried
 * and removed: with 100,000 alerts the maps had left it before their group flushed again, and the
 * lookups cost 10% of the CPU of a 100,000-alert burst.)
 */
export function encodeWebhookMessage(data: TemplateData, groupKey: string, truncatedAlerts: number): string {
  let out = `{"receiver":${goJsonString(data.receiver)},"status":${goJsonString(data.status)},"alerts":[`;
  const alerts = data.alerts;
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i] as TemplateAlert;
    if (i > 0) out += ',';
    out +=
      `{"status":"${a.status}","labels":${goMapJson(a.labels)},"annotations":${goMapJson(a.annotations)}` +
      `,"startsAt":"${goTimeJson(a.startsAt)}","endsAt":"${goTimeJson(a.endsAt)}"` +
      `,"generatorURL":${goJsonString(a.generatorURL)},"fingerprint":"${a.fingerprint}"}`;
  }
  out +=
    `],"groupLabels":${goMapJson(data.groupLabels)},"commonLabels":${goMapJson(data.commonLabels)}` +
    `,"commonAnnotations":${goMapJson(data.commonAnnotations)},"externalURL":${goJsonString(data.externalURL)}` +
    `,"version":"4","groupKey":${goJsonString(groupKey)},"truncatedAlerts":${truncatedAlerts}}\n`;
  return out;
}

/** A Go map[string]string as encoding/json writes it: keys in byte order. */
function goMapJson(m: Labels): string {
  const names = sortedNames(m);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const n = names[i] as string;
    if (i > 0) out += ',';
    out += `${goJsonString(n)}:${goJsonString(m[n] as string)}`;
  }
  return out + '}';
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
