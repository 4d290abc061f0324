import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateKind, StateOp, StateRecord, StateStore } from '../core/state-store.js';
import { tenantState } from '../core/state-store.js';
import { MemoryStateStore } from './memory.js';
import { JournalStateStore } from './journal.js';
import { SplitStateStore } from './split.js';
import { SqliteStateStore } from './sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Impl {
  readonly name: string;
  /** Opens a store; `again` reopens the same backing data (sqlite) or undefined (memory). */
  open(now: () => number): { store: StateStore; reopen?: () => StateStore };
}

let seq = 0;
const IMPLS: Impl[] = [
  { name: 'memory', open: (now) => ({ store: new MemoryStateStore({ now }) }) },
  ...(['thread', 'inline'] as const).map(
    (writer): Impl => ({
      name: `sqlite (${writer} writer)`,
      open: (now) => {
        const path = join(dir, `state-${++seq}.db`);
        return { store: new SqliteStateStore(path, { now, writer }), reopen: () => new SqliteStateStore(path, { now, writer }) };
      },
    }),
  ),
  {
    // A small compaction threshold, so the contract also runs across compactions.
    name: 'journal',
    open: (now) => {
      const path = join(dir, `journal-${++seq}`);
      return { store: new JournalStateStore(path, { now, compactBytes: 256 }), reopen: () => new JournalStateStore(path, { now, compactBytes: 256 }) };
    },
  },
  {
    name: 'split (alerts in a journal, the rest in sqlite)',
    open: (now) => {
      const n = ++seq;
      const make = (): StateStore =>
        new SplitStateStore(new SqliteStateStore(join(dir, `split-${n}.db`), { now }), new JournalStateStore(join(dir, `split-${n}`), { now }), new Set<StateKind>(['alert']));
      return { store: make(), reopen: make };
    },
  },
];

const put = (tenant: string, kind: StateKind, key: string, value: string, expiresAt?: number): StateOp =>
  expiresAt === undefined ? { op: 'put', tenant, kind, key, value } : { op: 'put', tenant, kind, key, value, expiresAt };

const keys = (rs: StateRecord[]): string[] => rs.map((r) => `${r.tenant}/${r.kind}/${r.key}=${r.value}`).sort();

