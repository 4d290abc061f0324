import type { Labels } from './labels.js';
import { cachedTimeFormat } from './time-cache.js';
import { isValidLabelName, isWellFormedUtf16 } from './labels.js';

/** Time in milliseconds since the Unix epoch. 0 stands for Go's zero time ("not set"). */
export type Millis = number;
export const ZERO_TIME: Millis = 0;

/** An alert as the Alertmanager keeps it (types.Alert). */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: Millis;
  readonly endsAt: Millis;
  readonly generatorURL: string;
  readonly updatedAt: Millis;
  /** True when endsAt was filled in from resolve_timeout rather than sent by the client. */
  readonly timeout: boolean;
}

/** Resolved at `now`: endsAt is set and not after now (model.Alert.ResolvedAt). */
export function isResolvedAt(a: Pick<Alert, 'endsAt'>, now: Millis): boolean {
  return a.endsAt !== ZERO_TIME && a.endsAt <= now;
}

/**
 * Merges a re-posted alert with the one already held (types.Alert.Merge): the younger update wins,
 * the earliest start is kept, and an explicit end time beats a resolve_timeout one.
 */
export function mergeAlerts(a: Alert, o: Alert, now: Millis): Alert {
  if (o.updatedAt < a.updatedAt) return mergeAlerts(o, a, now);
  let startsAt = o.startsAt;
  let endsAt = o.endsAt;
  if (a.startsAt < o.startsAt) startsAt = a.startsAt;
  if (isResolvedAt(o, now)) {
    if (isResolvedAt(a, now) && a.endsAt > o.endsAt) endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    endsAt = a.endsAt;
  }
  if (startsAt === o.startsAt && endsAt === o.endsAt) return o;
  return { ...o, startsAt, endsAt };
}

/** Alertmanager's types.Alert.Validate / model.Alert.Validate messages. */
export function validateAlert(a: Alert): string | undefined {
  if (a.startsAt === ZERO_TIME) return 'start time missing';
  if (a.endsAt !== ZERO_TIME && a.endsAt < a.startsAt) return 'start time must be before end time';
  const names = Object.keys(a.labels);
  if (names.length === 0) return 'at least one label pair required';
  for (const n of names) {
    if (!isValidLabelName(n)) return `invalid label set: invalid name "${n}"`;
    if (!isWellFormedUtf16(a.labels[n] as string)) return `invalid label set: invalid value "${a.labels[n]}"`;
  }
  for (const n of Object.keys(a.annotations)) {
    if (!isValidLabelName(n)) return `invalid annotations: invalid name "${n}"`;
    if (!isWellFormedUtf16(a.annotations[n] as string)) return `invalid annotations: invalid value "${a.annotations[n]}"`;
  }
  return undefined;
}

/** Go's zero time on the wire. */
export const GO_ZERO_TIME_STRING = '0001-01-01T00:00:00.000Z';

/** A listing of 100,000 alerts formats 300,000 times, most of them shared (time-cache.ts). */
const isoTime = cachedTimeFormat((t) => new Date(t).toISOString());

/** Formats a time as go-swagger's strfmt.DateTime does (millisecond precision, UTC). */
export function formatTime(t: Millis): string {
  return t === ZERO_TIME ? GO_ZERO_TIME_STRING : isoTime(t);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 time; Go's zero time maps to ZERO_TIME. Returns undefined when malformed. */
export function parseTime(s: string): Millis | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  if (m[1] === '0001' && m[2] === '01' && m[3] === '01' && m[4] === '00' && m[5] === '00' && m[6] === '00') return ZERO_TIME;
  const t = Date.parse(s.replace(/ /, 'T'));
  return Number.isNaN(t) ? undefined : t;
}
