/**
 * Counters the remote_write path reports, injected so the composition root can map them onto
 * prom-client: `herald_ingest_samples_received_total{tenant}` and
 * `herald_ingest_samples_rejected_total{tenant,reason}`.
 */
import type { RejectReason } from '../../tsdb/api.js';

/** Why samples were not stored: validation failures (Mimir's discarded-samples reasons) and store refusals. */
export type IngestRejectReason =
  | 'missing_metric_name'
  | 'metric_name_invalid'
  | 'max_label_names_per_series'
  | 'label_invalid'
  | 'label_value_invalid'
  | 'label_name_too_long'
  | 'label_value_too_long'
  | 'duplicate_label_names'
  | 'sample_too_far_in_future'
  | 'max_samples_per_request'
  | 'rate_limited'
  | 'native_histogram_unsupported'
  | RejectReason;

export interface IngestMetrics {
  /** Samples in decoded requests (before validation). */
  samplesReceived(tenant: string, n: number): void;
  samplesRejected(tenant: string, reason: IngestRejectReason, n: number): void;
}

export const NOOP_INGEST_METRICS: IngestMetrics = {
  samplesReceived: () => undefined,
  samplesRejected: () => undefined,
};
