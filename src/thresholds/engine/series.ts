/**
 * The series a resolved tenant becomes: `user_threshold{tenant, component, metric, severity, ...dims}`
 * = value and `user_state_filter{tenant, filter, severity}` = 1, with the names of the upstream
 * threshold-exporter (collector.go). Label names are in sorted order.
 */
import { compareLabels, compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { ResolvedTenant } from '../api.js';

export const THRESHOLD_METRIC = 'user_threshold';
export const STATE_FILTER_METRIC = 'user_state_filter';

/** One sample of a tenant's threshold series; labels include `__name__`. */
export interface ThresholdSample {
  readonly labels: Labels;
  readonly value: number;
}

/** A tenant's series, user_threshold first then user_state_filter, each sorted by labels. */
export function tenantSeries(r: ResolvedTenant): ThresholdSample[] {
  const out: ThresholdSample[] = [];
  for (const t of r.thresholds) out.push({ labels: withName(THRESHOLD_METRIC, t.labels), value: t.value });
  const filters = r.stateFilters
    .map((f) => withName(STATE_FILTER_METRIC, { filter: f.filter, severity: f.severity, tenant: r.tenant }))
    .sort(compareLabels);
  for (const labels of filters) out.push({ labels, value: 1 });
  return out;
}

function withName(name: string, labels: Labels): Labels {
  const entries: [string, string][] = [['__name__', name], ...Object.entries(labels)];
  entries.sort((a, b) => compareStrings(a[0], b[0]));
  return Object.fromEntries(entries);
}

/** A stable identity of a label set (names are sorted already). */
export function seriesKey(labels: Labels): string {
  let k = '';
  for (const [n, v] of Object.entries(labels)) k += `${n}\xff${v}\xfe`;
  return k;
}
