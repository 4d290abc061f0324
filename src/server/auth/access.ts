/**
 * The authorization decision for one authenticated request (issue 9), apart from HTTP so it can be
 * tested as a table: may this role call this route, and on which tenant does the request act?
 *
 * Tenants: a header naming a tenant the credentials do not cover is refused (403), never
 * silently replaced. Without a header the credentials' only tenant is used, then a Basic-auth user
 * name the credentials cover (clients that cannot set X-Scope-OrgID, as Mimir's gateway allows),
 * then Mimir's default (`anonymous`, or 401 "no org id" when multi-tenancy requires the header).
 */
import type { Principal, Role, RoutePolicy } from '../../auth/api.js';
import { resolveTenant, TENANT_HEADER, TenantIdError, tenantIdProblem } from '../../core/tenant-id.js';

const RANK: Readonly<Record<Exclude<Role, 'writer'>, number>> = { viewer: 1, editor: 2, admin: 3 };

/**
 * Whether `role` may call a route whose least role is `required`. `writer` can do only what
 * `writer` routes do; those routes also take editor and admin (viewer only reads).
 */
export function roleAllows(required: RoutePolicy['role'], role: Role): boolean {
  if (required === 'public') return true;
  if (role === 'writer') return required === 'writer';
  return RANK[role] >= (required === 'writer' ? RANK.editor : RANK[required]);
}

/** Whether the credentials cover `tenant`. */
export function mayActOn(principal: Principal, tenant: string): boolean {
  return principal.tenants === '*' || principal.tenants.includes(tenant);
}

/** The outcome: the tenant to act on (undefined: a global route and no header), or the refusal. */
export type Access = { readonly ok: true; readonly tenant: string | undefined } | { readonly ok: false; readonly status: 400 | 401 | 403; readonly message: string };

export interface AccessRequest {
  readonly policy: RoutePolicy;
  readonly principal: Principal;
  /** `X-Scope-OrgID` as received. */
  readonly header: string | readonly string[] | undefined;
  /** The user name of a Basic Authorization header, if any. */
  readonly basicUser: string | undefined;
  readonly requireTenant: boolean;
  /** `METHOD /pattern`, for messages. */
  readonly route: string;
}

const refuse = (status: 400 | 401 | 403, message: string): Access => ({ ok: false, status, message });

function neededRole(required: RoutePolicy['role']): string {
  return required === 'writer' ? 'writer or editor' : required;
}

/** Decides role and tenant for an authenticated request. */
export function decideAccess(r: AccessRequest): Access {
  const p = r.principal;
  if (!roleAllows(r.policy.role, p.role)) {
    return refuse(403, `forbidden: "${p.subject}" has role ${p.role}, ${r.route} needs ${neededRole(r.policy.role)}`);
  }
  const present = r.header !== undefined && r.header !== '' && r.header.length > 0;
  if (present) {
    let tenant: string;
    try {
      tenant = resolveTenant(r.header, r.requireTenant);
    } catch (e) {
      if (!(e instanceof TenantIdError)) throw e;
      return refuse(e.code === 'missing' ? 401 : 400, e.message);
    }
    if (!mayActOn(p, tenant)) return refuse(403, `forbidden: the credentials of "${p.subject}" do not cover tenant "${tenant}" (${TENANT_HEADER})`);
    return { ok: true, tenant };
  }
  if (r.policy.scope === 'global') return { ok: true, tenant: undefined };
  if (p.tenants !== '*' && p.tenants.length === 1) return { ok: true, tenant: p.tenants[0] };
  // A Basic user named after its tenant (amtool, older Prometheus); not for all-tenant credentials,
  // whose user name says nothing about a tenant.
  if (r.basicUser !== undefined && p.tenants !== '*' && tenantIdProblem(r.basicUser) === undefined && mayActOn(p, r.basicUser)) return { ok: true, tenant: r.basicUser };
  let tenant: string;
  try {
    tenant = resolveTenant(undefined, r.requireTenant);
  } catch (e) {
    if (!(e instanceof TenantIdError)) throw e;
    return refuse(401, e.message);
  }
  if (!mayActOn(p, tenant)) {
    if (p.tenants === '*' || p.tenants.length === 0) return refuse(403, `forbidden: the credentials of "${p.subject}" cover no tenant`);
    return refuse(403, `forbidden: the credentials of "${p.subject}" cover several tenants (${p.tenants.join(', ')}): name one in ${TENANT_HEADER}`);
  }
  return { ok: true, tenant };
}
