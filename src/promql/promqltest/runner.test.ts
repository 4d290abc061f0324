import { describe, expect, it } from 'vitest';
import { labelsToString } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import { isStaleNaN } from '../../core/stale-nan.js';
import { PromQLQueryError } from '../api.js';
import type { QueryResult } from '../api.js';
import type { Expr } from '../ast.js';
import type { Sample, Series, SeriesSource } from '../value.js';
import { ScriptSession } from './runner.js';
import type { CaseOutcome, ConformanceEngine } from './runner.js';
import { parseScript } from './script.js';

const P = { start: 0, end: 0 };

interface Quirks {
  ignoreAt?: boolean;
  rangeOffByOne?: boolean;
  warn?: string;
  crash?: boolean;
}

/** A toy engine: bare metric names (optionally `name @ <seconds>`), numbers, "boom" fails, `time()`. */
function toyEngine(q: Quirks = {}): ConformanceEngine {
  const parse: ConformanceEngine['parse'] = (input) => {
    if (input === 'syntax error(') return { ok: false, message: '1:13: parse error: unexpected end of input' };
    if (/^-?\d+(\.\d+)?$/.test(input)) return { ok: true, expr: { kind: 'NumberLiteral', value: Number(input), pos: P } };
    if (input === 'time()') return { ok: true, expr: { kind: 'Call', func: { name: 'time', argTypes: [], variadic: 0, returnType: 'scalar', experimental: false }, args: [], pos: P } };
    const m = /^([a-z_]+)(?: @ (\d+))?$/.exec(input);
    if (!m) return { ok: false, message: `toy cannot parse ${input}` };
    const name = m[1] as string;
    const at = m[2] === undefined ? {} : { timestampMs: Number(m[2]) * 1000 };
    return { ok: true, expr: { kind: 'VectorSelector', name, matchers: [mustMatcher('__name__', '=', name)], offsetMs: 0, pos: P, ...at } };
  };
  const instantAt = async (src: SeriesSource, e: Expr, t: number): Promise<QueryResult> => {
    if (q.crash) throw new TypeError('x is undefined');
    if (e.kind === 'NumberLiteral') return { value: { type: 'scalar', t, v: e.value }, annotations: [] };
    if (e.kind === 'Call') return { value: { type: 'scalar', t, v: t / 1000 }, annotations: [] };
    if (e.kind !== 'VectorSelector') throw new Error('toy');
    if (e.name === 'boom') throw new PromQLQueryError('execution', 'boom happened');
    const ts = q.ignoreAt ? t : (e.timestampMs ?? t);
    const got = await src.select(e.matchers, { startMs: ts - 300_000 + 1, endMs: ts, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
    const samples: Sample[] = [];
    for (const s of got) {
      const v = s.v[s.v.length - 1];
      if (v !== undefined && !isStaleNaN(v)) samples.push({ labels: s.labels, t, v });
    }
    return { value: { type: 'vector', samples }, annotations: q.warn ? [{ level: 'warning', message: q.warn }] : [] };
  };
  return {
    parse,
    instantQuery: (src, e, t) => instantAt(src, e, t),
    async rangeQuery(src, e, start, end, step) {
      const byKey = new Map<string, { labels: Series['labels']; t: number[]; v: number[] }>();
      for (let t = start; t <= end; t += step) {
        const r = await instantAt(src, e, t);
        const samples = r.value.type === 'scalar' ? [{ labels: {}, t, v: r.value.v }] : r.value.type === 'vector' ? r.value.samples : [];
        for (const s of samples) {
          const k = labelsToString(s.labels);
          const acc = byKey.get(k) ?? { labels: s.labels, t: [], v: [] };
          acc.t.push(t);
          acc.v.push(s.v + (q.rangeOffByOne ? 1 : 0));
          byKey.set(k, acc);
        }
      }
      const series = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => ({ labels: s.labels, t: Float64Array.from(s.t), v: Float64Array.from(s.v) }));
      return { value: { type: 'matrix', series }, annotations: [] };
    },
  };
}

async function runAll(text: string, q: Quirks = {}, print?: (e: Expr) => string): Promise<CaseOutcome[]> {
  const r = parseScript(text);
  if (!r.ok) throw new Error(r.issues[0]?.message);
  const engine = toyEngine(q);
  if (print) engine.print = print;
  const session = new ScriptSession(r.value, engine);
  const out: CaseOutcome[] = [];
  for (const e of session.evals()) out.push(await session.run(e.index));
  return out;
}

const LOAD = 'load 1m\n  m{a="1"} 1 2 3\n  m{a="2"} 10+10x2\n';

describe('ScriptSession', () => {
  it('passes matching instant and range evals', async () => {
    const out = await runAll(`${LOAD}\neval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30\n\neval range from 0 to 2m step 1m m\n  m{a="1"} 1 2 3\n  m{a="2"} 10 20 30\n\neval instant at 0 42\n  42`);
    expect(out).toEqual([{ status: 'pass' }, { status: 'pass' }, { status: 'pass' }]);
  });

  it('fails on a wrong value, naming the line', async () => {
    const [o] = await runAll(`${LOAD}\neval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 31`);
    expect(o).toMatchObject({ status: 'fail', message: expect.stringContaining('(line 5)') as unknown });
    expect(o?.status === 'fail' && o.message).toContain('expected 31 for {__name__="m", a="2"} but got 30');
  });

  it('uses only the data loaded since the last clear', async () => {
    const out = await runAll(`${LOAD}\nclear\n\nload 1m\n  m{a="3"} 7\n\neval instant at 0 m\n  m{a="3"} 7`);
    expect(out).toEqual([{ status: 'pass' }]);
  });

  it('a series written twice in one load keeps its last line', async () => {
    const out = await runAll('load 1m\n  m 1 2 3\n  m 7\n\neval instant at 6m m\n\neval instant at 0 m\n  m 7');
    expect(out).toEqual([{ status: 'pass' }, { status: 'pass' }]);
  });

  it('re-runs instant queries with @ pinned: an engine ignoring @ fails', async () => {
    const text = `${LOAD}\neval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30`;
    expect(await runAll(text)).toEqual([{ status: 'pass' }]);
    const [o] = await runAll(text, { ignoreAt: true });
    expect(o?.status === 'fail' && o.message).toContain('m [every selector @ 120] (evaluated at -1200s)');
  });

  it('names pinned queries with the printer, as upstream prints them', async () => {
    const print = (e: Expr): string => (e.kind === 'VectorSelector' ? `${e.name} @ ${(e.timestampMs ?? 0) / 1000}` : '?');
    const [o] = await runAll(`${LOAD}\neval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30`, { ignoreAt: true }, print);
    expect(o?.status === 'fail' && o.message).toContain('error in eval m @ 120 (evaluated at -1200s) (line 5)');
  });

  it('re-runs instant queries as range queries: a range-mode difference fails', async () => {
    const [o] = await runAll(`${LOAD}\neval instant at 2m m\n  m{a="1"} 3\n  m{a="2"} 30`, { rangeOffByOne: true });
    expect(o?.status === 'fail' && o.message).toContain('range mode');
  });

  it('range check is skipped for expect ordered', async () => {
    const out = await runAll(`${LOAD}\neval instant at 2m m\n  expect ordered\n  m{a="1"} 3\n  m{a="2"} 30`, { rangeOffByOne: true });
    expect(out).toEqual([{ status: 'pass' }]);
  });

  it('scalars are checked in range mode too; time() gets no @ cases', async () => {
    expect(await runAll('eval instant at 1m time()\n  60')).toEqual([{ status: 'pass' }]);
    const [o] = await runAll('eval instant at 1m 5\n  5', { rangeOffByOne: true });
    expect(o?.status).toBe('fail');
  });

  it.each<[string, CaseOutcome['status'], string?]>([
    ['eval instant at 0 boom\n  expect fail', 'pass'],
    ['eval instant at 0 boom\n  expect fail msg: boom happened', 'pass'],
    ['eval instant at 0 boom\n  expect fail msg: other', 'fail', 'expected error matching message "other"'],
    ['eval_fail instant at 0 boom\n  expected_fail_regexp bo+m', 'pass'],
    ['eval range from 0 to 1m step 1m boom\n  expect fail regex: happened$', 'pass'],
    ['eval instant at 0 boom', 'fail', 'error evaluating query "boom" (line 1): boom happened'],
    ['eval instant at 0 m\n  expect fail', 'fail', 'but got none'],
    ['eval instant at 0 syntax error(', 'fail', 'parse error: 1:13: parse error'],
    ['eval instant at 0 syntax error(\n  expect fail msg: 1:13: parse error: unexpected end of input', 'pass'],
  ])('%j', async (text, status, message) => {
    const [o] = await runAll(text);
    expect(o?.status).toBe(status);
    if (message !== undefined) expect(o?.status === 'fail' && o.message).toContain(message);
  });

  it('annotations: checked per expect lines', async () => {
    const text = `${LOAD}\neval instant at 0 m\n  expect warn msg: PromQL warning: w\n  m{a="1"} 1\n  m{a="2"} 10`;
    expect(await runAll(text, { warn: 'PromQL warning: w' })).toEqual([{ status: 'pass' }]);
    expect((await runAll(text))[0]?.status).toBe('fail');
    expect((await runAll(`${LOAD}\neval instant at 0 m\n  m{a="1"} 1\n  m{a="2"} 10`, { warn: 'PromQL warning: w' }))[0]?.status).toBe('pass');
  });

  it('an engine crash is a failure, even under expect fail', async () => {
    const [o] = await runAll('eval instant at 0 m\n  expect fail', { crash: true });
    expect(o).toMatchObject({ status: 'fail', message: expect.stringContaining('engine crashed') as unknown });
  });

  it('skips cases touching native histograms', async () => {
    const out = await runAll('load 1m\n  h {{count:1}} 2\n  f 1\n\neval instant at 0 h\n\neval instant at 0 f\n  f 1\n\neval instant at 0 f\n  f {{count:1}}');
    expect(out.map((o) => o.status)).toEqual(['skip', 'pass', 'skip']);
  });

  it('load_with_nhcb marks the histogram base series', async () => {
    const out = await runAll('load_with_nhcb 1m\n  x_bucket{le="1"} 1\n  x_count 1\n\neval instant at 0 x\n\neval instant at 0 x_count\n  x_count 1');
    expect(out.map((o) => o.status)).toEqual(['skip', 'pass']);
  });
});
