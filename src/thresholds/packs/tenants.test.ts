import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { isStaleNaN, STALE_NAN } from '../../core/stale-nan.js';
import { HeadSet } from '../../tsdb/index.js';
import { MemoryWalStorage } from '../../tsdb/test-fakes.js';
import { TenantRouter, tsdbPackTenants } from './tenants.js';
import { TestClock } from './test-kit.test-util.js';

describe('tsdbPackTenants', () => {
  it('reads and writes the embedded store of each tenant, stale markers included', async () => {
    const set = new HeadSet({ clock: new TestClock(), logger: NOOP_LOGGER, retentionMs: 0, maintenanceIntervalMs: 0 });
    const tenants = tsdbPackTenants(set, () => ['a', 'b']);
    expect(await tenants.list()).toEqual(['a', 'b']);
    const r = await tenants.append('a', [
      { labels: { __name__: 'x', tenant: 'a' }, t: 1000, v: 1 },
      { labels: { __name__: 'x', tenant: 'a' }, t: 2000, v: STALE_NAN },
    ]);
    expect(r).toEqual({ rejected: 0 });
    expect((await tenants.append('a', [{ labels: { __name__: 'x', tenant: 'a' }, t: 500, v: 1 }])).rejected).toBe(1);
    const src = await tenants.source('a');
    const [s] = await src.select([mustMatcher('__name__', '=', 'x')], { startMs: 0, endMs: 3000, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
    expect(Array.from(s?.t ?? [])).toEqual([1000, 2000]);
    expect(isStaleNaN(s?.v[1] ?? 0)).toBe(true);
    expect(await (await tenants.source('b')).select([mustMatcher('__name__', '=', 'x')], { startMs: 0, endMs: 3000, stepMs: 0, rangeMs: 0 }, new AbortController().signal)).toEqual([]);
    await set.close();
  });

  it('gets pack output into the WAL by the end of the turn: a reopened store has it, stale markers included', async () => {
    const storage = new MemoryWalStorage();
    const open = (): HeadSet => new HeadSet({ clock: new TestClock(), logger: NOOP_LOGGER, storage, retentionMs: 0, maintenanceIntervalMs: 0 });
    const set = open();
    const tenants = tsdbPackTenants(set, () => ['a']);
    await tenants.append('a', [{ labels: { __name__: 'x', tenant: 'a' }, t: 1000, v: 1 }]);
    await tenants.append('a', [{ labels: { __name__: 'x', tenant: 'a' }, t: 2000, v: STALE_NAN }]);
    await new Promise((resolve) => setImmediate(resolve));
    // Not closed: what a crash after the turn leaves is in the WAL already.
    const again = open();
    const [s] = await (await again.get('a')).select([mustMatcher('__name__', '=', 'x')], { startMs: 0, endMs: 3000, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
    expect(Array.from(s?.t ?? [])).toEqual([1000, 2000]);
    expect(isStaleNaN(s?.v[1] ?? 0)).toBe(true);
    await again.close();
    await set.close();
  });
});

describe('TenantRouter', () => {
  it('routes to listed tenants only, after a listing; everything else to the platform tenant', async () => {
    let list = ['a'];
    const router = new TenantRouter({ list: () => Promise.resolve(list), source: () => Promise.reject(new Error('unused')), append: () => Promise.resolve({ rejected: 0 }) }, 'ops');
    expect(router.route({ tenant: 'a' })).toBe('ops');
    await router.list();
    expect(router.route({ tenant: 'a' })).toBe('a');
    expect(router.route({ tenant: '../etc' })).toBe('ops');
    expect(router.route({})).toBe('ops');
    list = ['b'];
    await router.list();
    expect([router.route({ tenant: 'a' }), router.route({ tenant: 'b' })]).toEqual(['ops', 'b']);
  });
});
