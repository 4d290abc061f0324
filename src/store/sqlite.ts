/**
 * The embedded StateStore: one SQLite file in WAL mode via better-sqlite3.
 *
 * WAL with synchronous=NORMAL makes each committed transaction survive a crash of the process
 * (kill -9): the commit is in the WAL file in the OS page cache before `write` resolves. Only a crash
 * of the whole machine can lose the last transactions, which is the trade SQLite documents for WAL +
 * NORMAL and what keeps ~30k row upserts/s possible without an fsync per commit.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Millis } from '../core/alert.js';
import type { StateKind, StateOp, StateRecord, StateStore } from '../core/state-store.js';
import { encodeOps } from './op-codec.js';
import { validateOp } from './ops.js';
import type { StoreOptions } from './ops.js';
import { WRITER_SOURCE } from './sqlite-writer.js';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-writer.js';

/** Options of the SQLite store. */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * `thread` (default): writes run on a worker thread with group commit; `inline`: on the
   * caller's thread (an in-memory database always writes inline).
   */
  readonly writer?: 'thread' | 'inline';
}

type WriterMessage = Exclude<WriterRequest, { type: 'close' }> extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The writer thread as the store sees it: requests in, one reply each, in order. Requests made in
 * one turn of the event loop are posted together at its end (setImmediate).
 */
class WriterThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private closed = false;
  private outbox: WriterRequest[] = [];
  private readonly pending = new Map<number, { resolve: (r: WriterReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly data: WriterData) {}

  request(msg: WriterMessage): Promise<WriterReply> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<WriterReply>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      this.outbox.push({ ...msg, id });
      if (this.outbox.length === 1) setImmediate(this.post);
    });
  }

  private readonly post = (): void => {
    if (this.outbox.length === 0) return;
    const batch = this.outbox;
    this.outbox = [];
    this.worker?.postMessage(batch);
  };

  private start(): Worker {
    const w = new Worker(WRITER_SOURCE, { eval: true, workerData: this.data });
    w.unref();
    w.on('message', (replies: WriterReply[]) => {
      for (const r of replies) {
        const p = this.pending.get(r.id);
        if (!p) continue;
        this.pending.delete(r.id);
        p.resolve(r);
      }
      if (this.pending.size === 0) w.unref();
    });
    let failed = false;
    const fail = (e: Error): void => {
      if (failed) return; // 'error' is followed by 'exit'
      failed = true;
      if (this.worker === w) {
        this.worker = undefined;
        // Requests not yet posted were made for this worker: they fail with it, never reach the next.
        this.outbox = [];
      }
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const p of waiting) p.reject(new Error(`state writer stopped: ${e.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    this.post();
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.ref();
    w.postMessage([{ type: 'close' }]);
    await exited;
  }
}

interface RecordRow {
  tenant: string;
  kind: StateKind;
  key: string;
  value: string;
  expires_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (
  tenant     TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (tenant, kind, key)
);
CREATE INDEX IF NOT EXISTS state_expires_at ON state (expires_at) WHERE expires_at IS NOT NULL;
`;

/** A StateStore over one SQLite database file. */
export class SqliteStateStore implements StateStore {
  private readonly db: Database.Database;
  private readonly now: () => Millis;
  private readonly apply: (ops: readonly StateOp[]) => void;
  private readonly writer: WriterThread | undefined;
  private readonly stmts: {
    put: Database.Statement<[string, string, string, string, number | null]>;
    del: Database.Statement<[string, string, string]>;
    delAll: Database.Statement<[string, string]>;
    loadTenant: Database.Statement<[string, string, number], RecordRow>;
    loadAll: Database.Statement<[string, number], RecordRow>;
    tenants: Database.Statement<[number], { tenant: string }>;
    gc: Database.Statement<[number]>;
  };

  constructor(readonly path: string, opts: SqliteStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.stmts = {
      put: this.db.prepare(
        `INSERT INTO state (tenant, kind, key, value, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant, kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      ),
      del: this.db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ? AND key = ?'),
      delAll: this.db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ?'),
      loadTenant: this.db.prepare(
        `SELECT tenant, kind, key, value, expires_at FROM state
         WHERE tenant = ? AND kind = ? AND (expires_at IS NULL OR expires_at >= ?) ORDER BY key`,
      ),
      loadAll: this.db.prepare(
        `SELECT tenant, kind, key, value, expires_at FROM state
         WHERE kind = ? AND (expires_at IS NULL OR expires_at >= ?) ORDER BY tenant, key`,
      ),
      tenants: this.db.prepare(
        'SELECT DISTINCT tenant FROM state WHERE expires_at IS NULL OR expires_at >= ? ORDER BY tenant',
      ),
      gc: this.db.prepare('DELETE FROM state WHERE expires_at IS NOT NULL AND expires_at < ?'),
    };
    const { put, del, delAll } = this.stmts;
    this.apply = this.db.transaction((ops: readonly StateOp[]) => {
      for (const op of ops) {
        if (op.op === 'put') put.run(op.tenant, op.kind, op.key, op.value, op.expiresAt ?? null);
        else if (op.op === 'delete') del.run(op.tenant, op.kind, op.key);
        else delAll.run(op.tenant, op.kind);
      }
    });
    const threaded = (opts.writer ?? 'thread') === 'thread' && path !== ':memory:' && path !== '';
    this.writer = threaded ? new WriterThread({ driver: createRequire(import.meta.url).resolve('better-sqlite3'), path }) : undefined;
  }

  async write(ops: readonly StateOp[]): Promise<void> {
    for (const op of ops) validateOp(op);
    if (ops.length === 0) return;
    if (!this.writer) {
      this.apply(ops);
      return;
    }
    const r = await this.writer.request({ type: 'write', ops: encodeOps(ops) });
    if (!r.ok) throw new Error(r.error);
  }

  /** Resolves once every write posted before it is committed, so reads see them. */
  private async settled(): Promise<void> {
    if (this.writer) await this.writer.request({ type: 'sync' });
  }

  async load(kind: StateKind, tenant?: string): Promise<StateRecord[]> {
    await this.settled();
    try {
      const now = this.now();
      const rows = tenant === undefined ? this.stmts.loadAll.all(kind, now) : this.stmts.loadTenant.all(tenant, kind, now);
      return Promise.resolve(rows.map(toRecord));
    } catch (e) {
      return Promise.reject(asError(e));
    }
  }

  async tenants(): Promise<string[]> {
    await this.settled();
    try {
      return Promise.resolve(this.stmts.tenants.all(this.now()).map((r) => r.tenant));
    } catch (e) {
      return Promise.reject(asError(e));
    }
  }

  async gc(now: Millis): Promise<number> {
    if (this.writer) {
      const r = await this.writer.request({ type: 'gc', now });
      if (!r.ok) throw new Error(r.error);
      return r.changes ?? 0;
    }
    try {
      return Promise.resolve(this.stmts.gc.run(now).changes);
    } catch (e) {
      return Promise.reject(asError(e));
    }
  }

  async close(): Promise<void> {
    await this.writer?.close();
    try {
      if (this.db.open) this.db.close();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(asError(e));
    }
  }
}

/** Opens (creating if needed) the SQLite state database at `path` (`:memory:` for a throwaway one). */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): SqliteStateStore {
  return new SqliteStateStore(path, opts);
}

function toRecord(r: RecordRow): StateRecord {
  return r.expires_at === null
    ? { tenant: r.tenant, kind: r.kind, key: r.key, value: r.value }
    : { tenant: r.tenant, kind: r.kind, key: r.key, value: r.value, expiresAt: r.expires_at };
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
