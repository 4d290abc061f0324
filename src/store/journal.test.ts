import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateOp, StateRecord } from '../core/state-store.js';
import { JournalStateStore } from './journal.js';
import { MemoryStateStore } from './memory.js';
import { moveKinds, SplitStateStore } from './split.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'herald-journal-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const put = (tenant: string, key: string, value: string, expiresAt?: number): StateOp =>
  expiresAt === undefined ? { op: 'put', tenant, kind: 'alert', key, value } : { op: 'put', tenant, kind: 'alert', key, value, expiresAt };
const all = async (s: { load(kind: 'alert'): Promise<StateRecord[]> }): Promise<string[]> => (await s.load('alert')).map((r) => `${r.tenant}|${r.key}|${r.value}|${r.expiresAt ?? ''}`);
const files = (d: string): string[] => readdirSync(d).sort();

describe('JournalStateStore', () => {
  it('replays what was written without a close (a crash) and keeps odd tenants, keys and values intact', async () => {
    const d = tmp();
    const a = new JournalStateStore(d);
    const odd = ['tab\there', 'per%cent', 'line\nbreak', 'cr\rx', 'ünï', ''];
    for (const [i, s] of odd.entries()) await a.write([put(`t${s}`, `k${s}`, `v${s}\t{"x":"${i}"}`, i % 2 ? 1e15 + i : undefined)]);
    await a.write([{ op: 'delete', tenant: 't', key: 'k', kind: 'alert' }]);
    await a.write([put('other', 'x', '1'), { op: 'deleteAll', tenant: 'other', kind: 'alert' }]);
    const b = new JournalStateStore(d);
    expect(await all(b)).toEqual(await all(a));
    expect(await all(b)).toHaveLength(odd.length - 1);
    expect(await b.tenants()).not.toContain('other');
  });

  it('drops a write a crash cut short and appends after the last complete one', async () => {
    const d = tmp();
    const a = new JournalStateStore(d);
    await a.write([put('t', 'a', '1')]);
    await a.write([put('t', 'b', '2'), put('t', 'c', '3')]);
    const journal = join(d, 'journal.00000001');
    // The second write lost its last line and commit mark: it must not half-apply.
    truncateSync(journal, statSync(journal).size - 'p\tt\talert\tc\t-\t3\nC\n'.length + 3);
    const b = new JournalStateStore(d);
    expect(await all(b)).toEqual(['t|a|1|']);
    await b.write([put('t', 'z', '9')]);
    expect(await all(new JournalStateStore(d))).toEqual(['t|a|1|', 't|z|9|']);
  });

  it('reports a damaged line, keeps what was committed before it and still opens', async () => {
    const d = tmp();
    const a = new JournalStateStore(d);
    await a.write([put('t', 'a', '1')]);
    appendFileSync(join(d, 'journal.00000001'), 'garbage\nC\n');
    const errors: string[] = [];
    const b = new JournalStateStore(d, { onError: (e) => errors.push(e.message) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/journal\.00000001: unreadable line at character \d+/);
    expect(await all(b)).toEqual(['t|a|1|']);
    await b.write([put('t', 'b', '2')]);
    expect(await all(new JournalStateStore(d))).toEqual(['t|a|1|', 't|b|2|']);
  });

  it('refuses a batch with a bad op before writing a byte of it', async () => {
    const d = tmp();
    const a = new JournalStateStore(d);
    const before = statSync(join(d, 'journal.00000001')).size;
    await expect(a.write([put('t', 'a', '1'), put('', 'b', '2')])).rejects.toThrow(/empty tenant/);
    expect(statSync(join(d, 'journal.00000001')).size).toBe(before);
    expect(await all(a)).toEqual([]);
  });

  it('compacts into a snapshot, removes older generations and replays the same state', async () => {
    const d = tmp();
    const a = new JournalStateStore(d, { compactBytes: 2_000 });
    for (let i = 0; i < 300; i++) {
      await a.write([put(`t${i % 3}`, `k${i % 20}`, `v${i}`)]);
      if (i % 50 === 0) await a.settled();
    }
    await a.settled();
    expect(a.generation).toBeGreaterThan(2);
    const names = files(d);
    expect(names.filter((n) => n.startsWith('snapshot.'))).toEqual([`snapshot.${String(a.generation).padStart(8, '0')}`]);
    expect(names.filter((n) => n.startsWith('journal.'))).toEqual([`journal.${String(a.generation).padStart(8, '0')}`]);
    // The journal stays near the live state rather than growing with every write.
    expect(statSync(join(d, names.find((n) => n.startsWith('journal.'))!)).size).toBeLessThan(4_000);
    const b = new JournalStateStore(d);
    expect(await all(b)).toEqual(await all(a));
    expect(await all(b)).toHaveLength(60);
  });

  it('loses nothing when a crash comes between starting a generation and its snapshot', async () => {
    const d = tmp();
    const a = new JournalStateStore(d);
    await a.write([put('t', 'a', '1'), put('t', 'b', '2')]);
    a.compact();
    // What is on disk before the snapshot is written: journal.1, an empty journal.2, no snapshot.2.
    const crashed = tmp();
    cpSync(d, crashed, { recursive: true });
    rmSync(join(crashed, 'snapshot.00000002'), { force: true });
    writeFileSync(join(crashed, 'snapshot.00000002.tmp'), 'p\tt\talert\ta\t-\thalf');
    await a.write([put('t', 'c', '3')]);
    appendFileSync(join(crashed, 'journal.00000002'), readFileSync(join(d, 'journal.00000002')));
    await a.settled();
    const b = new JournalStateStore(crashed);
    expect(await all(b)).toEqual(['t|a|1|', 't|b|2|', 't|c|3|']);
    expect(existsSync(join(crashed, 'snapshot.00000002.tmp'))).toBe(false);
    // After the snapshot was renamed but before the old generation was removed: still the same.
    const late = tmp();
    cpSync(d, late, { recursive: true });
    writeFileSync(join(late, 'journal.00000001'), 'p\tt\talert\tstale\t-\tx\nC\n');
    expect(await all(new JournalStateStore(late))).toEqual(['t|a|1|', 't|b|2|', 't|c|3|']);
    expect(files(late)).toEqual(['journal.00000002', 'snapshot.00000002']);
  });

  it('hides and collects expired records like the other stores', async () => {
    let now = 100;
    const d = tmp();
    const a = new JournalStateStore(d, { now: () => now });
    await a.write([put('t', 'old', '1', 50), put('t', 'new', '2', 500)]);
    expect(await all(a)).toEqual(['t|new|2|500']);
    expect(await a.gc(100)).toBe(1);
    now = 0;
    expect(await all(new JournalStateStore(d, { now: () => now }))).toEqual(['t|new|2|500', 't|old|1|50']);
  });
});

describe('SplitStateStore and moveKinds', () => {
  it('sends alerts to one store and the other kinds to the other, and lists tenants of both', async () => {
    const main = new MemoryStateStore();
    const side = new MemoryStateStore();
    const s = new SplitStateStore(main, side, new Set(['alert']));
    await s.write([put('a', 'k', '1')]);
    await s.write([{ op: 'put', tenant: 'b', kind: 'silence', key: 's', value: 'x' }]);
    await s.write([put('c', 'k', '2'), { op: 'put', tenant: 'c', kind: 'nflog', key: 'n', value: 'y' }]);
    expect((await side.load('alert')).map((r) => r.tenant)).toEqual(['a', 'c']);
    expect(await side.load('silence')).toEqual([]);
    expect((await main.load('nflog')).map((r) => r.tenant)).toEqual(['c']);
    expect(await main.load('alert')).toEqual([]);
    expect(await s.tenants()).toEqual(['a', 'b', 'c']);
    expect((await s.load('alert', 'c')).map((r) => r.value)).toEqual(['2']);
  });

  it('moves alerts an earlier version kept in the main store, once', async () => {
    const main = new MemoryStateStore();
    const d = tmp();
    await main.write([put('a', 'k1', '1'), put('b', 'k2', '2', 1e15), { op: 'put', tenant: 'a', kind: 'silence', key: 's', value: 'x' }]);
    expect(await moveKinds(main, new JournalStateStore(d), ['alert'])).toBe(2);
    const journal = new JournalStateStore(d);
    expect(await all(journal)).toEqual(['a|k1|1|', `b|k2|2|${1e15}`]);
    expect(await main.load('alert')).toEqual([]);
    expect(await main.load('silence')).toHaveLength(1);
    expect(await moveKinds(main, journal, ['alert'])).toBe(0);
  });
});
