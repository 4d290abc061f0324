import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../../core/runtime.js';
import type { StateKind, StateOp, StateRecord, TenantState } from '../../../core/state-store.js';
import { ManualClock } from '../test-fakes.js';
import { parseHistoryParams } from './query.js';
import { NotificationHistory, historyId } from './store.js';
import type { HistoryBounds, NotificationAttempt } from './types.js';

const T0 = Date.UTC(2024, 0, 1);

/** A TenantState over a plain map (same semantics as the memory StateStore, incl. expiry on load). */
class MapState implements TenantState {
  readonly rows = new Map<string, { value: string; expiresAt?: number }>();
  writes = 0;
  failNext = false;
  constructor(
    readonly tenant: string,
    private readonly clock: ManualClock,
  ) {}
  put(kind: StateKind, key: string, value: string, expiresAt?: number): StateOp {
    return expiresAt === undefined ? { op: 'put', tenant: this.tenant, kind, key, value } : { op: 'put', tenant: this.tenant, kind, key, value, expiresAt };
  }
  del(kind: StateKind, key: string): StateOp {
    return { op: 'delete', tenant: this.tenant, kind, key };
  }
  write(ops: readonly StateOp[]): Promise<void> {
    this.writes++;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('disk full'));
    }
    for (const op of ops) {
      if (op.op === 'put') this.rows.set(`${op.kind}/${op.key}`, op.expiresAt === undefined ? { value: op.value } : { value: op.value, expiresAt: op.expiresAt });
      else if (op.op === 'delete') this.rows.delete(`${op.kind}/${op.key}`);
    }
    return Promise.resolve();
  }
  load(kind: StateKind): Promise<StateRecord[]> {
    const out: StateRecord[] = [];
    for (const [k, r] of this.rows) {
      const [kk, key] = k.split('/') as [string, string];
      if (kk !== kind || (r.expiresAt !== undefined && r.expiresAt < this.clock.now())) continue;
      out.push({ tenant: this.tenant, kind, key, value: r.value });
    }
    return Promise.resolve(out);
  }
}

function attempt(over: Partial<NotificationAttempt> = {}): NotificationAttempt {
  return {
    time: T0,
    receiver: 'team',
    integration: 'webhook',
    integrationIndex: 0,
    groupKey: '{}:{alertname="A"}',
    firing: ['aaa'],
    resolved: [],
    firingCount: 1,
    resolvedCount: 0,
    outcome: 'success',
    retry: 0,
    latencyMs: 5,
    ...over,
  };
}

function setup(bounds: HistoryBounds = { maxEntries: 100, maxAgeMs: 3600_000 }) {
  const clock = new ManualClock(T0);
  const state = new MapState('t1', clock);
  const h = new NotificationHistory({ state, clock, logger: NOOP_LOGGER, bounds: () => bounds });
  return { clock, state, h };
}

