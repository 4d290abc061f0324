/**
 * Dynamic thresholds: tenant threshold documents -> `user_threshold` / `user_state_filter` series.
 * Contracts in ./api.ts; parsing and resolution in config/, the conf.d engine, series writer and
 * exposition in engine/.
 */
export type {
  ResolvedTenant,
  ResolvedThreshold,
  StateFilterDef,
  TenantSetting,
  TenantThresholds,
  ThresholdDefaults,
  ThresholdProblem,
  ThresholdService,
} from './api.js';
export { DEFAULT_FILTER_SEVERITY, EMPTY_DEFAULTS, parseDefaults } from './config/defaults.js';
export { checkTenantDocument, parseTenantDocument } from './config/tenant-document.js';
export type { TenantDocumentCheck } from './config/tenant-document.js';
export { resolveTenant } from './config/resolve.js';
export {
  CRITICAL_SEVERITY,
  CRITICAL_SUFFIX,
  DEFAULT_SEVERITY,
  RESERVED_LABELS,
  STATE_PREFIX,
  criticalBase,
  isBaseKey,
  parseThresholdKey,
  parseThresholdValue,
  splitKey,
} from './config/keys.js';
export type { ThresholdKey } from './config/keys.js';
export {
  DEFAULT_POLL_INTERVAL_MS,
  DOCUMENT_KEY,
  ThresholdEngine,
  ThresholdsDirectoryOwnedError,
} from './engine/engine.js';
export type { ThresholdChangeListener, ThresholdChanges, ThresholdEngineOptions } from './engine/engine.js';
export type { ConfDirFs } from './engine/conf-dir.js';
export type { ThresholdPatch } from './engine/patch.js';
export { applyPatch } from './engine/patch.js';
export { DEFAULT_REFRESH_INTERVAL_MS, ThresholdSeriesWriter } from './engine/writer.js';
export type { ThresholdSeriesWriterOptions } from './engine/writer.js';
export { formatValue, renderExposition } from './engine/exposition.js';
export { STATE_FILTER_METRIC, THRESHOLD_METRIC, tenantSeries } from './engine/series.js';
export type { ThresholdSample } from './engine/series.js';
export { NOOP_THRESHOLD_METRICS } from './engine/metrics.js';
export type { ThresholdMetrics } from './engine/metrics.js';
