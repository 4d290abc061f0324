/**
 * One alert instance of an alerting rule and what is sent for it: Prometheus' rules/alerting.go
 * `Alert`, `needsSending`, `sendAlerts`, rules/manager.go `SendAlerts` and
 * util/strutil/strconv.go `TableLinkForExpression` (the generator URL).
 */
import type { Labels } from '../../core/labels.js';
import type { AlertState, AlertView, OutgoingAlert } from '../api.js';

/** A resolved alert is kept (and re-sent) this long after it resolved (resolvedRetention). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** Mutable state of one alert; an absent time is `undefined` (Go's zero time.Time). */
export interface RuleAlert {
  state: AlertState;
  readonly labels: Labels;
  annotations: Labels;
  value: number;
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  lastSentAt: number | undefined;
  validUntil: number | undefined;
  keepFiringSince: number | undefined;
  /** The ALERTS / ALERTS_FOR_STATE label sets last written for it (built once per state, not per evaluation). */
  series: AlertSeries | undefined;
}

/**
 * An alert's output series, frozen so the store finds their series by object identity. ALERTS
 * depends on the state; ALERTS_FOR_STATE only on the alert's labels.
 */
export interface AlertSeries {
  readonly state: AlertState;
  readonly alerts: Labels;
  readonly alertsKey: string;
  readonly forState: Labels;
  readonly forStateKey: string;
}

export function newAlert(labels: Labels, annotations: Labels, value: number, ts: number): RuleAlert {
  return {
    state: 'pending',
    labels,
    annotations,
    value,
    activeAt: ts,
    firedAt: undefined,
    resolvedAt: undefined,
    lastSentAt: undefined,
    validUntil: undefined,
    keepFiringSince: undefined,
    series: undefined,
  };
}

/** Never pending; at once when resolved since the last send; else once `resendDelay` has passed. */
export function needsSending(a: RuleAlert, ts: number, resendDelayMs: number): boolean {
  if (a.state === 'pending') return false;
  if (a.resolvedAt !== undefined && (a.lastSentAt === undefined || a.resolvedAt > a.lastSentAt)) return true;
  return a.lastSentAt === undefined || a.lastSentAt + resendDelayMs < ts;
}

/**
 * Marks the alerts due at `ts` as sent and returns them as PostableAlerts. The validity end allows
 * for two failed evaluations or sends: 4 x max(group interval, resend delay) from the send time.
 */
export function takeAlertsToSend(
  alerts: Iterable<RuleAlert>,
  ts: number,
  resendDelayMs: number,
  intervalMs: number,
  generatorURL: string,
): OutgoingAlert[] {
  const out: OutgoingAlert[] = [];
  for (const a of alerts) {
    if (!needsSending(a, ts, resendDelayMs)) continue;
    a.lastSentAt = ts;
    a.validUntil = ts + 4 * Math.max(intervalMs, resendDelayMs);
    out.push({
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.firedAt ?? 0,
      endsAt: a.resolvedAt ?? a.validUntil,
      generatorURL,
    });
  }
  return out;
}

/** `<externalURL>/graph?g0.expr=<expr>&g0.tab=1`, the expression escaped as Go's url.QueryEscape. */
export function generatorURL(externalURL: string, expr: string): string {
  return `${externalURL}/graph?g0.expr=${queryEscape(expr)}&g0.tab=1`;
}

const UTF8 = new TextEncoder();

/** Go's url.QueryEscape: unreserved bytes kept, space as `+`, everything else `%XX` (upper case). */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of UTF8.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** The API view of one alert (times 0 when unset). */
export function alertView(a: RuleAlert): AlertView {
  return {
    labels: a.labels,
    annotations: a.annotations,
    state: a.state,
    activeAt: a.activeAt,
    keepFiringSince: a.keepFiringSince ?? 0,
    value: a.value,
    resolvedAt: a.resolvedAt ?? 0,
  };
}

export function copyAlert(a: RuleAlert): RuleAlert {
  return { ...a };
}
