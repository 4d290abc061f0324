/**
 * The SQLite writer thread. Write transactions take a sixth of the main thread's time under alert
 * load, so they run on a worker thread of their own: the main thread posts each batch, the worker
 * applies every batch that arrived while it was busy in one transaction (group commit), and each
 * caller's promise resolves only after its batch is committed, as before.
 *
 * The worker runs from source text (`eval`), so the same code serves dist/ and the TypeScript
 * sources under vitest; the driver's resolved path comes in through workerData.
 */

/** Messages to the writer, processed strictly in order. */
export type WriterRequest =
  | { readonly type: 'write'; readonly id: number; readonly ops: readonly unknown[] }
  | { readonly type: 'gc'; readonly id: number; readonly now: number }
  | { readonly type: 'sync'; readonly id: number };

/** One answer per request. */
export type WriterReply = { readonly id: number; readonly ok: true; readonly changes?: number } | { readonly id: number; readonly ok: false; readonly error: string };

export interface WriterData {
  readonly driver: string;
  readonly path: string;
}

export const WRITER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const put = db.prepare('INSERT INTO state (tenant, kind, key, value, expires_at) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (tenant, kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
const del = db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ? AND key = ?');
const delAll = db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ?');
const gc = db.prepare('DELETE FROM state WHERE expires_at IS NOT NULL AND expires_at < ?');
function applyOps(ops) {
  for (const op of ops) {
    if (op.op === 'put') put.run(op.tenant, op.kind, op.key, op.value, op.expiresAt === undefined ? null : op.expiresAt);
    else if (op.op === 'delete') del.run(op.tenant, op.kind, op.key);
    else delAll.run(op.tenant, op.kind);
  }
}
const applyMany = db.transaction((batches) => { for (const b of batches) applyOps(b.ops); });
const applyOne = db.transaction((ops) => applyOps(ops));
const message = (e) => (e && e.message) || String(e);
let queue = [];
let scheduled = false;
function flushWrites(writes) {
  if (writes.length === 0) return;
  try {
    applyMany(writes);
    for (const w of writes) parentPort.postMessage({ id: w.id, ok: true });
  } catch (e) {
    // One bad batch must not fail the others: retry each on its own.
    for (const w of writes) {
      try { applyOne(w.ops); parentPort.postMessage({ id: w.id, ok: true }); }
      catch (e2) { parentPort.postMessage({ id: w.id, ok: false, error: message(e2) }); }
    }
  }
}
function drain() {
  scheduled = false;
  const batch = queue;
  queue = [];
  let writes = [];
  for (const m of batch) {
    if (m.type === 'write') { writes.push(m); continue; }
    flushWrites(writes);
    writes = [];
    if (m.type === 'gc') {
      try { parentPort.postMessage({ id: m.id, ok: true, changes: gc.run(m.now).changes }); }
      catch (e) { parentPort.postMessage({ id: m.id, ok: false, error: message(e) }); }
    } else parentPort.postMessage({ id: m.id, ok: true });
  }
  flushWrites(writes);
}
parentPort.on('message', (m) => {
  if (m.type === 'close') { drain(); db.close(); process.exit(0); }
  queue.push(m);
  if (!scheduled) { scheduled = true; setImmediate(drain); }
});
`;
