/**
 * Herald's /metrics registry: the `alertmanager_*` series (AlertmanagerMetrics) with an extra
 * `tenant` label, plus Node process metrics. One registry per app, so tests never share state.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertmanagerMetrics } from '../alertmanager/options.js';
import type { IngestMetrics } from '../ingest/remote-write/index.js';

export interface HeraldMetrics {
  readonly registry: Registry;
  readonly alertmanager: AlertmanagerMetrics;
  /** remote_write usage per tenant (what a platform bills and caps tenants by). */
  readonly ingest: IngestMetrics;
  /** Reports each open tenant store's active series on every scrape. */
  trackActiveSeries(stats: () => Iterable<{ readonly tenant: string; readonly activeSeries: number }>): void;
}

/** Builds the registry; `processMetrics` adds prom-client's default process_* and nodejs_* series. */
export function createMetrics(processMetrics = true): HeraldMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labels: string[] = []): Counter =>
    new Counter({ name, help, labelNames: ['tenant', ...labels], registers: [registry] });
  const gauge = (name: string, help: string, labels: string[] = []): Gauge =>
    new Gauge({ name, help, labelNames: ['tenant', ...labels], registers: [registry] });
  const alertmanager: AlertmanagerMetrics = {
    alertsReceived: counter('alertmanager_alerts_received_total', 'The total number of received alerts.', ['status']),
    alertsInvalid: counter('alertmanager_alerts_invalid_total', 'The total number of received alerts that were invalid.'),
    notificationsTotal: counter('alertmanager_notifications_total', 'The total number of attempted notifications.', ['integration']),
    notificationsFailed: counter('alertmanager_notifications_failed_total', 'The total number of failed notifications.', ['integration', 'reason']),
    notificationRequestsTotal: counter('alertmanager_notification_requests_total', 'The total number of attempted notification requests.', ['integration']),
    notificationRequestsFailed: counter('alertmanager_notification_requests_failed_total', 'The total number of failed notification requests.', ['integration']),
    notificationLatency: new Histogram({
      name: 'alertmanager_notification_latency_seconds',
      help: 'The latency of notifications in seconds.',
      labelNames: ['tenant', 'integration'],
      buckets: [1, 5, 10, 15, 20],
      registers: [registry],
    }),
    silences: gauge('alertmanager_silences', 'How many silences by state.', ['state']),
    alerts: gauge('alertmanager_alerts', 'How many alerts by state.', ['state']),
    aggregationGroups: gauge('alertmanager_dispatcher_aggregation_groups', 'Number of active aggregation groups'),
    aggregationGroupLimitReached: counter(
      'alertmanager_dispatcher_aggregation_group_limit_reached_total',
      'Number of times when dispatcher failed to create new aggregation group due to limit.',
    ),
    notificationRateLimited: counter('alertmanager_notification_rate_limited_total', 'Number of notifications that were rate-limited.', ['integration']),
    notificationsSuppressed: counter('alertmanager_notifications_suppressed_total', 'The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.', ['reason']),
  };
  const received = counter('herald_ingest_samples_received_total', 'Samples received through remote_write, before validation.');
  const rejected = counter('herald_ingest_samples_rejected_total', 'Samples refused at ingestion, by reason.', ['reason']);
  const ingest: IngestMetrics = {
    samplesReceived: (tenant, n) => received.inc({ tenant }, n),
    samplesRejected: (tenant, reason, n) => rejected.inc({ tenant, reason }, n),
  };
  let statsOf: () => Iterable<{ readonly tenant: string; readonly activeSeries: number }> = () => [];
  new Gauge({
    name: 'herald_tsdb_active_series',
    help: "Series in each tenant's embedded store head.",
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of statsOf()) this.set({ tenant: s.tenant }, s.activeSeries);
    },
  });
  return { registry, alertmanager, ingest, trackActiveSeries: (f) => (statsOf = f) };
}
