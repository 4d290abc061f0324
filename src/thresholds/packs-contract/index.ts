/**
 * The rule-pack contract: AST walk of pack rules, exporter metric fixtures, and the checks that
 * keep shipped packs able to fire (threshold selectors match emitted series, metrics exist).
 */
export { collectSelectors, loadPack, ruleWhere, selectorUse } from './pack-model.js';
export type { Pack, PackRule, SelectorUse } from './pack-model.js';
export { exporterMetricsFromFamilies, mergeExporterMetrics, parseExporterMetrics, relabelExporterMetrics } from './exporter-metrics.js';
export type { ExporterMetrics, ExposedMetric, RegistryFamily } from './exporter-metrics.js';
export {
  checkExporterMetrics,
  checkPackShape,
  checkStateFilterSelectors,
  checkThresholdSelectors,
  findUnusedThresholds,
  selectorLabelsFor,
  DOWN_ALERT,
  SYNTHESISED_METRICS,
  TARGET_LABELS,
  THRESHOLD_LABELS,
} from './contract.js';
export { checkDeclaredDimensions, checkDimensions, dimensionalKeysOf, thresholdKeyOf } from './dimensions.js';
export type { DimensionalKeys } from './dimensions.js';
export { labelsOf, packSelectorLabels } from './labels-of.js';
export type { LabelsOf, SelectorLabels } from './labels-of.js';
export { checkGivesWay, checkTierLabels, givesWayNode, TIER_IGNORING } from './tiers.js';
export { HERALD_SCRAPE_EXAMPLE, HERALD_SELF_PACKS, PACK_EXPORTERS, RUNBOOK_BASE } from './shipped.js';
