/** Pieces shared by the StateStore implementations. */
import type { Millis } from '../core/alert.js';
import type { StateKind, StateOp } from '../core/state-store.js';

/** Options shared by the store implementations. */
export interface StoreOptions {
  /** Wall clock used by `load` and `tenants` to hide expired records; defaults to Date.now. */
  readonly now?: () => Millis;
}

const KINDS: ReadonlySet<string> = new Set<StateKind>(['alert', 'silence', 'nflog', 'config', 'history', 'rules', 'thresholds', 'audit']);

/**
 * Rejects ops a caller could only build by bypassing the types. Every store runs it over the whole
 * batch before applying anything, so a bad op leaves the store untouched.
 */
export function validateOp(op: StateOp): void {
  if (typeof op.tenant !== 'string' || op.tenant === '') throw new Error('state op: empty tenant');
  if (!KINDS.has(op.kind)) throw new Error(`state op: unknown kind ${JSON.stringify(op.kind)}`);
  if (op.op === 'put' || op.op === 'delete') {
    if (typeof op.key !== 'string') throw new Error('state op: key must be a string');
  }
  if (op.op === 'put') {
    if (typeof op.value !== 'string') throw new Error('state op: value must be a string');
    if (op.expiresAt !== undefined && !Number.isFinite(op.expiresAt)) throw new Error('state op: expiresAt must be finite');
  } else if (op.op !== 'delete' && op.op !== 'deleteAll') {
    throw new Error(`state op: unknown op ${JSON.stringify((op as { op: unknown }).op)}`);
  }
}
