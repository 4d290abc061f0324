import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TenantKubeView } from '../kube/sync/index.js';
import { kubeApiRoutes } from './kube-api.js';

const VIEWS: Record<string, TenantKubeView> = {
  acme: {
    source: 'manifests',
    synced: true,
    lastReconcileAt: Date.parse('2026-11-21T10:00:00Z'),
    objects: [{ kind: 'AlertmanagerConfig', namespace: 'team-a', name: 'bad', accepted: false, reason: 'spec.route.receiver: receiver "x" is not defined' }],
  },
};

async function app(view?: (t: string) => TenantKubeView) {
  const a = Fastify();
  await a.register(kubeApiRoutes({ ...(view ? { view } : {}), requireTenant: () => false }), { prefix: '/api/herald/v1' });
  return a;
}

describe('GET /api/herald/v1/kube/objects', () => {
  it("answers the request tenant's objects only", async () => {
    const a = await app((t) => VIEWS[t] ?? { source: 'manifests', synced: true, objects: [] });
    const r = await a.inject({ url: '/api/herald/v1/kube/objects', headers: { 'x-scope-orgid': 'acme' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      source: 'manifests',
      synced: true,
      lastReconcile: '2026-11-21T10:00:00.000Z',
      objects: [{ kind: 'AlertmanagerConfig', namespace: 'team-a', name: 'bad', accepted: false, reason: 'spec.route.receiver: receiver "x" is not defined' }],
    });
    const other = await a.inject({ url: '/api/herald/v1/kube/objects', headers: { 'x-scope-orgid': 'globex' } });
    expect(other.json()).toEqual({ source: 'manifests', synced: true, lastReconcile: null, objects: [] });
  });

  it('says there is no source when Herald runs without one', async () => {
    const r = await (await app()).inject({ url: '/api/herald/v1/kube/objects' });
    expect(r.json()).toEqual({ source: 'none', synced: true, lastReconcile: null, objects: [] });
  });

  it('refuses a malformed tenant', async () => {
    const r = await (await app()).inject({ url: '/api/herald/v1/kube/objects', headers: { 'x-scope-orgid': 'a/b' } });
    expect(r.statusCode).toBe(400);
  });
});