describe('NotificationHistory', () => {
  it('ids sort by time, then by arrival within one millisecond', () => {
    expect(historyId(5, 0) < historyId(5, 1)).toBe(true);
    expect(historyId(5, 999) < historyId(6, 0)).toBe(true);
    expect(historyId(T0, 3)).toBe('000001704067200000-000003'.slice(3));
  });

  it('returns newest first and pages with a cursor', () => {
    const { h, clock } = setup();
    for (let i = 0; i < 5; i++) {
      h.record(attempt({ time: clock.now(), retry: i }));
      clock.t += i % 2 === 0 ? 0 : 1000;
    }
    const p1 = h.query({ limit: 2 });
    expect(p1.items.map((e) => e.retry)).toEqual([4, 3]);
    expect(p1.nextCursor).toBeDefined();
    const p2 = h.query({ limit: 2, cursor: p1.nextCursor as string });
    expect(p2.items.map((e) => e.retry)).toEqual([2, 1]);
    const p3 = h.query({ limit: 2, cursor: p2.nextCursor as string });
    expect(p3.items.map((e) => e.retry)).toEqual([0]);
    expect(p3.nextCursor).toBeUndefined();
  });

  it('a page that ends exactly at the last entry has no cursor', () => {
    const { h } = setup();
    h.record(attempt());
    h.record(attempt());
    expect(h.query({ limit: 2 }).nextCursor).toBeUndefined();
  });

  it.each([
    [{ receiver: 'ops' }, [2]],
    [{ integration: 'slack' }, [1]],
    [{ outcome: 'failed' as const }, [1, 2]],
    [{ groupKey: 'alertname="B"' }, [2]],
    [{ fingerprint: 'ccc' }, [2]],
    [{ fingerprint: 'aaa' }, [0, 1]],
    [{ since: T0 + 1000 }, [1, 2]],
    [{ until: T0 + 1000 }, [0, 1]],
    [{ since: T0 + 1000, until: T0 + 1000 }, [1]],
    [{ receiver: 'nobody' }, []],
  ])('filters %j', (q, want) => {
    const { h } = setup();
    h.record(attempt({ retry: 0 }));
    h.record(attempt({ time: T0 + 1000, integration: 'slack', outcome: 'failed', retry: 1, error: 'unexpected status code 500', status: 500 }));
    h.record(attempt({ time: T0 + 2000, receiver: 'ops', groupKey: '{}:{alertname="B"}', firing: [], resolved: ['ccc'], outcome: 'failed', retry: 2 }));
    expect(h.query(q).items.map((e) => e.retry)).toEqual([...want].reverse());
  });

  it('keeps at most maxEntries, dropping the oldest from memory and the store', async () => {
    const { h, state } = setup({ maxEntries: 3, maxAgeMs: 0 });
    for (let i = 0; i < 5; i++) h.record(attempt({ retry: i }));
    await h.flush();
    expect(h.size()).toBe(3);
    expect(h.query({}).items.map((e) => e.retry)).toEqual([4, 3, 2]);
    expect(state.rows.size).toBe(3);
  });

  it('drops entries older than maxAge on record and gc, and sets the store expiry', async () => {
    const { h, state, clock } = setup({ maxEntries: 0, maxAgeMs: 60_000 });
    h.record(attempt({ retry: 0 }));
    await h.flush();
    expect([...state.rows.values()][0]?.expiresAt).toBe(T0 + 60_000);
    clock.t += 61_000;
    h.record(attempt({ time: clock.now(), retry: 1 }));
    await h.flush();
    expect(h.query({}).items.map((e) => e.retry)).toEqual([1]);
    clock.t += 61_000;
    await h.gc();
    expect(h.size()).toBe(0);
    expect(state.rows.size).toBe(0);
  });

  it('is restored after a restart and continues the id sequence', async () => {
    const { h, state, clock } = setup();
    h.record(attempt({ retry: 0 }));
    h.record(attempt({ retry: 1 }));
    await h.flush();
    state.rows.set('history/garbage', { value: '{not json' });
    const h2 = new NotificationHistory({ state, clock, logger: NOOP_LOGGER });
    await h2.load();
    expect(h2.query({}).items.map((e) => e.retry)).toEqual([1, 0]);
    expect(state.rows.has('history/garbage')).toBe(false);
    h2.record(attempt({ retry: 2 }));
    const ids = h2.query({}).items.map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect(h2.query({}).items[0]?.retry).toBe(2);
  });

  it('a failed store write is logged and later records are still written', async () => {
    const { h, state } = setup();
    state.failNext = true;
    h.record(attempt({ retry: 0 }));
    await h.flush();
    h.record(attempt({ retry: 1 }));
    await h.flush();
    expect(state.rows.size).toBe(1);
    expect(h.size()).toBe(2);
  });

  it('batches records made while a write is in flight', async () => {
    const { h, state } = setup();
    for (let i = 0; i < 10; i++) h.record(attempt({ retry: i }));
    await h.flush();
    expect(state.writes).toBeLessThanOrEqual(2);
    expect(state.rows.size).toBe(10);
  });

  it('rejects a forged cursor', () => {
    const { h } = setup();
    expect(() => h.query({ cursor: 'bm9wZQ' })).toThrow(/invalid cursor/);
  });
});

describe('parseHistoryParams', () => {
  it('parses every parameter', () => {
    const r = parseHistoryParams({ receiver: 'r', integration: 'slack', outcome: 'rate_limited', group_key: 'x', since: '2024-01-01T00:00:00Z', until: '1704067300', fingerprint: 'f', limit: '10' });
    expect(r).toEqual({ ok: true, value: { receiver: 'r', integration: 'slack', outcome: 'rate_limited', groupKey: 'x', since: T0, until: T0 + 100_000, fingerprint: 'f', limit: 10 } });
  });

  it.each([
    [{ outcome: 'meh' }, 'invalid parameter outcome: "meh" is not one of success, failed, rate_limited'],
    [{ limit: '0' }, 'invalid parameter limit: must be an integer between 1 and 1000'],
    [{ limit: 'ten' }, 'invalid parameter limit: must be an integer between 1 and 1000'],
    [{ since: 'yesterday' }, 'invalid parameter since: cannot parse "yesterday" to a valid timestamp'],
    [{ cursor: '!!' }, 'invalid parameter cursor: invalid cursor "!!"'],
    [{ recevier: 'x' }, 'unknown parameter "recevier"'],
    [{ since: '20', until: '10' }, 'invalid parameters: since is after until'],
  ])('refuses %j', (params, message) => {
    const r = parseHistoryParams(params);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message)).toEqual([message]);
  });
});
