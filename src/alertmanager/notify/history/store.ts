/**
 * One tenant's notification history: an append-only, bounded list of delivery attempts kept in
 * memory for queries and written through the TenantState (kind `history`) so it survives
 * restarts. Recording never waits for the store: writes are batched behind the one in flight.
 */
import type { Millis } from '../../../core/alert.js';
import type { Clock, Logger } from '../../../core/runtime.js';
import type { StateOp, TenantState } from '../../../core/state-store.js';
import { decodeCursor, encodeCursor, matchesQuery, pageSize } from './query.js';
import { DEFAULT_HISTORY_BOUNDS } from './types.js';
import type { HistoryBounds, HistoryEntry, HistoryPage, HistoryQuery, NotificationAttempt, NotificationRecorder } from './types.js';

export interface NotificationHistoryOptions {
  readonly state: TenantState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Read on every record, so a limits reload applies at once. */
  readonly bounds?: () => HistoryBounds;
}

const TIME_DIGITS = 15;
const SEQ_DIGITS = 6;

/** `<time>-<n>`, zero-padded so string order is time order (n counts attempts within one ms). */
export function historyId(time: Millis, n: number): string {
  return `${String(Math.max(0, Math.floor(time))).padStart(TIME_DIGITS, '0')}-${String(n).padStart(SEQ_DIGITS, '0')}`;
}

/** Bounded per-tenant attempt log; see the module comment. */
export class NotificationHistory implements NotificationRecorder {
  /** Oldest first (ascending id). */
  private entries: HistoryEntry[] = [];
  private lastTime = -1;
  private lastN = 0;
  private pending: StateOp[] = [];
  private writing: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: NotificationHistoryOptions) {
    this.log = opts.logger.child({ component: 'notification-history', tenant: opts.state.tenant });
  }

  private bounds(): HistoryBounds {
    return this.opts.bounds?.() ?? DEFAULT_HISTORY_BOUNDS;
  }

  /** Restores persisted entries (unreadable records are dropped), then applies the bounds. */
  async load(): Promise<void> {
    const records = await this.opts.state.load('history');
    const loaded: HistoryEntry[] = [];
    const bad: StateOp[] = [];
    for (const r of records) {
      const e = parseEntry(r.key, r.value);
      if (e) loaded.push(e);
      else bad.push(this.opts.state.del('history', r.key));
    }
    loaded.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.entries = loaded;
    const last = loaded[loaded.length - 1];
    if (last) {
      const [t, n] = last.id.split('-');
      this.lastTime = Number(t);
      this.lastN = Number(n);
    }
    if (bad.length > 0) this.log.warn({ records: bad.length }, 'dropping unreadable notification history records');
    this.pending.push(...bad, ...this.prune(this.opts.clock.now()));
    this.scheduleWrite();
    await this.flush();
  }

  record(a: NotificationAttempt): void {
    const time = Math.max(a.time, this.lastTime);
    const n = time === this.lastTime ? this.lastN + 1 : 0;
    this.lastTime = time;
    this.lastN = n;
    const entry: HistoryEntry = { ...a, id: historyId(time, n) };
    this.entries.push(entry);
    const { maxAgeMs } = this.bounds();
    const value = JSON.stringify(entry);
    this.pending.push(maxAgeMs > 0 ? this.opts.state.put('history', entry.id, value, a.time + maxAgeMs) : this.opts.state.put('history', entry.id, value));
    this.pending.push(...this.prune(this.opts.clock.now()));
    this.scheduleWrite();
  }

  /** Drops entries past the bounds; returns the delete ops. */
  private prune(now: Millis): StateOp[] {
    const { maxEntries, maxAgeMs } = this.bounds();
    let drop = 0;
    const n = this.entries.length;
    if (maxEntries > 0 && n > maxEntries) drop = n - maxEntries;
    if (maxAgeMs > 0) {
      const oldest = now - maxAgeMs;
      while (drop < n && (this.entries[drop] as HistoryEntry).time < oldest) drop++;
    }
    if (drop === 0) return [];
    const gone = this.entries.slice(0, drop);
    this.entries = this.entries.slice(drop);
    return gone.map((e) => this.opts.state.del('history', e.id));
  }

  private scheduleWrite(): void {
    if (this.writing || this.pending.length === 0) return;
    this.writing = (async () => {
      while (this.pending.length > 0) {
        const ops = this.pending;
        this.pending = [];
        try {
          await this.opts.state.write(ops);
        } catch (e) {
          this.log.error({ err: e instanceof Error ? e.message : String(e), ops: ops.length }, 'cannot persist notification history');
        }
      }
    })().finally(() => {
      this.writing = undefined;
      this.scheduleWrite();
    });
  }

  /** Resolves once everything recorded so far was handed to the store. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Applies the age bound without a new record (maintenance). */
  gc(): Promise<void> {
    this.pending.push(...this.prune(this.opts.clock.now()));
    this.scheduleWrite();
    return this.flush();
  }

  /** Entries matching `q`, newest first, one page. Throws HistoryQueryError for a bad cursor. */
  query(q: HistoryQuery): HistoryPage {
    const limit = pageSize(q.limit);
    const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const items: HistoryEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as HistoryEntry;
      if (before !== undefined && e.id >= before) continue;
      if (!matchesQuery(e, q)) continue;
      if (items.length === limit) return { items, nextCursor: encodeCursor((items[items.length - 1] as HistoryEntry).id) };
      items.push(e);
    }
    return { items };
  }

  /** Number of entries held. */
  size(): number {
    return this.entries.length;
  }
}

function parseEntry(key: string, value: string): HistoryEntry | undefined {
  try {
    const v = JSON.parse(value) as Partial<HistoryEntry>;
    if (typeof v !== 'object' || v === null || v.id !== key || typeof v.time !== 'number' || typeof v.receiver !== 'string') return undefined;
    if (typeof v.integration !== 'string' || typeof v.outcome !== 'string' || !Array.isArray(v.firing) || !Array.isArray(v.resolved)) return undefined;
    if (typeof v.firingCount !== 'number' || typeof v.resolvedCount !== 'number') return undefined;
    return v as HistoryEntry;
  } catch {
    return undefined;
  }
}
