/**
 * What the threshold engine reports on /metrics. prom-client gauges and counters fit these shapes
 * (src/core/metrics.ts); src/app.ts registers them as
 * `herald_thresholds_load_errors{source}` (issues of a file or API document that failed to load,
 * 0 once it loads), `herald_thresholds_reloads_total{result="success|failure"}` (documents parsed)
 * and `herald_thresholds_series{tenant}` (user_threshold series a tenant resolves to).
 */
import { NOOP_COUNTER, NOOP_GAUGE } from '../../core/metrics.js';
import type { CounterLike, GaugeLike } from '../../core/metrics.js';

export interface ThresholdMetrics {
  readonly loadErrors: GaugeLike;
  readonly reloads: CounterLike;
  readonly thresholds: GaugeLike;
}

export const NOOP_THRESHOLD_METRICS: ThresholdMetrics = { loadErrors: NOOP_GAUGE, reloads: NOOP_COUNTER, thresholds: NOOP_GAUGE };
