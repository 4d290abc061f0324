/**
 * The ruler's AlertSink (Prometheus' notifier.Manager, notifier/manager.go): each alert gets the
 * external labels it lacks and the alert_relabel_configs (relabel-alerts.ts), is encoded once,
 * and is queued for the tenant's in-process Alertmanager and for every external Alertmanager
 * (fair-queue.ts: one queue per destination and tenant). `send` never waits for delivery.
 */
import type { Alert } from '../../core/alert.js';
import { sortedNames } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { InvalidInputError, issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { Clock, HttpClient, Logger } from '../../core/runtime.js';
import type { AlertSink, OutgoingAlert, RulerConfig } from '../api.js';
import { alertmanagerDestination, alertsUrl, checkAlertmanager } from './alertmanager-client.js';
import { FairQueue } from './fair-queue.js';
import type { Destination, FairQueueOptions } from './fair-queue.js';
import { LOCAL_DESTINATION, NOOP_NOTIFIER_METRICS } from './metrics.js';
import type { NotifierMetrics } from './metrics.js';
import { alertLabels, validateAlertRelabelConfigs } from './relabel-alerts.js';
import { encodePostableAlert } from './wire.js';

/** Prometheus' notifier defaults (--alertmanager.notification-queue-capacity, maxBatchSize). */
export const DEFAULT_QUEUE_CAPACITY = 10_000;
export const DEFAULT_MAX_BATCH = 256;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Hands alerts to a tenant's in-process Alertmanager (its putAlerts). A returned `errors` list
 * names alerts it refused; a throw fails the whole batch.
 */
export type LocalDelivery = (tenant: string, alerts: Alert[]) => Promise<void | { readonly errors: readonly string[] }>;

export interface NotifierOptions {
  readonly config: Pick<RulerConfig, 'externalLabels' | 'notifyLocal' | 'alertmanagers' | 'alertRelabelConfigs'>;
  /** Required for in-process delivery (`notifyLocal`); without it nothing is delivered locally. */
  readonly local?: LocalDelivery;
  readonly http: HttpClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly userAgent: string;
  readonly metrics?: NotifierMetrics;
  /** Alerts held per (destination, tenant) before the oldest are dropped; default 10,000. */
  readonly queueCapacity?: number;
  /** Alerts per POST to an external Alertmanager; default 256. */
  readonly maxBatch?: number;
  /** Requests in flight per destination, each for a different tenant; default 8. */
  readonly concurrency?: number;
  /** How long stop() lets queues drain before dropping the rest; default 10s. */
  readonly drainTimeoutMs?: number;
}

export interface Notifier extends AlertSink {
  /** Resolves when every queue is empty and no batch is in flight (tests, orderly handovers). */
  idle(): Promise<void>;
  /**
   * Refuses new alerts and drains the queues; at drainTimeoutMs drops what is queued and aborts
   * requests in flight (their failures are counted as they settle).
   */
  stop(): Promise<void>;
}

/** Builds the notifier; throws InvalidInputError for bad alert_relabel_configs or Alertmanager settings. */
export function createNotifier(opts: NotifierOptions): Notifier {
  const { config, clock } = opts;
  const logger = opts.logger.child({ component: 'notifier' });
  const metrics = opts.metrics ?? NOOP_NOTIFIER_METRICS;
  const capacity = opts.queueCapacity ?? DEFAULT_QUEUE_CAPACITY;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;

  const issues: Issue[] = [];
  const rules = validateAlertRelabelConfigs(config.alertRelabelConfigs, ['alert_relabel_configs']);
  if (!rules.ok) issues.push(...rules.issues);
  const seen = new Set<string>();
  config.alertmanagers.forEach((am, i) => {
    const problems = checkAlertmanager(am, ['alertmanagers', i]);
    issues.push(...problems);
    if (problems.length > 0) return;
    // Prometheus de-duplicates Alertmanagers by URL; two entries would double every alert.
    const url = alertsUrl(am.url);
    if (seen.has(url)) issues.push(issue('invalid_alertmanager', `duplicate Alertmanager URL ${JSON.stringify(am.url)}`, { path: ['alertmanagers', i, 'url'] }));
    seen.add(url);
  });
  if (issues.length > 0) throw new InvalidInputError(issues);
  const relabelRules = rules.ok ? rules.value : [];
  const externalLabels: Labels = config.externalLabels;
  const externalNames = sortedNames(externalLabels);

  const queueOpts = (name: string): FairQueueOptions => ({ capacity, concurrency, clock, metrics, logger: logger.child({ alertmanager: name }) });

  let local: FairQueue<OutgoingAlert> | undefined;
  if (config.notifyLocal && opts.local) {
    const deliverLocal = opts.local;
    const dest: Destination<OutgoingAlert> = {
      name: LOCAL_DESTINATION,
      maxBatch: capacity,
      async deliver(tenant, batch) {
        const now = clock.now();
        const res = await deliverLocal(
          tenant,
          batch.map((a) => ({ ...a, updatedAt: now, timeout: false })),
        );
        if (!res || res.errors.length === 0) return undefined;
        logger.warn({ alertmanager: LOCAL_DESTINATION, tenant, refused: res.errors.length, errors: res.errors.slice(0, 5) }, 'Alertmanager refused alerts');
        return { refused: Math.min(res.errors.length, batch.length) };
      },
    };
    local = new FairQueue(dest, queueOpts(LOCAL_DESTINATION));
  } else if (config.notifyLocal) {
    logger.warn({}, 'notify_local is on but no in-process Alertmanager was given; alerts are not delivered locally');
  }

  const external = config.alertmanagers.map((am) => {
    const dest = alertmanagerDestination(am, { http: opts.http, clock, userAgent: opts.userAgent, maxBatch });
    return new FairQueue(dest, queueOpts(dest.name));
  });
  const all: Array<FairQueue<OutgoingAlert> | FairQueue<string>> = local ? [local, ...external] : external;
  let stopping: Promise<void> | undefined;

  const idle = async (): Promise<void> => {
    await Promise.all(all.map((q) => q.whenIdle()));
  };

  return {
    send(tenant, alerts) {
      if (stopping || alerts.length === 0 || all.length === 0) return;
      const out: OutgoingAlert[] = [];
      for (const a of alerts) {
        const labels = alertLabels(tenant, a.labels, externalLabels, externalNames, relabelRules);
        if (labels === undefined) continue;
        out.push(labels === a.labels ? a : { ...a, labels });
      }
      if (out.length === 0) return;
      local?.add(tenant, out);
      if (external.length > 0) {
        const encoded = out.map(encodePostableAlert);
        for (const q of external) q.add(tenant, encoded);
      }
    },
    idle,
    stop() {
      stopping ??= (async () => {
        for (const q of all) q.close();
        const deadline = new AbortController();
        const timedOut = await Promise.race([
          idle().then(() => false),
          clock.sleep(opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS, deadline.signal).then(
            () => true,
            () => false,
          ),
        ]);
        deadline.abort(new Error('drained'));
        if (timedOut) {
          logger.warn({}, 'Alert queues not drained before the deadline, dropping the rest');
          for (const q of all) q.abort();
        }
      })();
      return stopping;
    },
  };
}
