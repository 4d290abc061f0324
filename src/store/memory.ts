/**
 * In-memory StateStore: the reference implementation of the contract, used by engine tests and by
 * `herald serve --storage.path=:memory:`-style runs where durability is not wanted.
 */
import type { Millis } from '../core/alert.js';
import type { StateKind, StateOp, StateRecord, StateStore } from '../core/state-store.js';
import { validateOp } from './ops.js';
import type { StoreOptions } from './ops.js';

interface Row {
  readonly value: string;
  readonly expiresAt: Millis | undefined;
}

/** A StateStore held in maps; `write` applies all ops or none. */
export class MemoryStateStore implements StateStore {
  /** tenant -> kind -> key -> row */
  private readonly data = new Map<string, Map<StateKind, Map<string, Row>>>();
  private readonly now: () => Millis;
  private closed = false;

  constructor(opts: StoreOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  write(ops: readonly StateOp[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    try {
      this.apply(ops);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return Promise.resolve();
  }

  /** `write` without the promise: validates every op first (throws, store untouched), then applies them in order. */
  apply(ops: readonly StateOp[]): void {
    for (const op of ops) validateOp(op);
    for (const op of ops) {
      if (op.op === 'put') {
        this.bucket(op.tenant, op.kind, true).set(op.key, { value: op.value, expiresAt: op.expiresAt });
      } else if (op.op === 'delete') {
        const b = this.bucket(op.tenant, op.kind, false);
        if (b) {
          b.delete(op.key);
          if (b.size === 0) this.dropBucket(op.tenant, op.kind);
        }
      } else {
        this.dropBucket(op.tenant, op.kind);
      }
    }
  }

  /** Every record held, expired or not (in no particular order). */
  *records(): IterableIterator<StateRecord> {
    for (const [tenant, kinds] of this.data) for (const [kind, rows] of kinds) for (const [key, row] of rows) yield toRecord(tenant, kind, key, row);
  }

  load(kind: StateKind, tenant?: string): Promise<StateRecord[]> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    const now = this.now();
    const out: StateRecord[] = [];
    const tenants = tenant === undefined ? [...this.data.keys()].sort() : [tenant];
    for (const t of tenants) {
      const rows = this.data.get(t)?.get(kind);
      if (!rows) continue;
      for (const key of [...rows.keys()].sort()) {
        const row = rows.get(key) as Row;
        if (row.expiresAt !== undefined && row.expiresAt < now) continue;
        out.push(toRecord(t, kind, key, row));
      }
    }
    return Promise.resolve(out);
  }

  tenants(): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    const now = this.now();
    const out: string[] = [];
    for (const [tenant, kinds] of this.data) {
      let live = false;
      for (const rows of kinds.values()) {
        for (const row of rows.values()) {
          if (row.expiresAt === undefined || row.expiresAt >= now) {
            live = true;
            break;
          }
        }
        if (live) break;
      }
      if (live) out.push(tenant);
    }
    return Promise.resolve(out.sort());
  }

  gc(now: Millis): Promise<number> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    let n = 0;
    for (const [tenant, kinds] of this.data) {
      for (const [kind, rows] of kinds) {
        for (const [key, row] of rows) {
          if (row.expiresAt !== undefined && row.expiresAt < now) {
            rows.delete(key);
            n++;
          }
        }
        if (rows.size === 0) this.dropBucket(tenant, kind);
      }
    }
    return Promise.resolve(n);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private bucket(tenant: string, kind: StateKind, create: true): Map<string, Row>;
  private bucket(tenant: string, kind: StateKind, create: false): Map<string, Row> | undefined;
  private bucket(tenant: string, kind: StateKind, create: boolean): Map<string, Row> | undefined {
    let kinds = this.data.get(tenant);
    if (!kinds) {
      if (!create) return undefined;
      kinds = new Map();
      this.data.set(tenant, kinds);
    }
    let rows = kinds.get(kind);
    if (!rows && create) {
      rows = new Map();
      kinds.set(kind, rows);
    }
    return rows;
  }

  private dropBucket(tenant: string, kind: StateKind): void {
    const kinds = this.data.get(tenant);
    if (!kinds) return;
    kinds.delete(kind);
    if (kinds.size === 0) this.data.delete(tenant);
  }
}

/** Opens an empty in-memory store. */
export function openMemoryStore(opts: StoreOptions = {}): MemoryStateStore {
  return new MemoryStateStore(opts);
}

function toRecord(tenant: string, kind: StateKind, key: string, row: Row): StateRecord {
  return row.expiresAt === undefined
    ? { tenant, kind, key, value: row.value }
    : { tenant, kind, key, value: row.value, expiresAt: row.expiresAt };
}
