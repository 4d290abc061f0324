import { describe, expect, it } from 'vitest';
import { NotificationRateLimiter, TokenBucket, burstFor } from './rate-limit.js';
import type { NotificationRateLimits } from './rate-limit.js';
import { ManualClock } from './test-fakes.js';

describe('TokenBucket', () => {
  it('starts full, refills at the rate, never above burst', () => {
    const b = new TokenBucket(2, 2, 0);
    expect(b.has(0)).toBe(true);
    b.take();
    b.take();
    expect(b.has(0)).toBe(false);
    expect(b.has(499)).toBe(false);
    expect(b.has(500)).toBe(true);
    expect(b.has(10_000)).toBe(true);
    b.take();
    b.take();
    expect(b.has(10_000)).toBe(false);
  });

  it.each([
    [0.1, 1],
    [1, 1],
    [2.5, 2],
    [50, 50],
  ])('burst for rate %f is %i', (rate, burst) => expect(burstFor(rate)).toBe(burst));
});

describe('NotificationRateLimiter', () => {
  function setup(l: NotificationRateLimits) {
    const clock = new ManualClock(0);
    let limits = l;
    const rl = new NotificationRateLimiter(() => limits, clock);
    return { clock, rl, set: (n: NotificationRateLimits) => void (limits = n) };
  }

  it('unlimited by default', () => {
    const { rl } = setup({ total: 0, perIntegration: 0 });
    for (let i = 0; i < 1000; i++) expect(rl.take('slack')).toBeUndefined();
  });

  it('per integration type: each type has its own bucket', () => {
    const { rl, clock } = setup({ total: 0, perIntegration: 1 });
    expect(rl.take('slack')).toBeUndefined();
    expect(rl.take('slack')).toBe('integration');
    expect(rl.take('webhook')).toBeUndefined();
    clock.t += 1000;
    expect(rl.take('slack')).toBeUndefined();
  });

  it('per-type overrides win over the common rate', () => {
    const { rl } = setup({ total: 0, perIntegration: 1, byIntegration: { webhook: 3 } });
    expect([rl.take('webhook'), rl.take('webhook'), rl.take('webhook'), rl.take('webhook')]).toEqual([undefined, undefined, undefined, 'integration']);
  });

  it('the tenant bucket spans every integration; a refusal takes no token', () => {
    const { rl, clock } = setup({ total: 2, perIntegration: 1 });
    expect(rl.take('slack')).toBeUndefined();
    expect(rl.take('slack')).toBe('integration');
    expect(rl.take('webhook')).toBeUndefined();
    expect(rl.take('email')).toBe('tenant');
    clock.t += 500;
    expect(rl.take('email')).toBeUndefined();
  });

  it('picks up changed limits without a restart', () => {
    const { rl, set } = setup({ total: 0, perIntegration: 1 });
    rl.take('slack');
    expect(rl.take('slack')).toBe('integration');
    set({ total: 0, perIntegration: 0 });
    expect(rl.take('slack')).toBeUndefined();
  });
});
