import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig, RoutePolicy } from '../../auth/api.js';
import { DEFAULT_AUTH_CONFIG } from '../../auth/api.js';
import { useTenant } from '../tenant.js';
import { ANONYMOUS_ADMIN, installAuth } from './install.js';
import { routeKey } from './policies.js';
import { basic, bearer, FakeAuthenticator, requiredConfig } from './test-fakes.js';

const READ: RoutePolicy = { role: 'viewer', scope: 'tenant' };
const POLICIES = new Map<string, RoutePolicy>([
  [routeKey('GET', '/api/v2/alerts'), READ],
  [routeKey('POST', '/api/v2/alerts'), { role: 'writer', scope: 'tenant' }],
  [routeKey('GET', '/prometheus/api/v1/query'), READ],
  [routeKey('GET', '/api/v1/alerts'), READ],
  [routeKey('GET', '/api/herald/v1/notifications'), READ],
  [routeKey('GET', '/-/healthy'), { role: 'public', scope: 'global' }],
  [routeKey('GET', '/metrics'), { role: 'admin', scope: 'global' }],
  [routeKey('GET', '/api/v2/silence/:id'), READ],
]);

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A root hook as server.ts installs it, and routes whose answer shows tenant and principal. */
async function setup(config: () => AuthConfig, requireTenant = false) {
  const authenticator = new FakeAuthenticator();
  const a = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  a.decorateRequest('tenant', '');
  installAuth(a, { authenticator, policies: POLICIES, config, requireTenant: () => requireTenant });
  await a.register((inner, _o, done) => {
    useTenant(inner, () => requireTenant);
    const echo = (req: { tenant: string; principal: unknown }) => ({ tenant: req.tenant, principal: req.principal });
    for (const url of ['/api/v2/alerts', '/prometheus/api/v1/query', '/api/v1/alerts', '/api/herald/v1/notifications', '/api/v2/silence/:id', '/unlisted']) inner.get(url, (req) => echo(req));
    inner.post('/api/v2/alerts', (req) => echo(req));
    done();
  });
  a.get('/-/healthy', () => 'OK');
  a.get('/metrics', () => '# metrics');
  app = a;
  return { app: a, authenticator };
}

describe('refusals in each family’s error shape', () => {
  it.each([
    ['/api/v2/alerts', 'application/json; charset=utf-8', '"invalid credentials"'],
    ['/prometheus/api/v1/query?query=up', 'application/json; charset=utf-8', '{"status":"error","errorType":"unauthorized","error":"invalid credentials"}'],
    ['/api/v1/alerts', 'text/plain; charset=utf-8', 'invalid credentials'],
    ['/api/herald/v1/notifications', 'application/json; charset=utf-8', '{"error":"invalid credentials"}'],
  ])('401 on %s', async (url, type, body) => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url });
    expect([r.statusCode, r.headers['content-type'], r.body]).toEqual([401, type, body]);
    expect(r.headers['www-authenticate']).toMatch(/^Basic realm="Herald"/);
  });

  it('401 without a Basic challenge for the UI (X-Requested-With), so the browser opens no password dialog', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/api/v2/alerts', headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(r.statusCode).toBe(401);
    expect(r.headers['www-authenticate']).toBeUndefined();
  });

  it('403 on the Prometheus API uses errorType forbidden', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/prometheus/api/v1/query', headers: { ...bearer('viewer'), 'x-scope-orgid': 'B' } });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ status: 'error', errorType: 'forbidden', error: 'forbidden: the credentials of "viewer-a" do not cover tenant "B" (x-scope-orgid)' });
  });

  it('429 passes the authenticator’s Retry-After on, rounded up', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/api/v2/alerts', headers: { authorization: 'Bearer throttled' } });
    expect([r.statusCode, r.headers['retry-after'], r.body]).toEqual([429, '43', '"too many failed authentications"']);
  });

  it('a malformed tenant header is 400 with dskit’s reason', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/api/v1/alerts', headers: { ...bearer('admin'), 'x-scope-orgid': 'a|b' } });
    expect([r.statusCode, r.body]).toEqual([400, "tenant ID 'a|b' contains unsupported character '|'"]);
  });
});

