/**
 * The notification history (`GET /api/herald/v1/notifications`): one entry per delivery attempt of
 * one integration, newest first, paged with an opaque cursor. Shapes as the server's
 * historyEntryToDto writes them (src/server/herald-api/dto.ts).
 */
import type { Client } from '../../api/client.js';

export type NotificationOutcome = 'success' | 'failed' | 'rate_limited';

export const OUTCOMES: readonly NotificationOutcome[] = ['success', 'failed', 'rate_limited'];

export interface NotificationEntry {
  readonly id: string;
  /** RFC 3339. */
  readonly time: string;
  readonly receiver: string;
  /** `webhook`, `slack`, ... (without `_configs`). */
  readonly integration: string;
  readonly integrationIndex: number;
  readonly groupKey: string;
  readonly outcome: NotificationOutcome;
  /** HTTP status when the integration got an answer. */
  readonly status?: number;
  readonly error?: string;
  /** 0 for the first attempt, 1 for the first retry... */
  readonly retry: number;
  readonly latencyMs: number;
  readonly firingCount: number;
  readonly resolvedCount: number;
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
}

export interface NotificationPage {
  readonly items: readonly NotificationEntry[];
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export function getNotifications(c: Client, query: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<NotificationPage> {
  return c.json<NotificationPage>('/api/herald/v1/notifications', { query, ...(signal ? { signal } : {}) });
}
