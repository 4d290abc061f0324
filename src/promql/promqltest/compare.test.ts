import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../../core/stale-nan.js';
import type { Annotation, QueryValue } from '../value.js';
import { almostEqual, checkAnnotations, checkExpectedFailure, compareResult } from './compare.js';
import { parseScript } from './script.js';
import type { EvalCommand } from './script.js';

function cmd(text: string): EvalCommand {
  const r = parseScript(text);
  if (!r.ok) throw new Error(r.issues[0]?.message);
  const e = r.value.commands.find((c) => c.kind === 'eval');
  if (e?.kind !== 'eval') throw new Error('no eval');
  return e;
}

const vec = (...s: [Record<string, string>, number][]): QueryValue => ({ type: 'vector', samples: s.map(([labels, v]) => ({ labels, t: 0, v })) });
const mat = (...s: [Record<string, string>, number[], number[]][]): QueryValue => ({
  type: 'matrix',
  series: s.map(([labels, t, v]) => ({ labels, t: Float64Array.from(t), v: Float64Array.from(v) })),
});

describe('almostEqual', () => {
  it.each<[number, number, boolean]>([
    [1, 1, true],
    [1, 1 + 1e-7, true],
    [1, 1.00001, false],
    [NaN, NaN, true],
    [STALE_NAN, STALE_NAN, true],
    [STALE_NAN, NaN, false],
    [NaN, STALE_NAN, false],
    [0, 1e-300, false],
    [0, 0, true],
    [Infinity, Infinity, true],
    [Infinity, -Infinity, false],
    [1e308, 1.0000001e308, true],
  ])('%s ~ %s = %s', (a, b, want) => {
    expect(almostEqual(a, b)).toBe(want);
  });
});

describe('compareResult', () => {
  const c = cmd('eval instant at 1m m\n  m{a="1"} 1\n  m{a="2"} 2');

  it.each<[string, QueryValue, string | undefined]>([
    ['same vector in any order', vec([{ __name__: 'm', a: '2' }, 2], [{ __name__: 'm', a: '1' }, 1]), undefined],
    ['missing series', vec([{ __name__: 'm', a: '1' }, 1]), 'expected metric {__name__="m", a="2"} with [2] not found'],
    ['extra series', vec([{ __name__: 'm', a: '1' }, 1], [{ __name__: 'm', a: '2' }, 2], [{ a: '3' }, 3]), 'unexpected metric {a="3"} in result, has value 3'],
    ['wrong value', vec([{ __name__: 'm', a: '1' }, 1], [{ __name__: 'm', a: '2' }, 2.5]), 'expected 2 for {__name__="m", a="2"} but got 2.5'],
    ['scalar', { type: 'scalar', t: 0, v: 1 }, 'expected vector or matrix result, but got scalar: 1 @[0]'],
  ])('%s', (_name, value, want) => {
    expect(compareResult(c, value)).toBe(want);
  });

  it('ordered vectors must follow the script order', () => {
    const o = cmd('eval instant at 1m sort(m)\n  expect ordered\n  {a="1"} 1\n  {a="2"} 2');
    expect(compareResult(o, vec([{ a: '1' }, 1], [{ a: '2' }, 2]))).toBeUndefined();
    expect(compareResult(o, vec([{ a: '2' }, 2], [{ a: '1' }, 1]))).toContain('at position 2 but was at 1');
    expect(compareResult(o, mat())).toBe('expected ordered result, but query returned a matrix');
  });

  it('scalars and strings', () => {
    expect(compareResult(cmd('eval instant at 0 1\n  1'), { type: 'scalar', t: 0, v: 1 })).toBeUndefined();
    expect(compareResult(cmd('eval instant at 0 1\n  2'), { type: 'scalar', t: 0, v: 1 })).toBe('expected scalar 2 but got 1');
    expect(compareResult(cmd('eval instant at 0 1\n  2'), vec())).toContain('expected scalar result');
    expect(compareResult(cmd('eval instant at 0 "a"\n  expect string "a"'), { type: 'string', t: 0, v: 'a' })).toBeUndefined();
    expect(compareResult(cmd('eval instant at 0 "a"\n  expect string "a"'), { type: 'string', t: 0, v: 'b' })).toBe('expected string "a" but got "b"');
  });

  it('matrices: points at start + i*step, omitted points absent', () => {
    const r = cmd('eval range from 0 to 2m step 1m m\n  m 1 _ 3');
    expect(compareResult(r, mat([{ __name__: 'm' }, [0, 120_000], [1, 3]]))).toBeUndefined();
    expect(compareResult(r, mat([{ __name__: 'm' }, [0, 60_000], [1, 3]]))).toContain('to have timestamp 120000, but it had timestamp 60000');
    expect(compareResult(r, mat([{ __name__: 'm' }, [0], [1]]))).toContain('expected 2 float points and 0 histogram points');
    expect(compareResult(r, mat([{ __name__: 'm' }, [0, 120_000], [1, 4]]))).toContain('to be 3, but got 4');
    expect(compareResult(r, mat())).toBe('expected metric {__name__="m"} not found');
    expect(compareResult(r, mat([{ b: '2' }, [], []], [{ __name__: 'm' }, [0, 120_000], [1, 3]]))).toContain('matrix results should always be sorted');
    const tooMany = cmd('eval range from 0 to 1m step 1m m\n  m 1 2 3');
    expect(compareResult(tooMany, mat([{ __name__: 'm' }, [0, 60_000], [1, 2]]))).toContain('query time range cannot return this many points');
  });

  it('an instant query returning a matrix without `expect range vector` fails on any expected point', () => {
    const i = cmd('eval instant at 1m m[1m]\n  m 1');
    expect(compareResult(i, mat([{ __name__: 'm' }, [60_000], [1]]))).toContain('cannot return this many points');
  });
});

