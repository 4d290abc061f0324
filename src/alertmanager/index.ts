/** One tenant's Alertmanager engine and its contract. */
export { createAlertmanager, matchFilterLabels, ALERT_GC_INTERVAL_MS, MAINTENANCE_INTERVAL_MS } from './engine.js';
export { AlertmanagerInputError } from './api.js';
export type { AlertGroupView, AlertQuery, AlertStatus, AlertView, GroupQuery, SilenceView, TenantAlertmanager } from './api.js';
export type { AlertmanagerLimits, AlertmanagerMetrics, AlertmanagerOptions } from './options.js';
export { UNLIMITED } from './options.js';
export { RouteTree } from './route/index.js';
export { AlertStore } from './alerts/index.js';
export { Dispatcher } from './dispatch/index.js';
