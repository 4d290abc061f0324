import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../../core/matcher.js';
import type { Call, Expr, FunctionSignature, SubqueryExpr, VectorSelector } from '../ast.js';
import { atModifierCases, usesStartOrEnd } from './at-modifier.js';

const P = { start: 0, end: 0 };
const sel = (name: string, extra: Partial<VectorSelector> = {}): VectorSelector => ({
  kind: 'VectorSelector', name, matchers: [mustMatcher('__name__', '=', name)], offsetMs: 0, pos: P, ...extra,
});
const fn = (name: string, ...args: Expr[]): Call => {
  const func: FunctionSignature = { name, argTypes: args.map(() => 'vector'), variadic: 0, returnType: 'vector', experimental: false };
  return { kind: 'Call', func, args, pos: P };
};
const sub = (expr: Expr, extra: Partial<SubqueryExpr> = {}): SubqueryExpr => ({ kind: 'SubqueryExpr', expr, rangeMs: 60_000, stepMs: 0, offsetMs: 0, pos: P, ...extra });

describe('atModifierCases', () => {
  it('evaluation times: -10t, 0, t/5, t, 10t (t/5 truncated)', () => {
    expect(atModifierCases(sel('m'), 10_001).map((c) => c.evalTimeMs)).toEqual([-100_010, 0, 2000, 10_001, 100_010]);
    expect(atModifierCases(sel('m'), 0).map((c) => c.evalTimeMs)).toEqual([-1000, 0, 1000]);
  });

  it('pins selectors, keeps explicit timestamps, replaces @ start()/end()', () => {
    const e: Expr = { kind: 'BinaryExpr', op: '+', lhs: sel('a'), rhs: { kind: 'BinaryExpr', op: '+', lhs: sel('b', { timestampMs: 5 }), rhs: sel('c', { startOrEnd: 'end' }), returnBool: false, pos: P }, returnBool: false, pos: P };
    const [c] = atModifierCases(e, 60_000);
    expect(c?.expr).toMatchObject({ lhs: { timestampMs: 60_000 }, rhs: { lhs: { timestampMs: 5 }, rhs: { timestampMs: 60_000 } } });
    expect(c && 'rhs' in c.expr && 'rhs' in c.expr.rhs ? 'startOrEnd' in c.expr.rhs.rhs : true).toBe(false);
    expect(e).toMatchObject({ lhs: { name: 'a' } });
    expect((e as { lhs: VectorSelector }).lhs.timestampMs).toBeUndefined();
  });

  it('pins matrix selectors and the outermost subquery, not what is inside it', () => {
    const ms: Expr = { kind: 'MatrixSelector', vectorSelector: sel('m'), rangeMs: 60_000, pos: P };
    const [a] = atModifierCases(fn('rate', ms), 1000);
    expect(a?.expr).toMatchObject({ args: [{ vectorSelector: { timestampMs: 1000 } }] });
    const [b] = atModifierCases(fn('max_over_time', sub(sel('m'))), 1000);
    expect(b?.expr).toMatchObject({ args: [{ timestampMs: 1000, expr: { name: 'm' } }] });
    expect(((b?.expr as Call).args[0] as SubqueryExpr).expr).not.toHaveProperty('timestampMs');
  });

  it('skips time-dependent functions outside subqueries only', () => {
    expect(atModifierCases(fn('time'), 1000)).toEqual([]);
    expect(atModifierCases(fn('timestamp', sel('m')), 1000)).toEqual([]);
    expect(atModifierCases(fn('max_over_time', sub(fn('time'))), 1000)).toHaveLength(5);
  });

  it('usesStartOrEnd', () => {
    expect(usesStartOrEnd(sel('m', { startOrEnd: 'start' }))).toBe(true);
    expect(usesStartOrEnd(fn('abs', sel('m')))).toBe(false);
    expect(usesStartOrEnd(sub(sel('m', { startOrEnd: 'end' })))).toBe(true);
  });
});
