/** The alert store of one tenant's Alertmanager. */
export { AlertStore, alertSize, tooManyAlerts, alertsTooBig } from './store.js';
export type { AlertListener, AlertStoreLimits } from './store.js';
export { encodeAlert, decodeAlert } from './codec.js';
