import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import type { AppendSeries, TenantTsdb } from './api.js';
import { HI, LO } from './float-bits.js';
import { goG } from './head-append.js';
import { Head } from './head.js';
import { ManualClock, MemoryWalStorage } from './test-fakes.js';
import { HeadSet } from './tsdb-set.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const ABORT = new AbortController().signal;

function head(opts: { maxSeries?: number; retentionMs?: number } = {}): { h: Head; clock: ManualClock } {
  const clock = new ManualClock(NOW);
  const h = new Head({ tenant: 't1', clock, logger: NOOP_LOGGER, retentionMs: opts.retentionMs ?? 0, limits: () => ({ maxSeries: opts.maxSeries ?? 0 }) });
  return { h, clock };
}

function s(name: string, t: number[], v: number[], extra: Record<string, string> = {}): AppendSeries {
  return { labels: { __name__: name, ...extra }, t, v: Float64Array.from(v) };
}

const range = (startMs: number, endMs: number) => ({ startMs, endMs, stepMs: 0, rangeMs: 0 });

describe('append rules', () => {
  it.each<[string, AppendSeries[][], number, Record<string, [number, string]>]>([
    ['in order', [[s('m', [1, 2, 3], [1, 2, 3])]], 3, {}],
    ['out of order within a batch', [[s('m', [1, 3, 2], [1, 3, 2])]], 2, { out_of_order: [1, 'out of order sample'] }],
    ['out of order across batches', [[s('m', [10], [1])], [s('m', [5, 11], [1, 2])]], 1, { out_of_order: [1, 'out of order sample'] }],
    ['exact duplicate is accepted', [[s('m', [10], [1])], [s('m', [10], [1])]], 1, {}],
    ['duplicate timestamp, other value', [[s('m', [10], [1])], [s('m', [10], [2])]], 0,
      { duplicate_timestamp: [1, 'duplicate sample for timestamp 10; overrides not allowed: existing 1, new value 2'] }],
    ['stale marker then value at same time is a duplicate', [[s('m', [10], [STALE_NAN])], [s('m', [10], [5])]], 0,
      { duplicate_timestamp: [1, 'duplicate sample for timestamp 10; overrides not allowed: existing NaN, new value 5'] }],
    ['stale marker resent is accepted', [[s('m', [10], [STALE_NAN])], [s('m', [10], [STALE_NAN])]], 1, {}],
    ['same series twice in one batch', [[s('m', [1], [1]), s('m', [2, 1], [2, 1])]], 2, { out_of_order: [1, 'out of order sample'] }],
  ])('%s', async (_name, batches, lastAccepted, rejected) => {
    const { h } = head();
    let res = await h.append([]);
    for (const b of batches) res = await h.append(b);
    expect(res.accepted).toBe(lastAccepted);
    const got: Record<string, [number, string]> = {};
    for (const r of res.rejected) got[r.reason] = [r.count, r.example];
    expect(got).toEqual(rejected);
  });

  it('refuses samples older than the retention as out of bounds', async () => {
    const { h } = head({ retentionMs: HOUR });
    const res = await h.append([s('m', [NOW - 2 * HOUR, NOW - HOUR - 1, NOW - HOUR, NOW], [1, 2, 3, 4])]);
    expect(res.accepted).toBe(2);
    expect(res.rejected).toEqual([{ reason: 'too_old', count: 2, example: 'out of bounds' }]);
  });

  it('enforces the series limit per new series, keeping existing series writable', async () => {
    const { h } = head({ maxSeries: 2 });
    await h.append([s('a', [1], [1]), s('b', [1], [1])]);
    const res = await h.append([s('a', [2], [2]), s('c', [1, 2, 3], [1, 2, 3]), s('d', [1], [1])]);
    expect(res.accepted).toBe(1);
    expect(res.rejected).toEqual([{ reason: 'max_series', count: 4, example: 'per-user series limit of 2 exceeded' }]);
    expect(h.stats().activeSeries).toBe(2);
  });

  it('rejects malformed batches with a clear error and stores nothing', async () => {
    const { h } = head();
    await expect(h.append([s('ok', [1], [1]), { labels: { __name__: 'm' }, t: [1, 2], v: [1] }])).rejects.toThrow('series 1: 2 timestamps but 1 values');
    await expect(h.append([{ labels: { __name__: 'm' }, t: [1.5], v: [1] }])).rejects.toThrow('not an integer');
    expect(h.stats().activeSeries).toBe(0);
  });
});

