import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import { isStaleNaN, STALE_NAN } from '../../core/stale-nan.js';
import { MemorySeriesSource } from '../../promql/index.js';
import type { SelectHints, SeriesSource, StoredSeries } from '../../promql/index.js';
import { TenantRouter } from './tenants.js';
import type { PackTenants } from './tenants.js';
import { selectTenants, UnionSeriesSource } from './union-source.js';

const HINTS: SelectHints = { startMs: 0, endMs: 1_000_000, stepMs: 0, rangeMs: 0 };
const never = new AbortController().signal;

/** A store that counts selects and remembers the matchers it was asked with. */
class SpySource implements SeriesSource {
  calls = 0;
  lastMatchers: readonly Matcher[] = [];
  fail: string | undefined;
  constructor(readonly inner = new MemorySeriesSource()) {}
  select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    this.calls++;
    this.lastMatchers = matchers;
    if (this.fail !== undefined) return Promise.reject(new Error(this.fail));
    return this.inner.select(matchers, hints, signal);
  }
}

function setup(ids: readonly string[]): { stores: Map<string, SpySource>; union: UnionSeriesSource; errors: string[] } {
  const stores = new Map(ids.map((id) => [id, new SpySource()]));
  const tenants: PackTenants = {
    list: () => ids,
    source: (t) => {
      const s = stores.get(t);
      if (!s) throw new Error(`no store ${t}`);
      return s;
    },
    append: () => Promise.resolve({ rejected: 0 }),
  };
  const errors: string[] = [];
  const union = new UnionSeriesSource({ router: new TenantRouter(tenants), onStoreError: (t) => errors.push(t) });
  return { stores, union, errors };
}

function add(stores: Map<string, SpySource>, tenant: string, labels: Labels, t: number, v: number): void {
  stores.get(tenant)?.inner.add(labels, t, v);
}

const name = (n: string): Matcher => mustMatcher('__name__', '=', n);

