/**
 * Watching Kubernetes for Herald's self-service objects (issue 8): list-then-watch per resource,
 * an in-memory snapshot for the renderers, and status conditions + events written back.
 */
export { createKubeSource, DEFAULT_DEBOUNCE_MS } from './kube-source.js';
export type { KubeSnapshot, KubeSource, KubeSourceOptions } from './kube-source.js';
export { KUBE_KINDS } from './resources.js';
export type { KubeKind } from './resources.js';
export { buildConditions, createStatusWriter, REPORTING_CONTROLLER } from './status-writer.js';
export type { KubeCondition, WriteStatus } from './status-writer.js';
export { createKubeTransport } from './transport.js';
export type { KubeResponse, KubeTransport } from './transport.js';
export { BACKOFF_INITIAL_MS, BACKOFF_MAX_MS, backoffDelay } from './reflector.js';
