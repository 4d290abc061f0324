import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { tenantState } from '../../core/state-store.js';
import type { StateOp, StateRecord, TenantState } from '../../core/state-store.js';
import { openMemoryStore } from '../../store/index.js';
import { NotificationLog, decodeEntry } from './nflog.js';

const H = 3_600_000;

function fakeClock(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    schedule: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
  return c;
}


describe('NotificationLog', () => {
  let clock: ReturnType<typeof fakeClock>;
  let state: TenantState;
  let log: NotificationLog;

  beforeEach(() => {
    clock = fakeClock(1_000 * H);
    state = tenantState(openMemoryStore({ now: () => clock.t }), 't1');
    log = new NotificationLog({ state, clock, logger: NOOP_LOGGER, retentionMs: 120 * H });
  });

  it('logs an entry, queries it back and writes it through the store', async () => {
    await log.log('{}:{alertname="a"}', 'team/webhook/0', ['f1', 'f2'], ['r1'], 8 * H);
    const e = log.query('{}:{alertname="a"}', 'team/webhook/0');
    expect(e).toEqual({
      groupKey: '{}:{alertname="a"}',
      receiverKey: 'team/webhook/0',
      timestamp: 1_000 * H,
      firingAlerts: ['f1', 'f2'],
      resolvedAlerts: ['r1'],
      expiresAt: 1_008 * H,
    });
    const recs = await state.load('nflog');
    expect(recs).toHaveLength(1);
    expect(recs[0]?.key).toBe('{}:{alertname="a"}:team/webhook/0');
    expect(recs[0]?.expiresAt).toBe(1_008 * H);
    expect(decodeEntry(recs[0] as StateRecord)).toEqual(e);
  });

  it.each([
    { name: 'expiry shorter than retention', expiry: 8 * H, retention: 120 * H, ttl: 8 * H },
    { name: 'expiry longer than retention', expiry: 200 * H, retention: 120 * H, ttl: 120 * H },
    { name: 'zero expiry uses retention', expiry: 0, retention: 120 * H, ttl: 120 * H },
    { name: 'negative expiry uses retention', expiry: -5, retention: 10 * H, ttl: 10 * H },
  ])('expiresAt: $name', async ({ expiry, retention, ttl }) => {
    log = new NotificationLog({ state, clock, logger: NOOP_LOGGER, retentionMs: retention });
    await log.log('g', 'r/x/0', ['a'], [], expiry);
    expect(log.query('g', 'r/x/0')?.expiresAt).toBe(clock.t + ttl);
  });

  it('keys by group and receiver integration separately', async () => {
    await log.log('g1', 'r/webhook/0', ['a'], [], H);
    await log.log('g1', 'r/webhook/1', ['b'], [], H);
    await log.log('g2', 'r/webhook/0', ['c'], [], H);
    expect(log.query('g1', 'r/webhook/0')?.firingAlerts).toEqual(['a']);
    expect(log.query('g1', 'r/webhook/1')?.firingAlerts).toEqual(['b']);
    expect(log.query('g2', 'r/webhook/0')?.firingAlerts).toEqual(['c']);
    expect(log.query('g2', 'r/webhook/1')).toBeUndefined();
    expect(log.query('g3', 'r/webhook/0')).toBeUndefined();
  });

  it('a newer log replaces the entry; an entry from the future is kept', async () => {
    await log.log('g', 'r/x/0', ['a'], [], H);
    clock.t += 1000;
    await log.log('g', 'r/x/0', ['b'], ['a'], H);
    expect(log.query('g', 'r/x/0')?.firingAlerts).toEqual(['b']);
    clock.t -= 5000; // clock stepped back
    await log.log('g', 'r/x/0', ['c'], [], H);
    expect(log.query('g', 'r/x/0')?.firingAlerts).toEqual(['b']);
  });

  it('does not change memory when the store write fails', async () => {
    const failing: TenantState = { ...state, write: (_ops: readonly StateOp[]) => Promise.reject(new Error('disk full')) };
    const l = new NotificationLog({ state: failing, clock, logger: NOOP_LOGGER, retentionMs: H });
    await expect(l.log('g', 'r/x/0', ['a'], [], H)).rejects.toThrow('disk full');
    expect(l.query('g', 'r/x/0')).toBeUndefined();
  });

  it('gc drops entries whose expiresAt is not after now, in memory and in the store', async () => {
    await log.log('short', 'r/x/0', ['a'], [], H);
    await log.log('long', 'r/x/0', ['a'], [], 10 * H);
    clock.t += H - 1;
    expect(await log.gc()).toBe(0);
    clock.t += 1;
    expect(await log.gc()).toBe(1);
    expect(log.query('short', 'r/x/0')).toBeUndefined();
    expect(log.query('long', 'r/x/0')).toBeDefined();
    expect(log.size()).toBe(1);
    clock.t = 0; // make the store show expired records too
    expect((await state.load('nflog')).map((r) => r.key)).toEqual(['long:r/x/0']);
  });

  it('load restores entries written by an earlier instance and skips unreadable records', async () => {
    await log.log('g', 'r/x/0', ['a'], ['b'], H);
    await state.write([state.put('nflog', 'junk', 'not json'), state.put('nflog', 'half', '{"groupKey":"g"}')]);
    const again = new NotificationLog({ state, clock, logger: NOOP_LOGGER, retentionMs: 120 * H });
    await again.load();
    expect(again.size()).toBe(1);
    expect(again.query('g', 'r/x/0')).toEqual(log.query('g', 'r/x/0'));
  });

  it('load ignores entries the store has already expired', async () => {
    await log.log('g', 'r/x/0', ['a'], [], H);
    clock.t += 2 * H;
    const again = new NotificationLog({ state, clock, logger: NOOP_LOGGER, retentionMs: 120 * H });
    await again.load();
    expect(again.query('g', 'r/x/0')).toBeUndefined();
  });
});
