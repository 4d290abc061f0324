/**
 * The data a notification is rendered from. Mirrors Alertmanager's template.Data as built by
 * Template.Data (template/template.go): receiver name QuoteMeta-escaped, group status "resolved"
 * only when every alert is, common labels/annotations as the intersection over all alerts.
 */
import type { Alert, Millis } from '../../core/alert.js';
import { isResolvedAt } from '../../core/alert.js';
import { GoMap, goTimeJson } from '../../core/go-json.js';
import type { GoJsonValue } from '../../core/go-json.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { NotifyContext } from './types.js';

export type AlertStatus = 'firing' | 'resolved';

/** template.Alert. */
export interface TemplateAlert {
  readonly status: AlertStatus;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** template.Data (fields of Alertmanager 0.25; notification_reason/routeLabels came later). */
export interface TemplateData {
  readonly receiver: string;
  readonly status: AlertStatus;
  readonly alerts: readonly TemplateAlert[];
  readonly groupLabels: Labels;
  readonly commonLabels: Labels;
  readonly commonAnnotations: Labels;
  readonly externalURL: string;
}

const META = /[\\.+*?()|[\]{}^$]/g;

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(META, '\\$&');
}

/** Intersection of label sets: the pairs every set has with the same value. */
export function commonPairs(sets: readonly Labels[]): Labels {
  const first = sets[0];
  if (!first) return {};
  const out: Record<string, string> = { ...first };
  let left = Object.keys(out).length;
  for (let i = 1; i < sets.length && left > 0; i++) {
    const s = sets[i] as Labels;
    for (const k in out) {
      if (s[k] !== out[k]) {
        delete out[k];
        left--;
      }
    }
  }
  return out;
}

/** Builds template.Data for one notification; alert status is judged at `ctx.now`. */
export function buildTemplateData(ctx: NotifyContext, alerts: readonly Alert[]): TemplateData {
  let anyFiring = false;
  const out: TemplateAlert[] = new Array<TemplateAlert>(alerts.length);
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i] as Alert;
    const resolved = isResolvedAt(a, ctx.now);
    if (!resolved) anyFiring = true;
    out[i] = {
      status: resolved ? 'resolved' : 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      generatorURL: a.generatorURL,
      fingerprint: ctx.fingerprints?.get(a) ?? fingerprint(a.labels),
    };
  }
  return {
    receiver: quoteMeta(ctx.receiver),
    status: anyFiring ? 'firing' : 'resolved',
    alerts: out,
    groupLabels: ctx.groupLabels,
    commonLabels: commonPairs(alerts.map((a) => a.labels)),
    commonAnnotations: commonPairs(alerts.map((a) => a.annotations)),
    externalURL: ctx.externalURL,
  };
}

/**
 * The JSON message of the webhook-shaped integrations (notify/webhook's Message: template.Data,
 * then version, groupKey, truncatedAlerts) as a value for goJsonEncode.
 */
export function webhookMessageValue(data: TemplateData, version: string, groupKey: string, truncatedAlerts: number): GoJsonValue {
  return {
    receiver: data.receiver,
    status: data.status,
    alerts: data.alerts.map((a) => ({
      status: a.status,
      labels: new GoMap(a.labels),
      annotations: new GoMap(a.annotations),
      startsAt: goTimeJson(a.startsAt),
      endsAt: goTimeJson(a.endsAt),
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
    groupLabels: new GoMap(data.groupLabels),
    commonLabels: new GoMap(data.commonLabels),
    commonAnnotations: new GoMap(data.commonAnnotations),
    externalURL: data.externalURL,
    version,
    groupKey,
    truncatedAlerts,
  };
}
