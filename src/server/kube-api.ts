/**
 * GET /api/herald/v1/kube/objects: the request tenant's AlertmanagerConfig and PrometheusRule
 * objects as the kube sync last reconciled them (issue 8), each accepted or rejected with the
 * reason. Teams without cluster access (a GitOps directory) or without rights on `status` see why
 * their routing is not live; a tenant sees only objects assigned to it. Without a source:
 * `source: "none"` and no objects.
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import type { TenantKubeView } from '../kube/sync/index.js';
import { useTenant } from './tenant.js';

export interface KubeApiOptions {
  /** Absent: Herald runs without the kube sync. */
  readonly view?: (tenant: string) => TenantKubeView;
  /** Read on every request: /-/reload may change it. */
  readonly requireTenant: () => boolean;
}

/** The wire shape: field names in the Kubernetes spelling, time as RFC 3339. */
export interface KubeObjectsDto {
  readonly source: string;
  readonly synced: boolean;
  readonly lastReconcile: string | null;
  readonly objects: ReadonlyArray<{ kind: string; namespace: string; name: string; accepted: boolean; reason: string }>;
}

export function toKubeObjectsDto(v: TenantKubeView): KubeObjectsDto {
  return {
    source: v.source,
    synced: v.synced,
    lastReconcile: v.lastReconcileAt === undefined ? null : new Date(v.lastReconcileAt).toISOString(),
    objects: v.objects.map((o) => ({ kind: o.kind, namespace: o.namespace, name: o.name, accepted: o.accepted, reason: o.reason })),
  };
}

/** Fastify plugin, registered under /api/herald/v1. */
export function kubeApiRoutes(o: KubeApiOptions): FastifyPluginCallback {
  return (app: FastifyInstance, _opts, done) => {
    useTenant(app, () => o.requireTenant());
    app.get('/kube/objects', async (req, reply) => {
      const view: TenantKubeView = o.view?.(req.tenant) ?? { source: 'none', synced: true, objects: [] };
      return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(toKubeObjectsDto(view)));
    });
    done();
  };
}
