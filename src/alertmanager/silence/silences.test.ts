import { beforeEach, describe, expect, it } from 'vitest';
import type { Millis } from '../../core/alert.js';
import { mustMatcher } from '../../core/matcher.js';
import type { Matcher, MatchType } from '../../core/matcher.js';
import type { Clock } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { StateOp, StateRecord, TenantState } from '../../core/state-store.js';
import { AlertmanagerInputError } from '../api.js';
import { Silences, canUpdate } from './silences.js';
import type { SilenceLimits } from './silences.js';
import type { Silence, SilenceInput } from './types.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const T0 = 1_700_000_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type FakeState = TenantState & { batches: StateOp[][]; fail: boolean };

/** A TenantState over a map that records each write batch (engines may not import src/store). */
function fakeState(now: () => Millis): FakeState {
  const rows = new Map<string, StateRecord>();
  const tenant = 't1';
  const st: FakeState = {
    tenant,
    batches: [],
    fail: false,
    put: (kind, key, value, expiresAt) =>
      expiresAt === undefined ? { op: 'put', tenant, kind, key, value } : { op: 'put', tenant, kind, key, value, expiresAt },
    del: (kind, key) => ({ op: 'delete', tenant, kind, key }),
    write(ops) {
      if (st.fail) return Promise.reject(new Error('disk full'));
      st.batches.push([...ops]);
      for (const op of ops) {
        const k = `${op.kind}/${op.op === 'deleteAll' ? '' : op.key}`;
        if (op.op === 'put') {
          const { op: _op, ...rec } = op;
          rows.set(k, rec);
        } else if (op.op === 'delete') rows.delete(k);
      }
      return Promise.resolve();
    },
    load(kind) {
      const t = now();
      return Promise.resolve([...rows.values()].filter((r) => r.kind === kind && (r.expiresAt === undefined || r.expiresAt >= t)));
    },
  };
  return st;
}

function fakeClock(t: Millis): Clock & { t: Millis } {
  const c = { t, now: () => c.t, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
  return c;
}

const input = (over: Partial<SilenceInput> = {}): SilenceInput => ({
  matchers: [mustMatcher('alertname', '=', 'Down')],
  startsAt: T0,
  endsAt: T0 + H,
  createdBy: 'alice',
  comment: 'maintenance',
  ...over,
});

const raw = (name: string, type: string, value: string): Matcher => ({ name, type: type as MatchType, value, matches: () => true });

async function rejection(p: Promise<unknown>): Promise<AlertmanagerInputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AlertmanagerInputError);
    return e as AlertmanagerInputError;
  }
  throw new Error('expected a rejection');
}

