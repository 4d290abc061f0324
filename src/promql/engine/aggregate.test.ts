import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../value.js';
import { kahanInc, quantile } from './aggregate.js';
import { instantQuery, rangeQuery } from './index.js';
import { load, parse } from './test-source.js';

const MIN = 60_000;

const src = load(
  MIN,
  `
m{g="a",i="1"} 1
m{g="a",i="2"} 2
m{g="a",i="3"} 6
m{g="b",i="1"} 10
m{g="b",i="2"} NaN
n{i="1"} NaN
n{i="2"} NaN
k{i="1"} 1
k{i="2"} 1e100
k{i="3"} 1
k{i="4"} -1e100
big{i="1"} 1.7e308
big{i="2"} 1.7e308
big{i="3"} -1e308
`,
);

function out(v: QueryValue): string[] {
  if (v.type !== 'vector') throw new Error(v.type);
  return v.samples.map((s) => {
    const names = Object.keys(s.labels).sort();
    return `{${names.map((n) => `${n}=${s.labels[n] ?? ''}`).join(',')}} ${s.v}`;
  });
}

async function run(q: string, sorted = true): Promise<string[]> {
  const r = out((await instantQuery(src, parse(q), 0)).value);
  return sorted ? r.sort() : r;
}

describe('aggregations', () => {
  it.each([
    ['sum by (g) (m{g="a"})', ['{g=a} 9']],
    ['sum without (i) (m)', ['{g=a} 9', '{g=b} NaN']],
    ['avg by (g) (m{g="a"})', ['{g=a} 3']],
    ['count by (g) (m)', ['{g=a} 3', '{g=b} 2']],
    ['group by (g) (m)', ['{g=a} 1', '{g=b} 1']],
    ['min by (g) (m)', ['{g=a} 1', '{g=b} 10']],
    ['max by (g) (m)', ['{g=a} 6', '{g=b} 10']],
    ['max(n)', ['{} NaN']],
    ['stdvar(m{g="a"})', ['{} 4.666666666666667']],
    ['stddev(m{g="a"})', ['{} 2.160246899469287']],
    ['stddev(m)', ['{} NaN']],
    ['quantile(0.5, m{g="a"})', ['{} 2']],
    ['quantile(0.75, m{g="a"})', ['{} 4']],
    ['sum(k)', ['{} 2']],
    ['avg(k)', ['{} 0.5']],
    ['avg(big)', ['{} 7.999999999999999e+307']], // incremental mean after overflow, as upstream
    ['sum(big)', ['{} Infinity']],
    ['sum by (__name__) (m)', ['{__name__=m} NaN']],
    ['count_values("v", m{g="a"})', ['{v=1} 1', '{v=2} 1', '{v=6} 1']],
    ['count_values without (i) ("v", m{g="a"})', ['{g=a,v=1} 1', '{g=a,v=2} 1', '{g=a,v=6} 1']],
    ['limitk(2, m{g="a"})', ['{__name__=m,g=a,i=1} 1', '{__name__=m,g=a,i=2} 2']],
    ['limitk(0, m)', []],
    ['limit_ratio(1, m{g="a"})', ['{__name__=m,g=a,i=1} 1', '{__name__=m,g=a,i=2} 2', '{__name__=m,g=a,i=3} 6']],
    ['limit_ratio(0, m)', []],
    ['count(limit_ratio(0.5, m) or limit_ratio(-0.5, m))', ['{} 5']],
    ['count(limit_ratio(0.5, m) and limit_ratio(-0.5, m))', []],
  ])('%s', async (q, want) => expect(await run(q)).toEqual(want));

  it.each([
    ['topk(2, m)', ['{__name__=m,g=b,i=1} 10', '{__name__=m,g=a,i=3} 6']],
    ['topk by (g) (1, m)', ['{__name__=m,g=a,i=3} 6', '{__name__=m,g=b,i=1} 10']],
    ['bottomk(2, m)', ['{__name__=m,g=a,i=1} 1', '{__name__=m,g=a,i=2} 2']],
    ['topk(10, m{g="b"})', ['{__name__=m,g=b,i=1} 10', '{__name__=m,g=b,i=2} NaN']],
    ['bottomk(1, m{g="b"})', ['{__name__=m,g=b,i=1} 10']],
  ])('%s keeps the upstream order', async (q, want) => expect(await run(q, false)).toEqual(want));

  it.each([
    ['topk(NaN, m) or topk(1, m)', 'Parameter value is NaN'],
    ['limit_ratio(NaN, m)', 'Ratio value is NaN'],
    ['topk(1e19, m)', 'Scalar value 10000000000000000000 overflows int64'],
    ['count_values("", m)', 'invalid label name ""'],
  ])('%s fails', async (q, msg) => {
    await expect(instantQuery(src, parse(q), 0)).rejects.toMatchObject({ type: 'execution', message: msg });
  });

  it.each([
    ['quantile(1.5, m)', 'PromQL warning: quantile value should be between 0 and 1, got 1.5'],
    ['quantile(NaN, m)', 'PromQL warning: quantile value should be between 0 and 1, got NaN'],
    ['limit_ratio(-1.1, m)', 'PromQL warning: ratio value should be between -1 and 1, got -1.1, capping to -1'],
  ])('%s warns', async (q, msg) => {
    const r = await instantQuery(src, parse(q), 0);
    expect(r.annotations).toEqual([{ level: 'warning', message: msg }]);
  });

  it('aggregates each step of a range query', async () => {
    const s = load(MIN, 'x{i="1"} 1 2 _\nx{i="2"} 3 _ _');
    const r = await rangeQuery(s, parse('sum(x)'), 0, 2 * MIN, MIN, { lookbackDeltaMs: 30_000 });
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([4, 2]);
  });

  it('topk in a range query keeps each step separately', async () => {
    const s = load(MIN, 'x{i="1"} 1 5\nx{i="2"} 3 2');
    const r = await rangeQuery(s, parse('topk(1, x)'), 0, MIN, MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect(r.value.series.map((x) => [x.labels.i, [...x.t]])).toEqual([
      ['1', [MIN]],
      ['2', [0]],
    ]);
  });
});

describe('helpers', () => {
  it('kahanInc compensates lost low-order bits', () => {
    let [s, c] = [0, 0];
    for (const x of [1, 1e100, 1, -1e100]) [s, c] = kahanInc(x, s, c);
    expect(s + c).toBe(2);
  });

  it.each([
    [0, [3, 1, 2], 1],
    [1, [3, 1, 2], 3],
    [0.5, [4, 1], 2.5],
    [-1, [1], -Infinity],
    [2, [1], Infinity],
    [NaN, [1], NaN],
    [0.5, [], NaN],
  ])('quantile(%s, %j) = %s', (q, xs, want) => expect(quantile(q, [...xs])).toBe(want));
});
