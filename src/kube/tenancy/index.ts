/** Which tenant a Kubernetes object belongs to, and the `kube:` config section (issue 8). */
export { assignTenant, optOutLabel } from './assign.js';
export type { TenantAssignment } from './assign.js';
export { DEFAULT_KUBE_CONFIG, DEFAULT_MANIFEST_POLL_INTERVAL_MS, parseKubeConfig } from './config.js';
export type { KubeAlertmanagerSettings, KubeConfig, KubeRulesConfig, KubeSourceSettings, MatcherStrategy } from './config.js';
export { MATCH_ALL, matchesSelector, parseLabelSelector } from './selector.js';
