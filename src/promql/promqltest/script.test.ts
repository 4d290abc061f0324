import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGoNumber } from './go-literals.js';
import { parseScript } from './script.js';
import type { Command, EvalCommand, LoadCommand } from './script.js';

function only<K extends Command['kind']>(text: string, kind: K): Extract<Command, { kind: K }>[] {
  const r = parseScript(text);
  if (!r.ok) throw new Error(r.issues[0]?.message);
  return r.value.commands.filter((c): c is Extract<Command, { kind: K }> => c.kind === kind);
}

function evalOf(text: string): EvalCommand {
  const e = only(text, 'eval')[0];
  if (!e) throw new Error('no eval');
  return e;
}

describe('parseScript commands', () => {
  it('reads load, clear and eval with their lines, skipping comments', () => {
    const r = parseScript(['# comment', 'load 5m', '  m{a="1"} 1 2', '  n 3', '', 'clear', '', 'eval instant at 1m m', '  m{a="1"} 1'].join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.commands.map((c) => [c.kind, c.line])).toEqual([['load', 2], ['clear', 6], ['eval', 8]]);
    const load = r.value.commands[0] as LoadCommand;
    expect(load.intervalMs).toBe(300_000);
    expect(load.series.map((s) => [s.labels, s.values, s.line])).toEqual([
      [{ __name__: 'm', a: '1' }, [1, 2], 3],
      [{ __name__: 'n' }, [3], 4],
    ]);
  });

  it('load_with_nhcb and @st lines', () => {
    const [l] = only('load_with_nhcb 1m\n  m@st _ -1m\n  m 1 2\n', 'load');
    expect(l?.withNhcb).toBe(true);
    expect(l?.hasStartTimestamps).toBe(true);
    expect(l?.series).toHaveLength(1);
  });

  it.each([
    ['load', 'invalid load command'],
    ['load 5x', 'invalid step definition'],
    ['load 1m\n  m 1+', 'expected "<value>{+|-}<delta>x<count>"'],
    ['load 1m\n  m zz', 'bad number or "stale"'],
    ['frobnicate', 'invalid command'],
    ['eval instant at 5x m', 'invalid timestamp definition'],
    ['eval instant m', 'invalid evaluation command'],
    ['eval range from 1m to 0 step 1m m', 'end timestamp (0) is before start timestamp (1m)'],
    ['eval foo', 'invalid evaluation command'],
    ['eval instant at 1m m\n  m 1 2', 'expecting multiple values in instant evaluation not allowed'],
    ['eval instant at 1m m\n  expect bogus', 'invalid expect statement'],
    ['eval instant at 1m m\n  expect warn\n  expect no_warn', 'warn and no_warn cannot be used together'],
    ['eval instant at 1m m\n  expect fail\n  expect fail', 'multiple expect fail lines'],
    ['eval instant at 1m m\n  expect fail regex: (', 'invalid regex'],
    ['eval instant at 1m m\n  expect string Foo', 'expected string literal not valid'],
    ['load 1m\n  m@st 0s\n', '@st line has no following sample line'],
  ])('rejects %j', (text, message) => {
    const r = parseScript(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain(message);
  });

  it('positions an error on its line', () => {
    const r = parseScript('load 1m\n  m 1\n\neval nonsense');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.range?.start.line).toBe(4);
  });
});