describe('Silences', () => {
  let clock: ReturnType<typeof fakeClock>;
  let state: FakeState;
  let sils: Silences;
  const make = (limits: SilenceLimits = { maxSilences: 0, maxSilenceSizeBytes: 0 }, retentionMs = 5 * H): Silences =>
    new Silences({ state, clock, logger: NOOP_LOGGER, retentionMs, limits });

  beforeEach(() => {
    clock = fakeClock(T0);
    state = fakeState(() => clock.t);
    sils = make();
  });

  describe('set: create', () => {
    it('creates a silence with a fresh UUID and writes it through', async () => {
      const id = await sils.set(input({ annotations: { ticket: 'OPS-1' } }));
      expect(id).toMatch(UUID);
      const v = sils.get(id);
      expect(v?.state).toBe('active');
      expect(v?.silence).toMatchObject({ id, startsAt: T0, endsAt: T0 + H, updatedAt: T0, createdBy: 'alice', comment: 'maintenance', annotations: { ticket: 'OPS-1' } });
      expect(state.batches).toHaveLength(1);
      const [op] = state.batches[0] as StateOp[];
      expect(op).toMatchObject({ op: 'put', kind: 'silence', key: id, expiresAt: T0 + H + 5 * H });
      const stored = JSON.parse((op as { value: string }).value);
      expect(stored.matchers).toEqual([{ name: 'alertname', type: '=', value: 'Down' }]);
      expect(stored).toMatchObject({ id, startsAt: T0, endsAt: T0 + H, updatedAt: T0, createdBy: 'alice', comment: 'maintenance', annotations: { ticket: 'OPS-1' } });
    });

    it.each([
      { name: 'start in the past', startsAt: T0 - H, want: T0 },
      { name: 'zero start', startsAt: 0, want: T0 },
      { name: 'start in the future', startsAt: T0 + M, want: T0 + M },
    ])('$name: startsAt becomes $want', async ({ startsAt, want }) => {
      const id = await sils.set(input({ startsAt }));
      expect(sils.get(id)?.silence.startsAt).toBe(want);
    });

    it('treats an empty id as a new silence', async () => {
      expect(await sils.set(input({ id: '' }))).toMatch(UUID);
    });
  });

  describe('set: bad input', () => {
    it.each([
      { name: 'no matchers', over: { matchers: [] }, msg: 'invalid silence: at least one matcher set required' },
      { name: 'invalid label name', over: { matchers: [raw('', '=', 'x')] }, msg: 'invalid silence: invalid label matcher 0 in set 0: invalid label name ""' },
      { name: 'bad regex', over: { matchers: [raw('job', '=~', '(')] }, msg: /^invalid silence: invalid label matcher 0 in set 0: invalid regular expression "\(": / },
      { name: 'all match empty', over: { matchers: [mustMatcher('a', '=', ''), mustMatcher('b', '=~', '.*')] }, msg: 'invalid silence: matcher set 0: at least one matcher must not match the empty string' },
      { name: 'end before start', over: { startsAt: T0 + H, endsAt: T0 + M }, msg: 'invalid silence: end time must not be before start time' },
      { name: 'zero end', over: { endsAt: 0 }, msg: 'invalid silence: invalid zero end timestamp' },
      { name: 'invalid beats unknown id', over: { id: 'nope', matchers: [] }, msg: 'invalid silence: at least one matcher set required' },
    ])('$name', async ({ over, msg }) => {
      const e = await rejection(sils.set(input(over)));
      expect(e.code).toBe('invalid');
      expect(e.message).toMatch(msg);
      expect(state.batches).toEqual([]);
      expect(sils.size).toBe(0);
    });

    it('unknown id -> not_found', async () => {
      const e = await rejection(sils.set(input({ id: '5b1f7b6e-0000-4000-8000-000000000000' })));
      expect(e.code).toBe('not_found');
      expect(e.message).toBe('silence not found');
    });
  });

  describe('set: update', () => {
    it('updates an active silence in place when only comment, creator and end change', async () => {
      const id = await sils.set(input({ startsAt: T0 - 10 * M }));
      clock.t += M;
      const same = await sils.set(input({ id, startsAt: T0 + 300, endsAt: T0 + 2 * H, comment: 'longer', createdBy: 'bob' }));
      expect(same).toBe(id);
      expect(sils.size).toBe(1);
      // Start differs by < 1s from the stored one: same second, so in place, taking the new value (upstream).
      expect(sils.get(id)?.silence).toMatchObject({ startsAt: T0 + 300, endsAt: T0 + 2 * H, comment: 'longer', createdBy: 'bob', updatedAt: T0 + M });
    });

    it('replaces an active silence whose matchers change: old one ends now, new id, one write', async () => {
      const id = await sils.set(input());
      clock.t += 10 * M;
      state.batches.length = 0;
      const nid = await sils.set(input({ id, matchers: [mustMatcher('alertname', '=', 'Up')] }));
      expect(nid).not.toBe(id);
      expect(sils.get(id)).toMatchObject({ state: 'expired', silence: { endsAt: T0 + 10 * M, updatedAt: T0 + 10 * M } });
      expect(sils.get(nid)).toMatchObject({ state: 'active', silence: { startsAt: T0 + 10 * M } });
      expect(state.batches).toHaveLength(1);
      expect(state.batches[0]?.map((o) => (o.op === 'put' ? o.key : ''))).toEqual([id, nid]);
    });

    it('replaces an active silence whose start moves to another second', async () => {
      const id = await sils.set(input());
      const nid = await sils.set(input({ id, startsAt: T0 + 2 * S }));
      expect(nid).not.toBe(id);
    });

    it('replaces a pending silence moved into the past: old one gets start = end = now', async () => {
      const id = await sils.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
      clock.t += M;
      const nid = await sils.set(input({ id, startsAt: T0, endsAt: T0 + 2 * H }));
      expect(nid).not.toBe(id);
      expect(sils.get(id)?.silence).toMatchObject({ startsAt: T0 + M, endsAt: T0 + M });
      expect(sils.get(nid)?.silence.startsAt).toBe(T0 + M);
    });

    it('updates a pending silence in place when it still starts in the future', async () => {
      const id = await sils.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
      expect(await sils.set(input({ id, startsAt: T0 + 30 * M, endsAt: T0 + 3 * H }))).toBe(id);
      expect(sils.get(id)?.silence).toMatchObject({ startsAt: T0 + 30 * M, endsAt: T0 + 3 * H });
    });

    it('re-creating from an expired silence leaves the old one untouched', async () => {
      const id = await sils.set(input({ endsAt: T0 + M }));
      clock.t += 2 * M;
      const before = sils.get(id)?.silence;
      state.batches.length = 0;
      const nid = await sils.set(input({ id, startsAt: T0 + 2 * M, endsAt: T0 + H }));
      expect(nid).not.toBe(id);
      expect(sils.get(id)?.silence).toBe(before);
      expect(state.batches[0]).toHaveLength(1);
    });
  });

  // Upstream TestSilenceCanUpdate, same cases.
  describe('canUpdate (upstream TestSilenceCanUpdate)', () => {
    const now = T0;
    const m = [mustMatcher('a', '=', 'b')];
    const s = (startsAt: number, endsAt: number): Silence => ({ id: 'x', matchers: m, startsAt, endsAt, updatedAt: now - H, createdBy: '', comment: '' });
    it.each([
      { name: 'expired', a: s(now - H, now - S), b: s(now, now), ok: false },
      { name: 'pending, new start in the past', a: s(now + H, now + 2 * H), b: s(now - M, now + H), ok: false },
      { name: 'pending, new start in the future', a: s(now + H, now + 2 * H), b: s(now + M, now + M), ok: true },
      { name: 'pending, new start exactly now', a: s(now + H, now + 2 * H), b: s(now, now + 2 * H), ok: true },
      { name: 'active, start changed', a: s(now - H, now + 2 * H), b: s(now - M, now + 2 * H), ok: false },
      { name: 'active, end in the past', a: s(now - H, now + 2 * H), b: s(now - H, now - S), ok: false },
      { name: 'active, end now', a: s(now - H, now + 2 * H), b: s(now - H, now), ok: true },
      { name: 'active, end later', a: s(now - H, now + 2 * H), b: s(now - H, now + 3 * H), ok: true },
      { name: 'active, matchers differ', a: s(now - H, now + 2 * H), b: { ...s(now - H, now + 3 * H), matchers: [mustMatcher('a', '=~', 'b')] }, ok: false },
      { name: 'active, matcher order differs', a: { ...s(now - H, now + H), matchers: [mustMatcher('a', '=', 'b'), mustMatcher('c', '=', 'd')] }, b: { ...s(now - H, now + H), matchers: [mustMatcher('c', '=', 'd'), mustMatcher('a', '=', 'b')] }, ok: false },
    ])('$name -> $ok', ({ a, b, ok }) => {
      expect(canUpdate(a, b, now)).toBe(ok);
    });
  });

  describe('expire', () => {
    it('active: ends now; API shows it expired at once', async () => {
      const id = await sils.set(input());
      clock.t += M;
      await sils.expire(id);
      expect(sils.get(id)).toMatchObject({ state: 'expired', silence: { startsAt: T0, endsAt: T0 + M, updatedAt: T0 + M } });
      expect(sils.counts()).toEqual({ active: 1, pending: 0, expired: 0 }); // upstream getState: still active at endsAt
      clock.t += 1;
      expect(sils.counts()).toEqual({ active: 0, pending: 0, expired: 1 });
    });

    it('pending: start and end become now', async () => {
      const id = await sils.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
      clock.t += M;
      await sils.expire(id);
      expect(sils.get(id)).toMatchObject({ state: 'expired', silence: { startsAt: T0 + M, endsAt: T0 + M } });
    });

    it('expired: no-op, nothing written', async () => {
      const id = await sils.set(input({ endsAt: T0 + M }));
      clock.t += H;
      state.batches.length = 0;
      await sils.expire(id);
      expect(state.batches).toEqual([]);
      expect(sils.get(id)?.silence.endsAt).toBe(T0 + M);
    });

    it('unknown id -> not_found', async () => {
      const e = await rejection(sils.expire('nope'));
      expect(e.code).toBe('not_found');
    });
  });

  describe('limits (upstream TestSilenceLimits)', () => {
    it('counts expired silences, frees room on GC, and never expires the old one when the new one is refused', async () => {
      sils = make({ maxSilences: 1, maxSilenceSizeBytes: 4096 }, 0);
      const id1 = await sils.set(input({ matchers: [mustMatcher('a', '=', 'b')] }));
      let e = await rejection(sils.set(input({ matchers: [mustMatcher('c', '=', 'd')] })));
      expect([e.code, e.limit, e.message]).toEqual(['limit', 'maxSilences', 'exceeded maximum number of silences: 1 (limit: 1)']);

      await sils.expire(id1);
      clock.t += 1;
      expect(await sils.gc()).toBe(1);
      const id2 = await sils.set(input({ matchers: [mustMatcher('c', '=', 'd')], startsAt: clock.t }));
      await sils.expire(id2);
      clock.t += 1;
      expect(await sils.gc()).toBe(1);

      const big = input({
        matchers: [mustMatcher('e'.repeat(1024), '=', 'f'.repeat(1024)), mustMatcher('g'.repeat(1024), '=', 'h'.repeat(1024))],
        createdBy: 'i'.repeat(1024),
        comment: 'j'.repeat(1024),
      });
      e = await rejection(sils.set(big));
      expect(e.code).toBe('limit');
      expect(e.limit).toBe('maxSilenceSizeBytes');
      expect(e.message).toMatch(/^silence exceeded maximum size: \d+ bytes \(limit: 4096 bytes\)$/);

      const id4 = await sils.set(input({ matchers: [mustMatcher('k', '=', 'l')], startsAt: clock.t }));
      // Same content, then a new comment: in place, same id, no count limit hit.
      expect(await sils.set(input({ id: id4, matchers: [mustMatcher('k', '=', 'l')], startsAt: clock.t }))).toBe(id4);
      expect(await sils.set(input({ id: id4, matchers: [mustMatcher('k', '=', 'l')], startsAt: clock.t, comment: 'm' }))).toBe(id4);
      // Moving the start needs a second silence: refused, and id4 stays active.
      e = await rejection(sils.set(input({ id: id4, matchers: [mustMatcher('k', '=', 'l')], startsAt: clock.t + M, endsAt: clock.t + 10 * M })));
      expect(e.message).toBe('exceeded maximum number of silences: 1 (limit: 1)');
      expect(sils.get(id4)?.state).toBe('active');

      // An oversized comment on an in-place update is refused too.
      e = await rejection(sils.set(input({ id: id4, matchers: [mustMatcher('k', '=', 'l')], startsAt: clock.t, comment: 'm'.repeat(4096) })));
      expect(e.limit).toBe('maxSilenceSizeBytes');
      expect(sils.get(id4)?.silence.comment).toBe('m');
    });

    it('0 means unlimited', async () => {
      for (let i = 0; i < 20; i++) await sils.set(input({ comment: 'c'.repeat(10_000) }));
      expect(sils.size).toBe(20);
    });
  });

  describe('query', () => {
    it('filters by identical matchers and sorts as SortSilences', async () => {
      const a1 = await sils.set(input({ endsAt: T0 + 2 * H }));
      const a2 = await sils.set(input({ endsAt: T0 + H, matchers: [mustMatcher('alertname', '=', 'Down'), mustMatcher('env', '=', 'prod')] }));
      const p1 = await sils.set(input({ startsAt: T0 + 3 * H, endsAt: T0 + 4 * H }));
      const e1 = await sils.set(input({ endsAt: T0 + M }));
      const e2 = await sils.set(input({ endsAt: T0 + 2 * M }));
      const other = await sils.set(input({ endsAt: T0 + 90 * M, matchers: [mustMatcher('job', '=~', 'api.*')] }));
      clock.t += 5 * M;
      expect(sils.query([]).map((v) => v.silence.id)).toEqual([a2, other, a1, p1, e2, e1]);
      expect(sils.query([mustMatcher('alertname', '=', 'Down')]).map((v) => v.silence.id)).toEqual([a2, a1, p1, e2, e1]);
      expect(sils.query([mustMatcher('env', '=', 'prod')]).map((v) => v.state)).toEqual(['active']);
      expect(sils.query([mustMatcher('job', '=~', 'api.*')]).map((v) => v.silence.id)).toEqual([other]);
      expect(sils.query([mustMatcher('job', '=', 'api')])).toEqual([]);
    });

    it('counts by state', async () => {
      await sils.set(input());
      await sils.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
      await sils.set(input({ endsAt: T0 + S }));
      clock.t += M;
      expect(sils.counts()).toEqual({ active: 1, pending: 1, expired: 1 });
    });
  });

  describe('gc', () => {
    it('drops silences once endsAt + retention has passed, from memory and store', async () => {
      const id = await sils.set(input({ endsAt: T0 + M }));
      const keep = await sils.set(input({ endsAt: T0 + 2 * H }));
      clock.t = T0 + M + 5 * H - 1;
      expect(await sils.gc()).toBe(0);
      clock.t += 1;
      expect(await sils.gc()).toBe(1);
      expect(sils.get(id)).toBeUndefined();
      expect(sils.get(keep)).toBeDefined();
      expect(state.batches.at(-1)).toEqual([{ op: 'delete', tenant: 't1', kind: 'silence', key: id }]);
    });
  });

  describe('durability', () => {
    it('a new instance loads what the old one wrote', async () => {
      const id = await sils.set(input({ matchers: [mustMatcher('job', '=~', 'api|web'), mustMatcher('env', '!=', 'dev')], annotations: { k: 'v' } }));
      const p = await sils.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
      await sils.expire(p);
      const again = make();
      await again.load();
      expect(again.query([]).map((v) => [v.silence.id, v.state])).toEqual(sils.query([]).map((v) => [v.silence.id, v.state]));
      expect(again.get(id)?.silence.annotations).toEqual({ k: 'v' });
      expect(again.mutes({ job: 'web', env: 'prod' }, 'fp1')).toEqual([id]);
      expect(again.mutes({ job: 'web', env: 'dev' }, 'fp2')).toEqual([]);
    });

    it('load skips unreadable records and keeps the rest', async () => {
      const id = await sils.set(input());
      await state.write([
        state.put('silence', 'junk', '{'),
        state.put('silence', 'badre', JSON.stringify({ id: 'badre', matchers: [{ name: 'a', type: '=~', value: '(' }], startsAt: 1, endsAt: 2, updatedAt: 1, createdBy: '', comment: '' })),
        state.put('silence', 'mismatch', JSON.stringify({ id: 'other' })),
      ]);
      const again = make();
      await again.load();
      expect(again.query([]).map((v) => v.silence.id)).toEqual([id]);
    });

    it('a failed write changes nothing and later calls still work', async () => {
      const id = await sils.set(input());
      state.fail = true;
      await expect(sils.set(input({ id, matchers: [mustMatcher('x', '=', 'y')] }))).rejects.toThrow('disk full');
      await expect(sils.expire(id)).rejects.toThrow('disk full');
      expect(sils.size).toBe(1);
      expect(sils.get(id)?.state).toBe('active');
      state.fail = false;
      await sils.expire(id);
      expect(sils.get(id)?.state).toBe('expired');
    });

    it('concurrent changes run one after another', async () => {
      const id = await sils.set(input());
      const [a, b] = await Promise.all([
        sils.set(input({ id, matchers: [mustMatcher('x', '=', '1')] })),
        sils.set(input({ id, matchers: [mustMatcher('x', '=', '2')] })),
      ]);
      expect(new Set([id, a, b]).size).toBe(3);
      expect(sils.counts()).toEqual({ active: 3, pending: 0, expired: 0 }); // the old one ends at now (still active by getState)
      clock.t += 1;
      expect(sils.counts()).toEqual({ active: 2, pending: 0, expired: 1 });
    });
  });
});
