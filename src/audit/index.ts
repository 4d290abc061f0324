/** The audit log (issue 9): entries, digests, the store-backed log and the snapshot providers. */
export { createAuditLog, AuditEntryError, AuditQueryError, AUDIT_LOG_MESSAGE, DEFAULT_AUDIT_RETENTION_MS } from './audit-log.js';
export type { AuditLogOptions } from './audit-log.js';
export { checkEntry, decodeEntry, stateDigest, UNKNOWN_DIGEST } from './entry.js';
export { parseFilter, parseLimit, parseSince, DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from './query.js';
export type { AuditFilter } from './query.js';
export { auditTarget, createSnapshotter, NoSnapshotError, CONFIG_OBJECT, THRESHOLDS_OBJECT } from './snapshots.js';
export type { AuditRequest, AuditTarget, Snapshot, SnapshotFn, SnapshotPhase, SnapshotSources } from './snapshots.js';
