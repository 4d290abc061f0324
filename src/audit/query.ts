/**
 * The audit log's query filter: `since` (RFC 3339 or Unix seconds, as Prometheus' API takes
 * times), `action` (exact name) and `limit` (default 100, at most 1000). Problems name the
 * parameter, so the HTTP edge can answer 400 with them as they are.
 */
import { fail, issue, ok } from '../core/result.js';
import type { Issue, Result } from '../core/result.js';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

/** A checked filter: `sinceMs` undefined = from the start of retention. */
export interface AuditFilter {
  readonly sinceMs: number | undefined;
  readonly action: string | undefined;
  readonly limit: number;
}

const UNIX_SECONDS = /^\d+(\.\d+)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `since` in ms: RFC 3339, or non-negative Unix seconds with an optional fraction. */
export function parseSince(text: string): Result<number> {
  if (UNIX_SECONDS.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    if (Number.isSafeInteger(ms)) return ok(ms);
  } else if (RFC3339.test(text)) {
    const ms = Date.parse(text.toUpperCase());
    if (!Number.isNaN(ms)) return ok(ms);
  }
  return fail([issue('bad_param', `since: cannot parse ${JSON.stringify(text)} as an RFC 3339 time or Unix seconds`, { path: ['since'] })]);
}

/** `limit`: a whole number from 1 to MAX_QUERY_LIMIT. */
export function parseLimit(text: string): Result<number> {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_QUERY_LIMIT) {
    return fail([issue('bad_param', `limit: want a whole number from 1 to ${MAX_QUERY_LIMIT}, got ${JSON.stringify(text)}`, { path: ['limit'] })]);
  }
  return ok(n);
}

/** The filter of AuditLog.query, checked; an empty string counts as absent. */
export function parseFilter(filter: { readonly since?: string; readonly action?: string; readonly limit?: number }): Result<AuditFilter> {
  const issues: Issue[] = [];
  let sinceMs: number | undefined;
  if (filter.since !== undefined && filter.since !== '') {
    const s = parseSince(filter.since);
    if (s.ok) sinceMs = s.value;
    else issues.push(...s.issues);
  }
  let limit = DEFAULT_QUERY_LIMIT;
  if (filter.limit !== undefined) {
    if (!Number.isInteger(filter.limit) || filter.limit < 1) {
      issues.push(issue('bad_param', `limit: want a whole number of at least 1, got ${filter.limit}`, { path: ['limit'] }));
    } else {
      limit = Math.min(filter.limit, MAX_QUERY_LIMIT);
    }
  }
  if (issues.length > 0) return fail(issues);
  return ok({ sinceMs, action: filter.action === '' ? undefined : filter.action, limit });
}
