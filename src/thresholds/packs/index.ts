/**
 * Rule packs evaluated once for all tenants: the union of every tenant's store as one series
 * source, the splitting of outputs and alerts back to their tenants, and the platform ruler that
 * loads `rule-packs/*.yaml` and schedules their groups.
 */
export { createPlatformRuler, DEFAULT_PACK_POLL_INTERVAL_MS } from './platform-ruler.js';
export type { PlatformRuler, PlatformRulerOptions } from './platform-ruler.js';
export { PACK_NAMESPACE_PREFIX, PackDirectory } from './pack-directory.js';
export type { PackError } from './pack-directory.js';
export { DEFAULT_APPEND_CONCURRENCY, SplittingAlertSink, SplittingBackend, TenantAppendError } from './splitting.js';
export type { SplittingBackendOptions } from './splitting.js';
export { DEFAULT_PLATFORM_TENANT, TENANT_LABEL, TenantRouter, tsdbPackTenants } from './tenants.js';
export type { AppendOutcome, PackTenants } from './tenants.js';
export { DEFAULT_UNION_CONCURRENCY, selectTenants, UnionSeriesSource } from './union-source.js';
export type { UnionSourceOptions } from './union-source.js';