describe('mode required', () => {
  it('the handler acts on the credentials’ tenant and sees the principal', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/api/v2/alerts', headers: bearer('viewer') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ tenant: 'A', principal: { subject: 'viewer-a', tenants: ['A'], role: 'viewer', method: 'bearer' } });
  });

  it('a Basic user name does not pick the tenant over the credentials’ own', async () => {
    const { app: a } = await setup(() => requiredConfig());
    // alice covers only A: without the hook's pinning, the tenant hook would take "alice".
    const r = await a.inject({ url: '/api/v2/alerts', headers: basic('alice', 'secret') });
    expect([r.statusCode, r.json<{ tenant: string }>().tenant]).toEqual([200, 'A']);
  });

  it('a Basic user name that names a tenant is no way in without the password', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/api/v2/alerts', headers: basic('B', 'wrong') });
    expect([r.statusCode, r.body]).toEqual([401, '"invalid credentials"']);
    const ok = await a.inject({ url: '/api/v2/alerts', headers: basic('B', 'b-pass') });
    expect([ok.statusCode, ok.json<{ tenant: string }>().tenant]).toEqual([200, 'B']);
  });

  it('a header naming another tenant is refused, not replaced', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ method: 'POST', url: '/api/v2/alerts', headers: { ...bearer('writer'), 'x-scope-orgid': 'B' } });
    expect([r.statusCode, r.body]).toEqual([403, '"forbidden: the credentials of \\"prom-a\\" do not cover tenant \\"B\\" (x-scope-orgid)"']);
  });

  it('writer may post alerts but not read them', async () => {
    const { app: a } = await setup(() => requiredConfig());
    expect((await a.inject({ method: 'POST', url: '/api/v2/alerts', headers: bearer('writer') })).statusCode).toBe(200);
    const r = await a.inject({ url: '/api/v2/alerts', headers: bearer('writer') });
    expect([r.statusCode, r.body]).toEqual([403, '"forbidden: \\"prom-a\\" has role writer, GET /api/v2/alerts needs viewer"']);
  });

  it('require_tenant: admin without a header gets 401 "no org id"', async () => {
    const { app: a } = await setup(() => requiredConfig(), true);
    const r = await a.inject({ url: '/api/v1/alerts', headers: bearer('admin') });
    expect([r.statusCode, r.body]).toEqual([401, 'no org id']);
  });

  it('public routes skip authentication; /metrics is admin unless publicMetrics', async () => {
    let config = requiredConfig();
    const { app: a, authenticator } = await setup(() => config);
    expect((await a.inject({ url: '/-/healthy', headers: { authorization: 'Bearer nonsense' } })).statusCode).toBe(200);
    expect(authenticator.seen).toEqual([]);
    expect((await a.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await a.inject({ url: '/metrics', headers: bearer('editor') })).statusCode).toBe(403);
    expect((await a.inject({ url: '/metrics', headers: bearer('admin') })).statusCode).toBe(200);
    config = requiredConfig({ publicMetrics: true });
    expect((await a.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('a served route without a policy is refused; an unknown URL stays 404', async () => {
    const { app: a } = await setup(() => requiredConfig());
    const r = await a.inject({ url: '/unlisted', headers: bearer('admin') });
    expect([r.statusCode, r.body]).toEqual([403, 'forbidden: GET /unlisted has no access policy']);
    expect((await a.inject({ url: '/nowhere', headers: bearer('admin') })).statusCode).toBe(404);
    expect((await a.inject({ url: '/nowhere' })).statusCode).toBe(404);
  });

  it('route patterns match any parameter, HEAD is GET', async () => {
    const { app: a } = await setup(() => requiredConfig());
    expect((await a.inject({ url: '/api/v2/silence/abc' })).statusCode).toBe(401);
    expect((await a.inject({ url: '/api/v2/silence/abc', headers: bearer('viewer') })).statusCode).toBe(200);
    expect((await a.inject({ method: 'HEAD', url: '/api/v2/alerts' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'HEAD', url: '/api/v2/alerts', headers: bearer('viewer') })).statusCode).toBe(200);
  });
});

describe('mode off', () => {
  it('checks nothing and runs every request as the anonymous admin, tenant as before', async () => {
    const { app: a, authenticator } = await setup(() => DEFAULT_AUTH_CONFIG);
    const r = await a.inject({ url: '/api/v2/alerts', headers: basic('B', 'wrong') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ tenant: 'B', principal: ANONYMOUS_ADMIN });
    expect((await a.inject({ url: '/unlisted' })).statusCode).toBe(200);
    expect((await a.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect(authenticator.seen).toEqual([]);
  });

  it('follows the config on every request (reload)', async () => {
    let config: AuthConfig = DEFAULT_AUTH_CONFIG;
    const { app: a } = await setup(() => config);
    expect((await a.inject({ url: '/api/v2/alerts' })).statusCode).toBe(200);
    config = requiredConfig();
    expect((await a.inject({ url: '/api/v2/alerts' })).statusCode).toBe(401);
  });
});
