import { describe, expect, it } from 'vitest';
import { truncate } from './array.js';

describe('truncate', () => {
  it('cuts short and long arrays to n, and leaves shorter ones alone', () => {
    const short = [1, 2, 3];
    truncate(short);
    expect(short).toEqual([]);
    const long = Array.from({ length: 100 }, (_, i) => i);
    truncate(long, 3);
    expect(long).toEqual([0, 1, 2]);
    truncate(long, 5);
    expect(long).toEqual([0, 1, 2]);
    const some = [1, 2, 3, 4];
    truncate(some, 2);
    expect(some).toEqual([1, 2]);
  });
});