describe('parseScript eval', () => {
  it('instant eval with expected vector', () => {
    const e = evalOf('eval instant at 1m30s sum(m) by (a)\n  {a="x"} 1\n  {a="y"} 2');
    expect(e).toMatchObject({ isRange: false, startMs: 90_000, endMs: 90_000, stepMs: 0, expr: 'sum(m) by (a)', excludeFromRangeQuery: false });
    expect(e.expected.map((x) => [x.labels, x.values, x.pos])).toEqual([[{ a: 'x' }, [1], 1], [{ a: 'y' }, [2], 2]]);
  });

  it('range eval with expected matrix', () => {
    const e = evalOf('eval range from 0 to 10m step 5m m\n  m 1 _ 3');
    expect(e).toMatchObject({ isRange: true, startMs: 0, endMs: 600_000, stepMs: 300_000 });
    expect(e.expected[0]?.values).toEqual([1, 'omit', 3]);
  });

  it('scalar expectation ends the block', () => {
    const r = parseScript('eval instant at 0 1+1\n  2\n  m 1');
    expect(r.ok).toBe(false);
    const e = evalOf('eval instant at 0 1+1\n  0x10');
    expect(e.expectedScalar).toBe(16);
    expect(e.expected).toEqual([]);
  });

  it('expect lines, with positions of results not counting them', () => {
    const e = evalOf(['eval instant at 1m sort(m)', '  expect ordered', '  expect warn msg: PromQL warning: x', '  expect info regex: a.c', '  expect no_warn_hidden'].slice(0, 4).join('\n') + '\n  m{a="2"} 1\n  m{a="1"} 2');
    expect(e.expects.ordered).toEqual([{}]);
    expect(e.expects.warn).toEqual([{ message: 'PromQL warning: x' }]);
    expect(e.expects.info).toEqual([{ regex: 'a.c' }]);
    expect(e.expected.map((x) => x.pos)).toEqual([1, 2]);
  });

  it('legacy eval_fail with expected_fail_message / regexp', () => {
    const a = evalOf('eval_fail instant at 1m m\n  expected_fail_message boom');
    expect(a).toMatchObject({ legacyFail: true, expectedFailMessage: 'boom' });
    const b = evalOf('eval_fail range from 0 to 1m step 1m m\n  expected_fail_regexp bo+m');
    expect(b).toMatchObject({ legacyFail: true, expectedFailRegexp: 'bo+m', isRange: true });
    expect(evalOf('eval_ordered instant at 1m m').legacyOrdered).toBe(true);
    expect(evalOf('eval_warn instant at 1m m').legacyWarn).toBe(true);
    expect(evalOf('eval_info range from 0 to 1m step 1m m').legacyInfo).toBe(true);
  });

  it('expect range vector sets the window and the evaluation time', () => {
    const e = evalOf('eval instant at 1m m[1m]\n  expect range vector from 10s to 1m step 10s\n  m{a="1"} 2 3 4 5 6');
    expect(e).toMatchObject({ startMs: 10_000, endMs: 60_000, stepMs: 10_000, expectRangeVector: true, excludeFromRangeQuery: true });
    expect(e.expected[0]?.values).toHaveLength(5);
  });

  it('expect string', () => {
    expect(evalOf('eval instant at 0 "Foo"\n  expect string "Foo"').expectedString).toBe('Foo');
    expect(evalOf('eval instant at 0 ""\n  expect string ""').expectedString).toBe('');
    expect(evalOf('eval instant at 0 "x"\n  expect string `a\\n`').expectedString).toBe('a\\n');
  });
});

describe('parseGoNumber', () => {
  it.each<[string, number | undefined]>([
    ['1', 1], ['-2.5', -2.5], ['0x1F', 31], ['1e3', 1000], ['+Inf', Infinity], ['-Inf', -Infinity], ['NaN', NaN],
    ['inf', Infinity], ['.5', 0.5], ['010', 8], ['1_000', 1000], ['0x1p-2', 0.25],
    ['m', undefined], ['{} 1', undefined], ['1 2', undefined], ['', undefined], ['1e', undefined],
  ])('%s', (s, want) => {
    expect(parseGoNumber(s)).toBe(want);
  });
});

describe('upstream scripts', () => {
  const dir = '/work/shared/conformance/promql';
  const files = readdirSync(dir).filter((f) => f.endsWith('.test'));
  it.each(files)('%s parses', (f) => {
    const r = parseScript(readFileSync(join(dir, f), 'utf8'));
    expect(r.ok ? 'ok' : r.issues[0]?.message).toBe('ok');
    if (r.ok) expect(r.value.commands.some((c) => c.kind === 'eval')).toBe(true);
  });
});
