/** Kubernetes objects or a GitOps manifest directory -> every tenant's live routing and rules (issue 8). */
export { createReconciler, objectId } from './reconciler.js';
export type { ReconcileInput, ReconcileReport, Reconciler, ReconcilerOptions, ReconcilerSinks, TenantRuleNamespaces } from './reconciler.js';
export { createManifestPoller } from './manifest-poller.js';
export type { ManifestPoller, ManifestPollerOptions } from './manifest-poller.js';
export { inhibitRuleCount, platformMatcher, platformRoutingProblem, withPlatformReceiver, withPlatformRoute } from './platform-route.js';
export type { PlatformRouting } from './platform-route.js';
