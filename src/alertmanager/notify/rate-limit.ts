/**
 * Per-tenant notification rate limits. Mirrors Mimir's rateLimitedNotifier
 * (pkg/alertmanager/rate_limited_notifier.go): every delivery attempt takes one token whatever the
 * number of alerts; an attempt without a token fails at once with "failed to notify due to rate
 * limits" and is not retried within the flush (the next flush tries again, as the nflog was not
 * updated). Burst equals the rate, at least 1 (Mimir's NotificationBurstSize). Herald adds a
 * tenant-wide bucket over all integrations besides the per-integration-type one.
 */
import type { Millis } from '../../core/alert.js';
import type { Clock } from '../../core/runtime.js';

/** Upstream's error text. */
export const RATE_LIMITED_ERROR = 'failed to notify due to rate limits';

/** Rates in notifications per second; 0 = unlimited. */
export interface NotificationRateLimits {
  /** All integrations of the tenant together. */
  readonly total: number;
  /** Each integration type separately (Mimir's alertmanager_notification_rate_limit). */
  readonly perIntegration: number;
  /** Per-type overrides of `perIntegration` (Mimir's ..._per_integration). */
  readonly byIntegration?: Readonly<Record<string, number>>;
}

export const NO_RATE_LIMITS: NotificationRateLimits = { total: 0, perIntegration: 0 };

/** A token bucket on an injected clock; reconfigurable without losing its level. */
export class TokenBucket {
  private tokens: number;
  private last: Millis;

  constructor(
    private rate: number,
    private burst: number,
    now: Millis,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: Millis): void {
    if (now > this.last) this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = Math.max(this.last, now);
  }

  /** Applies new settings (tokens above the new burst are dropped). */
  set(rate: number, burst: number, now: Millis): void {
    this.refill(now);
    this.rate = rate;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  has(now: Millis): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  take(): void {
    this.tokens -= 1;
  }
}

/** Which bucket refused an attempt. */
export type RateLimitScope = 'tenant' | 'integration';

/** One tenant's buckets; long-lived (kept across config reloads). */
export class NotificationRateLimiter {
  private total: TokenBucket | undefined;
  private readonly byType = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: () => NotificationRateLimits,
    private readonly clock: Clock,
  ) {}

  /** Takes a token for one attempt of `integration`; returns the refusing scope, or undefined. */
  take(integration: string): RateLimitScope | undefined {
    const l = this.limits();
    const now = this.clock.now();
    const typeRate = l.byIntegration?.[integration] ?? l.perIntegration;
    this.total = bucket(this.total, l.total, now);
    const typed = bucket(this.byType.get(integration), typeRate, now);
    if (typed) this.byType.set(integration, typed);
    else this.byType.delete(integration);
    if (typed && !typed.has(now)) return 'integration';
    if (this.total && !this.total.has(now)) return 'tenant';
    typed?.take();
    this.total?.take();
    return undefined;
  }
}

/** Burst size as Mimir: the rate, at least 1. */
export function burstFor(rate: number): number {
  return Math.max(1, Math.floor(rate));
}

function bucket(b: TokenBucket | undefined, rate: number, now: Millis): TokenBucket | undefined {
  if (!(rate > 0) || !Number.isFinite(rate)) return undefined;
  if (!b) return new TokenBucket(rate, burstFor(rate), now);
  b.set(rate, burstFor(rate), now);
  return b;
}
