import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../value.js';
import { instantQuery, rangeQuery } from './index.js';
import { load, parse } from './test-source.js';

const MIN = 60_000;

const src = load(
  MIN,
  `
req{job="api",inst="1"} 10
req{job="api",inst="2"} 20
req{job="db",inst="1"} 30
lim{job="api"} 100
lim{job="db"} 200
other{job="api",inst="1"} 1
dup{job="api",x="1"} 1
dup{job="api",x="2"} 2
`,
);

function out(v: QueryValue): string[] {
  if (v.type === 'scalar') return [`scalar ${v.v}`];
  if (v.type !== 'vector') throw new Error(v.type);
  return v.samples
    .map((s) => {
      const names = Object.keys(s.labels).sort();
      return `${names.map((n) => `${n}=${s.labels[n] ?? ''}`).join(',')} ${s.v}`;
    })
    .sort();
}

async function run(q: string): Promise<string[]> {
  return out((await instantQuery(src, parse(q), 0)).value);
}

describe('scalar operators', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['2 ^ 3 ^ 2', 512],
    ['-7 % 3', -1],
    ['7 % -3', 1],
    ['1 ^ NaN', 1],
    ['5 > bool 3', 1],
    ['5 == bool 3', 0],
    ['1 / 0', Infinity],
    ['0 / 0', NaN],
    ['2 atan2 0', Math.PI / 2],
  ])('%s = %s', async (q, want) => {
    const r = await instantQuery(src, parse(q), 0);
    expect(r.value).toMatchObject({ type: 'scalar', v: want });
  });
});

describe('vector and scalar', () => {
  it.each([
    ['req * 2', ['inst=1,job=api 20', 'inst=1,job=db 60', 'inst=2,job=api 40']],
    ['req > 15', ['__name__=req,inst=1,job=db 30', '__name__=req,inst=2,job=api 20']],
    ['15 < req', ['__name__=req,inst=1,job=db 30', '__name__=req,inst=2,job=api 20']],
    ['req > bool 15', ['inst=1,job=api 0', 'inst=1,job=db 1', 'inst=2,job=api 1']],
    ['20 - req', ['inst=1,job=api 10', 'inst=1,job=db -10', 'inst=2,job=api 0']],
    ['-req{inst="1"}', ['inst=1,job=api -10', 'inst=1,job=db -30']],
  ])('%s', async (q, want) => expect(await run(q)).toEqual(want));
});

describe('vector matching', () => {
  it.each([
    ['req / on(job) group_left lim', ['inst=1,job=api 0.1', 'inst=1,job=db 0.15', 'inst=2,job=api 0.2']],
    ['lim / on(job) group_right req', ['inst=1,job=api 10', 'inst=1,job=db 6.666666666666667', 'inst=2,job=api 5']],
    ['req * on(job) group_left(x) dup{x="1"}', ['inst=1,job=api,x=1 10', 'inst=2,job=api,x=1 20']],
    ['req - ignoring(inst) group_left lim', ['inst=1,job=api -90', 'inst=1,job=db -170', 'inst=2,job=api -80']],
    ['req == ignoring(inst) group_left lim', []],
    ['req != bool ignoring(inst) group_left lim', ['inst=1,job=api 1', 'inst=1,job=db 1', 'inst=2,job=api 1']],
    ['req + other', ['inst=1,job=api 11']],
    ['req > other', ['__name__=req,inst=1,job=api 10']],
    ['req and other', ['__name__=req,inst=1,job=api 10']],
    ['req unless other', ['__name__=req,inst=1,job=db 30', '__name__=req,inst=2,job=api 20']],
    ['req and on(job) lim{job="db"}', ['__name__=req,inst=1,job=db 30']],
    ['other or lim', ['__name__=lim,job=api 100', '__name__=lim,job=db 200', '__name__=other,inst=1,job=api 1']],
    ['other or on(job) lim', ['__name__=lim,job=db 200', '__name__=other,inst=1,job=api 1']],
    ['req and nothing', []],
  ])('%s', async (q, want) => expect(await run(q)).toEqual(want));

  it.each([
    ['req / on(job) lim', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'],
    [
      'lim / on(job) dup',
      'found duplicate series for the match group {job="api"} on the right hand-side of the operation: [{__name__="dup", job="api", x="1"}, {__name__="dup", job="api", x="2"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    [
      'dup / on(job) group_right lim',
      'found duplicate series for the match group {job="api"} on the left hand-side of the operation: [{__name__="dup", job="api", x="1"}, {__name__="dup", job="api", x="2"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ],
    ['req * on(inst) group_left(job) other', 'multiple matches for labels: grouping labels must ensure unique matches'],
    ['{__name__=~"req|other"} + 0', 'vector cannot contain metrics with the same labelset'],
  ])('%s fails', async (q, msg) => {
    await expect(instantQuery(src, parse(q), 0)).rejects.toMatchObject({ type: 'execution', message: msg });
  });
});

// Range queries take the step-invariant pairing path when no step can fail, and the step-by-step
// path otherwise; both must give the same series and values.
describe('vector matching over steps', () => {
  const steps = load(
    MIN,
    `
a{job="x",i="1"} 1 2 3 4
a{job="x",i="2"} _ _ 5 6
b{job="x"} 10 stale 30 40
c{job="x",v="1"} 100 100 stale _
c{job="x",v="2"} _ _ 200 200
d{job="x",i="1"} 1 stale _ _
d{job="x",i="1",k="2"} _ _ _ 1
`,
  );

  async function range(q: string): Promise<string[]> {
    const r = await rangeQuery(steps, parse(q), 0, 3 * MIN, MIN);
    if (r.value.type !== 'matrix') throw new Error(r.value.type);
    return r.value.series.map((s) => `${JSON.stringify(s.labels)} ${Array.from(s.v).join(',')} @${Array.from(s.t, (t) => t / MIN).join(',')}`);
  }

  it.each([
    ['a * on(job) group_left b', ['{"i":"1","job":"x"} 10,90,160 @0,2,3', '{"i":"2","job":"x"} 150,240 @2,3']],
    ['a > on(job) group_left b', []],
    ['a <= bool on(job) group_left b', ['{"i":"1","job":"x"} 1,1,1 @0,2,3', '{"i":"2","job":"x"} 1,1 @2,3']],
    // Two rhs series share the match group but never at the same step: no error.
    ['a * on(job) group_left c', ['{"i":"1","job":"x"} 100,200,600,800 @0,1,2,3', '{"i":"2","job":"x"} 1000,1200 @2,3']],
    // Two lhs series in one group, never at the same step: one-to-one still matches.
    ['d + on(job) b', ['{"job":"x"} 11,41 @0,3']],
  ])('%s', async (q, want) => expect(await range(q)).toEqual(want));

  it('reports a duplicate on the right at the first step it happens', async () => {
    const both = load(MIN, 'r{job="x",v="1"} 1 1\nr{job="x",v="2"} _ 2\nl{job="x"} 1 1');
    await expect(rangeQuery(both, parse('l * on(job) r'), 0, MIN, MIN)).rejects.toMatchObject({ message: expect.stringContaining('found duplicate series for the match group {job="x"}') as unknown });
  });
});
