import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import type { MatchType } from '../core/matcher.js';
import { isStaleNaN, STALE_NAN } from '../core/stale-nan.js';
import { MemorySeriesSource } from './memory-source.js';
import type { SelectHints } from './value.js';

const ALL: SelectHints = { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 };
const signal = new AbortController().signal;

function m(name: string, type: MatchType, value: string) {
  return mustMatcher(name, type, value);
}

function fixture(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  for (let i = 0; i < 5; i++) {
    src.add({ __name__: 'http_requests', job: 'api', instance: String(i) }, i * 1000, i);
    src.add({ __name__: 'http_requests', job: 'web', instance: String(i) }, i * 1000, 10 + i);
  }
  src.add({ __name__: 'up', job: 'api' }, 0, 1);
  return src;
}

describe('MemorySeriesSource.select', () => {
  it.each<[string, [string, MatchType, string][], number]>([
    ['by name', [['__name__', '=', 'http_requests']], 10],
    ['name and label', [['__name__', '=', 'http_requests'], ['job', '=', 'web']], 5],
    ['regex', [['__name__', '=~', 'http_.*'], ['instance', '=~', '[12]']], 4],
    ['negative regex', [['__name__', '!~', 'http_.*']], 1],
    ['not equal', [['job', '!=', 'api']], 5],
    ['absent label matches empty', [['instance', '=', '']], 1],
    ['unknown value', [['job', '=', 'nope']], 0],
    ['no matchers', [], 11],
    ['regex on a label no series has', [['nolabel', '=~', '.+']], 0],
    ['non-empty via !=', [['instance', '!=', '']], 10],
    ['regex matching empty keeps series without the label', [['instance', '=~', '|0']], 3],
  ])('%s', async (_n, ms, count) => {
    const got = await fixture().select(ms.map(([a, b, c]) => m(a, b, c)), ALL, signal);
    expect(got).toHaveLength(count);
  });

  it('returns series sorted by labels (Go labels.Compare)', async () => {
    const src = new MemorySeriesSource();
    src.add({ __name__: 'b', x: '1' }, 0, 1);
    src.add({ __name__: 'a', y: '1' }, 0, 1);
    src.add({ __name__: 'a' }, 0, 1);
    src.add({ __name__: 'a', x: '2' }, 0, 1);
    src.add({ __name__: 'a', x: '10' }, 0, 1);
    const got = await src.select([m('__name__', '=~', '.+')], ALL, signal);
    expect(got.map((s) => s.labels)).toEqual([{ __name__: 'a' }, { __name__: 'a', x: '10' }, { __name__: 'a', x: '2' }, { __name__: 'a', y: '1' }, { __name__: 'b', x: '1' }]);
    const narrow = await src.select([m('__name__', '=', 'a')], ALL, signal);
    expect(narrow.map((s) => s.labels['x'] ?? s.labels['y'] ?? '-')).toEqual(['-', '10', '2', '1']);
  });

  it('cuts samples to [startMs, endMs] inclusive', async () => {
    const src = new MemorySeriesSource();
    for (let i = 0; i < 5; i++) src.add({ job: 'api' }, i * 1000, i);
    const got = await src.select([m('job', '=', 'api')], { startMs: 1000, endMs: 3000, stepMs: 0, rangeMs: 0 }, signal);
    expect(got).toHaveLength(1);
    expect(Array.from(got[0]!.t)).toEqual([1000, 2000, 3000]);
    expect(Array.from(got[0]!.v)).toEqual([1, 2, 3]);
  });

  it('keeps series with no sample in range (empty arrays)', async () => {
    const got = await fixture().select([m('__name__', '=', 'up')], { startMs: 5000, endMs: 9000, stepMs: 0, rangeMs: 0 }, signal);
    expect(got).toHaveLength(1);
    expect(got[0]!.t.length).toBe(0);
  });

  it('out-of-order and duplicate samples: sorted, last write wins, earlier views unchanged', async () => {
    const src = new MemorySeriesSource();
    const l = { __name__: 'x' };
    src.add(l, 2000, 2);
    src.add(l, 0, 0);
    const before = (await src.select([], ALL, signal))[0]!;
    src.add(l, 1000, 1);
    src.add(l, 2000, 20);
    const after = (await src.select([], ALL, signal))[0]!;
    expect(Array.from(before.t)).toEqual([0, 2000]);
    expect(Array.from(before.v)).toEqual([0, 2]);
    expect(Array.from(after.t)).toEqual([0, 1000, 2000]);
    expect(Array.from(after.v)).toEqual([0, 1, 20]);
  });

  it('grows past its initial capacity and keeps stale markers', async () => {
    const src = new MemorySeriesSource();
    for (let i = 0; i < 1000; i++) src.add({ __name__: 'g' }, i, i === 500 ? STALE_NAN : i);
    const [s] = await src.select([], { startMs: 499, endMs: 501, stepMs: 0, rangeMs: 0 }, signal);
    expect(Array.from(s!.t)).toEqual([499, 500, 501]);
    expect(isStaleNaN(s!.v[1]!)).toBe(true);
  });

  it('addStale writes the marker bits, in order and out of order', async () => {
    const src = new MemorySeriesSource();
    src.add({ __name__: 'g' }, 0, 1);
    src.add({ __name__: 'g' }, 20, 3);
    src.addStale({ __name__: 'g' }, 30);
    src.addStale({ __name__: 'g' }, 10);
    const [s] = await src.select([], ALL, signal);
    expect(Array.from(s!.t)).toEqual([0, 10, 20, 30]);
    expect([isStaleNaN(s!.v[1]!), isStaleNaN(s!.v[3]!), s!.v[2]]).toEqual([true, true, 3]);
  });

  it('label key order does not make a new series', async () => {
    const src = new MemorySeriesSource();
    src.add({ a: '1', b: '2' }, 0, 1);
    src.add({ b: '2', a: '1' }, 1, 2);
    expect(src.seriesCount).toBe(1);
    const [s] = await src.select([], ALL, signal);
    expect(Object.keys(s!.labels)).toEqual(['a', 'b']);
  });

  it('clear drops everything', async () => {
    const src = fixture();
    src.clear();
    expect(await src.select([], ALL, signal)).toEqual([]);
    src.add({ __name__: 'up' }, 0, 1);
    expect(await src.select([m('__name__', '=', 'up')], ALL, signal)).toHaveLength(1);
  });

  it('addSeries checks lengths', () => {
    expect(() => new MemorySeriesSource().addSeries({ a: '1' }, [1, 2], [1])).toThrow(RangeError);
  });

  it('rejects an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(fixture().select([], ALL, ac.signal)).rejects.toThrow('stop');
  });

  it('selects from 10k series by an equality matcher quickly', async () => {
    const src = new MemorySeriesSource();
    for (let i = 0; i < 10_000; i++) for (let t = 0; t < 10; t++) src.add({ __name__: 'm', pod: `p${i}`, shard: String(i % 100) }, t * 15_000, t);
    const start = performance.now();
    let n = 0;
    for (let k = 0; k < 100; k++) n += (await src.select([m('__name__', '=', 'm'), m('shard', '=', String(k))], ALL, signal)).length;
    expect(n).toBe(10_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  // The time cut interpolates a first guess; irregular and jittered timestamps must still cut exactly.
  it.each<[string, (i: number) => number]>([
    ['regular', (i) => i * 15_000],
    ['jittered', (i) => i * 15_000 + ((i * 7919) % 5000)],
    ['a gap in the middle', (i) => (i < 100 ? i * 1000 : 3_600_000 + i * 1000)],
    ['dense start, sparse end', (i) => (i < 150 ? i : 1000 + i * 10_000)],
  ])('cuts %s timestamps exactly for every range', async (_n, ts) => {
    const src = new MemorySeriesSource();
    const times = Array.from({ length: 200 }, (_, i) => ts(i));
    for (const t of times) src.add({ __name__: 'x' }, t, t);
    const last = times[times.length - 1] as number;
    for (let k = 0; k < 300; k++) {
      const a = Math.floor((k * 104_729) % (last + 20_000)) - 10_000;
      const b = a + ((k * 31_337) % (last / 2));
      const [got] = await src.select([m('__name__', '=', 'x')], { ...ALL, startMs: a, endMs: b }, signal);
      expect(Array.from(got?.t ?? []), `[${a}, ${b}]`).toEqual(times.filter((t) => t >= a && t <= b));
    }
  });

  it('sees series added after a cached selection', async () => {
    const src = fixture();
    const sel = [m('job', '=', 'api')];
    expect(await src.select(sel, ALL, signal)).toHaveLength(6);
    src.add({ __name__: 'new', job: 'api' }, 0, 1);
    expect(await src.select(sel, ALL, signal)).toHaveLength(7);
  });
});
