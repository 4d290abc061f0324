/** AlertmanagerConfig objects -> a tenant's Alertmanager configuration, and their validation. */
export { renderAlertmanagerConfigs, prepareBase, InvalidBaseConfigError } from './render.js';
export type { PreparedBase, RenderOptions, RenderResult, RenderStatus } from './render.js';
export { validateAlertmanagerConfigObject } from './validate.js';
export { configYaml } from './yaml-text.js';
export type { ValidationResult } from './validate.js';
export { MATCHER_STRATEGIES } from './enforce.js';
export type { MatcherStrategy } from './enforce.js';
