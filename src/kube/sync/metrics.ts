/**
 * What the kube sync reports about itself (Herald's /metrics, src/server/metrics.ts): objects per
 * tenant, kind and result, how long and when the last reconcile ran, and the manifest directory's
 * problems. An interface, so the sync needs no metrics library.
 */
import type { ObjectStatus } from '../api.js';

export type ObjectResult = 'accepted' | 'rejected' | 'unassigned';

export interface ObjectCount {
  readonly tenant: string;
  readonly kind: string;
  readonly result: ObjectResult;
  readonly count: number;
}

export interface KubeSyncMetrics {
  /** A reconcile finished (ok: false when it failed as a whole), `at` in Unix seconds. */
  reconciled(seconds: number, at: number, ok: boolean): void;
  /** Selected objects after the last reconcile; replaces the previous counts. */
  objects(counts: readonly ObjectCount[]): void;
  /** Problems of the manifest directory at its last change. */
  manifestProblems(n: number): void;
}

export const NOOP_KUBE_SYNC_METRICS: KubeSyncMetrics = {
  reconciled: () => undefined,
  objects: () => undefined,
  manifestProblems: () => undefined,
};

/** Counts a reconcile report's statuses (keys `<Kind> <namespace>/<name>`). */
export function countObjects(statuses: ReadonlyMap<string, ObjectStatus>): ObjectCount[] {
  const counts = new Map<string, ObjectCount>();
  for (const [id, s] of statuses) {
    const kind = id.slice(0, id.indexOf(' '));
    const result: ObjectResult = s.tenant === '' ? 'unassigned' : s.accepted ? 'accepted' : 'rejected';
    const k = `${s.tenant}\u0000${kind}\u0000${result}`;
    const c = counts.get(k);
    counts.set(k, { tenant: s.tenant, kind, result, count: (c?.count ?? 0) + 1 });
  }
  return [...counts.values()];
}
