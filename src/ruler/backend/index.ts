/** Where rules read and write data: the embedded store, memory, or a Prometheus-compatible HTTP API. */
export { embeddedBackend, LocalQueryBackend, memoryBackend } from './local.js';
export type { SampleAppender } from './local.js';
export { createRemoteBackend, formatQueryTime } from './remote.js';
export type { RemoteBackendOptions } from './remote.js';
export { DEFAULT_REMOTE_TIMEOUT_MS, RemoteBackendError } from './peer-http.js';
export type { RemoteBackendConfig } from './peer-http.js';
export { RemoteWriteClient } from './remote-write-client.js';
export type { RemoteWriteClientOptions, WriteOutcome } from './remote-write-client.js';