describe('UnionSeriesSource', () => {
  it('labels every series with its store tenant, replacing a tenant label the data had', async () => {
    const { stores, union } = setup(['a', 'b']);
    add(stores, 'a', { __name__: 'up', job: 'db' }, 10, 1);
    add(stores, 'b', { __name__: 'up', job: 'db', tenant: 'a' }, 10, 0);
    const got = await union.select([name('up')], HINTS, never);
    expect(got.map((s) => s.labels)).toEqual([
      { __name__: 'up', job: 'db', tenant: 'a' },
      { __name__: 'up', job: 'db', tenant: 'b' },
    ]);
    expect(got.map((s) => Array.from(s.v))).toEqual([[1], [0]]);
  });

  it('answers tenant matchers from the tenant ids and never asks other stores', async () => {
    const { stores, union } = setup(['a', 'b', 'c']);
    for (const t of ['a', 'b', 'c']) add(stores, t, { __name__: 'm', tenant: 'forged' }, 1, 1);
    const got = await union.select([name('m'), mustMatcher('tenant', '=', 'b')], HINTS, never);
    expect(got.map((s) => s.labels['tenant'])).toEqual(['b']);
    expect([...stores.values()].map((s) => s.calls)).toEqual([0, 1, 0]);
    // The store is asked without the tenant matcher: its own (forged) tenant label plays no part.
    expect(stores.get('b')?.lastMatchers.map((m) => m.name)).toEqual(['__name__']);

    const re = await union.select([name('m'), mustMatcher('tenant', '=~', 'a|c')], HINTS, never);
    expect(re.map((s) => s.labels['tenant'])).toEqual(['a', 'c']);
    expect([...stores.values()].map((s) => s.calls)).toEqual([1, 1, 1]);

    expect(await union.select([name('m'), mustMatcher('tenant', '=', 'zz')], HINTS, never)).toEqual([]);
    expect(await union.select([name('m'), mustMatcher('tenant', '=', '')], HINTS, never)).toEqual([]);
    expect([...stores.values()].map((s) => s.calls)).toEqual([1, 1, 1]);

    const not = await union.select([name('m'), mustMatcher('tenant', '!=', 'a')], HINTS, never);
    expect(not.map((s) => s.labels['tenant'])).toEqual(['b', 'c']);
  });

  it('returns series in label order across tenants, also where the added label changes the order', async () => {
    const { stores, union } = setup(['b', 'a']);
    add(stores, 'b', { __name__: 'm' }, 1, 1);
    add(stores, 'a', { __name__: 'm', zone: 'x' }, 1, 2);
    add(stores, 'a', { __name__: 'm' }, 1, 3);
    add(stores, 'a', { __name__: 'm', shard: '1' }, 1, 4);
    const got = await union.select([name('m')], HINTS, never);
    // {__name__, tenant} sorts after {__name__, shard, tenant}, although {__name__} sorted before {__name__, shard}.
    expect(got.map((s) => s.labels)).toEqual([
      { __name__: 'm', shard: '1', tenant: 'a' },
      { __name__: 'm', tenant: 'a' },
      { __name__: 'm', tenant: 'a', zone: 'x' },
      { __name__: 'm', tenant: 'b' },
    ]);
  });

  it('orders values as Go compares strings, also where UTF-16 order differs (characters above U+FFFF)', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm', x: '\u{1F600}' }, 1, 1);
    add(stores, 'a', { __name__: 'm', x: '\uE000' }, 1, 2);
    add(stores, 'a', { __name__: 'm', x: 'z' }, 1, 3);
    const got = await union.select([name('m')], HINTS, never);
    expect(got.map((s) => s.labels['x'])).toEqual(['z', '\uE000', '\u{1F600}']);
  });

  it('merges two series of one store that become equal once relabelled, first one winning at equal times', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm' }, 10, 1);
    add(stores, 'a', { __name__: 'm' }, 30, 3);
    add(stores, 'a', { __name__: 'm', tenant: 'other' }, 20, 2);
    add(stores, 'a', { __name__: 'm', tenant: 'other' }, 30, 99);
    stores.get('a')?.inner.addStale({ __name__: 'm', tenant: 'other' }, 40);
    const got = await union.select([name('m')], HINTS, never);
    expect(got).toHaveLength(1);
    expect(got[0]?.labels).toEqual({ __name__: 'm', tenant: 'a' });
    expect(Array.from(got[0]?.t ?? [])).toEqual([10, 20, 30, 40]);
    expect(Array.from(got[0]?.v ?? []).slice(0, 3)).toEqual([1, 2, 3]);
    expect(isStaleNaN(got[0]?.v[3] ?? 0)).toBe(true);
  });

  it('keeps the same label objects across selects, and the store object where the tenant label is already right', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm', tenant: 'a' }, 1, 1);
    add(stores, 'a', { __name__: 'n' }, 1, 1);
    const [own] = await union.select([name('m')], HINTS, never);
    const [stored] = await stores.get('a')!.inner.select([name('m')], HINTS, never);
    expect(own?.labels).toBe(stored?.labels);
    const first = await union.select([name('n')], HINTS, never);
    const second = await union.select([name('n')], HINTS, never);
    expect(first[0]?.labels).toBe(second[0]?.labels);
    expect(Object.isFrozen(first[0]?.labels)).toBe(true);
  });

  it('asks the stores with one matcher array per selector, select after select', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm' }, 1, 1);
    const selector = [name('m'), mustMatcher('tenant', '=~', 'a|b')];
    await union.select(selector, HINTS, never);
    const first = stores.get('a')?.lastMatchers;
    await union.select(selector, HINTS, never);
    expect(stores.get('a')?.lastMatchers).toBe(first);
    expect(first?.map((m) => m.name)).toEqual(['__name__']);
  });

  it('answers a repeated selector in label order with fresh samples, also after series come, go or merge', async () => {
    const { stores, union } = setup(['b', 'a']);
    add(stores, 'b', { __name__: 'm', i: '1' }, 1, 1);
    add(stores, 'a', { __name__: 'm', i: '2' }, 1, 2);
    add(stores, 'a', { __name__: 'm', i: '0' }, 1, 3);
    const selector = [name('m')];
    const view = async (): Promise<string[]> =>
      (await union.select(selector, HINTS, never)).map((s) => `${s.labels['i'] ?? '-'}/${s.labels['tenant'] ?? '-'}=${Array.from(s.v).join(',')}`);
    expect(await view()).toEqual(['0/a=3', '1/b=1', '2/a=2']);
    add(stores, 'b', { __name__: 'm', i: '1' }, 2, 10);
    expect(await view()).toEqual(['0/a=3', '1/b=1,10', '2/a=2']);
    add(stores, 'b', { __name__: 'm', i: '0' }, 2, 5);
    expect(await view()).toEqual(['0/a=3', '0/b=5', '1/b=1,10', '2/a=2']);
    stores.get('a')!.fail = 'disk gone';
    expect(await view()).toEqual(['0/b=5', '1/b=1,10']);
    stores.get('a')!.fail = undefined;
    add(stores, 'a', { __name__: 'm', i: '0', tenant: 'b' }, 2, 7);
    for (let k = 0; k < 2; k++) expect(await view()).toEqual(['0/a=3,7', '0/b=5', '1/b=1,10', '2/a=2']);
  });

  it('leaves out a store that fails, reports it, and still answers for the others', async () => {
    const { stores, union, errors } = setup(['a', 'b']);
    add(stores, 'a', { __name__: 'm' }, 1, 1);
    add(stores, 'b', { __name__: 'm' }, 1, 1);
    stores.get('a')!.fail = 'disk gone';
    const got = await union.select([name('m')], HINTS, never);
    expect(got.map((s) => s.labels['tenant'])).toEqual(['b']);
    expect(errors).toEqual(['a']);
  });

  it('rejects when the query is aborted', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm' }, 1, 1);
    const ac = new AbortController();
    ac.abort(new Error('query timed out'));
    await expect(union.select([name('m')], HINTS, ac.signal)).rejects.toThrow('query timed out');
  });

  it('keeps the values of stale markers', async () => {
    const { stores, union } = setup(['a']);
    add(stores, 'a', { __name__: 'm' }, 1, 1);
    stores.get('a')!.inner.addStale({ __name__: 'm' }, 2);
    const [s] = await union.select([name('m')], HINTS, never);
    expect(isStaleNaN(s?.v[1] ?? 0)).toBe(true);
    expect(isStaleNaN(STALE_NAN)).toBe(true);
  });

  it('stays cheap at 1,000 tenants for a metric most of them lack', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    const { stores, union } = setup(ids);
    for (const id of ids) for (let j = 0; j < 5; j++) add(stores, id, { __name__: 'common', i: String(j) }, 1, j);
    for (const id of ['t0007', 't0500', 't0999']) add(stores, id, { __name__: 'rare' }, 1, 1);
    let got: readonly StoredSeries[] = [];
    for (let k = 0; k < 50; k++) got = await union.select([name('rare')], HINTS, never);
    expect(got.map((s) => s.labels['tenant'])).toEqual(['t0007', 't0500', 't0999']);
    const all = await union.select([name('common')], HINTS, never);
    expect(all).toHaveLength(5000);
    expect(all[0]?.labels).toEqual({ __name__: 'common', i: '0', tenant: 't0000' });
    expect(all[4999]?.labels).toEqual({ __name__: 'common', i: '4', tenant: 't0999' });
  });
});

describe('selectTenants', () => {
  it.each([
    [[], ['a', 'b', 'c']],
    [[mustMatcher('tenant', '=', 'b')], ['b']],
    [[mustMatcher('tenant', '=', 'b'), mustMatcher('tenant', '!=', 'b')], []],
    [[mustMatcher('tenant', '=~', '.+')], ['a', 'b', 'c']],
    [[mustMatcher('tenant', '!~', 'a|b')], ['c']],
  ] as const)('%j', (matchers, want) => {
    expect(selectTenants(['a', 'b', 'c'], matchers)).toEqual(want);
  });
});
