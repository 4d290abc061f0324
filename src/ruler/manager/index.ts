/**
 * The ruler manager: per-tenant scheduling of rule groups (Prometheus rules/group.go and
 * rules/manager.go), rule storage behind the Mimir ruler config API, the GitOps rules directory,
 * and the ruler's per-tenant limits (Mimir pkg/ruler).
 */
export { createRuler } from './ruler.js';
export type { Ruler, RulerOptions } from './ruler.js';
export { loadRuleFile, RULEFMT_PARSER } from './rules-dir.js';
export type { DirectoryError, RuleFileParser, RuleFileState, RulesDirFs } from './rules-dir.js';
export { UNLIMITED_RULER_LIMITS } from './limits.js';
export type { RulerLimits } from './limits.js';
export { groupOffsetMs, evalSlot } from './schedule.js';
export { GroupRunner } from './group-runner.js';
export type { GroupRunnerOptions } from './group-runner.js';
export { labelsHash, xxhash64 } from './xxhash64.js';
