/**
 * Per-tenant token bucket for samples per second, on an injected clock (Mimir's local ingestion
 * rate limiter: rate and burst per tenant, a request takes all its samples or none).
 */
import type { Clock } from '../../core/runtime.js';

interface Bucket {
  tokens: number;
  lastMs: number;
  rate: number;
  burst: number;
}

export type RateDecision = { readonly ok: true } | { readonly ok: false; readonly burstExceeded: boolean };

export class IngestionRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes `n` tokens for `tenant` if available. `rate` 0 disables the limit. */
  allow(tenant: string, n: number, rate: number, burst: number): RateDecision {
    if (rate <= 0 || n <= 0) return { ok: true };
    const now = this.clock.now();
    const size = burst > 0 ? burst : rate;
    let b = this.buckets.get(tenant);
    if (b === undefined) {
      b = { tokens: size, lastMs: now, rate, burst: size };
      this.buckets.set(tenant, b);
    } else if (b.rate !== rate || b.burst !== size) {
      // Limits changed on reload: keep the current fill, capped at the new size.
      b.rate = rate;
      b.burst = size;
      b.tokens = Math.min(b.tokens, size);
    }
    const elapsed = Math.max(0, now - b.lastMs);
    b.tokens = Math.min(size, b.tokens + (elapsed * rate) / 1000);
    b.lastMs = now;
    if (n > size) return { ok: false, burstExceeded: true };
    if (n > b.tokens) return { ok: false, burstExceeded: false };
    b.tokens -= n;
    return { ok: true };
  }

  /** Forgets a tenant (deleted or idle). */
  forget(tenant: string): void {
    this.buckets.delete(tenant);
  }
}
