import { describe, expect, it } from 'vitest';
import { instantQuery, rangeQuery } from './index.js';
import { load, parse } from './test-source.js';

const MIN = 60_000;
// c counts up by 1 per minute from 0.
const src = load(MIN, `c ${Array.from({ length: 30 }, (_, i) => i).join(' ')}`);

async function scalarAt(q: string, t: number): Promise<number | undefined> {
  const r = await instantQuery(src, parse(q), t);
  if (r.value.type === 'scalar') return r.value.v;
  if (r.value.type !== 'vector') throw new Error(r.value.type);
  return r.value.samples[0]?.v;
}

describe('subqueries', () => {
  it.each([
    ['count_over_time(c[5m:1m])', 10 * MIN, 5],
    ['count_over_time(c[5m:1m])', 10 * MIN + 30_000, 5],
    ['count_over_time(c[5m:2m])', 10 * MIN, 3],
    ['count_over_time(c[5m:2m])', 11 * MIN, 2],
    ['min_over_time(c[5m:1m] offset 2m)', 10 * MIN, 4],
    ['max_over_time(c[5m:1m] @ 300)', 20 * MIN, 5],
    ['max_over_time(c[5m:1m] @ 300 offset 1m)', 20 * MIN, 4],
    ['max_over_time(max_over_time(c[2m:1m])[4m:2m])', 10 * MIN, 10],
    ['sum_over_time(vector(1)[5m:])', 10 * MIN, 5],
    ['count_over_time((c @ 120)[3m:1m])', 10 * MIN, 3],
    ['max_over_time(vector(time())[2m:1m])', 10 * MIN, 600],
    ['max_over_time(rate(c[2m])[4m:1m])', 10 * MIN, 1 / 60],
  ])('%s at %d', async (q, t, want) => expect(await scalarAt(q, t)).toBeCloseTo(want, 12));

  it('gives the same windows at every step of a range query with @', async () => {
    const r = await rangeQuery(src, parse('max_over_time(c[5m:1m] @ 300)'), 10 * MIN, 12 * MIN, MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([5, 5, 5]);
  });

  it('evaluates nested subqueries in range queries', async () => {
    const r = await rangeQuery(src, parse('min_over_time(c[3m:1m])'), 10 * MIN, 13 * MIN, MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([8, 9, 10, 11]);
  });

  it('returns an empty result when the subquery grid is empty', async () => {
    expect(await scalarAt('count_over_time(c[30s:1m])', 10 * MIN + 45_000)).toBeUndefined();
  });
});
