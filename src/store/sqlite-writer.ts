/**
 * The SQLite writer thread. Write transactions take a sixth of the main thread's time under alert
 * load, so they run on a worker thread of their own: the main thread posts each batch (encoded by
 * op-codec.ts), the worker applies every batch that arrived while it was busy in one transaction
 * (group commit), and each caller's promise resolves only after its batch is committed, as before.
 *
 * WAL checkpoints (copying the WAL back into the database file, with an fsync) are kept off the
 * commit path: the writer checkpoints once it has been idle for CHECKPOINT_IDLE_MS, and SQLite's
 * own automatic checkpoint only steps in after CHECKPOINT_MAX_PAGES pages under sustained writes.
 * With SQLite's default of 1,000 pages, a burst of alerts paid for a checkpoint every few commits
 * while requests waited on them.
 *
 * The worker runs from source text (`eval`), so the same code serves dist/ and the TypeScript
 * sources under vitest; the driver's resolved path comes in through workerData.
 */
import { DECODE_OPS_SOURCE } from './op-codec.js';

/**
 * Requests to the writer, processed strictly in order. They travel in arrays, one per turn of the
 * main thread's event loop (and the answers in one array per group commit): waking the other
 * thread costs more than the message itself, and a burst of notifications makes one nflog write
 * each.
 */
export type WriterRequest =
  | { readonly type: 'write'; readonly id: number; readonly ops: string }
  | { readonly type: 'gc'; readonly id: number; readonly now: number }
  | { readonly type: 'sync'; readonly id: number }
  | { readonly type: 'close' };

/** One answer per request (except close). */
export type WriterReply = { readonly id: number; readonly ok: true; readonly changes?: number } | { readonly id: number; readonly ok: false; readonly error: string };

export interface WriterData {
  readonly driver: string;
  readonly path: string;
}

/** Idle time after the last commit before the writer checkpoints the WAL. */
export const CHECKPOINT_IDLE_MS = 200;
/** SQLite's automatic checkpoint threshold (WAL pages of 4 KiB) while writes never pause. */
export const CHECKPOINT_MAX_PAGES = 10_000;
/** The WAL file is cut back to this size after a checkpoint that emptied it. */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

// The script's names live in a block: a top-level "const gc" collided with the global that
// node --expose-gc defines, and the writer died at start.
export const WRITER_SOURCE = `
'use strict';
{
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = ${CHECKPOINT_MAX_PAGES}');
db.pragma('journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}');
${DECODE_OPS_SOURCE}
const put = db.prepare('INSERT INTO state (tenant, kind, key, value, expires_at) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (tenant, kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
const del = db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ? AND key = ?');
const delAll = db.prepare('DELETE FROM state WHERE tenant = ? AND kind = ?');
const gc = db.prepare('DELETE FROM state WHERE expires_at IS NOT NULL AND expires_at < ?');
function applyOp(tag, tenant, kind, key, value, expiresAt) {
  if (tag === 'p') put.run(tenant, kind, key, value, expiresAt);
  else if (tag === 'd') del.run(tenant, kind, key);
  else delAll.run(tenant, kind);
}
function applyOps(ops) {
  forEachOp(ops, applyOp);
}
const applyMany = db.transaction((batches) => { for (const b of batches) applyOps(b.ops); });
const applyOne = db.transaction((ops) => applyOps(ops));
const message = (e) => (e && e.message) || String(e);
let queue = [];
let scheduled = false;
let dirty = false;
let idleTimer;
function checkpointIfIdle() {
  idleTimer = undefined;
  if (scheduled || !dirty) return;
  dirty = false;
  // PASSIVE: never waits for readers; whatever it cannot copy now is copied next time.
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { dirty = true; }
}
function flushWrites(writes, replies) {
  if (writes.length === 0) return;
  dirty = true;
  try {
    applyMany(writes);
    for (const w of writes) replies.push({ id: w.id, ok: true });
  } catch (e) {
    // One bad batch must not fail the others: retry each on its own.
    for (const w of writes) {
      try { applyOne(w.ops); replies.push({ id: w.id, ok: true }); }
      catch (e2) { replies.push({ id: w.id, ok: false, error: message(e2) }); }
    }
  }
}
function drain() {
  scheduled = false;
  const batch = queue;
  queue = [];
  const replies = [];
  let writes = [];
  for (const m of batch) {
    if (m.type === 'write') { writes.push(m); continue; }
    flushWrites(writes, replies);
    writes = [];
    if (m.type === 'gc') {
      try { replies.push({ id: m.id, ok: true, changes: gc.run(m.now).changes }); }
      catch (e) { replies.push({ id: m.id, ok: false, error: message(e) }); }
    } else replies.push({ id: m.id, ok: true });
  }
  flushWrites(writes, replies);
  if (replies.length > 0) parentPort.postMessage(replies);
  if (dirty) {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = setTimeout(checkpointIfIdle, ${CHECKPOINT_IDLE_MS});
  }
}
// Each message is the list of requests the main thread made in one turn of its event loop.
parentPort.on('message', (requests) => {
  for (const m of requests) {
    if (m.type === 'close') { if (idleTimer !== undefined) clearTimeout(idleTimer); drain(); db.close(); process.exit(0); }
    queue.push(m);
  }
  if (!scheduled) { scheduled = true; setImmediate(drain); }
});
}
`;
