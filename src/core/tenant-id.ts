/**
 * Tenant ids as Mimir and Cortex accept them (dskit tenant.ValidTenantID): at most 150 characters
 * of [A-Za-z0-9!._*'()-], and never "." or ".." (they would escape a per-tenant directory).
 */

export const MAX_TENANT_ID_LENGTH = 150;
/** The tenant of requests without `X-Scope-OrgID` when multi-tenancy does not require one. */
export const DEFAULT_TENANT = 'anonymous';
export const TENANT_HEADER = 'x-scope-orgid';

/** Why a tenant could not be resolved; the HTTP layer maps `missing` to 401 and `invalid` to 400. */
export class TenantIdError extends Error {
  constructor(readonly code: 'missing' | 'invalid', message: string) {
    super(message);
  }
}

function allowedChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x21 || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x2a || c === 0x27 || c === 0x28 || c === 0x29 // ! - _ . * ' ( )
  );
}

/** The reason `id` is not a valid tenant id, or undefined when it is. Messages follow dskit's. */
export function tenantIdProblem(id: string): string | undefined {
  if (id === '') return 'no org id';
  if (id.length > MAX_TENANT_ID_LENGTH) return `tenant ID is too long: max ${MAX_TENANT_ID_LENGTH} characters`;
  if (id === '.' || id === '..') return "tenant ID is '.' or '..'";
  for (const ch of id) {
    const c = ch.codePointAt(0) as number;
    if (!allowedChar(c)) return `tenant ID '${id}' contains unsupported character '${ch}'`;
  }
  return undefined;
}

/**
 * The tenant of a request from its `X-Scope-OrgID` header value(s). Throws TenantIdError.
 * Mirrors Mimir: several different org ids in one request are refused (no cross-tenant queries here).
 */
export function resolveTenant(header: string | readonly string[] | undefined, requireTenant: boolean): string {
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  if (values.length === 0) {
    if (requireTenant) throw new TenantIdError('missing', 'no org id');
    return DEFAULT_TENANT;
  }
  const first = values[0] as string;
  for (const v of values) {
    if (v !== first) throw new TenantIdError('invalid', 'multiple org IDs present');
  }
  const id = first;
  if (id === '' && !requireTenant) return DEFAULT_TENANT;
  const problem = tenantIdProblem(id);
  if (problem !== undefined) throw new TenantIdError(id === '' ? 'missing' : 'invalid', problem);
  return id;
}
