import { describe, expect, it } from 'vitest';
import { PromQLQueryError } from '../api.js';
import { MemorySeriesSource } from '../memory-source.js';
import { createEngine } from './index.js';
import { prepareInstant, usesQueryTime } from './instant-prepare.js';
import { parseExpr } from '../parser/index.js';
import { parse } from './test-source.js';
import { FUNCTION_IMPLS } from '../functions/registry.js';

describe('usesQueryTime', () => {
  it.each([
    ['max(m{a="b"}) > 5', false],
    ['m @ 100', false],
    ['m @ start()', true],
    ['sum(rate(m[5m] @ end()))', true],
    ['max_over_time(m[5m:1m] @ start())', true],
    ['rate(m[5m:1m])', false],
    ['time() - end()', true],
    ['-(start())', true],
    ['vector(time())', false],
    ['"text"', false],
  ])('%s -> %s', (q, want) => {
    expect(usesQueryTime(parse(q))).toBe(want);
  });
});

describe('prepareInstant', () => {
  it('prepares a time-independent expression once', () => {
    const e = parse('max(m) > 5');
    const first = prepareInstant(e, 1000);
    expect(prepareInstant(e, 99_000)).toBe(first);
  });

  it('prepares an expression using the query time for each time', () => {
    const e = parse('m @ end()');
    const a = prepareInstant(e, 1000);
    const b = prepareInstant(e, 99_000);
    expect(b).not.toBe(a);
    expect(JSON.stringify(b)).toContain('99000');
  });

  it('reports a bad duration expression as bad_data, every time', () => {
    const r = parseExpr('m[step()]', { enableDurationExpressions: true });
    if (!r.ok) throw new Error('does not parse');
    const e = r.expr;
    for (let i = 0; i < 2; i++) {
      try {
        prepareInstant(e, 1000);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(PromQLQueryError);
        expect((err as PromQLQueryError).type).toBe('bad_data');
      }
    }
  });

  it('a reused expression evaluates at each query time (results are not cached)', async () => {
    const src = new MemorySeriesSource();
    src.add({ __name__: 'm' }, 0, 1);
    src.add({ __name__: 'm' }, 60_000, 2);
    const engine = createEngine(FUNCTION_IMPLS);
    const e = parse('max(m) + time()');
    const at = async (t: number): Promise<unknown> => {
      const r = await engine.instantQuery(src, e, t);
      return r.value.type === 'vector' ? r.value.samples.map((s) => s.v) : r.value.type;
    };
    expect(await at(30_000)).toEqual([31]);
    expect(await at(90_000)).toEqual([92]);
  });
});
