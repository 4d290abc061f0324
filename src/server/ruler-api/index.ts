/** The ruler's HTTP APIs: Mimir's ruler config API and Prometheus' /rules and /alerts. */
export { ACCEPTED_BODY, DEFAULT_MAX_GROUP_BYTES, rulerApiRoutes } from './routes.js';
export type { RulerApiOptions } from './routes.js';
export { formatFloatE } from './encode.js';
