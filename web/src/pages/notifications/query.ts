/**
 * The notification page's filters: read from and written to the hash route
 * (`#/notifications?receiver=team-db&outcome=failed`), turned into the history API's query
 * parameters, plus the small helpers the timeline needs. Pure, unit-tested.
 */
import { OUTCOMES } from './api.js';
import type { NotificationEntry, NotificationOutcome } from './api.js';

export const PAGE_SIZES = [25, 50, 100, 250] as const;
export const DEFAULT_PAGE_SIZE = 50;

export interface NotificationFilter {
  readonly receiver: string;
  readonly integration: string;
  /** Empty: every outcome. */
  readonly outcome: NotificationOutcome | '';
  readonly limit: number;
}

export const EMPTY_FILTER: NotificationFilter = { receiver: '', integration: '', outcome: '', limit: DEFAULT_PAGE_SIZE };

/** The filter a route's parameters describe; unknown or bad values fall back to the defaults. */
export function filterFromParams(p: URLSearchParams): NotificationFilter {
  const outcome = p.get('outcome') ?? '';
  const limit = Number(p.get('limit') ?? '');
  return {
    receiver: (p.get('receiver') ?? '').trim(),
    integration: (p.get('integration') ?? '').trim(),
    outcome: (OUTCOMES as readonly string[]).includes(outcome) ? (outcome as NotificationOutcome) : '',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** The route parameters for a filter (defaults left out, so plain `#/notifications` stays plain). */
export function filterToParams(f: NotificationFilter): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.receiver.trim() !== '') out['receiver'] = f.receiver.trim();
  if (f.integration.trim() !== '') out['integration'] = f.integration.trim();
  if (f.outcome !== '') out['outcome'] = f.outcome;
  if (f.limit !== DEFAULT_PAGE_SIZE) out['limit'] = String(f.limit);
  return out;
}

/** The API's query parameters: the filter plus the page's cursor (none for the newest page). */
export function historyQuery(f: NotificationFilter, cursor: string | undefined): Record<string, string> {
  const q: Record<string, string> = { limit: String(f.limit) };
  if (f.receiver.trim() !== '') q['receiver'] = f.receiver.trim();
  if (f.integration.trim() !== '') q['integration'] = f.integration.trim();
  if (f.outcome !== '') q['outcome'] = f.outcome;
  if (cursor !== undefined) q['cursor'] = cursor;
  return q;
}

/**
 * Paging through a newest-first history with forward-only cursors: the stack holds the cursor of
 * every page seen, so "newer" goes back one and "older" follows the page's `nextCursor`.
 */
export interface Pager {
  /** Cursors of the pages before the current one's (undefined: the newest page). */
  readonly stack: readonly (string | undefined)[];
  readonly cursor: string | undefined;
}

export const FIRST_PAGE: Pager = { stack: [], cursor: undefined };

export function older(p: Pager, nextCursor: string): Pager {
  return { stack: [...p.stack, p.cursor], cursor: nextCursor };
}

export function newer(p: Pager): Pager {
  if (p.stack.length === 0) return FIRST_PAGE;
  return { stack: p.stack.slice(0, -1), cursor: p.stack[p.stack.length - 1] };
}

/** 1-based number of the current page. */
export function pageNumber(p: Pager): number {
  return p.stack.length + 1;
}

/** Whether the attempt should stand out: anything but a success. */
export function isFailure(e: NotificationEntry): boolean {
  return e.outcome !== 'success';
}

/** `firing 3, resolved 1` */
export function alertCounts(e: NotificationEntry): string {
  const parts: string[] = [];
  if (e.firingCount > 0) parts.push(`${e.firingCount} firing`);
  if (e.resolvedCount > 0) parts.push(`${e.resolvedCount} resolved`);
  return parts.length === 0 ? 'no alerts' : parts.join(', ');
}

/** `412ms`, `1.3s` */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

/** Distinct values of one field, sorted: the options offered to the receiver/integration filters. */
export function distinct(entries: readonly NotificationEntry[], field: 'receiver' | 'integration', also: readonly string[] = []): string[] {
  return [...new Set([...entries.map((e) => e[field]), ...also.filter((x) => x !== '')])].sort();
}
