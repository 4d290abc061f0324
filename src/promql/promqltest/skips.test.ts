import { describe, expect, it } from 'vitest';
import { parseScript } from './script.js';
import type { EvalCommand } from './script.js';
import { skipReason } from './skips.js';
import type { SkipRule } from './skips.js';

function evalAt(line: number, expr: string): EvalCommand {
  const r = parseScript(`${'\n'.repeat(line - 1)}eval instant at 0 ${expr}`);
  if (!r.ok || r.value.commands[0]?.kind !== 'eval') throw new Error('bad eval');
  return r.value.commands[0];
}

const RULES: SkipRule[] = [
  { kind: 'storage', file: 'a.test', reason: 'whole file' },
  { kind: 'storage', file: 'b.test', line: 3, reason: 'one line' },
  { kind: 'unimplemented', expr: /\bfoo\(/, reason: 'foo()' },
];

describe('skipReason', () => {
  it.each<[string, number, string, string | undefined]>([
    ['a.test', 1, 'x', 'whole file'],
    ['b.test', 3, 'x', 'one line'],
    ['b.test', 4, 'x', undefined],
    ['c.test', 1, 'foo(x)', 'foo()'],
    ['c.test', 1, 'barfoo(x)', undefined],
  ])('%s:%i %s', (file, line, expr, want) => {
    expect(skipReason(file, evalAt(line, expr), {}, RULES)).toBe(want);
  });

  it('`all` runs the unimplemented ones but keeps storage skips', () => {
    expect(skipReason('c.test', evalAt(1, 'foo(x)'), { all: true }, RULES)).toBeUndefined();
    expect(skipReason('a.test', evalAt(1, 'x'), { all: true }, RULES)).toBe('whole file');
  });

  it('the shipped list skips native histograms but runs fill modifiers', () => {
    expect(skipReason('native_histograms.test', evalAt(1, 'x'))).toMatch(/native histograms/);
    expect(skipReason('operators.test', evalAt(1, 'a + fill(0) b'))).toBeUndefined();
    expect(skipReason('operators.test', evalAt(1, 'a + b'))).toBeUndefined();
  });
});
