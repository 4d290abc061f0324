/** Legacy-rule migration and rule-pack indexing for the `herald tenant` tools. */
export { migrateLegacyRules } from './migrate.js';
export type { Conversion, MigrateOptions, MigrationResult, Refusal } from './migrate.js';
export { matchLegacyExpr } from './legacy-shape.js';
export type { LegacyShape, ShapeResult } from './legacy-shape.js';
export { kindFromName, measureExpr, splitKey, thresholdKey } from './metric-kind.js';
export type { Measure, MetricKind } from './metric-kind.js';
export { coveredKeys, indexPack, packMetrics } from './pack-index.js';
export type { PackIndex, PackMetric } from './pack-index.js';
export { equalityValue, unwrap, vectorSelectors, walkExpr } from './expr-walk.js';
