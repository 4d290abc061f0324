import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/runtime.js';
import { IngestionRateLimiter } from './rate-limiter.js';

function fakeClock(start = 0): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    schedule: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
    advance(ms) {
      now += ms;
    },
  };
}

describe('IngestionRateLimiter', () => {
  it('allows a full burst, then refills at the rate', () => {
    const clock = fakeClock();
    const l = new IngestionRateLimiter(clock);
    expect(l.allow('a', 100, 10, 100)).toEqual({ ok: true });
    expect(l.allow('a', 1, 10, 100)).toEqual({ ok: false, burstExceeded: false });
    clock.advance(500);
    expect(l.allow('a', 5, 10, 100)).toEqual({ ok: true });
    expect(l.allow('a', 1, 10, 100).ok).toBe(false);
    clock.advance(100_000);
    expect(l.allow('a', 100, 10, 100).ok).toBe(true);
  });

  it('refuses a request larger than the burst outright', () => {
    const l = new IngestionRateLimiter(fakeClock());
    expect(l.allow('a', 101, 10, 100)).toEqual({ ok: false, burstExceeded: true });
  });

  it('keeps tenants apart', () => {
    const l = new IngestionRateLimiter(fakeClock());
    expect(l.allow('a', 100, 10, 100).ok).toBe(true);
    expect(l.allow('b', 100, 10, 100).ok).toBe(true);
    expect(l.allow('a', 1, 10, 100).ok).toBe(false);
  });

  it('is off when the rate is 0 and uses the rate as burst when the burst is 0', () => {
    const l = new IngestionRateLimiter(fakeClock());
    expect(l.allow('a', 1e9, 0, 0).ok).toBe(true);
    expect(l.allow('b', 10, 10, 0).ok).toBe(true);
    expect(l.allow('b', 1, 10, 0).ok).toBe(false);
  });

  it('caps the bucket when a reload lowers the burst', () => {
    const clock = fakeClock();
    const l = new IngestionRateLimiter(clock);
    expect(l.allow('a', 1, 10, 100).ok).toBe(true);
    expect(l.allow('a', 20, 10, 10)).toEqual({ ok: false, burstExceeded: true });
    expect(l.allow('a', 10, 10, 10).ok).toBe(true);
    expect(l.allow('a', 1, 10, 10).ok).toBe(false);
  });
});
