import { describe, expect, it } from 'vitest';
import { truncate } from './array.js';

describe('truncate', () => {
  it('empties short and long arrays, and leaves empty ones alone', () => {
    const short = [1, 2, 3];
    truncate(short);
    expect(short).toEqual([]);
    const long = Array.from({ length: 100 }, (_, i) => i);
    truncate(long);
    expect(long).toEqual([]);
    truncate(long);
    expect(long).toEqual([]);
  });
});
