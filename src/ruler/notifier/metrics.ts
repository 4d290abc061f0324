/**
 * The notifier's own metrics (Prometheus' prometheus_notifications_{sent,errors,dropped}_total and
 * prometheus_notifications_queue_length, notifier/metrics.go), labelled per destination and tenant:
 * `alertmanager` is the POST URL of an external Alertmanager or `local` for the in-process one.
 * The shapes match prom-client, so src/app.ts passes its counters and gauges directly.
 */
import type { CounterLike, GaugeLike, HistogramLike } from '../../core/metrics.js';
import { NOOP_COUNTER, NOOP_GAUGE, NOOP_HISTOGRAM } from '../../core/metrics.js';

/** Every method takes labels `{ alertmanager, tenant }`. */
export interface NotifierMetrics {
  /** Alerts a destination accepted. */
  readonly sent: CounterLike;
  /** Alerts in batches that failed (transport error, timeout, non-2xx). */
  readonly errors: CounterLike;
  /** Alerts never delivered: queue overflow, failed batches, left over at stop. */
  readonly dropped: CounterLike;
  /** Alerts waiting in the (destination, tenant) queue. */
  readonly queueLength: GaugeLike;
  /** Seconds one batch took to deliver (successful ones). */
  readonly latency: HistogramLike;
}

export const NOOP_NOTIFIER_METRICS: NotifierMetrics = {
  sent: NOOP_COUNTER,
  errors: NOOP_COUNTER,
  dropped: NOOP_COUNTER,
  queueLength: NOOP_GAUGE,
  latency: NOOP_HISTOGRAM,
};

/** The `alertmanager` label value of in-process delivery. */
export const LOCAL_DESTINATION = 'local';
