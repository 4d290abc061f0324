/**
 * What the Alerts page derives from the v2 answers: which groups and alerts to show once the
 * page's own filters apply, counts, why an alert is suppressed, which annotation values are links,
 * and the Silences page link for an alert (`#/silences/new?matcher=...`, which that page reads).
 */
import type { AlertGroup, GettableAlert } from '../../api/alertmanager.js';
import { formatMatcher } from '../../lib/matchers.js';
import type { StateFilter } from './filter-state.js';

/** A stable key of a group across refreshes (receiver and group labels). */
export function groupKey(g: AlertGroup): string {
  const labels = Object.entries(g.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([g.receiver.name, labels]);
}

/** True when the server reports `status.mutedBy` (Herald, Alertmanager 0.26+); false for none or no alerts. */
export function reportsMuted(groups: readonly AlertGroup[]): boolean {
  for (const g of groups) for (const a of g.alerts) if (a.status.mutedBy !== undefined) return true;
  return false;
}

/**
 * Applies the `muted` checkbox on the page too: servers that predate the groups API's `muted`
 * parameter ignore it. Groups left without alerts are dropped.
 */
export function applyStateFilter(groups: readonly AlertGroup[], states: StateFilter): AlertGroup[] {
  const out: AlertGroup[] = [];
  for (const g of groups) {
    const alerts = states.muted ? g.alerts : g.alerts.filter((a) => (a.status.mutedBy ?? []).length === 0);
    if (alerts.length > 0) out.push(alerts === g.alerts ? g : { ...g, alerts });
  }
  return out;
}

/** Distinct alerts (by fingerprint; an alert routed to several groups counts once) and groups. */
export function countAlerts(groups: readonly AlertGroup[]): { alerts: number; groups: number } {
  const fps = new Set<string>();
  for (const g of groups) for (const a of g.alerts) fps.add(a.fingerprint);
  return { alerts: fps.size, groups: groups.length };
}

export type Suppression = { readonly kind: 'silenced'; readonly ids: readonly string[] } | { readonly kind: 'inhibited'; readonly ids: readonly string[] } | { readonly kind: 'muted'; readonly ids: readonly string[] };

/** The badge of an alert and every reason it is suppressed (silences, inhibiting alerts, time intervals). */
export function alertState(a: GettableAlert): { badge: 'active' | 'suppressed' | 'unprocessed'; reasons: Suppression[] } {
  const reasons: Suppression[] = [];
  if (a.status.silencedBy.length > 0) reasons.push({ kind: 'silenced', ids: a.status.silencedBy });
  if (a.status.inhibitedBy.length > 0) reasons.push({ kind: 'inhibited', ids: a.status.inhibitedBy });
  const muted = a.status.mutedBy ?? [];
  if (muted.length > 0) reasons.push({ kind: 'muted', ids: muted });
  const badge = a.status.state === 'unprocessed' ? 'unprocessed' : a.status.state === 'suppressed' || reasons.length > 0 ? 'suppressed' : 'active';
  return { badge, reasons };
}

/** An http(s) URL, or undefined: other schemes (javascript:, data:) are never made links. */
export function safeUrl(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (!/^https?:\/\//i.test(t)) return undefined;
  try {
    return new URL(t).href;
  } catch {
    return undefined;
  }
}

/** Annotations shown above the others, in this order. */
export const PROMINENT_ANNOTATIONS = ['summary', 'description'] as const;

/** Annotations other than summary and description, sorted by name, each with its link when it is a URL. */
export function otherAnnotations(annotations: Readonly<Record<string, string>>): { name: string; value: string; href: string | undefined }[] {
  return Object.entries(annotations)
    .filter(([k]) => !(PROMINENT_ANNOTATIONS as readonly string[]).includes(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value, href: safeUrl(value) }));
}

/** The labels of an alert that its group does not already show. */
export function ownLabels(a: GettableAlert, groupLabels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.labels)) if (groupLabels[k] !== v) out[k] = v;
  return out;
}

/** `#/silences/new?matcher=...` params for an alert: one equality matcher per label, by name. */
export function silenceMatchers(labels: Readonly<Record<string, string>>): string[] {
  return Object.keys(labels)
    .sort()
    .map((name) => formatMatcher({ name, value: labels[name]!, isRegex: false, isEqual: true }));
}