describe('checkAnnotations', () => {
  const w = (message: string): Annotation => ({ level: 'warning', message });
  const i = (message: string): Annotation => ({ level: 'info', message });

  it('nothing is checked without expect lines', () => {
    expect(checkAnnotations(cmd('eval instant at 0 m'), 'm', [w('PromQL warning: x'), i('PromQL info: y')])).toBeUndefined();
  });

  it.each<[string, Annotation[], string | undefined]>([
    ['expect warn', [w('a')], undefined],
    ['expect warn', [], 'expected warn annotations but none were found'],
    ['expect warn msg: a', [w('a'), w('b')], 'unexpected warn annotation "b"'],
    ['expect warn msg: a', [w('b')], 'expected warn annotation matching message "a"'],
    ['expect info regex: ^PromQL info: metric', [i('PromQL info: metric might not be a counter')], undefined],
    ['expect no_warn', [i('x')], undefined],
    ['expect no_warn', [w('x')], 'unexpected warning annotations'],
    ['expect no_info', [i('x')], 'unexpected info annotations'],
  ])('%s with %j', (line, annos, want) => {
    const got = checkAnnotations(cmd(`eval instant at 0 m\n  ${line}`), 'm', annos);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(want);
  });

  it('legacy eval_warn / eval_info need at least one', () => {
    expect(checkAnnotations(cmd('eval_warn instant at 0 m'), 'm', [])).toContain('expected warnings');
    expect(checkAnnotations(cmd('eval_info instant at 0 m'), 'm', [])).toContain('expected info annotations');
    expect(checkAnnotations(cmd('eval_info instant at 0 m'), 'm', [i('x')])).toBeUndefined();
  });
});

describe('checkExpectedFailure', () => {
  it.each<[string, string, boolean]>([
    ['expect fail', 'anything', true],
    ['expect fail msg: boom', 'boom', true],
    ['expect fail msg: boom', 'boom!', false],
    ['expect fail regex: bo+m', 'a boooom here', true],
    ['expect fail regex: ^bo+m$', 'a boom', false],
  ])('%s vs %s', (line, text, ok) => {
    expect(checkExpectedFailure(cmd(`eval instant at 0 m\n  ${line}`), text) === undefined).toBe(ok);
  });

  it('legacy expected_fail_message / expected_fail_regexp', () => {
    expect(checkExpectedFailure(cmd('eval_fail instant at 0 m\n  expected_fail_message boom'), 'boom')).toBeUndefined();
    expect(checkExpectedFailure(cmd('eval_fail instant at 0 m\n  expected_fail_message boom'), 'bang')).toContain('expected error "boom"');
    expect(checkExpectedFailure(cmd('eval_fail instant at 0 m\n  expected_fail_regexp b.ng'), 'bang')).toBeUndefined();
  });
});
