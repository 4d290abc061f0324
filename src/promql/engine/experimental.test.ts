import { describe, expect, it } from 'vitest';
import type { Expr } from '../ast.js';
import { parseExpr } from '../parser/index.js';
import type { QueryValue } from '../value.js';
import { instantQuery, rangeQuery } from './index.js';
import { load, RecordingSource } from './test-source.js';

const S = 1000;
const MIN = 60 * S;

function parse(q: string): Expr {
  const r = parseExpr(q, { experimentalFunctions: true, enableExtendedRangeSelectors: true, enableBinopFillModifiers: true });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.expr;
}

function out(v: QueryValue): string[] {
  const fmt = (labels: Readonly<Record<string, string>>): string => `{${Object.keys(labels).sort().map((n) => `${n}=${labels[n] ?? ''}`).join(',')}}`;
  if (v.type === 'vector') return v.samples.map((s) => `${fmt(s.labels)} ${s.v}`).sort();
  if (v.type === 'matrix') return v.series.map((s) => `${fmt(s.labels)} ${[...s.t].map((t, i) => `${t / S}:${s.v[i] ?? ''}`).join(' ')}`).sort();
  throw new Error(v.type);
}

async function at(src: ReturnType<typeof load>, q: string, t: number): Promise<string[]> {
  return out((await instantQuery(src, parse(q), t)).value);
}

async function failure(src: ReturnType<typeof load>, q: string, t: number): Promise<string> {
  return instantQuery(src, parse(q), t).then(
    () => 'no error',
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );
}

describe('anchored / smoothed selectors', () => {
  // Every 15s: a counter jumping by 4 at 75s, a gauge, and a counter reset at 15s.
  const src = load(15 * S, 'metric 1 2 3 4 5 9 10 11 12 13\ngauge 0 10 20 30\nctr 5 1 2');

  it.each([
    ['increase(metric[1m] anchored)', 20 * S, ['{} 1']],
    ['increase(metric[1m] anchored)', 80 * S, ['{} 7']],
    ['increase(metric[1m] smoothed)', 5 * S, ['{} 0.33333333333333326']],
    ['changes(metric[1m] anchored)', 80 * S, ['{} 4']],
    ['resets(metric[1m] anchored)', 80 * S, ['{} 0']],
    ['resets(ctr[30s] anchored)', 30 * S, ['{} 1']],
    ['increase(ctr[15s] anchored)', 30 * S, ['{} 1']],
    ['delta(gauge[30s] smoothed)', 40 * S, ['{} 20']],
    ['gauge smoothed', 20 * S, ['{__name__=gauge} 13.333333333333334']],
    ['gauge smoothed', 30 * S, ['{__name__=gauge} 20']],
    ['gauge offset 5s smoothed', 20 * S, ['{__name__=gauge} 10']],
    ['gauge[20s] anchored', 40 * S, ['{__name__=gauge} 20:10 30:20 40:20']],
    ['gauge[20s] smoothed', 40 * S, ['{__name__=gauge} 20:13.333333333333334 30:20 40:26.666666666666668']],
    ['gauge[20s] anchored', 20 * MIN, []],
  ])('%s at %ss', async (q, t, want) => expect(await at(src, q, t)).toEqual(want));

  it.each([
    ['max_over_time(metric[1m] smoothed)', 'smoothed modifier can only be used with: delta, increase, rate - not with max_over_time'],
    ['changes(metric[1m] smoothed)', 'smoothed modifier can only be used with: delta, increase, rate - not with changes'],
    ['deriv(metric[1m] anchored)', 'anchored modifier can only be used with: changes, delta, increase, rate, resets - not with deriv'],
  ])('%s fails', async (q, msg) => expect(await failure(src, q, MIN)).toBe(msg));

  it('a smoothed range query interpolates at every step', async () => {
    const r = await rangeQuery(src, parse('gauge smoothed'), 0, 30 * S, 10 * S);
    expect(out(r.value)).toEqual(['{__name__=gauge} 0:0 10:6.666666666666667 20:13.333333333333334 30:20']);
  });

  it.each([
    ['increase(metric[1m] anchored)', { startMs: 10 * MIN - MIN - 5 * MIN + 1, endMs: 10 * MIN }],
    ['rate(metric[1m] smoothed)', { startMs: 10 * MIN - MIN - 5 * MIN + 1, endMs: 15 * MIN }],
    ['metric smoothed', { startMs: 5 * MIN + 1, endMs: 15 * MIN }],
  ])('%s selects the lookback around its range', async (q, want) => {
    const rec = new RecordingSource(src);
    await instantQuery(rec, parse(q), 10 * MIN);
    expect(rec.calls[0]?.hints).toMatchObject(want);
  });
});

