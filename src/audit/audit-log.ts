/**
 * The audit log (issue 9): every applied change as one JSON log line (message 'audit', the entry
 * under `audit`) and one record in the state store (kind 'audit'), kept for a retention period
 * (default 90 days) and queried per tenant, newest first. The log line is written before the
 * record, so a change whose record could not be stored still leaves a trace.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry, AuditLog } from '../auth/api.js';
import type { Issue } from '../core/result.js';
import { formatIssue } from '../core/result.js';
import type { Clock, Logger } from '../core/runtime.js';
import type { StateStore } from '../core/state-store.js';
import { checkEntry, decodeEntry } from './entry.js';
import { parseFilter } from './query.js';

export const DEFAULT_AUDIT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/** The fixed message of every audit log line. */
export const AUDIT_LOG_MESSAGE = 'audit';

export interface AuditLogOptions {
  readonly store: StateStore;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How long entries are kept (default 90 days). */
  readonly retentionMs?: number;
  /** The random part of record keys; tests pass a counter. */
  readonly randomSuffix?: () => string;
}

/** `record` was handed an entry with missing or malformed fields. */
export class AuditEntryError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'AuditEntryError';
  }
}

/** `query` was handed a filter it cannot use; each issue names the parameter. */
export class AuditQueryError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'AuditQueryError';
  }
}

const SEQ_WRAP = 36 ** 6;
const defaultSuffix = (): string => randomBytes(6).toString('hex');

/** An AuditLog over a StateStore. */
export function createAuditLog(opts: AuditLogOptions): AuditLog {
  const retentionMs = opts.retentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  if (!Number.isSafeInteger(retentionMs) || retentionMs <= 0) {
    throw new RangeError(`audit log: retention must be a positive whole number of milliseconds, got ${retentionMs}`);
  }
  const log = opts.logger.child({ component: 'audit' });
  const suffix = opts.randomSuffix ?? defaultSuffix;
  let seq = 0;

  return {
    async record(raw: AuditEntry): Promise<void> {
      const checked = checkEntry(raw);
      if (!checked.ok) throw new AuditEntryError(checked.issues);
      const entry = checked.value;
      const ms = Date.parse(entry.time);
      log.info({ audit: entry }, AUDIT_LOG_MESSAGE);
      // ISO text sorts as time does; within one millisecond the sequence keeps this process' order
      // and the random part keeps replicas writing to one store apart.
      const key = `${new Date(ms).toISOString()}~${(seq++ % SEQ_WRAP).toString(36).padStart(6, '0')}${suffix()}`;
      await opts.store.write([{ op: 'put', tenant: entry.tenant, kind: 'audit', key, value: JSON.stringify(entry), expiresAt: ms + retentionMs }]);
    },

    async query(tenant, filter): Promise<AuditEntry[]> {
      const f = parseFilter(filter);
      if (!f.ok) throw new AuditQueryError(f.issues);
      const { sinceMs, action, limit } = f.value;
      // The store drops expired records on its own schedule; entries past retention are hidden now.
      const oldest = Math.max(sinceMs ?? -Infinity, opts.clock.now() - retentionMs);
      const found: { ms: number; key: string; entry: AuditEntry }[] = [];
      for (const rec of await opts.store.load('audit', tenant)) {
        const d = decodeEntry(rec.value);
        if (!d.ok) {
          log.warn({ tenant, key: rec.key, err: d.issues.map((i) => formatIssue(i)).join('; ') }, 'skipping a damaged audit record');
          continue;
        }
        const ms = Date.parse(d.value.time);
        if (ms < oldest || (action !== undefined && d.value.action !== action) || d.value.tenant !== tenant) continue;
        found.push({ ms, key: rec.key, entry: d.value });
      }
      found.sort((a, b) => b.ms - a.ms || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
      return found.slice(0, limit).map((x) => x.entry);
    },
  };
}