describe('select', () => {
  it('returns the requested range, sorted by labels, across chunk boundaries', async () => {
    const { h } = head();
    const t = Array.from({ length: 500 }, (_, i) => i * 1000);
    await h.append([s('m', t, t.map((x) => x / 10), { job: 'b' }), s('m', t, t, { job: 'a' }), s('other', t, t)]);
    const got = await h.select([mustMatcher('__name__', '=', 'm')], range(119_500, 241_000), ABORT);
    expect(got.map((x) => x.labels)).toEqual([{ __name__: 'm', job: 'a' }, { __name__: 'm', job: 'b' }]);
    expect(got[0]!.t[0]).toBe(120_000);
    expect(got[0]!.t.at(-1)).toBe(241_000);
    expect(got[0]!.t.length).toBe(122);
    expect(Array.from(got[1]!.v.subarray(0, 2))).toEqual([12_000, 12_100]);
    expect(await h.select([mustMatcher('__name__', '=', 'm')], range(600_000, 700_000), ABORT)).toEqual([]);
  });

  it('hands staleness markers back as staleness markers', async () => {
    const { h } = head();
    // Built in a Float64Array: a plain array literal would already set the quiet bit.
    const v = new Float64Array(3);
    v[0] = 1;
    v[1] = STALE_NAN;
    v[2] = NaN;
    expect(new Uint32Array(v.buffer)[2 * 1 + HI]).toBe(0x7ff00000);
    await h.append([{ labels: { __name__: 'm' }, t: [1000, 2000, 3000], v }]);
    const [got] = await h.select([mustMatcher('__name__', '=', 'm')], range(0, 5000), ABORT);
    expect(isStaleNaN(got!.v[1]!)).toBe(true);
    const words = new Uint32Array(got!.v.slice(1, 2).buffer);
    expect([words[HI], words[LO]]).toEqual([0x7ff00000, 2]); // bit for bit, quiet bit still clear
    expect(Number.isNaN(got!.v[2]!) && !isStaleNaN(got!.v[2]!)).toBe(true);
  });

  it('answers latestOnly hints with the newest sample at or before the end, stale markers included', async () => {
    const { h } = head();
    const t = Array.from({ length: 300 }, (_, i) => i * 1000);
    const v = new Float64Array(t.map((x) => x / 1000));
    v[299] = STALE_NAN;
    await h.append([{ labels: { __name__: 'm', job: 'a' }, t, v }, s('m', [5000], [7], { job: 'b' })]);
    const latest = (endMs: number) => h.select([mustMatcher('__name__', '=', 'm')], { startMs: endMs - 300_000, endMs, stepMs: 0, rangeMs: 0, latestOnly: true }, ABORT);
    // Newest sample inside the window: just that one, bit for bit.
    const now = await latest(299_000);
    expect(now.map((x) => [x.labels['job'], Array.from(x.t)])).toEqual([['a', [299_000]], ['b', [5000]]]);
    expect(isStaleNaN(now[0]!.v[0]!)).toBe(true);
    // Answers share buffers: each is its own one-sample view.
    expect(now.map((x) => [x.t.length, x.v.length, x.v[0] === 7])).toEqual([[1, 1, false], [1, 1, true]]);
    // An end before the newest sample: the answer must still contain the sample at or before the end.
    const past = await latest(150_500);
    const last = past[0]!;
    expect(last.t.at(-1)).toBe(150_000);
    expect(last.v.at(-1)).toBe(150);
    expect(past.map((x) => [x.labels['job'], x.v.at(-1)])).toEqual([['a', 150], ['b', 7]]);
    // Outside the lookback window: nothing for that series.
    expect((await latest(400_000)).map((x) => x.labels['job'])).toEqual(['a']);
    expect((await latest(306_000)).map((x) => x.labels['job'])).toEqual(['a']);
  });

  it('rejects when the signal is aborted', async () => {
    const { h } = head();
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await expect(h.select([], range(0, 1), ac.signal)).rejects.toThrow('gone');
  });
});

