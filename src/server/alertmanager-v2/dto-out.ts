/**
 * Domain -> Alertmanager v2 wire format (api/v2/compat.go AlertToOpenAPIAlert,
 * GettableSilenceFromProto). Field names are upstream's; times go through formatTime.
 */
import type { AlertGroupView, AlertView, SilenceView } from '../../alertmanager/api.js';
import { formatTime } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';

export interface MatcherDto {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface GettableAlertDto {
  annotations: Labels;
  endsAt: string;
  fingerprint: string;
  receivers: { name: string }[];
  startsAt: string;
  status: { state: string; silencedBy: readonly string[]; inhibitedBy: readonly string[]; mutedBy: readonly string[] };
  updatedAt: string;
  generatorURL?: string;
  labels: Labels;
}

export interface GettableSilenceDto {
  id: string;
  status: { state: string };
  updatedAt: string;
  matchers: MatcherDto[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  annotations: Labels;
}

export function alertToDto(v: AlertView): GettableAlertDto {
  const a = v.alert;
  const receivers = new Array<{ name: string }>(v.receivers.length);
  for (let i = 0; i < v.receivers.length; i++) receivers[i] = { name: v.receivers[i] as string };
  const out: GettableAlertDto = {
    annotations: a.annotations,
    endsAt: formatTime(a.endsAt),
    fingerprint: v.fingerprint,
    receivers,
    startsAt: formatTime(a.startsAt),
    status: { state: v.status.state, silencedBy: v.status.silencedBy, inhibitedBy: v.status.inhibitedBy, mutedBy: v.status.mutedBy },
    updatedAt: formatTime(a.updatedAt),
    labels: a.labels,
  };
  // go-swagger omits an empty strfmt.URI (omitempty).
  if (a.generatorURL !== '') out.generatorURL = a.generatorURL;
  return out;
}

export function groupToDto(g: AlertGroupView): { alerts: GettableAlertDto[]; labels: Labels; receiver: { name: string }; routeLabels: Labels } {
  // routeLabels (0.34) is optional in the engine's view; the spec requires the key.
  const routeLabels = g.routeLabels ?? {};
  return { alerts: g.alerts.map(alertToDto), labels: g.labels, receiver: { name: g.receiver }, routeLabels };
}

export function matcherToDto(m: Matcher): MatcherDto {
  return { name: m.name, value: m.value, isRegex: m.type === '=~' || m.type === '!~', isEqual: m.type === '=' || m.type === '=~' };
}

export function silenceToDto(v: SilenceView): GettableSilenceDto {
  const s = v.silence;
  return {
    id: s.id,
    status: { state: v.state },
    updatedAt: formatTime(s.updatedAt),
    matchers: s.matchers.map(matcherToDto),
    startsAt: formatTime(s.startsAt),
    endsAt: formatTime(s.endsAt),
    createdBy: s.createdBy,
    comment: s.comment,
    annotations: s.annotations ?? {},
  };
}
