/**
 * Orderings of the v2 API and of flushed batches. Mirrors Alertmanager's types.AlertSlice.Less
 * (job, then instance, then the whole label set) and dispatch.AlertGroups.Less (labels, then
 * receiver).
 */
import type { Alert } from '../../core/alert.js';
import { compareLabels, compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';

const OVERRIDE_KEYS = ['job', 'instance'] as const;

/** AlertSlice.Less as a comparator: an alert with `job`/`instance` sorts before one without. */
export function compareAlerts(a: Pick<Alert, 'labels'>, b: Pick<Alert, 'labels'>): number {
  for (const k of OVERRIDE_KEYS) {
    const x = a.labels[k];
    const y = b.labels[k];
    if (x === undefined && y === undefined) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    if (x !== y) return compareStrings(x, y);
  }
  return compareLabels(a.labels, b.labels);
}

/** AlertGroups.Less as a comparator. */
export function compareGroups(a: { labels: Labels; receiver: string }, b: { labels: Labels; receiver: string }): number {
  return compareLabels(a.labels, b.labels) || compareStrings(a.receiver, b.receiver);
}
