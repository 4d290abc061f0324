/**
 * The UI's own endpoints under `/api/herald/v1` (issue 10; web/src/api/herald.ts is the contract):
 * who the caller is, which tenants it may see, and for the request's tenant its routing tree, route
 * tests and a status summary. Every answer is read-only. Errors answer `{ "error": "..." }`.
 *
 * `whoami` and `tenants` are global (no tenant needed; the auth hook still refuses a header naming
 * a tenant the credentials do not cover); the others act on the tenant of `X-Scope-OrgID`.
 */
import type { FastifyError, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantAlertmanager } from '../../alertmanager/api.js';
import type { AlertmanagerConfig } from '../../alertmanager/config/types.js';
import type { Millis } from '../../core/alert.js';
import { compareStrings } from '../../core/labels.js';
import type { Clock, Logger } from '../../core/runtime.js';
import { DEFAULT_TENANT, tenantIdProblem } from '../../core/tenant-id.js';
import type { ConfigSource } from '../../tenancy/registry.js';
import type { VersionInfo } from '../../version.js';
import { ANONYMOUS_ADMIN } from '../auth/index.js';
import { errorMessage } from '../errors.js';
import { useTenant } from '../tenant.js';
import { parseRouteTestBody, RouteTestBodyError, RoutingView } from './dto.js';
import type { RoutingTree, TenantList, TenantStatus, WhoAmI } from './wire.js';

/** Tenant ids one part of Herald knows (engines, the state store, tsdb, thresholds, ruler). */
export type TenantSource = () => Promise<readonly string[]> | readonly string[];

/** What the status page counts that the tenant's Alertmanager cannot: series and rules. */
export interface UiUsageSources {
  /** Active series in the tenant's embedded store (0 when it has none). */
  activeSeries(tenant: string): Promise<number>;
  /** The tenant's rule groups and rules (API, rules directory and external together). */
  rules(tenant: string): Promise<{ readonly groups: number; readonly rules: number }>;
}

export interface UiApiOptions {
  /** The tenant's running Alertmanager (created on first use, as every tenant route does). */
  engine(tenant: string): Promise<TenantAlertmanager>;
  /** Where the tenant's running config comes from. */
  configSource(tenant: string): Promise<ConfigSource>;
  /** GET /api/v2/status's config.original: defaults applied, secrets masked. */
  marshalConfig(config: AlertmanagerConfig): string;
  /** The tenant's effective limits under their config names (Herald's `limits:` section). */
  limits(tenant: string): Readonly<Record<string, number | string | boolean>>;
  readonly versionInfo: VersionInfo;
  readonly startedAt: Millis;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Read on every request: /-/reload may change them. */
  requireTenant(): boolean;
  authMode(): 'off' | 'required';
  /** Every source of tenant ids, united for principals that cover every tenant. */
  readonly tenantSources: readonly TenantSource[];
  readonly usage: UiUsageSources;
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: message }));
}

/** Every tenant Herald knows: the sources united, ids that are not valid tenant ids left out, sorted. */
export async function knownTenants(sources: readonly TenantSource[], requireTenant: boolean): Promise<string[]> {
  const lists = await Promise.all(sources.map((s) => Promise.resolve(s())));
  const ids = new Set<string>();
  for (const list of lists) for (const t of list) if (tenantIdProblem(t) === undefined) ids.add(t);
  // Requests without X-Scope-OrgID act on `anonymous`, so it is a tenant the caller can reach.
  if (!requireTenant) ids.add(DEFAULT_TENANT);
  return [...ids].sort(compareStrings);
}

const ALL_ALERTS = { filter: [], active: true, silenced: true, inhibited: true, unprocessed: true } as const;
const ALL_GROUPS = { filter: [], active: true, silenced: true, inhibited: true, muted: true } as const;

/** Fastify plugin; register with `{ prefix: '/api/herald/v1' }`. */
export function uiApiRoutes(o: UiApiOptions) {
  const plugin: FastifyPluginCallback = (app: FastifyInstance, _opts, done) => {
    app.addHook('onSend', (_req, reply, payload, next) => {
      reply.header('cache-control', 'no-store');
      next(null, payload);
    });
    app.setErrorHandler((err: FastifyError, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) o.logger.error({ err: err.message, url: req.url }, 'UI API request failed');
      const msg = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `invalid JSON body: ${err.message}` : err.message;
      return sendError(reply, status, msg);
    });
    const principal = (req: FastifyRequest) => req.principal ?? (o.authMode() === 'off' ? ANONYMOUS_ADMIN : null);

    app.get('/whoami', async (req, reply) => {
      const p = principal(req);
      if (p === null) return sendError(reply, 401, 'not signed in');
      return reply.send({ auth: o.authMode(), subject: p.subject, role: p.role, tenants: p.tenants } satisfies WhoAmI);
    });

    app.get('/tenants', async (req, reply) => {
      const p = principal(req);
      if (p === null) return sendError(reply, 401, 'not signed in');
      try {
        const tenants = p.tenants === '*' ? await knownTenants(o.tenantSources, o.requireTenant()) : [...p.tenants].sort(compareStrings);
        return reply.send({ tenants } satisfies TenantList);
      } catch (e) {
        o.logger.error({ err: errorMessage(e) }, 'listing tenants failed');
        return sendError(reply, 500, `listing tenants failed: ${errorMessage(e)}`);
      }
    });

    // The tenant routes: their own encapsulated context, so only they resolve X-Scope-OrgID.
    void app.register((tenantApp, _o, registered) => {
      useTenant(tenantApp, () => o.requireTenant());

      tenantApp.get('/routes', async (req, reply) => {
        const am = await o.engine(req.tenant);
        const source = await o.configSource(req.tenant);
        return reply.send({ source, route: new RoutingView(am.config().route).root() } satisfies RoutingTree);
      });

      tenantApp.post('/routes/test', async (req, reply) => {
        let labels;
        try {
          labels = parseRouteTestBody(req.body);
        } catch (e) {
          if (e instanceof RouteTestBodyError) return sendError(reply, 400, e.message);
          throw e;
        }
        const am = await o.engine(req.tenant);
        return reply.send(new RoutingView(am.config().route).test(labels));
      });

      tenantApp.get('/status', async (req, reply) => {
        const tenant = req.tenant;
        const am = await o.engine(tenant);
        const [source, activeSeries, rules] = await Promise.all([o.configSource(tenant), o.usage.activeSeries(tenant), o.usage.rules(tenant)]);
        const alerts = am.alerts(ALL_ALERTS);
        const now = o.clock.now();
        return reply.send({
          tenant,
          version: { ...o.versionInfo },
          started_at: new Date(o.startedAt).toISOString(),
          uptime_seconds: Math.max(0, Math.floor((now - o.startedAt) / 1000)),
          config: { source, original: o.marshalConfig(am.config()) },
          limits: { ...o.limits(tenant) },
          usage: {
            alerts: alerts.length,
            active_alerts: alerts.filter((a) => a.status.state === 'active').length,
            silences: am.silences([]).filter((s) => s.state !== 'expired').length,
            aggregation_groups: am.groups(ALL_GROUPS).length,
            active_series: activeSeries,
            rule_groups: rules.groups,
            rules: rules.rules,
          },
        } satisfies TenantStatus);
      });
      registered();
    });
    done();
  };
  return plugin;
}
