/** The Alertmanager configuration loader: YAML in, validated AlertmanagerConfig out, and back. */
export { loadConfig, loadConfigValue } from './load.js';
export type { LoadOptions, LoadValueOptions } from './load.js';
export { marshalConfig } from './marshal.js';
export { GLOBAL_DEFAULTS } from './global.js';
export { ROUTE_DEFAULTS } from './route.js';
export type { AlertmanagerConfig, GlobalConfig, InhibitRuleConfig, IntegrationConfig, ReceiverConfig, RouteConfig } from './types.js';
