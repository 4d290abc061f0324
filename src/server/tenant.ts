/**
 * Resolves the tenant of each request from `X-Scope-OrgID` before any tenant-scoped handler runs:
 * 401 "no org id" when required and absent, 400 with the reason when malformed (as Mimir answers).
 */
import type { FastifyInstance } from 'fastify';
import { resolveTenant, TENANT_HEADER, TenantIdError } from '../core/tenant-id.js';
import { sendTextError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: string;
  }
}

/**
 * The user name of a Basic Authorization header, which names the tenant for clients that cannot
 * set X-Scope-OrgID (amtool, Prometheus builds that drop custom remote_write headers), as Mimir's
 * gateway and Cortex' basic-auth tenancy do. The password is not checked here: authentication is
 * a separate switch (see docs/api.md).
 */
export function basicAuthUser(authorization: string | undefined): string | undefined {
  if (authorization === undefined || !/^basic /i.test(authorization)) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

/** Adds the tenant hook to the (encapsulated) instance `app`. */
export function useTenant(app: FastifyInstance, requireTenant: () => boolean): void {
  app.addHook('onRequest', async (req, reply) => {
    try {
      const header = req.headers[TENANT_HEADER] ?? basicAuthUser(req.headers.authorization);
      req.tenant = resolveTenant(header, requireTenant());
    } catch (e) {
      if (!(e instanceof TenantIdError)) throw e;
      return sendTextError(reply, e.code === 'missing' ? 401 : 400, e.message);
    }
    return undefined;
  });
}
