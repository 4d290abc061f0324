/**
 * The dedup decision of Alertmanager's DedupStage (notify/dedup_stage.go needsUpdate): whether a
 * group's current alerts must be sent to one integration, given what the notification log says
 * was sent last, and why (the reason reaches templates as `.NotificationReason`).
 */
import type { Millis } from '../../core/alert.js';
import type { NflogEntry } from './types.js';

/** Upstream NotifyReason strings (notify/notify.go NotifyReason.String). */
export type NotifyReason =
  | 'none'
  | 'first notification'
  | 'new alerts added'
  | 'some alerts resolved'
  | 'all alerts resolved'
  | 'repeat interval elapsed';

/** The outcome of the dedup check: send or not, and upstream's reason. */
export interface DedupDecision {
  readonly notify: boolean;
  readonly reason: NotifyReason;
}

const DO_NOT_NOTIFY: DedupDecision = { notify: false, reason: 'none' };
const FIRST: DedupDecision = { notify: true, reason: 'first notification' };
const NEW_ALERTS: DedupDecision = { notify: true, reason: 'new alerts added' };
const SOME_RESOLVED: DedupDecision = { notify: true, reason: 'some alerts resolved' };
const ALL_RESOLVED: DedupDecision = { notify: true, reason: 'all alerts resolved' };
const REPEAT: DedupDecision = { notify: true, reason: 'repeat interval elapsed' };

/**
 * Mirrors Alertmanager's DedupStage.needsUpdate: notify when nothing was sent yet and something
 * fires; when an alert fires that was not firing last time (a previous all-resolved entry makes it a
 * "first notification" again); when everything resolved that was firing (whatever send_resolved
 * says, so the log forgets the firing set); with send_resolved, when newly resolved alerts appear;
 * otherwise only once the last send is older than repeat_interval.
 */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: Millis,
): DedupDecision {
  if (entry === undefined) return firing.size > 0 ? FIRST : DO_NOT_NOTIFY;

  if (!isSubset(firing, entry.firingAlerts)) {
    return entry.firingAlerts.length === 0 ? FIRST : NEW_ALERTS;
  }

  if (firing.size === 0) {
    // Alerts that fired and resolved within one interval were never announced: stay quiet.
    return entry.firingAlerts.length > 0 ? ALL_RESOLVED : DO_NOT_NOTIFY;
  }

  if (sendResolved && !isSubset(resolved, entry.resolvedAlerts)) return SOME_RESOLVED;

  return entry.timestamp < now - repeatIntervalMs ? REPEAT : DO_NOT_NOTIFY;
}

/** True when every member of `subset` is in `of` (nflogpb isSubset). */
function isSubset(subset: ReadonlySet<string>, of: readonly string[]): boolean {
  if (subset.size === 0) return true;
  if (subset.size > of.length) return false;
  // Small logs are common; a linear probe beats building a Set for a handful of ids.
  if (of.length <= 8) {
    for (const id of subset) if (!of.includes(id)) return false;
    return true;
  }
  const set = new Set(of);
  for (const id of subset) if (!set.has(id)) return false;
  return true;
}
