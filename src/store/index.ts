/** State stores behind src/core/state-store.ts: SQLite (embedded default) and in-memory. */
export { MemoryStateStore, openMemoryStore } from './memory.js';
export { SqliteStateStore, openSqliteStore } from './sqlite.js';
export type { StoreOptions } from './ops.js';
export { FsWalStorage, tenantDirName } from './wal-fs.js';
