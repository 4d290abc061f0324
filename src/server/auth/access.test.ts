import { describe, expect, it } from 'vitest';
import type { Principal, Role, RoutePolicy } from '../../auth/api.js';
import { decideAccess, mayActOn, roleAllows } from './access.js';
import type { AccessRequest } from './access.js';
import { PRINCIPALS } from './test-fakes.js';

describe('roleAllows', () => {
  // Rows: the route's least role; columns: writer, viewer, editor, admin.
  it.each<[RoutePolicy['role'], [boolean, boolean, boolean, boolean]]>([
    ['public', [true, true, true, true]],
    ['writer', [true, false, true, true]],
    ['viewer', [false, true, true, true]],
    ['editor', [false, false, true, true]],
    ['admin', [false, false, false, true]],
  ])('%s route', (required, expected) => {
    const roles: Role[] = ['writer', 'viewer', 'editor', 'admin'];
    expect(roles.map((r) => roleAllows(required, r))).toEqual(expected);
  });
});

describe('mayActOn', () => {
  it('covers listed tenants only, or every tenant for "*"', () => {
    expect(mayActOn(PRINCIPALS.viewer, 'A')).toBe(true);
    expect(mayActOn(PRINCIPALS.viewer, 'B')).toBe(false);
    expect(mayActOn(PRINCIPALS.admin, 'anything')).toBe(true);
  });
});

const TENANT_READ: RoutePolicy = { role: 'viewer', scope: 'tenant' };
const GLOBAL_ADMIN: RoutePolicy = { role: 'admin', scope: 'global' };

function req(principal: Principal, over: Partial<AccessRequest> = {}): AccessRequest {
  return { policy: TENANT_READ, principal, header: undefined, basicUser: undefined, requireTenant: false, route: 'GET /api/v2/alerts', ...over };
}

describe('decideAccess', () => {
  it.each<[string, AccessRequest, { ok: true; tenant: string | undefined } | { ok: false; status: number; message: RegExp }]>([
    ['own tenant in the header', req(PRINCIPALS.viewer, { header: 'A' }), { ok: true, tenant: 'A' }],
    ['another tenant in the header', req(PRINCIPALS.viewer, { header: 'B' }), { ok: false, status: 403, message: /"viewer-a" do not cover tenant "B"/ }],
    ['the same tenant twice', req(PRINCIPALS.viewer, { header: ['A', 'A'] }), { ok: true, tenant: 'A' }],
    ['two different tenants', req(PRINCIPALS.admin, { header: ['A', 'B'] }), { ok: false, status: 400, message: /multiple org IDs/ }],
    ['a malformed header', req(PRINCIPALS.admin, { header: '../etc' }), { ok: false, status: 400, message: /unsupported character/ }],
    ['no header, one tenant', req(PRINCIPALS.viewer), { ok: true, tenant: 'A' }],
    ['no header, one tenant, require_tenant', req(PRINCIPALS.viewer, { requireTenant: true }), { ok: true, tenant: 'A' }],
    ['an empty header counts as none', req(PRINCIPALS.viewer, { header: '' }), { ok: true, tenant: 'A' }],
    ['no header, admin: the default tenant', req(PRINCIPALS.admin), { ok: true, tenant: 'anonymous' }],
    ['no header, all-tenant Basic user: the default tenant, not one named after the user', req({ ...PRINCIPALS.admin, method: 'basic' }, { basicUser: 'ops' }), { ok: true, tenant: 'anonymous' }],
    ['no header, admin, require_tenant', req(PRINCIPALS.admin, { requireTenant: true }), { ok: false, status: 401, message: /^no org id$/ }],
    ['admin picks any tenant', req(PRINCIPALS.admin, { header: 'B' }), { ok: true, tenant: 'B' }],
    ['no header, two tenants', req(PRINCIPALS.editorAB), { ok: false, status: 403, message: /several tenants \(A, B\): name one in x-scope-orgid/ }],
    ['no header, two tenants, basic user names one', req({ ...PRINCIPALS.editorAB, method: 'basic' }, { basicUser: 'B' }), { ok: true, tenant: 'B' }],
    ['basic user name outside the credentials', req({ ...PRINCIPALS.editorAB, method: 'basic' }, { basicUser: 'C' }), { ok: false, status: 403, message: /several tenants/ }],
    ['basic user name never beats the only tenant', req(PRINCIPALS.viewer, { basicUser: 'B' }), { ok: true, tenant: 'A' }],
    ['credentials with no tenant', req({ ...PRINCIPALS.viewer, tenants: [] }), { ok: false, status: 403, message: /cover no tenant/ }],
    ['role too low', req(PRINCIPALS.viewer, { policy: { role: 'editor', scope: 'tenant' }, header: 'A', route: 'POST /api/v2/silences' }), { ok: false, status: 403, message: /"viewer-a" has role viewer, POST \/api\/v2\/silences needs editor/ }],
    ['writer on a read route', req(PRINCIPALS.writer, { header: 'A' }), { ok: false, status: 403, message: /has role writer, GET \/api\/v2\/alerts needs viewer/ }],
    ['viewer on a writer route', req(PRINCIPALS.viewer, { policy: { role: 'writer', scope: 'tenant' } }), { ok: false, status: 403, message: /needs writer or editor/ }],
    ['global route, no header: no tenant', req(PRINCIPALS.admin, { policy: GLOBAL_ADMIN }), { ok: true, tenant: undefined }],
    ['global route, header outside the credentials', req({ ...PRINCIPALS.admin, tenants: ['A'] }, { policy: GLOBAL_ADMIN, header: 'B' }), { ok: false, status: 403, message: /do not cover tenant "B"/ }],
  ])('%s', (_name, request, expected) => {
    const got = decideAccess(request);
    if (expected.ok) {
      expect(got).toEqual(expected);
    } else {
      expect(got.ok).toBe(false);
      if (got.ok) return;
      expect(got.status).toBe(expected.status);
      expect(got.message).toMatch(expected.message);
    }
  });
});