describe('binop fill modifiers', () => {
  const src = load(MIN, 'l{k="a"} 1\nl{k="b"} 2\nr{k="a"} 10\nr{k="c"} 30\none{g="x"} 5\nmany{g="x",i="1"} 1\nmany{g="x",i="2"} 2\nmany{g="y",i="3"} 3');

  it.each([
    ['l + r', ['{k=a} 11']],
    ['l + fill(0) r', ['{k=a} 11', '{k=b} 2', '{k=c} 30']],
    ['l + fill_left(100) r', ['{k=a} 11', '{k=c} 130']],
    ['l - fill_right(1) r', ['{k=a} -9', '{k=b} 1']],
    ['l > bool fill(5) r', ['{k=a} 0', '{k=b} 0', '{k=c} 0']],
    ['l < fill(5) r', ['{__name__=l,k=a} 1', '{__name__=l,k=b} 2', '{k=c} 5']],
    ['l + on(k) fill(0) nothing', ['{k=a} 1', '{k=b} 2']],
    ['nothing + fill(0) r', ['{k=a} 10', '{k=c} 30']],
    ['many * on(g) group_left fill_right(10) one', ['{g=x,i=1} 5', '{g=x,i=2} 10', '{g=y,i=3} 30']],
    ['one * on(g) group_right fill_right(0) many', ['{g=x,i=1} 5', '{g=x,i=2} 10', '{g=y,i=3} 0']],
  ])('%s', async (q, want) => expect(await at(src, q, 0)).toEqual(want));

  it('still reports matching errors', async () => {
    expect(await failure(src, 'many + on(g) fill(0) one', 0)).toBe('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
  });
});

describe('info()', () => {
  const src = load(
    MIN,
    `
up{instance="a",job="j"} 1 1 1
up{instance="b",job="j"} 2 2 2
target_info{instance="a",job="j",region="eu"} 1 1 1
build_info{instance="a",job="j",version="1"} 1 1 1
build_info{instance="b",job="j",version="2"} 1 1 1
clash_info{instance="a",job="j",region="us"} 1 1 1
`,
  );

  it.each([
    ['info(up)', ['{__name__=up,instance=a,job=j,region=eu} 1', '{__name__=up,instance=b,job=j} 2']],
    ['info(up, {__name__="build_info"})', ['{__name__=up,instance=a,job=j,version=1} 1', '{__name__=up,instance=b,job=j,version=2} 2']],
    ['info(up, {region=~".+"})', ['{__name__=up,instance=a,job=j,region=eu} 1']],
    ['info(up, {region=~".*"})', ['{__name__=up,instance=a,job=j,region=eu} 1', '{__name__=up,instance=b,job=j} 2']],
    ['info(target_info)', ['{__name__=target_info,instance=a,job=j,region=eu} 1']],
    ['info(up @ 60)', ['{__name__=up,instance=a,job=j,region=eu} 1', '{__name__=up,instance=b,job=j} 2']],
  ])('%s', async (q, want) => expect(await at(src, q, 2 * MIN)).toEqual(want));

  it('fails on a data label two info series disagree on', async () => {
    expect(await failure(src, 'info(up, {__name__=~"target_info|clash_info"})', 2 * MIN)).toBe('conflicting label: region');
  });

  it('selects info series by name over the first argument`s range', async () => {
    const rec = new RecordingSource(src);
    await instantQuery(rec, parse('info(up offset 1m)'), 10 * MIN);
    const infoSelect = rec.calls[1];
    expect(infoSelect?.matchers.map((m) => `${m.name}${m.type}${m.value}`)).toEqual(['__name__=target_info']);
    expect(infoSelect?.hints).toMatchObject({ startMs: 4 * MIN + 1, endMs: 9 * MIN, func: 'info' });
  });
});
