/**
 * How a metric becomes a threshold key and a pack's per-tenant recording rule, chosen from its
 * type as the name tells it (Prometheus naming conventions, docs/practices/naming.md): counters
 * (`_total`, or read through rate()) are compared as a per-second rate summed per tenant, gauges
 * as their per-tenant maximum, classic histograms (`_bucket`) as a quantile. The key is
 * `<component>_<metric>` (component = text before the first underscore, as the threshold engine
 * splits it), with `_rate` / `_p<quantile>` appended for derived values so the key says what is
 * compared.
 */
import { formatDuration } from '../../core/duration.js';

export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** What a legacy rule measures, in the form the pack will compute. */
export interface Measure {
  readonly kind: MetricKind;
  /** The metric as the exporter exposes it (`http_request_duration_seconds_bucket`). */
  readonly metric: string;
  /** rate()'s range for counters and histograms, in ms. */
  readonly rangeMs: number;
  /** The quantile for histograms (0.95). */
  readonly quantile?: number;
}

export const DEFAULT_RATE_RANGE_MS = 5 * 60_000;

/** The metric's type from its name alone. */
export function kindFromName(metric: string): MetricKind {
  if (metric.endsWith('_bucket')) return 'histogram';
  if (metric.endsWith('_total') || metric.endsWith('_count') || metric.endsWith('_sum')) return 'counter';
  return 'gauge';
}

/** `0.95` -> `p95`, `0.999` -> `p99_9`. */
function quantileSuffix(q: number): string {
  const pct = Math.round(q * 10_000) / 100;
  return `p${String(pct).replace('.', '_')}`;
}

/** The threshold key (base, warning tier) of a measure. */
export function thresholdKey(m: Measure): string {
  switch (m.kind) {
    case 'gauge':
      return m.metric;
    case 'counter':
      return `${m.metric.replace(/_total$/, '')}_rate`;
    case 'histogram':
      return `${m.metric.replace(/_bucket$/, '')}_${quantileSuffix(m.quantile ?? 0.95)}`;
  }
}

/** `component` / `metric` of a key as the engine labels its series: split at the first underscore. */
export function splitKey(key: string): { readonly component: string; readonly metric: string } | undefined {
  const i = key.indexOf('_');
  if (i <= 0 || i === key.length - 1) return undefined;
  return { component: key.slice(0, i), metric: key.slice(i + 1) };
}

/** The aggregation part of the recording rule's name (`tenant:<key>:<agg>`). */
export function recordingAgg(m: Measure): string {
  return m.kind === 'gauge' ? 'max' : m.kind === 'counter' ? `rate${formatDuration(m.rangeMs)}` : 'quantile';
}

/**
 * The per-tenant value of a measure. `by` lists the grouping labels (`tenant` in a pack; none for
 * one tenant's own store).
 */
export function measureExpr(m: Measure, by: readonly string[]): string {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  const range = formatDuration(m.rangeMs);
  switch (m.kind) {
    case 'gauge':
      return `max${grouping} (${m.metric})`;
    case 'counter':
      return `sum${grouping} (rate(${m.metric}[${range}]))`;
    case 'histogram':
      return `histogram_quantile(${m.quantile ?? 0.95}, sum by (${[...by, 'le'].join(', ')}) (rate(${m.metric}[${range}])))`;
  }
}
