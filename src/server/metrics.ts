/**
 * Herald's /metrics registry: the `alertmanager_*` series (AlertmanagerMetrics) with an extra
 * `tenant` label, plus Node process metrics. One registry per app, so tests never share state.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AlertmanagerMetrics } from '../alertmanager/options.js';
import type { KubeSyncMetrics } from '../kube/sync/index.js';
import type { IngestMetrics } from '../ingest/remote-write/index.js';
import type { RulerMetrics } from '../ruler/api.js';
import type { NotifierMetrics } from '../ruler/notifier/index.js';
import type { ThresholdMetrics } from '../thresholds/index.js';

export interface HeraldMetrics {
  readonly registry: Registry;
  readonly alertmanager: AlertmanagerMetrics;
  /** remote_write usage per tenant (what a platform bills and caps tenants by). */
  readonly ingest: IngestMetrics;
  /** Rule evaluation per tenant and group (Prometheus' prometheus_rule_* with a tenant label, as Mimir's cortex_prometheus_rule_*). */
  readonly ruler: RulerMetrics;
  /** Alerts from the ruler to Alertmanagers, per destination and tenant (prometheus_notifications_*). */
  readonly notifier: NotifierMetrics;
  /** Threshold documents that fail to load, reloads, resolved thresholds per tenant. */
  readonly thresholds: ThresholdMetrics;
  /** The Kubernetes / GitOps source (issue 8): objects per tenant, kind and result; reconcile runs. */
  readonly kube: KubeSyncMetrics;
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
  const am = ['alertmanager'];
  const notifier: NotifierMetrics = {
    sent: counter('herald_ruler_notifications_sent_total', 'Alerts sent by the ruler to an Alertmanager.', am),
    errors: counter('herald_ruler_notifications_errors_total', 'Alerts in batches the ruler failed to send.', am),
    dropped: counter('herald_ruler_notifications_dropped_total', 'Alerts the ruler dropped: queue overflow, failed batches, left at shutdown.', am),
    queueLength: gauge('herald_ruler_notifications_queue_length', 'Alerts waiting to be sent.', am),
    latency: new Histogram({
      name: 'herald_ruler_notification_latency_seconds',
      help: 'Latency of sending a batch of alerts to an Alertmanager.',
      labelNames: ['tenant', 'alertmanager'],
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 10],
      registers: [registry],
    }),
  };
  const thresholds: ThresholdMetrics = {
    loadErrors: new Gauge({ name: 'herald_thresholds_load_errors', help: 'Problems of a threshold file or API document that fails to load (0 once it loads); its tenant keeps its last good thresholds.', labelNames: ['source'], registers: [registry] }),
    reloads: new Counter({ name: 'herald_thresholds_reloads_total', help: 'Threshold documents parsed, by result.', labelNames: ['result'], registers: [registry] }),
    thresholds: gauge('herald_thresholds_series', 'user_threshold series a tenant resolves to.'),
  };
  return { registry, alertmanager, ingest, ruler: rulerMetrics(counter, gauge, registry), notifier, thresholds, kube: kubeMetrics(gauge, registry), trackActiveSeries: (f) => (statsOf = f) };
}

function kubeMetrics(gauge: (name: string, help: string, labels?: string[]) => Gauge, registry: Registry): KubeSyncMetrics {
  const objects = gauge('herald_kube_objects', 'AlertmanagerConfig and PrometheusRule objects selected by the kube source, by kind and result (accepted, rejected, unassigned: tenant "").', ['kind', 'result']);
  const runs = new Counter({ name: 'herald_kube_reconciles_total', help: 'Reconciles of the kube source, by result (success, error).', labelNames: ['result'], registers: [registry] });
  const duration = new Gauge({ name: 'herald_kube_last_reconcile_duration_seconds', help: 'How long the last reconcile took.', registers: [registry] });
  const last = new Gauge({ name: 'herald_kube_last_reconcile_timestamp_seconds', help: 'When the last successful reconcile finished.', registers: [registry] });
  const problems = new Gauge({ name: 'herald_kube_manifest_problems', help: 'Problems of the manifest directory at its last change (files with problems keep their last good version).', registers: [registry] });
  return {
    reconciled(seconds, at, ok) {
      runs.inc({ result: ok ? 'success' : 'error' });
      duration.set(seconds);
      if (ok) last.set(at);
    },
    objects(counts) {
      objects.reset();
      for (const c of counts) objects.set({ tenant: c.tenant, kind: c.kind, result: c.result }, c.count);
    },
    manifestProblems: (n) => problems.set(n),
  };
}

function rulerMetrics(
  counter: (name: string, help: string, labels?: string[]) => Counter,
  gauge: (name: string, help: string, labels?: string[]) => Gauge,
  registry: Registry,
): RulerMetrics {
  const g = ['rule_group'];
  const evaluations = counter('herald_rule_evaluations_total', 'The total number of rule evaluations.', g);
  const failures = counter('herald_rule_evaluation_failures_total', 'The total number of rule evaluation failures.', g);
  const ruleDuration = new Histogram({
    name: 'herald_rule_evaluation_duration_seconds',
    help: 'The duration for a rule to execute.',
    labelNames: ['tenant'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const iterations = counter('herald_rule_group_iterations_total', 'The total number of scheduled rule group evaluations, whether executed or missed.', g);
  const missed = counter('herald_rule_group_iterations_missed_total', 'The total number of rule group evaluations missed due to slow rule group evaluation.', g);
  const lastDuration = gauge('herald_rule_group_last_duration_seconds', 'The duration of the last rule group evaluation.', g);
  const lastSamples = gauge('herald_rule_group_last_evaluation_samples', 'The number of samples returned during the last rule group evaluation.', g);
  const lastEval = gauge('herald_rule_group_last_evaluation_timestamp_seconds', 'The timestamp of the last rule group evaluation in seconds.', g);
  const rules = gauge('herald_rule_group_rules', 'The number of rules.', g);
  const interval = gauge('herald_rule_group_interval_seconds', 'The interval of a rule group.', g);
  return {
    ruleEvaluated(tenant, group, failed, seconds) {
      evaluations.inc({ tenant, rule_group: group });
      if (failed) failures.inc({ tenant, rule_group: group });
      ruleDuration.observe({ tenant }, seconds);
    },
    groupEvaluated(tenant, group, seconds, samples) {
      const l = { tenant, rule_group: group };
      iterations.inc(l);
      lastDuration.set(l, seconds);
      lastSamples.set(l, samples);
      lastEval.set(l, Date.now() / 1000);
    },
    groupMissed(tenant, group, n) {
      iterations.inc({ tenant, rule_group: group }, n);
      missed.inc({ tenant, rule_group: group }, n);
    },
    groupConfigured(tenant, group, n, seconds) {
      const l = { tenant, rule_group: group };
      if (n < 0) {
        for (const m of [lastDuration, lastSamples, lastEval, rules, interval]) m.remove(l);
        return;
      }
      rules.set(l, n);
      interval.set(l, seconds);
    },
  };
}
