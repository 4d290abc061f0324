/**
 * The ruler's notifier: relabels alerts and delivers them to the tenant's in-process Alertmanager
 * and to external Alertmanagers (Prometheus' notifier/ package, per-tenant queues).
 */
export { createNotifier, DEFAULT_CONCURRENCY, DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_MAX_BATCH, DEFAULT_QUEUE_CAPACITY } from './notifier.js';
export type { LocalDelivery, Notifier, NotifierOptions } from './notifier.js';
export { validateAlertRelabelConfigs, TENANT_META_LABEL } from './relabel-alerts.js';
export { ALERTS_PATH, AlertmanagerResponseError, alertsUrl, checkAlertmanager } from './alertmanager-client.js';
export { encodePostableAlert } from './wire.js';
export { LOCAL_DESTINATION, NOOP_NOTIFIER_METRICS } from './metrics.js';
export type { NotifierMetrics } from './metrics.js';
