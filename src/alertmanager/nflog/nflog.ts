/**
 * One tenant's notification log. Mirrors Alertmanager's nflog/nflog.go: one entry per
 * (group key, receiver integration) holding what was sent last; an entry is only replaced by a
 * newer one; entries live until `expiresAt` (min(retention, expiry)) and are dropped by gc.
 * Instead of snapshots every 15m, every entry is written through the StateStore before `log`
 * resolves, so a restart never re-sends what was already delivered.
 */
import type { Millis } from '../../core/alert.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { StateRecord, TenantState } from '../../core/state-store.js';
import type { NflogEntry } from './types.js';

/** What a NotificationLog needs from its tenant's engine. */
export interface NotificationLogOptions {
  readonly state: TenantState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Longest time an entry is kept (`--data.retention`, 120h upstream). */
  readonly retentionMs: number;
}

/** The per-tenant notification log (nflog.Log). */
export class NotificationLog {
  private readonly entries = new Map<string, NflogEntry>();
  private readonly logger: Logger;

  constructor(private readonly opts: NotificationLogOptions) {
    this.logger = opts.logger.child({ component: 'nflog' });
  }

  /** Replaces the in-memory log with what the store holds (kind 'nflog'). */
  async load(): Promise<void> {
    const records = await this.opts.state.load('nflog');
    this.entries.clear();
    let bad = 0;
    for (const r of records) {
      const e = decodeEntry(r);
      if (e === undefined) {
        bad++;
        this.logger.warn({ key: r.key }, 'dropping unreadable notification log entry');
        continue;
      }
      this.merge(e);
    }
    this.logger.debug({ entries: this.entries.size, bad }, 'notification log loaded');
  }

  /** The last entry for a group and integration (held until gc, as upstream's Query). */
  query(groupKey: string, receiverKey: string): NflogEntry | undefined {
    return this.entries.get(stateKey(groupKey, receiverKey));
  }

  /**
   * Records a notification at now. The entry expires after `expiryMs` when that is positive and
   * shorter than the retention, else after the retention (upstream Log). An existing entry newer than
   * now (clock skew) is kept.
   */
  async log(groupKey: string, receiverKey: string, firing: readonly string[], resolved: readonly string[], expiryMs: number): Promise<void> {
    const now = this.opts.clock.now();
    const key = stateKey(groupKey, receiverKey);
    const prev = this.entries.get(key);
    if (prev !== undefined && prev.timestamp > now) return;
    const retention = this.opts.retentionMs;
    const expiresAt = expiryMs > 0 && retention > expiryMs ? now + expiryMs : now + retention;
    const entry: NflogEntry = {
      groupKey,
      receiverKey,
      timestamp: now,
      firingAlerts: [...firing],
      resolvedAlerts: [...resolved],
      expiresAt,
    };
    const s = this.opts.state;
    await s.write([s.put('nflog', key, encodeEntry(entry), expiresAt)]);
    this.merge(entry);
  }

  /** Drops entries whose expiresAt is not after now; returns how many (upstream GC). */
  async gc(): Promise<number> {
    const now = this.opts.clock.now();
    const s = this.opts.state;
    const doomed: string[] = [];
    for (const [key, e] of this.entries) if (e.expiresAt <= now) doomed.push(key);
    if (doomed.length === 0) return 0;
    await s.write(doomed.map((k) => s.del('nflog', k)));
    for (const k of doomed) {
      const e = this.entries.get(k);
      // A log() that raced the write may have replaced the entry with a live one.
      if (e !== undefined && e.expiresAt <= now) this.entries.delete(k);
    }
    return doomed.length;
  }

  /** Number of entries held. */
  size(): number {
    return this.entries.size;
  }

  /** Keeps the newer of two entries for the same key (upstream state.merge). */
  private merge(e: NflogEntry): void {
    const key = stateKey(e.groupKey, e.receiverKey);
    const prev = this.entries.get(key);
    if (prev === undefined || prev.timestamp <= e.timestamp) this.entries.set(key, e);
  }
}

/** Upstream's nflog state key: `<groupKey>:<receiverKey>`. */
export function stateKey(groupKey: string, receiverKey: string): string {
  return `${groupKey}:${receiverKey}`;
}

interface EntryJson {
  groupKey: string;
  receiverKey: string;
  timestamp: number;
  firingAlerts: string[];
  resolvedAlerts: string[];
  expiresAt: number;
}

/** The stored form of an entry (StateStore kind 'nflog', key = stateKey). */
export function encodeEntry(e: NflogEntry): string {
  const j: EntryJson = {
    groupKey: e.groupKey,
    receiverKey: e.receiverKey,
    timestamp: e.timestamp,
    firingAlerts: [...e.firingAlerts],
    resolvedAlerts: [...e.resolvedAlerts],
    expiresAt: e.expiresAt,
  };
  return JSON.stringify(j);
}

/** Reads a stored entry; undefined when the record is not one. */
export function decodeEntry(r: StateRecord): NflogEntry | undefined {
  let j: unknown;
  try {
    j = JSON.parse(r.value);
  } catch {
    return undefined;
  }
  if (typeof j !== 'object' || j === null) return undefined;
  const o = j as Partial<Record<keyof EntryJson, unknown>>;
  if (typeof o.groupKey !== 'string' || typeof o.receiverKey !== 'string') return undefined;
  if (!isMillis(o.timestamp) || !isMillis(o.expiresAt)) return undefined;
  if (!isStringArray(o.firingAlerts) || !isStringArray(o.resolvedAlerts)) return undefined;
  return {
    groupKey: o.groupKey,
    receiverKey: o.receiverKey,
    timestamp: o.timestamp,
    firingAlerts: o.firingAlerts,
    resolvedAlerts: o.resolvedAlerts,
    expiresAt: o.expiresAt,
  };
}

function isMillis(v: unknown): v is Millis {
  return typeof v === 'number' && Number.isFinite(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
