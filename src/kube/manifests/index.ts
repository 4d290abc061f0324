/** A directory of Kubernetes manifests as a source of monitoring objects (GitOps, issue 8). */
export { loadManifestDir, NODE_MANIFEST_FS, objectKey, parseManifests } from './load.js';
export type { LoadedObject, ManifestDir, ManifestFs, ManifestObject, ManifestProblem, ManifestSource, NamespaceObject, SecretObject } from './load.js';
export { manifestNamespaces, manifestSecretReader, namespaceInfo } from './view.js';