describe('metadata queries', () => {
  it('answers labelNames, labelValues and series over matcher sets and time ranges', async () => {
    const { h } = head();
    await h.append([s('up', [1000], [1], { job: 'api' }), s('up', [5000], [1], { job: 'db', env: 'prod' }), s('x', [1000], [1], { zone: 'z' })]);
    const up = [[mustMatcher('__name__', '=', 'up')]];
    expect(await h.labelNames([], 0, 10_000)).toEqual(['__name__', 'env', 'job', 'zone']);
    expect(await h.labelNames(up, 0, 2000)).toEqual(['__name__', 'job']);
    expect(await h.labelValues('job', up, 0, 10_000)).toEqual(['api', 'db']);
    expect(await h.labelValues('job', [[mustMatcher('zone', '=', 'z')], [mustMatcher('env', '=', 'prod')]], 0, 10_000)).toEqual(['db']);
    expect(await h.series(up, 4000, 6000)).toEqual([{ __name__: 'up', env: 'prod', job: 'db' }]);
  });
});

describe('retention and churn', () => {
  it('drops old chunks, then series left empty, and reports stats', async () => {
    const { h, clock } = head({ retentionMs: HOUR });
    const t = Array.from({ length: 240 }, (_, i) => NOW - HOUR + 1 + i * 1000);
    await h.append([s('old', [NOW - HOUR + 10], [1]), s('long', t, t)]);
    expect(h.stats()).toEqual({ activeSeries: 2, samplesInHead: 241, minTimeMs: NOW - HOUR + 1, maxTimeMs: NOW - HOUR + 1 + 239_000 });
    clock.advance(100_000);
    expect(h.applyRetention()).toBe(1);
    expect(h.stats().activeSeries).toBe(1);
    expect(h.stats().samplesInHead).toBe(240); // the first chunk ends after the cut: kept whole
    clock.advance(20_000);
    expect(h.applyRetention()).toBe(0);
    expect(h.stats().samplesInHead).toBe(120);
    expect(await h.labelValues('__name__', [], 0, Infinity)).toEqual(['long']);
    expect(await h.select([mustMatcher('__name__', '=', 'old')], range(0, Infinity), ABORT)).toEqual([]);
    await h.append([s('old', [clock.now()], [2])]);
    expect(h.stats().activeSeries).toBe(2);
  });
});

describe('cached matches', () => {
  const names = async (h: Head, ms: ReturnType<typeof mustMatcher>[]): Promise<string[]> =>
    (await h.select(ms, range(0, Infinity), ABORT)).map((x) => `${x.labels['__name__'] ?? ''}{${x.labels['i'] ?? ''}}`);

  it('answer a selector that pins __name__ again after series of other names came, and see new ones of its name', async () => {
    const { h } = head();
    await h.append([s('a', [1], [1], { i: '1' }), s('b', [1], [1], { i: '1' })]);
    const byName = [mustMatcher('__name__', '=', 'a')];
    const byLabel = [mustMatcher('i', '=', '1')];
    const byRegex = [mustMatcher('__name__', '=~', 'a|c')];
    expect(await names(h, byName)).toEqual(['a{1}']);
    expect(await names(h, byLabel)).toEqual(['a{1}', 'b{1}']);
    expect(await names(h, byRegex)).toEqual(['a{1}']);
    await h.append([s('c', [2], [1], { i: '1' })]);
    // Another name: `a` is answered from its cache; selectors not pinning a name see `c`.
    expect(await names(h, byName)).toEqual(['a{1}']);
    expect(await names(h, byLabel)).toEqual(['a{1}', 'b{1}', 'c{1}']);
    expect(await names(h, byRegex)).toEqual(['a{1}', 'c{1}']);
    await h.append([s('a', [3], [1], { i: '0' })]);
    expect(await names(h, byName)).toEqual(['a{0}', 'a{1}']);
    // A name that had no series when first asked for is answered again once it has some.
    const byNew = [mustMatcher('__name__', '=', 'd')];
    expect(await names(h, byNew)).toEqual([]);
    await h.append([s('d', [4], [1], { i: '1' })]);
    expect(await names(h, byNew)).toEqual(['d{1}']);
    await h.append([s('d', [4], [1], { i: '2' })]);
    expect(await names(h, byNew)).toEqual(['d{1}', 'd{2}']);
  });

  it('drop series of a name that retention removed', async () => {
    const { h, clock } = head({ retentionMs: HOUR });
    await h.append([s('old', [NOW - HOUR + 10], [1], { i: '1' }), s('old', [NOW], [1], { i: '2' }), s('other', [NOW], [1])]);
    const byName = [mustMatcher('__name__', '=', 'old')];
    expect(await names(h, byName)).toEqual(['old{1}', 'old{2}']);
    clock.advance(100_000);
    expect(h.applyRetention()).toBe(1);
    expect(await names(h, byName)).toEqual(['old{2}']);
  });
});

