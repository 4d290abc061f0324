/**
 * The notification history's data: one entry per delivery attempt of one integration, as Herald's
 * API returns it (`GET /api/herald/v1/notifications`). Wire field names are camelCase like the rest
 * of Herald's own API; times are epoch milliseconds in the domain and RFC 3339 on the wire.
 */
import type { Millis } from '../../../core/alert.js';

/** What happened to one attempt. */
export type NotificationOutcome = 'success' | 'failed' | 'rate_limited';

/** Bounds an entry's size for huge groups; the counts stay exact. */
export const MAX_RECORDED_FINGERPRINTS = 1000;

export const OUTCOMES: readonly NotificationOutcome[] = ['success', 'failed', 'rate_limited'];

/** One attempt as the pipeline reports it. */
export interface NotificationAttempt {
  readonly time: Millis;
  readonly receiver: string;
  /** Integration name without `_configs`. */
  readonly integration: string;
  /** Position in the receiver's list of that integration. */
  readonly integrationIndex: number;
  readonly groupKey: string;
  /** Fingerprints of the firing and resolved alerts sent (at most MAX_RECORDED_FINGERPRINTS each). */
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  /** Number of firing and resolved alerts sent (exact, also when the lists are cut). */
  readonly firingCount: number;
  readonly resolvedCount: number;
  readonly outcome: NotificationOutcome;
  /** HTTP status when the integration got an answer (parsed from `unexpected status code N`). */
  readonly status?: number;
  readonly error?: string;
  /** 0 for the first attempt of a flush, 1 for the first retry... */
  readonly retry: number;
  readonly latencyMs: number;
}

/** A stored attempt: the attempt plus its id (sortable: newer ids compare greater). */
export interface HistoryEntry extends NotificationAttempt {
  readonly id: string;
}

/** Receives attempts; the pipeline depends on this only. Never throws, never blocks. */
export interface NotificationRecorder {
  record(attempt: NotificationAttempt): void;
}

/** Bounds of one tenant's history; 0 disables that bound. */
export interface HistoryBounds {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

/** Sane defaults: the last 10 000 attempts of the last 7 days. */
export const DEFAULT_HISTORY_BOUNDS: HistoryBounds = { maxEntries: 10_000, maxAgeMs: 7 * 24 * 3600 * 1000 };

/** Filters of a history query; every given filter must hold. */
export interface HistoryQuery {
  readonly receiver?: string;
  readonly integration?: string;
  readonly outcome?: NotificationOutcome;
  /** Substring of the group key. */
  readonly groupKey?: string;
  /** Inclusive bounds on the attempt time. */
  readonly since?: Millis;
  readonly until?: Millis;
  /** An alert fingerprint among the entry's firing or resolved alerts. */
  readonly fingerprint?: string;
  /** Page size, 1..MAX_PAGE_SIZE (default DEFAULT_PAGE_SIZE). */
  readonly limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  readonly cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** One page, newest first; `nextCursor` is absent on the last page. */
export interface HistoryPage {
  readonly items: readonly HistoryEntry[];
  readonly nextCursor?: string;
}
