import { describe, expect, it } from 'vitest';
import { FUNCTION_IMPLS } from '../functions/registry.js';
import type { FunctionImpl } from '../functions/types.js';
import type { QueryValue } from '../value.js';
import { createEngine, instantQuery, rangeQuery } from './index.js';
import { load, parse } from './test-source.js';

const MIN = 60_000;
const src = load(
  MIN,
  `
up{job="a"} 1 1 1 1 1
up{job="b"} 0 0 _ _ _
req_total{job="a"} 0 10 20 30 40
gauge{job="a"} 5 4 3 2 1
`,
);

function out(v: QueryValue): string[] {
  if (v.type === 'scalar') return [`scalar ${v.v}`];
  if (v.type !== 'vector') throw new Error(v.type);
  return v.samples
    .map((s) => {
      const names = Object.keys(s.labels).sort();
      return `{${names.map((n) => `${n}=${s.labels[n] ?? ''}`).join(',')}} ${s.v}`;
    })
    .sort();
}

async function run(q: string, t = 4 * MIN): Promise<string[]> {
  return out((await instantQuery(src, parse(q), t)).value);
}

describe('engine functions', () => {
  it.each([
    ['time()', ['scalar 240']],
    ['vector(3)', ['{} 3']],
    ['scalar(up{job="a"})', ['scalar 1']],
    ['scalar(up)', ['scalar NaN']],
    ['timestamp(up{job="a"})', ['{job=a} 240']],
    ['timestamp(up{job="b"})', ['{job=b} 60']],
    ['timestamp(up{job="a"} @ 60)', ['{job=a} 60']],
    ['timestamp(sum(up))', ['{} 240']],
    ['absent(up{job="c", env="x"})', ['{env=x,job=c} 1']],
    ['absent(up{job=~"c"})', ['{} 1']],
    ['absent(up{job="a"})', []],
    ['absent_over_time(up{job="b"}[1m])', ['{job=b} 1']],
    ['absent_over_time(up{job="b"}[5m])', []],
    ['absent_over_time(nothing{job="x"}[5m:1m])', ['{} 1']],
    ['pi()', [`scalar ${Math.PI}`]],
  ])('%s', async (q, want) => expect(await run(q)).toEqual(want));
});

describe('kernels driven by the engine', () => {
  it.each([
    ['rate(req_total[2m])', ['{job=a} 0.16666666666666666']],
    ['last_over_time(gauge[2m])', ['{__name__=gauge,job=a} 1']],
    ['max_over_time(gauge[10m:1m])', ['{job=a} 5']],
    ['abs(gauge - 3)', ['{job=a} 2']],
    ['clamp_max(gauge, 0.5)', ['{job=a} 0.5']],
    ['label_replace(up{job="a"}, "x", "$1", "job", "(.*)")', ['{__name__=up,job=a,x=a} 1']],
    ['quantile_over_time(0.5, gauge[5m])', ['{job=a} 3']],
    ['days_in_month()', ['{} 31']],
  ])('%s', async (q, want) => expect(await run(q)).toEqual(want));

  it('raises the not-a-counter info once', async () => {
    const r = await instantQuery(src, parse('rate(gauge[2m]) + rate(gauge[3m])'), 4 * MIN);
    expect(r.annotations).toEqual([
      { level: 'info', message: 'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "gauge"' },
    ]);
  });

  it('warns about sort in range queries', async () => {
    const r = await rangeQuery(src, parse('sort(up)'), 0, MIN, MIN);
    expect(r.annotations.map((a) => a.message)).toEqual([
      'PromQL warning: sort is ineffective for range queries since results are always ordered by labels',
    ]);
  });

  it('keeps sort order in instant queries', async () => {
    const r = await instantQuery(src, parse('sort_desc(up)'), 0);
    if (r.value.type !== 'vector') throw new Error('vector');
    expect(r.value.samples.map((s) => s.labels.job)).toEqual(['a', 'b']);
  });

  it('rejects label sets that collide after dropping the name', async () => {
    const s = load(MIN, 'a_total{x="1"} 1 2\nb_total{x="1"} 1 2');
    await expect(instantQuery(s, parse('rate({x="1"}[5m])'), MIN)).rejects.toThrow('vector cannot contain metrics with the same labelset');
  });

  it('fails clearly for a function without an implementation', async () => {
    const engine = createEngine(new Map<string, FunctionImpl>());
    await expect(engine.instantQuery(src, parse('abs(up)'), 0)).rejects.toThrow('function "abs" is not implemented');
  });

  it('passes scalar arguments of range functions per step', async () => {
    const r = await rangeQuery(src, parse('quantile_over_time(time() / 240, gauge[5m])'), 2 * MIN, 4 * MIN, 2 * MIN);
    if (r.value.type !== 'matrix') throw new Error('matrix');
    expect([...(r.value.series[0]?.v ?? [])]).toEqual([4, 5]);
  });
});

describe('delayed name removal', () => {
  const delayed = createEngine(FUNCTION_IMPLS, { delayedNameRemoval: true });
  const s = load(MIN, 'm_total{env="1"} 0 60 120\nother_total{env="1"} 0 120 240');
  it.each([
    ['sum by (__name__) (rate(m_total[2m]))', ['{} 1']],
    ['label_replace(rate(m_total[2m]), "__name__", "$1", "__name__", "(.+)")', ['{__name__=m_total,env=1} 1']],
    ['sum(rate({env="1"}[2m])) by (env)', ['{env=1} 3']],
    ['-m_total', ['{env=1} -120']],
  ])('%s', async (q, want) => expect(out((await delayed.instantQuery(s, parse(q), 2 * MIN)).value)).toEqual(want));

  it('reports collisions at the end', async () => {
    await expect(delayed.instantQuery(s, parse('sum by (__name__) (rate({env="1"}[2m]))'), 2 * MIN)).rejects.toThrow(
      'vector cannot contain metrics with the same labelset',
    );
  });
});
