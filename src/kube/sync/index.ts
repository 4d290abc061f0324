/** Issue 8 inside `herald serve`: source -> reconciler -> tenant registry and ruler, with start, stop and reload. */
export { createKubeSync, KubeSyncSetupError, watchedKinds } from './kube-sync.js';
export type { KubeObjectView, KubeSync, KubeSyncDeps, KubeSyncState, KubernetesSourceSettings, TenantKubeView } from './kube-sync.js';
export { loadKubeconfig } from './kubeconfig.js';
export { countObjects, NOOP_KUBE_SYNC_METRICS } from './metrics.js';
export type { KubeSyncMetrics, ObjectCount, ObjectResult } from './metrics.js';
