/**
 * The rule-pack contract: AST walk of pack rules, exporter metric fixtures, and the checks that
 * keep shipped packs able to fire (threshold selectors match emitted series, metrics exist).
 */
export { collectSelectors, loadPack, ruleWhere } from './pack-model.js';
export type { Pack, PackRule, SelectorUse } from './pack-model.js';
export { exporterMetricsFromFamilies, mergeExporterMetrics, parseExporterMetrics } from './exporter-metrics.js';
export type { ExporterMetrics, ExposedMetric, RegistryFamily } from './exporter-metrics.js';
export {
  checkExporterMetrics,
  checkPackShape,
  checkStateFilterSelectors,
  checkThresholdSelectors,
  findUnusedThresholds,
  DOWN_ALERT,
  SYNTHESISED_METRICS,
  TARGET_LABELS,
} from './contract.js';
export { HERALD_SELF_PACKS, PACK_EXPORTERS, RUNBOOK_BASE } from './shipped.js';
