/** State stores behind src/core/state-store.ts: SQLite (embedded default), the alert journal, in-memory. */
export { MemoryStateStore, openMemoryStore } from './memory.js';
export { SqliteStateStore, openSqliteStore } from './sqlite.js';
export type { StoreOptions } from './ops.js';
export { FsWalStorage, tenantDirName } from './wal-fs.js';
export { DEFAULT_COMPACT_BYTES, JournalStateStore, openJournalStore } from './journal.js';
export type { JournalStoreOptions } from './journal.js';
export { moveKinds, SplitStateStore } from './split.js';
