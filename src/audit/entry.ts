/**
 * Audit entries at rest: the digest of an object's state, and the JSON kept in the state store
 * (kind 'audit'). Decoding checks every field, so a damaged record is reported, never returned
 * half-formed. Issue 9: every change as one JSON line with before/after digests.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../auth/api.js';
import { fail, issue, ok } from '../core/result.js';
import type { Result } from '../core/result.js';

/** sha256 hex of an object's state text; '' when the object did not exist. */
export function stateDigest(state: string | undefined): string {
  return state === undefined ? '' : createHash('sha256').update(state, 'utf8').digest('hex');
}

/** Written in place of a digest when the state could not be read (the failure is logged). */
export const UNKNOWN_DIGEST = 'unknown';

const STRING_FIELDS = ['time', 'actor', 'tenant', 'action', 'object', 'before', 'after', 'sourceIp'] as const;

/** The entry with its fields in a fixed order (log lines and stored records read alike). */
export function normalizeEntry(e: AuditEntry): AuditEntry {
  return {
    time: e.time,
    actor: e.actor,
    tenant: e.tenant,
    action: e.action,
    object: e.object,
    before: e.before,
    after: e.after,
    status: e.status,
    sourceIp: e.sourceIp,
  };
}

/** Checks an entry handed to `record` or read back from the store: the entry, or every problem. */
export function checkEntry(value: unknown): Result<AuditEntry> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail([issue('audit_entry', 'audit entry: not an object')]);
  const rec = value as Record<string, unknown>;
  const problems = [];
  for (const f of STRING_FIELDS) {
    if (typeof rec[f] !== 'string') problems.push(issue('audit_entry', `audit entry: field ${f} must be a string`, { path: [f] }));
  }
  if (typeof rec['status'] !== 'number' || !Number.isInteger(rec['status']) || rec['status'] < 100 || rec['status'] > 599) {
    problems.push(issue('audit_entry', 'audit entry: field status must be an HTTP status code', { path: ['status'] }));
  }
  if (typeof rec['time'] === 'string' && Number.isNaN(Date.parse(rec['time']))) {
    problems.push(issue('audit_entry', `audit entry: field time ${JSON.stringify(rec['time'])} is not an RFC 3339 time`, { path: ['time'] }));
  }
  if (rec['tenant'] === '') problems.push(issue('audit_entry', 'audit entry: field tenant must not be empty', { path: ['tenant'] }));
  if (rec['action'] === '') problems.push(issue('audit_entry', 'audit entry: field action must not be empty', { path: ['action'] }));
  if (problems.length > 0) return fail(problems);
  return ok(normalizeEntry(rec as unknown as AuditEntry));
}

/** Reads a stored record's JSON back into an entry. */
export function decodeEntry(text: string): Result<AuditEntry> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail([issue('audit_entry', `audit entry: invalid JSON: ${e instanceof Error ? e.message : String(e)}`)]);
  }
  return checkEntry(parsed);
}
