import { describe, expect, it } from 'vitest';
import type { Expr } from '../ast.js';
import { preprocessExpr } from './index.js';
import { parse } from './test-source.js';

/** A compact rendering of where StepInvariantExpr nodes sit. */
function shape(e: Expr): string {
  switch (e.kind) {
    case 'StepInvariantExpr':
      return `SI(${shape(e.expr)})`;
    case 'VectorSelector':
      return `${e.name}${e.timestampMs !== undefined ? `@${e.timestampMs}` : ''}`;
    case 'MatrixSelector':
      return `${shape(e.vectorSelector)}[]`;
    case 'BinaryExpr':
      return `(${shape(e.lhs)} ${e.op} ${shape(e.rhs)})`;
    case 'Call':
      return `${e.func.name}(${e.args.map(shape).join(', ')})`;
    case 'AggregateExpr':
      return `${e.op}(${shape(e.expr)})`;
    case 'SubqueryExpr':
      return `${shape(e.expr)}[:]${e.timestampMs !== undefined ? `@${e.timestampMs}` : ''}`;
    case 'NumberLiteral':
      return String(e.value);
    case 'StringLiteral':
      return JSON.stringify(e.value);
    case 'ParenExpr':
    case 'UnaryExpr':
      return shape(e.expr);
  }
}

describe('preprocessExpr', () => {
  it.each([
    ['foo', 'foo'],
    ['foo @ 10', 'SI(foo@10000)'],
    ['foo @ start()', 'SI(foo@1000)'],
    ['foo @ end() + bar', '(SI(foo@5000) + bar)'],
    ['sum(foo @ 10)', 'SI(sum(foo@10000))'],
    ['rate(foo[1m] @ 10)', 'SI(rate(foo@10000[]))'],
    ['time() + foo @ 10', '(time() + SI(foo@10000))'],
    ['timestamp(foo @ 10)', 'SI(timestamp(foo@10000))'],
    ['foo @ 10 + bar @ 20', 'SI((foo@10000 + bar@20000))'],
    ['max_over_time((foo @ 10)[1m:])', 'max_over_time(SI(foo@10000)[:])'],
    ['max_over_time(foo[1m:] @ end())', 'SI(max_over_time(foo[:]@5000))'],
    ['1 + 2', 'SI((1 + 2))'],
    ['1', '1'],
    ['start() + end()', 'SI((1 + 5))'],
  ])('%s', (q, want) => {
    expect(shape(preprocessExpr(parse(q), 1000, 5000))).toBe(want);
  });

  it('leaves an already preprocessed tree alone', () => {
    const once = preprocessExpr(parse('foo @ 10 + bar'), 0, 0);
    expect(preprocessExpr(once, 0, 0)).toBe(once);
  });
});
