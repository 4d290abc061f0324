import { describe, expect, it } from 'vitest';
import { ExponentialBackoff } from './backoff.js';

describe('ExponentialBackoff (cenkalti/backoff defaults)', () => {
  it.each([
    { random: 0.5, want: [500, 750, 1125, 1688, 2531] },
    { random: 0, want: [250, 375, 563, 844, 1266] },
  ])('random=$random', ({ random, want }) => {
    const b = new ExponentialBackoff({ random: () => random });
    expect(want.map(() => b.next())).toEqual(want);
  });

  it('caps at 60s (plus jitter)', () => {
    const b = new ExponentialBackoff({ random: () => 0.5 });
    let last = 0;
    for (let i = 0; i < 40; i++) last = b.next();
    expect(last).toBe(60_000);
  });
});