describe('goG', () => {
  it.each([[1, '1'], [0.5, '0.5'], [1e6, '1e+06'], [123456, '123456'], [1e-5, '1e-05'], [-2.5e21, '-2.5e+21'], [Infinity, '+Inf'], [NaN, 'NaN']])('%s -> %s', (x, want) => {
    expect(goG(x)).toBe(want);
  });
});

describe('series found by their frozen labels object', () => {
  it('keeps one series whether a batch names it by the same object or by equal labels', async () => {
    const { h } = head();
    const frozen = Object.freeze({ __name__: 'm', job: 'a' });
    h.appendSync([{ labels: frozen, t: [1], v: [1] }]);
    const r = h.appendSync([{ labels: frozen, t: [2], v: [2] }, { labels: { __name__: 'm', job: 'a' }, t: [2], v: [3] }, { labels: frozen, t: [3], v: [3] }]);
    expect(r.accepted).toBe(2);
    expect(r.rejected.map((x) => x.reason)).toEqual(['duplicate_timestamp']);
    expect(h.stats().activeSeries).toBe(1);
    // The frozen, sorted object is kept as the series' labels rather than copied.
    expect((await h.series([], 0, 10))[0]).toBe(frozen);
  });

  it('does not find a series that retention removed', () => {
    const { h, clock } = head({ retentionMs: HOUR });
    const frozen = Object.freeze({ __name__: 'm' });
    h.appendSync([{ labels: frozen, t: [NOW], v: [1] }]);
    clock.advance(2 * HOUR);
    expect(h.applyRetention()).toBe(1);
    h.appendSync([{ labels: frozen, t: [clock.now()], v: [2] }]);
    expect(h.stats()).toMatchObject({ activeSeries: 1, samplesInHead: 1 });
  });
});

describe('deferred WAL writes (appendDeferred)', () => {
  const walBytes = (storage: MemoryWalStorage): number => [...storage.dir('t1').segments.values()].reduce((n, b) => n + b.length, 0);
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const dump = async (h: TenantTsdb): Promise<unknown[]> =>
    (await h.select([], range(-Infinity, Infinity), ABORT)).map((x) => [x.labels, Array.from(x.t), Array.from(new Uint32Array(x.v.buffer, x.v.byteOffset, x.v.length * 2))]);
  const open = (storage: MemoryWalStorage): HeadSet => new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, storage, retentionMs: 0, maintenanceIntervalMs: 0 });

  it('answers queries at once, writes the WAL at the end of the turn in append order, and replays the same', async () => {
    const storage = new MemoryWalStorage();
    const db = open(storage);
    const h = await db.head('t1');
    const before = walBytes(storage);
    expect(h.appendDeferred([s('a', [1000], [1])]).accepted).toBe(1);
    expect(h.appendDeferred([{ labels: { __name__: 'b' }, t: [1000], v: new Float64Array([STALE_NAN]) }]).accepted).toBe(1);
    expect((await h.select([mustMatcher('__name__', '=', 'a')], range(0, 2000), ABORT)).map((x) => Array.from(x.v))).toEqual([[1]]);
    expect(walBytes(storage)).toBe(before);
    // An ordinary append writes the deferred records first (they create the series it may use).
    await h.append([s('a', [2000], [2]), s('c', [2000], [3])]);
    const flushed = walBytes(storage);
    expect(flushed).toBeGreaterThan(before);
    h.appendDeferred([s('c', [3000], [4])]);
    h.appendDeferred([s('d', [3000], [5])]);
    expect(walBytes(storage)).toBe(flushed);
    await turn();
    expect(walBytes(storage)).toBeGreaterThan(flushed);
    const want = await dump(h);
    await db.close();
    const again = open(storage);
    expect(await dump(await again.head('t1'))).toEqual(want);
    expect(want).toHaveLength(4);
    await again.close();
  });

  it('writes pending records when the head closes before the turn ends', async () => {
    const storage = new MemoryWalStorage();
    const db = open(storage);
    const h = await db.head('t1');
    h.appendDeferred([s('a', [1000], [1])]);
    await db.close();
    const again = open(storage);
    expect(await dump(await again.head('t1'))).toEqual([[{ __name__: 'a' }, [1000], Array.from(new Uint32Array(new Float64Array([1]).buffer))]]);
    await again.close();
    expect(() => h.appendDeferred([s('a', [2000], [2])])).toThrow('closed');
  });
});
