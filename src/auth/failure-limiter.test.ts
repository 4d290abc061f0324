import { describe, expect, it } from 'vitest';
import { createFailureLimiter } from './failure-limiter.js';
import { fakeClock } from './test-fakes.js';

describe('failure limiter', () => {
  it('blocks after max failures in a minute, until the oldest leaves the window', () => {
    const clock = fakeClock(0);
    const l = createFailureLimiter(clock, 3);
    for (const t of [0, 10_000, 20_000]) {
      expect(l.blockedFor('1.2.3.4')).toBe(0);
      clock.t = t;
      l.recordFailure('1.2.3.4');
    }
    expect(l.blockedFor('1.2.3.4')).toBe(40);
    expect(l.blockedFor('5.6.7.8')).toBe(0);
    clock.t = 59_999;
    expect(l.blockedFor('1.2.3.4')).toBe(1);
    clock.t = 60_000;
    expect(l.blockedFor('1.2.3.4')).toBe(0);
    l.recordFailure('1.2.3.4');
    expect(l.blockedFor('1.2.3.4')).toBe(10);
  });

  it('forgets addresses whose failures expired', () => {
    const clock = fakeClock(0);
    const l = createFailureLimiter(clock, 3);
    l.recordFailure('a');
    clock.t = 61_000;
    expect(l.blockedFor('a')).toBe(0);
    expect(l.size()).toBe(0);
  });

  it('bounds memory: the least recently failing address is evicted first', () => {
    const clock = fakeClock(0);
    const l = createFailureLimiter(clock, 2, 3);
    l.recordFailure('a');
    l.recordFailure('a');
    l.recordFailure('b');
    l.recordFailure('c');
    l.recordFailure('a');
    l.recordFailure('d');
    expect(l.size()).toBe(3);
    expect(l.blockedFor('a')).toBe(60);
    l.recordFailure('b');
    expect(l.blockedFor('b')).toBe(0);
  });

  it('keeps at most max timestamps per address', () => {
    const clock = fakeClock(0);
    const l = createFailureLimiter(clock, 2);
    for (let i = 0; i < 100; i++) {
      clock.t = i * 100;
      l.recordFailure('a');
    }
    expect(l.blockedFor('a')).toBe(60);
  });

  it('0 turns the limit off', () => {
    const l = createFailureLimiter(fakeClock(0), 0);
    for (let i = 0; i < 50; i++) l.recordFailure('a');
    expect(l.blockedFor('a')).toBe(0);
    expect(l.size()).toBe(0);
  });
});
