import { describe, expect, it } from 'vitest';
import { FUNCTION_IMPLS } from './registry.js';
import { FUNCTIONS } from './signatures.js';

describe('FUNCTION_IMPLS', () => {
  it('covers every function the parser knows, and nothing else', () => {
    expect([...FUNCTION_IMPLS.keys()].sort()).toEqual([...FUNCTIONS.keys()].sort());
  });

  it.each([...FUNCTIONS.values()].map((s) => [s.name, s] as const))('%s has a kind consistent with its signature', (name, sig) => {
    const impl = FUNCTION_IMPLS.get(name);
    expect(impl).toBeDefined();
    if (impl?.kind === 'range') expect(sig.argTypes).toContain('matrix');
    if ((impl?.kind === 'element' || impl?.kind === 'vector') && sig.returnType === 'vector') expect(sig.argTypes).toContain('vector');
    if (sig.returnType === 'scalar') expect(['engine', 'element']).toContain(impl?.kind);
  });

  it.each([
    ['rate', true],
    ['sum_over_time', true],
    ['ts_of_last_over_time', true],
    ['first_over_time', false],
    ['last_over_time', false],
    ['abs', true],
  ])('%s drops the name: %s', (name, drops) => {
    const impl = FUNCTION_IMPLS.get(name);
    expect(impl !== undefined && 'dropsName' in impl ? impl.dropsName : undefined).toBe(drops);
  });

  it.each(['time', 'vector', 'scalar', 'timestamp', 'absent', 'absent_over_time', 'info', 'start', 'step'])('%s is left to the engine', (name) => {
    expect(FUNCTION_IMPLS.get(name)?.kind).toBe('engine');
  });

  it('holt_winters is gone in 3.x', () => {
    expect(FUNCTION_IMPLS.has('holt_winters')).toBe(false);
  });
});

describe('scalar functions (element kernels ignoring the sample)', () => {
  it.each([
    ['pi', [], Math.PI],
    ['max_of', [1, 2], 2],
    ['min_of', [1, 2], 1],
    ['max_of', [NaN, Infinity], Infinity],
    ['min_of', [NaN, 1], NaN],
  ])('%s(%j)', (name, args, want) => {
    const impl = FUNCTION_IMPLS.get(name);
    expect(impl?.kind === 'element' ? impl.kernel(NaN, args, 0) : undefined).toBe(want);
  });
});
