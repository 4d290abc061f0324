/**
 * Exponential backoff with the defaults of cenkalti/backoff (v4/v5 ExponentialBackOff) that
 * Alertmanager's RetryStage uses: 500ms initial, x1.5 per attempt, capped at 60s, +/-50% jitter.
 */

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly multiplier?: number;
  readonly maxMs?: number;
  readonly randomizationFactor?: number;
  /** Uniform in [0, 1); injected so tests are deterministic. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: Required<Omit<BackoffOptions, 'random'>> = {
  initialMs: 500,
  multiplier: 1.5,
  maxMs: 60_000,
  randomizationFactor: 0.5,
};

/** One retry sequence: each next() gives the wait before the following attempt. */
export class ExponentialBackoff {
  private current: number;
  private readonly o: Required<BackoffOptions>;

  constructor(opts: BackoffOptions = {}) {
    this.o = { ...DEFAULT_BACKOFF, random: Math.random, ...opts };
    this.current = this.o.initialMs;
  }

  next(): number {
    const { randomizationFactor: f, random, multiplier, maxMs } = this.o;
    const delta = f * this.current;
    const min = this.current - delta;
    const wait = min + random() * (2 * delta);
    this.current = Math.min(this.current * multiplier, maxMs);
    return Math.round(wait);
  }
}
