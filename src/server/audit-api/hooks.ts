/**
 * The audit hooks (issue 9): for a route whose policy names an audit action, `preHandler` reads
 * the object's state before the handler runs, and `onSend`, once the handler answered 2xx, reads
 * it again (with the response body: a created silence's id is only known there) and records the
 * entry. Recording in `onSend` rather than `onResponse` means an acknowledged change always has
 * its entry stored. Refused changes (4xx/5xx) are not recorded; they are logged at debug.
 *
 * Install on the root instance before the API plugins are registered, so their routes inherit the
 * hooks; tenant (`req.tenant`) and principal (`req.principal`) hooks run earlier (onRequest).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog, Principal } from '../../auth/api.js';
import { AUDIT_LOG_MESSAGE, NoSnapshotError, stateDigest, UNKNOWN_DIGEST } from '../../audit/index.js';
import type { AuditRequest, Snapshot, SnapshotFn, SnapshotPhase } from '../../audit/index.js';
import type { Clock, Logger } from '../../core/runtime.js';
import { errorMessage } from '../errors.js';

export interface AuditHookOptions {
  readonly log: AuditLog;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The audit action of the request's route (the policy table's `audit`); undefined = not audited. */
  actionOf(req: FastifyRequest): string | undefined;
  readonly snapshot: SnapshotFn;
  /** The actor; default `req.principal.subject`, else 'anonymous'. */
  readonly actorOf?: (req: FastifyRequest) => string;
  /** Largest response body handed to the after snapshot (default 64 KiB; larger: undefined). */
  readonly maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

interface Pending {
  readonly action: string;
  readonly tenant: string;
  readonly request: AuditRequest;
  readonly object: string;
  readonly before: string;
}

/** `req.principal.subject` as the auth hooks set it, read without depending on their module. */
export function principalSubject(req: FastifyRequest): string {
  const p: unknown = (req as unknown as { principal?: unknown }).principal;
  const subject = typeof p === 'object' && p !== null ? (p as Partial<Principal>).subject : undefined;
  return typeof subject === 'string' && subject !== '' ? subject : 'anonymous';
}

function auditRequest(req: FastifyRequest): AuditRequest {
  const params: Record<string, string | undefined> = {};
  if (typeof req.params === 'object' && req.params !== null) {
    for (const [k, v] of Object.entries(req.params as Record<string, unknown>)) if (typeof v === 'string') params[k] = v;
  }
  return { method: req.method, route: req.routeOptions.url ?? req.url, params, body: req.body };
}

function responseText(payload: unknown, max: number): string | undefined {
  if (typeof payload === 'string') return Buffer.byteLength(payload) <= max ? payload : undefined;
  if (Buffer.isBuffer(payload)) return payload.length <= max ? payload.toString('utf8') : undefined;
  return undefined;
}

/** Adds the audit hooks to `app` (call before registering the routes they should see). */
export function installAudit(app: FastifyInstance, o: AuditHookOptions): void {
  const log = o.logger.child({ component: 'audit' });
  const actorOf = o.actorOf ?? principalSubject;
  const maxResponse = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const pending = new WeakMap<FastifyRequest, Pending>();

  /** The snapshot as object + digest; a failed read is logged and recorded as an unknown digest. */
  const take = async (p: Omit<Pending, 'object' | 'before'>, phase: SnapshotPhase): Promise<{ object: string | undefined; digest: string }> => {
    let s: Snapshot;
    try {
      s = await o.snapshot(p.action, p.tenant, p.request, phase);
    } catch (e) {
      // Actions without state of their own (a reload, a test notification): nothing to digest.
      if (e instanceof NoSnapshotError) return { object: undefined, digest: '' };
      log.error({ err: errorMessage(e), tenant: p.tenant, action: p.action, phase: phase.when }, 'audit snapshot failed');
      return { object: undefined, digest: UNKNOWN_DIGEST };
    }
    return { object: s.object, digest: stateDigest(s.state) };
  };

  app.addHook('preHandler', async (req) => {
    const action = o.actionOf(req);
    if (action === undefined) return;
    const base = { action, tenant: req.tenant, request: auditRequest(req) };
    const before = await take(base, { when: 'before' });
    pending.set(req, { ...base, object: before.object ?? '', before: before.digest });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const p = pending.get(req);
    if (p === undefined) return payload;
    pending.delete(req);
    const status = reply.statusCode;
    const actor = actorOf(req);
    if (status < 200 || status >= 300) {
      log.debug({ tenant: p.tenant, actor, action: p.action, object: p.object, status }, 'audited change not applied');
      return payload;
    }
    const after = await take(p, { when: 'after', responseBody: responseText(payload, maxResponse) });
    const object = after.object !== undefined && after.object !== '' ? after.object : p.object || `${p.request.method} ${p.request.route}`;
    const entry = { time: new Date(o.clock.now()).toISOString(), actor, tenant: p.tenant, action: p.action, object, before: p.before, after: after.digest, status, sourceIp: req.ip };
    // Herald-wide actions (a reload) belong to no tenant: they go to the log line only.
    if (p.tenant === '') {
      log.info({ audit: entry }, AUDIT_LOG_MESSAGE);
      return payload;
    }
    try {
      await o.log.record(entry);
    } catch (e) {
      // The change is applied: answer as the handler did, and make the lost entry loud.
      log.error({ err: errorMessage(e), tenant: p.tenant, actor, action: p.action, object, status }, 'failed to record an audit entry');
    }
    return payload;
  });
}
