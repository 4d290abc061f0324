/**
 * Enforcement on every route (issue 9): one root `onRequest` hook that finds the route's policy,
 * authenticates, checks the role and pins the tenant, before any family's own hooks run.
 *
 * Install it on the root instance before the route plugins are registered. An unmatched URL
 * reaches the 404 handler as before; a matched route without a policy is refused while auth is
 * required (never open). The resolved tenant is written into `X-Scope-OrgID`, so each family's
 * tenant hook (src/server/tenant.ts) reads the same tenant and the Basic-auth user name cannot
 * name another one. With mode `off` nothing is checked: requests run as an anonymous admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_AUTH_CONFIG } from '../../auth/api.js';
import type { AuthConfig, Authenticator, Principal, RoutePolicy } from '../../auth/api.js';
import type { Logger } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { TENANT_HEADER } from '../../core/tenant-id.js';
import { basicAuthUser } from '../tenant.js';
import { decideAccess } from './access.js';
import { sendRefusal } from './errors.js';
import type { PolicyTable } from './policies.js';
import { policyFor, routeKey } from './policies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request (null: a public route, or refused before authentication). */
    principal: Principal | null;
    /** The policy of the matched route (null: unmatched, or a route without one). */
    routePolicy: RoutePolicy | null;
  }
}

/** The principal of every request while auth is off. */
export const ANONYMOUS_ADMIN: Principal = { subject: 'anonymous', tenants: '*', role: 'admin', method: 'anonymous' };

export interface AuthHookOptions {
  readonly authenticator: Authenticator;
  readonly policies: PolicyTable;
  /** Read on every request: /-/reload may change it. */
  config(): AuthConfig;
  /** Multi-tenancy's `require_tenant`, read on every request. */
  requireTenant(): boolean;
  readonly logger?: Logger;
}

/** For a server built without an `auth` section: mode off, no credentials ever accepted. */
export const AUTH_OFF: Pick<AuthHookOptions, 'authenticator' | 'config'> = {
  authenticator: { authenticate: () => Promise.resolve({ ok: false, status: 401, message: 'authentication is not configured' }) },
  config: () => DEFAULT_AUTH_CONFIG,
};

const CHALLENGE = 'Basic realm="Herald", charset="UTF-8"';

/** Adds the authorization hook to the root instance `app`. */
export function installAuth(app: FastifyInstance, o: AuthHookOptions): void {
  const log = (o.logger ?? NOOP_LOGGER).child({ component: 'auth' });
  if (o.config().mode === 'off') log.warn({}, 'authentication is off: anyone who reaches Herald can act as any tenant (set auth.mode: required)');
  app.decorateRequest('principal', null);
  app.decorateRequest('routePolicy', null);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const pattern = req.routeOptions.url;
    // The 404 handler: nothing is served, so nothing to protect.
    if (pattern === undefined) return undefined;
    const config = o.config();
    const policy = policyFor(o.policies, req.method, pattern, config);
    req.routePolicy = policy ?? null;
    if (config.mode === 'off') {
      req.principal = ANONYMOUS_ADMIN;
      return undefined;
    }
    const route = routeKey(req.method, pattern);
    if (policy === undefined) {
      log.error({ route }, 'route has no access policy; refused');
      return sendRefusal(reply, req.url, 403, `forbidden: ${route} has no access policy`);
    }
    if (policy.role === 'public') return undefined;

    const auth = await o.authenticator.authenticate({ headers: req.headers, ip: req.ip });
    if (!auth.ok) {
      if (auth.status === 429 && auth.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(auth.retryAfterSeconds))));
      // Not for the UI's own calls (X-Requested-With): a Basic challenge makes the browser open its
      // password dialog and hold the fetch, instead of letting the UI show its sign-in form.
      if (auth.status === 401 && !isUiRequest(req.headers)) reply.header('www-authenticate', CHALLENGE);
      log.debug({ route, ip: req.ip, status: auth.status }, 'authentication refused');
      return sendRefusal(reply, req.url, auth.status, auth.message);
    }
    const access = decideAccess({
      policy,
      principal: auth.principal,
      header: req.headers[TENANT_HEADER],
      basicUser: auth.principal.method === 'basic' ? basicAuthUser(req.headers.authorization) : undefined,
      requireTenant: o.requireTenant(),
      route,
    });
    if (!access.ok) {
      log.debug({ route, subject: auth.principal.subject, status: access.status }, 'request refused');
      return sendRefusal(reply, req.url, access.status, access.message);
    }
    req.principal = auth.principal;
    if (access.tenant !== undefined) {
      req.tenant = access.tenant;
      req.headers = { ...req.headers, [TENANT_HEADER]: access.tenant };
    }
    return undefined;
  });
}

/** A call from Herald's UI: its fetches send `X-Requested-With: XMLHttpRequest` (as jQuery's did). */
export function isUiRequest(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return headers['x-requested-with'] === 'XMLHttpRequest';
}
