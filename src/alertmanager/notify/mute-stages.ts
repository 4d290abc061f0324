/**
 * The receiver-wide stages before fan-out. Mirrors Alertmanager's notify/mute.go: MuteStage
 * (inhibitor, silencer: per alert), TimeActiveStage and TimeMuteStage (per group: all or none).
 * Each counts suppressed alerts by reason in alertmanager_notifications_suppressed_total.
 */
import type { Alert } from '../../core/alert.js';
import type { CounterLike } from '../../core/metrics.js';

export type SuppressedReason = 'inhibition' | 'silence' | 'mute_time_interval' | 'active_time_interval';

/** Alerts of a flush with their fingerprints (parallel arrays, computed once per flush). */
export interface AlertBatch {
  readonly alerts: readonly Alert[];
  readonly fingerprints: readonly string[];
}

/** Drops alerts for which `muted(i)` is true; counts them under `reason`. */
export function muteAlerts(
  batch: AlertBatch,
  muted: (a: Alert, fp: string) => boolean,
  suppressed: CounterLike,
  tenant: string,
  reason: SuppressedReason,
): AlertBatch {
  let alerts: Alert[] | undefined;
  let fps: string[] | undefined;
  const n = batch.alerts.length;
  for (let i = 0; i < n; i++) {
    const a = batch.alerts[i] as Alert;
    const fp = batch.fingerprints[i] as string;
    if (muted(a, fp)) {
      if (!alerts) {
        alerts = batch.alerts.slice(0, i);
        fps = batch.fingerprints.slice(0, i);
      }
    } else if (alerts) {
      alerts.push(a);
      (fps as string[]).push(fp);
    }
  }
  if (!alerts) return batch;
  suppressed.inc({ tenant, reason }, n - alerts.length);
  return { alerts, fingerprints: fps as string[] };
}

/**
 * TimeActiveStage: names of the active intervals that mute the group (all of them when `now` is
 * in none), or an empty list when the group may notify.
 */
export function activeIntervalMutes(names: readonly string[], contains: (name: string, t: number) => boolean, now: number): readonly string[] {
  if (names.length === 0) return [];
  for (const n of names) if (contains(n, now)) return [];
  return names;
}

/** TimeMuteStage: names of the mute intervals containing `now`. */
export function muteIntervalMutes(names: readonly string[], contains: (name: string, t: number) => boolean, now: number): readonly string[] {
  if (names.length === 0) return [];
  return names.filter((n) => contains(n, now));
}
