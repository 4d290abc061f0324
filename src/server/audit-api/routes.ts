/**
 * `GET /api/herald/v1/audit?since=&action=&limit=`: the request's tenant's audit entries, newest
 * first (register with `{ prefix: '/api/herald/v1' }`). A tenant sees only its own entries.
 * Answers `{ "items": [AuditEntry...] }`; errors `{ "error": "..." }` with 400 naming the parameter.
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import type { AuditLog } from '../../auth/api.js';
import { AuditQueryError, parseLimit, parseSince } from '../../audit/index.js';
import type { Issue } from '../../core/result.js';
import { issue } from '../../core/result.js';
import type { Logger } from '../../core/runtime.js';
import { errorMessage } from '../errors.js';
import { useTenant } from '../tenant.js';

export interface AuditApiOptions {
  readonly log: AuditLog;
  readonly logger: Logger;
  /** Read on every request: /-/reload may change it. */
  requireTenant(): boolean;
}

/** The checked query string, in the form AuditLog.query takes. */
export interface AuditQueryParams {
  readonly since?: string;
  readonly action?: string;
  readonly limit?: number;
}

type RawQuery = Readonly<Record<string, string | string[] | undefined>>;

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: message }));
}

/** Checks `since`, `action` and `limit`; every problem names its parameter. */
export function parseAuditQuery(query: RawQuery): { ok: true; value: AuditQueryParams } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (!Array.isArray(v)) return v === '' ? undefined : v;
    issues.push(issue('bad_param', `${name}: given more than once`, { path: [name] }));
    return undefined;
  };
  const out: { since?: string; action?: string; limit?: number } = {};
  const since = one('since');
  if (since !== undefined) {
    const s = parseSince(since);
    if (s.ok) out.since = new Date(s.value).toISOString();
    else issues.push(...s.issues);
  }
  const action = one('action');
  if (action !== undefined) out.action = action;
  const limit = one('limit');
  if (limit !== undefined) {
    const l = parseLimit(limit);
    if (l.ok) out.limit = l.value;
    else issues.push(...l.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out };
}

/** Fastify plugin; register with `{ prefix: '/api/herald/v1' }`. */
export function auditApiRoutes(o: AuditApiOptions) {
  const log = o.logger.child({ component: 'audit-api' });
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => o.requireTenant());
    app.addHook('onSend', async (_req, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    app.get('/audit', async (req, reply) => {
      const q = parseAuditQuery(req.query as RawQuery);
      if (!q.ok) return sendError(reply, 400, q.issues.map((i) => i.message).join('; '));
      try {
        const items = await o.log.query(req.tenant, q.value);
        return reply.code(200).header('content-type', 'application/json').send(JSON.stringify({ items }));
      } catch (e) {
        if (e instanceof AuditQueryError) return sendError(reply, 400, e.message);
        log.error({ err: errorMessage(e), tenant: req.tenant }, 'audit query failed');
        return sendError(reply, 500, `audit query failed: ${errorMessage(e)}`);
      }
    });
    done();
  };
  return plugin;
}
