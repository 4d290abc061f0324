/**
 * Resolves the tenant of each request from `X-Scope-OrgID` before any tenant-scoped handler runs:
 * 401 "no org id" when required and absent, 400 with the reason when malformed (as Mimir answers).
 */
import type { FastifyInstance } from 'fastify';
import { resolveTenant, TENANT_HEADER, TenantIdError } from '../tenancy/tenant-id.js';
import { sendTextError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: string;
  }
}

/** Adds the tenant hook to the (encapsulated) instance `app`. */
export function useTenant(app: FastifyInstance, requireTenant: () => boolean): void {
  app.addHook('onRequest', async (req, reply) => {
    try {
      req.tenant = resolveTenant(req.headers[TENANT_HEADER], requireTenant());
    } catch (e) {
      if (!(e instanceof TenantIdError)) throw e;
      return sendTextError(reply, e.code === 'missing' ? 401 : 400, e.message);
    }
    return undefined;
  });
}
