/**
 * Durable state behind every engine. Engines keep their working state in memory and write each
 * accepted change through this interface before acknowledging it, so a restart (or kill -9) loses
 * nothing that was acknowledged. Implementations: src/store/sqlite (embedded default),
 * src/store/memory (tests), later postgres (scale-out).
 */
import type { Millis } from './alert.js';

/** The kinds of state kept per tenant. */
export type StateKind = 'alert' | 'silence' | 'nflog' | 'config' | 'history' | 'rules' | 'thresholds' | 'audit';

export interface StateRecord {
  readonly tenant: string;
  readonly kind: StateKind;
  readonly key: string;
  readonly value: string;
  /** After this time the record may be dropped by the store's own garbage collection. */
  readonly expiresAt?: Millis;
}

export type StateOp =
  | { readonly op: 'put'; readonly tenant: string; readonly kind: StateKind; readonly key: string; readonly value: string; readonly expiresAt?: Millis }
  | { readonly op: 'delete'; readonly tenant: string; readonly kind: StateKind; readonly key: string }
  | { readonly op: 'deleteAll'; readonly tenant: string; readonly kind: StateKind };

export interface StateStore {
  /** Applies all ops atomically and durably; resolves once they survive a process crash. */
  write(ops: readonly StateOp[]): Promise<void>;
  /** All live (unexpired at `now`) records of a kind, for one tenant or all tenants. */
  load(kind: StateKind, tenant?: string): Promise<StateRecord[]>;
  /** Tenants with at least one record of any kind. */
  tenants(): Promise<string[]>;
  /** Drops records whose expiresAt is before `now`; returns how many. */
  gc(now: Millis): Promise<number>;
  close(): Promise<void>;
}

/** A StateStore bound to one tenant, as engines see it. */
export interface TenantState {
  readonly tenant: string;
  put(kind: StateKind, key: string, value: string, expiresAt?: Millis): StateOp;
  del(kind: StateKind, key: string): StateOp;
  write(ops: readonly StateOp[]): Promise<void>;
  load(kind: StateKind): Promise<StateRecord[]>;
}

export function tenantState(store: StateStore, tenant: string): TenantState {
  return {
    tenant,
    put: (kind, key, value, expiresAt) =>
      expiresAt === undefined ? { op: 'put', tenant, kind, key, value } : { op: 'put', tenant, kind, key, value, expiresAt },
    del: (kind, key) => ({ op: 'delete', tenant, kind, key }),
    write: (ops) => store.write(ops),
    load: (kind) => store.load(kind, tenant),
  };
}
