import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_CONFIG } from '../../auth/api.js';
import { HERALD_ROUTE_POLICIES, policyFor, routeKey } from './policies.js';

describe('routeKey', () => {
  it('upper-cases the method and folds HEAD into GET', () => {
    expect(routeKey('head', '/-/healthy')).toBe('GET /-/healthy');
    expect(routeKey('post', '/api/v2/alerts')).toBe('POST /api/v2/alerts');
  });
});

describe('policyFor', () => {
  it('/metrics is admin, or public with publicMetrics', () => {
    expect(policyFor(HERALD_ROUTE_POLICIES, 'GET', '/metrics', DEFAULT_AUTH_CONFIG)?.role).toBe('admin');
    expect(policyFor(HERALD_ROUTE_POLICIES, 'GET', '/metrics', { ...DEFAULT_AUTH_CONFIG, publicMetrics: true })?.role).toBe('public');
    // publicMetrics opens /metrics only, not the thresholds exposition.
    expect(policyFor(HERALD_ROUTE_POLICIES, 'GET', '/thresholds/metrics', { ...DEFAULT_AUTH_CONFIG, publicMetrics: true })?.role).toBe('admin');
  });

  it('an unknown route has no policy', () => {
    expect(policyFor(HERALD_ROUTE_POLICIES, 'PUT', '/api/v2/alerts', DEFAULT_AUTH_CONFIG)).toBeUndefined();
  });

  it("the UI's static files are public; its API is viewer, global only for whoami and tenants", () => {
    const required = { ...DEFAULT_AUTH_CONFIG, mode: 'required' as const };
    expect(policyFor(HERALD_ROUTE_POLICIES, 'GET', '/', required)).toEqual({ role: 'public', scope: 'global' });
    expect(policyFor(HERALD_ROUTE_POLICIES, 'HEAD', '/assets/*', required)).toEqual({ role: 'public', scope: 'global' });
    const ui = ['GET /whoami', 'GET /tenants', 'GET /routes', 'POST /routes/test', 'GET /status'].map((r) => {
      const [method = '', path = ''] = r.split(' ');
      return [r, policyFor(HERALD_ROUTE_POLICIES, method, `/api/herald/v1${path}`, required)];
    });
    expect(Object.fromEntries(ui)).toEqual({
      'GET /whoami': { role: 'viewer', scope: 'global' },
      'GET /tenants': { role: 'viewer', scope: 'global' },
      'GET /routes': { role: 'viewer', scope: 'tenant' },
      'POST /routes/test': { role: 'viewer', scope: 'tenant' },
      'GET /status': { role: 'viewer', scope: 'tenant' },
    });
  });

  it('admin routes are global, writer routes tenant-scoped', () => {
    for (const [key, p] of HERALD_ROUTE_POLICIES) {
      if (p.role === 'admin') expect(p.scope, key).toBe('global');
      if (p.role === 'writer' || p.role === 'editor') expect(p.scope, key).toBe('tenant');
    }
  });
});