describe.each(IMPLS)('StateStore contract: $name', (impl) => {
  let now = 1_000_000;
  let store: StateStore;
  let reopen: (() => StateStore) | undefined;

  beforeEach(() => {
    now = 1_000_000;
    ({ store, reopen } = impl.open(() => now));
  });
  afterEach(async () => {
    await store.close();
  });

  it('put then load returns the record with its expiry', async () => {
    await store.write([put('t1', 'silence', 'a', '{"x":1}', 2_000_000), put('t1', 'silence', 'b', 'v')]);
    const rs = await store.load('silence', 't1');
    expect(rs.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { tenant: 't1', kind: 'silence', key: 'a', value: '{"x":1}', expiresAt: 2_000_000 },
      { tenant: 't1', kind: 'silence', key: 'b', value: 'v' },
    ]);
  });

  it('overwrites a key, including dropping its expiry', async () => {
    await store.write([put('t1', 'nflog', 'k', 'old', 5)]);
    await store.write([put('t1', 'nflog', 'k', 'new')]);
    expect(await store.load('nflog', 't1')).toEqual([{ tenant: 't1', kind: 'nflog', key: 'k', value: 'new' }]);
  });

  it('applies ops of one write in order (put, delete, put again)', async () => {
    await store.write([put('t1', 'alert', 'k', '1'), { op: 'delete', tenant: 't1', kind: 'alert', key: 'k' }, put('t1', 'alert', 'k', '3')]);
    expect(keys(await store.load('alert', 't1'))).toEqual(['t1/alert/k=3']);
  });

  it('delete removes one key; deleting a missing key is a no-op', async () => {
    await store.write([put('t1', 'alert', 'a', '1'), put('t1', 'alert', 'b', '2')]);
    await store.write([{ op: 'delete', tenant: 't1', kind: 'alert', key: 'a' }, { op: 'delete', tenant: 't1', kind: 'alert', key: 'zz' }]);
    expect(keys(await store.load('alert', 't1'))).toEqual(['t1/alert/b=2']);
  });

  it('deleteAll removes one kind of one tenant only', async () => {
    await store.write([
      put('t1', 'alert', 'a', '1'),
      put('t1', 'alert', 'b', '2'),
      put('t1', 'silence', 's', '3'),
      put('t2', 'alert', 'a', '4'),
    ]);
    await store.write([{ op: 'deleteAll', tenant: 't1', kind: 'alert' }]);
    expect(await store.load('alert', 't1')).toEqual([]);
    expect(keys(await store.load('silence', 't1'))).toEqual(['t1/silence/s=3']);
    expect(keys(await store.load('alert', 't2'))).toEqual(['t2/alert/a=4']);
  });

  it('load without tenant returns every tenant of that kind only', async () => {
    await store.write([put('t1', 'config', 'c', '1'), put('t2', 'config', 'c', '2'), put('t2', 'alert', 'x', '3')]);
    expect(keys(await store.load('config'))).toEqual(['t1/config/c=1', 't2/config/c=2']);
    expect(await store.load('nflog')).toEqual([]);
  });

  it('isolates tenants with the same kind and key', async () => {
    await store.write([put('t1', 'silence', 'same', 'one'), put('t2', 'silence', 'same', 'two')]);
    const a = tenantState(store, 't1');
    await a.write([a.del('silence', 'same')]);
    expect(await store.load('silence', 't1')).toEqual([]);
    expect(keys(await store.load('silence', 't2'))).toEqual(['t2/silence/same=two']);
  });

  it('lists tenants that hold live records', async () => {
    expect(await store.tenants()).toEqual([]);
    await store.write([put('b', 'alert', 'k', '1'), put('a', 'config', 'k', '1'), put('c', 'nflog', 'k', '1', now - 1)]);
    expect((await store.tenants()).sort()).toEqual(['a', 'b']);
  });

  it.each([
    { expiresAt: 999_999, live: false },
    { expiresAt: 1_000_000, live: true },
    { expiresAt: 1_000_001, live: true },
  ])('hides a record expiring at $expiresAt from load at now=1000000 (live=$live)', async ({ expiresAt, live }) => {
    await store.write([put('t1', 'nflog', 'k', 'v', expiresAt)]);
    expect((await store.load('nflog', 't1')).length).toBe(live ? 1 : 0);
    expect((await store.load('nflog')).length).toBe(live ? 1 : 0);
  });

  it('gc drops only records that expired before now and counts them', async () => {
    await store.write([
      put('t1', 'nflog', 'old', 'v', 10),
      put('t2', 'silence', 'old', 'v', 20),
      put('t1', 'nflog', 'edge', 'v', 30),
      put('t1', 'nflog', 'new', 'v', 40),
      put('t1', 'config', 'forever', 'v'),
    ]);
    expect(await store.gc(30)).toBe(2);
    expect(await store.gc(30)).toBe(0);
    now = 0;
    expect(keys(await store.load('nflog', 't1'))).toEqual(['t1/nflog/edge=v', 't1/nflog/new=v']);
    expect(await store.load('silence', 't2')).toEqual([]);
    expect(keys(await store.load('config'))).toEqual(['t1/config/forever=v']);
  });

  it('a write with a bad op applies none of its ops', async () => {
    await store.write([put('t1', 'alert', 'keep', 'v')]);
    const bad = [
      put('t1', 'alert', 'new', 'v'),
      { op: 'deleteAll', tenant: 't1', kind: 'alert' },
      { op: 'put', tenant: 't1', kind: 'bogus', key: 'k', value: 'v' } as unknown as StateOp,
    ] satisfies StateOp[];
    await expect(store.write(bad)).rejects.toThrow(/unknown kind/);
    await expect(store.write([put('', 'alert', 'k', 'v')])).rejects.toThrow(/empty tenant/);
    await expect(store.write([{ op: 'put', tenant: 't', kind: 'alert', key: 'k', value: 5 } as unknown as StateOp])).rejects.toThrow(
      /value must be a string/,
    );
    expect(keys(await store.load('alert', 't1'))).toEqual(['t1/alert/keep=v']);
  });

  it('an empty write is accepted', async () => {
    await expect(store.write([])).resolves.toBeUndefined();
  });

  it('keeps large values and unicode keys intact', async () => {
    const big = 'x'.repeat(200_000);
    await store.write([put('t-é', 'config', 'ключ/🙂', big)]);
    const [r] = await store.load('config', 't-é');
    expect(r?.key).toBe('ключ/🙂');
    expect(r?.value.length).toBe(200_000);
  });

  it('many concurrent writes all land, in the order they were made', async () => {
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) writes.push(store.write([put('t1', 'alert', `k${i % 7}`, `v${i}`)]));
    writes.push(store.write([{ op: 'delete', tenant: 't1', kind: 'alert', key: 'k0' }]));
    await Promise.all(writes);
    const got = await store.load('alert', 't1');
    expect(got.map((r) => `${r.key}=${r.value}`)).toEqual(['k1=v197', 'k2=v198', 'k3=v199', 'k4=v193', 'k5=v194', 'k6=v195']);
  });

  it('refuses use after close', async () => {
    await store.close();
    await expect(store.write([put('t1', 'alert', 'k', 'v')])).rejects.toThrow();
    await expect(store.load('alert')).rejects.toThrow();
    ({ store } = impl.open(() => now)); // for afterEach
  });

  it('persists across reopen (durable implementations only)', async () => {
    if (!reopen) return;
    await store.write([put('t1', 'silence', 's1', 'a', 5_000_000), put('t2', 'nflog', 'n', 'b'), put('t1', 'alert', 'gone', 'c')]);
    await store.write([{ op: 'delete', tenant: 't1', kind: 'alert', key: 'gone' }]);
    await store.close();
    store = reopen();
    expect(await store.load('silence', 't1')).toEqual([{ tenant: 't1', kind: 'silence', key: 's1', value: 'a', expiresAt: 5_000_000 }]);
    expect(keys(await store.load('nflog'))).toEqual(['t2/nflog/n=b']);
    expect(await store.load('alert', 't1')).toEqual([]);
    expect((await store.tenants()).sort()).toEqual(['t1', 't2']);
  });
});
