import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../value.js';
import { instantQuery, rangeQuery } from './index.js';
import { load, parse, RecordingSource } from './test-source.js';

const MIN = 60_000;

function vec(v: QueryValue): Array<[string, number]> {
  if (v.type !== 'vector') throw new Error(`expected vector, got ${v.type}`);
  return v.samples.map((s) => [JSON.stringify(s.labels), s.v]);
}

// foo at 0,1m,...; bar stops at 2m; baz has a stale marker at 3m.
const src = load(
  MIN,
  `
foo{job="a"} 1 2 3 4 5 6 7 8 9 10
bar{job="a"} 10 20 30
baz{job="a"} 1 2 3 stale 5
`,
);

describe('instant selectors', () => {
  it.each([
    ['foo', 0, [['{"__name__":"foo","job":"a"}', 1]]],
    ['foo', 30_000, [['{"__name__":"foo","job":"a"}', 1]]],
    ['bar', 2 * MIN + 5 * MIN - 1, [['{"__name__":"bar","job":"a"}', 30]]],
    // A sample exactly lookback old is outside the left-open window.
    ['bar', 2 * MIN + 5 * MIN, []],
    ['baz', 3 * MIN, []],
    ['baz', 3 * MIN + 30_000, []],
    ['baz', 4 * MIN, [['{"__name__":"baz","job":"a"}', 5]]],
    ['foo offset 2m', 5 * MIN, [['{"__name__":"foo","job":"a"}', 4]]],
    ['foo offset -2m', 3 * MIN, [['{"__name__":"foo","job":"a"}', 6]]],
    ['foo @ 120', 9 * MIN, [['{"__name__":"foo","job":"a"}', 3]]],
    ['foo @ 180 offset 1m', 0, [['{"__name__":"foo","job":"a"}', 3]]],
    ['foo @ start()', 4 * MIN, [['{"__name__":"foo","job":"a"}', 5]]],
    ['nothing', 0, []],
  ])('%s at %d', async (q, t, want) => {
    const r = await instantQuery(src, parse(q), t);
    expect(vec(r.value)).toEqual(want);
  });

  it('honours a custom lookback delta', async () => {
    const r = await instantQuery(src, parse('bar'), 3 * MIN, { lookbackDeltaMs: MIN });
    expect(vec(r.value)).toEqual([]);
  });
});

describe('range selectors and top-level matrices', () => {
  it('returns raw points of the left-open window (t-range, t]', async () => {
    const r = await instantQuery(src, parse('foo[2m]'), 4 * MIN);
    expect(r.value.type).toBe('matrix');
    if (r.value.type !== 'matrix') return;
    expect([...(r.value.series[0]?.t ?? [])]).toEqual([3 * MIN, 4 * MIN]);
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([4, 5]);
  });

  it('drops staleness markers from windows', async () => {
    const r = await instantQuery(src, parse('baz[5m]'), 4 * MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([1, 2, 3, 5]);
  });

  it('subquery steps are aligned to multiples of the step from epoch', async () => {
    const r = await instantQuery(src, parse('foo[3m:2m]'), 5 * MIN + 30_000);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.t ?? [])]).toEqual([4 * MIN]);
    const r2 = await instantQuery(src, parse('foo[5m:2m]'), 6 * MIN);
    if (r2.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r2.value.series[0]?.t ?? [])]).toEqual([2 * MIN, 4 * MIN, 6 * MIN]);
  });

  it('range queries refuse range vectors', async () => {
    await expect(rangeQuery(src, parse('foo[1m]'), 0, MIN, MIN)).rejects.toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
  });
});

describe('range queries', () => {
  it('gives each series the steps where it has a value, sorted by labels', async () => {
    const r = await rangeQuery(src, parse('{job="a"}'), 0, 9 * MIN, 3 * MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect(r.value.series.map((s) => s.labels.__name__)).toEqual(['bar', 'baz', 'foo']);
    const baz = r.value.series[1];
    expect([...(baz?.t ?? [])]).toEqual([0, 6 * MIN]);
    expect([...(baz?.v ?? [])]).toEqual([1, 5]);
  });

  it('scalar range queries give one series without labels', async () => {
    const r = await rangeQuery(src, parse('time()'), 0, 2 * MIN, MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect(r.value.series).toHaveLength(1);
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([0, 60, 120]);
  });
});

describe('select hints', () => {
  it.each([
    ['foo', 10 * MIN, { startMs: 5 * MIN + 1, endMs: 10 * MIN, rangeMs: 0 }],
    ['rate(foo[2m] offset 1m)', 10 * MIN, { startMs: 7 * MIN + 1, endMs: 9 * MIN, rangeMs: 2 * MIN, func: 'rate' }],
    ['foo @ 60', 10 * MIN, { startMs: -4 * MIN + 1, endMs: MIN, rangeMs: 0 }],
    ['max_over_time(foo[5m:1m])', 10 * MIN, { startMs: 1, endMs: 10 * MIN, rangeMs: 0, stepMs: MIN }],
  ])('%s', async (q, t, want) => {
    const rec = new RecordingSource(src);
    await instantQuery(rec, parse(q), t);
    expect(rec.calls[0]?.hints).toMatchObject(want);
  });
});
