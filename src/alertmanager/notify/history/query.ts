/**
 * History query parts: the filter predicate, page size, opaque cursors, and parsing of the
 * API's query string (every bad parameter reported at once, by name).
 */
import { Buffer } from 'node:buffer';
import { fail, issue, ok } from '../../../core/result.js';
import type { Issue, Result } from '../../../core/result.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OUTCOMES } from './types.js';
import type { HistoryEntry, HistoryQuery, NotificationOutcome } from './types.js';

/** A cursor that was not issued by this history (tampered or from another version). */
export class HistoryQueryError extends Error {
  readonly code = 'invalid';
}

const ID = /^\d{15}-\d{6}$/;

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor points before; throws HistoryQueryError. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ID.test(id)) throw new HistoryQueryError(`invalid cursor ${JSON.stringify(cursor)}`);
  return id;
}

export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** True when `e` passes every filter of `q` (paging aside). */
export function matchesQuery(e: HistoryEntry, q: HistoryQuery): boolean {
  if (q.receiver !== undefined && e.receiver !== q.receiver) return false;
  if (q.integration !== undefined && e.integration !== q.integration) return false;
  if (q.outcome !== undefined && e.outcome !== q.outcome) return false;
  if (q.since !== undefined && e.time < q.since) return false;
  if (q.until !== undefined && e.time > q.until) return false;
  if (q.groupKey !== undefined && !e.groupKey.includes(q.groupKey)) return false;
  if (q.fingerprint !== undefined && !e.firing.includes(q.fingerprint) && !e.resolved.includes(q.fingerprint)) return false;
  return true;
}

/** A time parameter: RFC 3339 or Unix seconds (fractions allowed), as Prometheus' API accepts. */
export function parseTimeParam(v: string): number | undefined {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const PARAMS = new Set(['receiver', 'integration', 'outcome', 'group_key', 'since', 'until', 'fingerprint', 'limit', 'cursor']);

/**
 * Parses `receiver, integration, outcome, group_key, since, until, fingerprint, limit, cursor`.
 * Repeated parameters take the last value; unknown ones are refused so typos are not silent.
 */
export function parseHistoryParams(params: Readonly<Record<string, string | readonly string[] | undefined>>): Result<HistoryQuery> {
  const issues: Issue[] = [];
  const q: { -readonly [K in keyof HistoryQuery]: HistoryQuery[K] } = {};
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const v = typeof raw === 'string' ? raw : (raw[raw.length - 1] ?? '');
    const bad = (why: string): void => void issues.push(issue('invalid_param', `invalid parameter ${name}: ${why}`, { path: [name] }));
    if (!PARAMS.has(name)) {
      issues.push(issue('unknown_param', `unknown parameter ${JSON.stringify(name)}`, { path: [name] }));
      continue;
    }
    if (v === '') continue;
    switch (name) {
      case 'receiver':
      case 'integration':
      case 'fingerprint':
        q[name] = v;
        break;
      case 'group_key':
        q.groupKey = v;
        break;
      case 'outcome':
        if ((OUTCOMES as readonly string[]).includes(v)) q.outcome = v as NotificationOutcome;
        else bad(`${JSON.stringify(v)} is not one of ${OUTCOMES.join(', ')}`);
        break;
      case 'since':
      case 'until': {
        const t = parseTimeParam(v);
        if (t === undefined) bad(`cannot parse ${JSON.stringify(v)} to a valid timestamp`);
        else q[name] = t;
        break;
      }
      case 'limit': {
        const n = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) bad(`must be an integer between 1 and ${MAX_PAGE_SIZE}`);
        else q.limit = n;
        break;
      }
      case 'cursor':
        try {
          decodeCursor(v);
          q.cursor = v;
        } catch (e) {
          bad((e as Error).message);
        }
        break;
    }
  }
  if (q.since !== undefined && q.until !== undefined && q.since > q.until) issues.push(issue('invalid_param', 'invalid parameters: since is after until', { path: ['since'] }));
  return issues.length > 0 ? fail(issues) : ok(q);
}
