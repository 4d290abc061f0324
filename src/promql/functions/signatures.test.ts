import { describe, expect, it } from 'vitest';
import { FUNCTIONS, getFunction } from './signatures.js';

describe('FUNCTIONS', () => {
  it.each([
    ['rate', ['matrix'], 0, 'vector', false],
    ['label_replace', ['vector', 'string', 'string', 'string', 'string'], 0, 'vector', false],
    ['label_join', ['vector', 'string', 'string', 'string'], -1, 'vector', false],
    ['histogram_quantile', ['scalar', 'vector'], 0, 'vector', false],
    ['round', ['vector', 'scalar'], 1, 'vector', false],
    ['sort_by_label', ['vector', 'string'], -1, 'vector', true],
    ['info', ['vector', 'vector'], 1, 'vector', true],
    ['double_exponential_smoothing', ['matrix', 'scalar', 'scalar'], 0, 'vector', true],
    ['mad_over_time', ['matrix'], 0, 'vector', true],
    ['ts_of_max_over_time', ['matrix'], 0, 'vector', true],
    ['first_over_time', ['matrix'], 0, 'vector', false],
    ['time', [], 0, 'scalar', false],
    ['vector', ['scalar'], 0, 'vector', false],
    ['scalar', ['vector'], 0, 'scalar', false],
    ['year', ['vector'], 1, 'vector', false],
    ['quantile_over_time', ['scalar', 'matrix'], 0, 'vector', false],
    ['histogram_fraction', ['scalar', 'scalar', 'vector'], 0, 'vector', false],
  ])('%s', (name, argTypes, variadic, returnType, experimental) => {
    expect(getFunction(name)).toEqual({ name, argTypes, variadic, returnType, experimental });
  });

  it('has no functions removed in 3.0', () => {
    expect(FUNCTIONS.has('holt_winters')).toBe(false);
    expect(FUNCTIONS.size).toBeGreaterThanOrEqual(90);
  });

  it('keys equal names', () => {
    for (const [k, f] of FUNCTIONS) expect(f.name).toBe(k);
  });
});
