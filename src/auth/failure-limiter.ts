/**
 * Brute-force limit: failed authentications per source address in a sliding one-minute window.
 * Once an address has `maxPerMinute` failures in the window it is refused (429) until the oldest
 * of them leaves the window, whatever credentials it presents. Memory is bounded: each address
 * keeps at most `maxPerMinute` timestamps, and past `maxAddresses` the least recently failing
 * address is forgotten (expired ones first).
 */
import type { Clock } from '../core/runtime.js';

export const FAILURE_WINDOW_MS = 60_000;
export const DEFAULT_MAX_TRACKED_ADDRESSES = 10_000;

export interface FailureLimiter {
  /** Seconds until `ip` may try again, or 0 when it may try now. */
  blockedFor(ip: string): number;
  recordFailure(ip: string): void;
  /** Addresses currently tracked (for tests and metrics). */
  size(): number;
}

/** `maxPerMinute` 0 turns the limit off. */
export function createFailureLimiter(clock: Clock, maxPerMinute: number, maxAddresses = DEFAULT_MAX_TRACKED_ADDRESSES): FailureLimiter {
  // Map order is recency order: an address is re-inserted on each failure.
  const failures = new Map<string, number[]>();

  const live = (ip: string, now: number): number[] | undefined => {
    const times = failures.get(ip);
    if (!times) return undefined;
    while (times.length > 0 && (times[0] as number) <= now - FAILURE_WINDOW_MS) times.shift();
    if (times.length === 0) {
      failures.delete(ip);
      return undefined;
    }
    return times;
  };

  // The first key is the least recently failing address, so expired ones go first.
  const makeRoom = (): void => {
    while (failures.size >= maxAddresses) {
      const oldest = failures.keys().next();
      if (oldest.done === true) break;
      failures.delete(oldest.value);
    }
  };

  return {
    blockedFor(ip) {
      if (maxPerMinute <= 0) return 0;
      const now = clock.now();
      const times = live(ip, now);
      if (!times || times.length < maxPerMinute) return 0;
      return Math.max(1, Math.ceil(((times[0] as number) + FAILURE_WINDOW_MS - now) / 1000));
    },
    recordFailure(ip) {
      if (maxPerMinute <= 0) return;
      const now = clock.now();
      const times = live(ip, now) ?? [];
      failures.delete(ip);
      makeRoom();
      times.push(now);
      if (times.length > maxPerMinute) times.shift();
      failures.set(ip, times);
    },
    size: () => failures.size,
  };
}
