/**
 * From verified JWT claims to a Principal: tenants, role and subject come from configurable
 * claims (`auth.jwt.tenant_claim`, `role_claim`, `subject_claim`), each a claim name or a dotted
 * path into nested objects (`realm_access.roles`). A claim name that itself contains dots
 * (`https://example.com/tenant`, as Auth0 namespaces them) is matched literally first.
 */
import { tenantIdProblem } from '../core/tenant-id.js';
import type { Principal, Role } from './api.js';
import { isObject } from './jwks.js';

export interface ClaimNames {
  readonly tenantClaim: string;
  readonly roleClaim: string;
  readonly subjectClaim: string;
}

const ROLES: readonly Role[] = ['writer', 'viewer', 'editor', 'admin'];
/** Most to least privileged among roles that can be ordered; `writer` only when nothing else is named. */
const ROLE_PREFERENCE: readonly Role[] = ['admin', 'editor', 'viewer', 'writer'];

/** The value at `path` in `claims`: the literal key first, then the dotted path. */
export function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let v: unknown = claims;
  for (const seg of path.split('.')) {
    if (!isObject(v) || !Object.hasOwn(v, seg)) return undefined;
    v = v[seg];
  }
  return v;
}

/**
 * The role named by the claim: a string, or a list of which the most privileged known role
 * wins. Missing or unknown means viewer, the least a signed-in user is given.
 */
export function roleFromClaim(value: unknown): Role {
  const names = Array.isArray(value) ? value : [value];
  for (const r of ROLE_PREFERENCE) if (names.includes(r)) return r;
  return 'viewer';
}

/** The principal for verified claims, or why the claims do not make one. */
export function principalFromClaims(claims: Readonly<Record<string, unknown>>, names: ClaimNames): { ok: true; principal: Principal } | { ok: false; reason: string } {
  const rawSubject = claimAt(claims, names.subjectClaim);
  const subject = typeof rawSubject === 'string' ? rawSubject : typeof rawSubject === 'number' ? String(rawSubject) : '';
  if (subject === '') return { ok: false, reason: `subject claim ${JSON.stringify(names.subjectClaim)} is missing or not a string` };
  const role = roleFromClaim(claimAt(claims, names.roleClaim));
  const rawTenants = claimAt(claims, names.tenantClaim);
  if (rawTenants === undefined || (Array.isArray(rawTenants) && rawTenants.length === 0)) {
    // An administrator needs no tenant list; anyone else without one could act on nothing.
    if (role === 'admin') return { ok: true, principal: { subject, tenants: '*', role, method: 'jwt' } };
    return { ok: false, reason: `tenant claim ${JSON.stringify(names.tenantClaim)} is missing` };
  }
  const list: unknown[] = Array.isArray(rawTenants) ? rawTenants : [rawTenants];
  const tenants: string[] = [];
  for (const t of list) {
    if (typeof t !== 'string') return { ok: false, reason: `tenant claim ${JSON.stringify(names.tenantClaim)} must be a string or a list of strings` };
    if (t === '*') return { ok: true, principal: { subject, tenants: '*', role, method: 'jwt' } };
    const problem = tenantIdProblem(t);
    if (problem !== undefined) return { ok: false, reason: `tenant claim: ${problem}` };
    if (!tenants.includes(t)) tenants.push(t);
  }
  return { ok: true, principal: { subject, tenants, role, method: 'jwt' } };
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}
