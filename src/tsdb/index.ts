/** Herald's embedded time-series store: per-tenant heads with compressed chunks, postings and a WAL. */
export type { AppendResult, AppendSeries, RejectReason, TenantTsdb, TsdbLimits, TsdbSet, TsdbStats } from './api.js';
export { Head } from './head.js';
export type { HeadOptions } from './head.js';
export { HeadSet } from './tsdb-set.js';
export type { HeadSetOptions } from './tsdb-set.js';
export { DEFAULT_SEGMENT_BYTES } from './wal.js';
export type { SegmentWriter, StoredCheckpoint, WalDir, WalStorage } from './wal-storage.js';
