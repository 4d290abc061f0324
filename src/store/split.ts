/**
 * One StateStore over two: the kinds in `kinds` live in `side` (the alert journal), every other
 * kind in `main` (SQLite). A write whose ops all belong to one store stays atomic; the engines never
 * mix the two in one write (only the alert store writes alerts), and a mixed write is applied to
 * `side` first, then to `main` (after checking every op, so a bad op still changes nothing).
 */
import type { Millis } from '../core/alert.js';
import type { StateKind, StateOp, StateRecord, StateStore } from '../core/state-store.js';
import { validateOp } from './ops.js';

export class SplitStateStore implements StateStore {
  constructor(
    private readonly main: StateStore,
    private readonly side: StateStore,
    private readonly kinds: ReadonlySet<StateKind>,
  ) {}

  async write(ops: readonly StateOp[]): Promise<void> {
    let sideOps = 0;
    for (let i = 0; i < ops.length; i++) if (this.kinds.has((ops[i] as StateOp).kind)) sideOps++;
    if (sideOps === ops.length) return this.side.write(ops);
    if (sideOps === 0) return this.main.write(ops);
    // Both halves are checked before either is written, so a bad op still changes nothing.
    for (const op of ops) validateOp(op);
    await this.side.write(ops.filter((o) => this.kinds.has(o.kind)));
    await this.main.write(ops.filter((o) => !this.kinds.has(o.kind)));
  }

  load(kind: StateKind, tenant?: string): Promise<StateRecord[]> {
    return (this.kinds.has(kind) ? this.side : this.main).load(kind, tenant);
  }

  async tenants(): Promise<string[]> {
    const [a, b] = await Promise.all([this.main.tenants(), this.side.tenants()]);
    return [...new Set([...a, ...b])].sort();
  }

  async gc(now: Millis): Promise<number> {
    const [a, b] = await Promise.all([this.main.gc(now), this.side.gc(now)]);
    return a + b;
  }

  async close(): Promise<void> {
    await Promise.all([this.main.close(), this.side.close()]);
  }
}

/**
 * Moves every record of `kinds` from `from` to `to` (an upgrade: alerts kept in SQLite by an
 * earlier version move to the journal). Written to `to` before they are deleted from `from`, so a
 * crash in between leaves them in both, and the next start moves them again.
 */
export async function moveKinds(from: StateStore, to: StateStore, kinds: readonly StateKind[]): Promise<number> {
  let moved = 0;
  for (const kind of kinds) {
    const records = await from.load(kind);
    if (records.length === 0) continue;
    await to.write(records.map((r): StateOp => (r.expiresAt === undefined ? { op: 'put', tenant: r.tenant, kind, key: r.key, value: r.value } : { op: 'put', tenant: r.tenant, kind, key: r.key, value: r.value, expiresAt: r.expiresAt })));
    const tenants = [...new Set(records.map((r) => r.tenant))];
    await from.write(tenants.map((tenant): StateOp => ({ op: 'deleteAll', tenant, kind })));
    moved += records.length;
  }
  return moved;
}
