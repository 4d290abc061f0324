/** What the HTTP modules share: the tenant registry and the edges of the engines they call. */
import type { FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { SnapshotFn } from '../audit/index.js';
import type { AuditLog, AuthConfig, Authenticator } from '../auth/api.js';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import type { AlertmanagerMetrics } from '../alertmanager/options.js';
import type { NotificationTools } from '../alertmanager/notify/history/index.js';
import type { LoadTemplates } from '../alertmanager/template/api.js';
import type { TenantKubeView } from '../kube/sync/index.js';
import type { PrometheusApiOptions } from './prometheus-api/routes.js';
import type { RemoteWriteRouteOptions } from './remote-write.js';
import type { RulerApiOptions } from './ruler-api/index.js';
import type { ThresholdsApiOptions, ThresholdsExpositionOptions } from './thresholds-api/index.js';
import type { TenantSource, UiUsageSources } from './ui-api/index.js';
import type { Millis } from '../core/alert.js';
import type { Clock, Logger } from '../core/runtime.js';
import type { ConfigSource, TenantRegistry } from '../tenancy/registry.js';
import type { ConfigLoader } from '../tenancy/user-config.js';
import type { VersionInfo } from '../version.js';
import type { MatcherParser } from './alertmanager-v2/query.js';

export interface ServerContext {
  readonly registry: TenantRegistry;
  readonly loadConfig: ConfigLoader;
  /** YAML of a config with defaults and secrets masked (GET /api/v2/status config.original). */
  readonly marshalConfig: (config: AlertmanagerConfig) => string;
  /** Matcher parsing as Alertmanager's compat.Matcher(s, "api"). */
  readonly parseMatcher: MatcherParser;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: AlertmanagerMetrics;
  readonly promRegistry: Registry;
  readonly versionInfo: VersionInfo;
  readonly startedAt: Millis;
  /** Read on every request: /-/reload may change it. */
  requireTenant(): boolean;
  /** Parses template files; the config API refuses uploads whose selected templates do not parse. */
  readonly loadTemplates?: LoadTemplates;
  /** The embedded store's remote_write endpoint (POST /api/v1/push); absent: not served. */
  readonly remoteWrite?: RemoteWriteRouteOptions;
  /** The Prometheus query API under /prometheus/api/v1; absent: not served. */
  readonly prometheusApi?: PrometheusApiOptions;
  /** The ruler's config API and /prometheus/api/v1/{rules,alerts}; absent: not served. */
  readonly rulerApi?: RulerApiOptions;
  /** The thresholds API (/api/herald/v1/thresholds) and GET /thresholds/metrics; absent: not served. */
  readonly thresholdsApi?: ThresholdsApiOptions & { readonly exposition: ThresholdsExpositionOptions };
  /** Herald API back end (`/api/herald/v1`); the routes are not mounted without it. */
  readonly notificationTools?: NotificationTools;
  /** Authentication and authorization (issue 9); absent: auth off, every request an anonymous admin. */
  readonly auth?: {
    readonly authenticator: Authenticator;
    /** Read on every request: /-/reload may change it. */
    config(): AuthConfig;
  };
  /** The audit log (issue 9): hooks on every audited route and GET /api/herald/v1/audit; absent: off. */
  readonly audit?: {
    readonly log: AuditLog;
    /** The route policy's `audit` action name; undefined = not audited. */
    actionOf(req: FastifyRequest): string | undefined;
    readonly snapshot: SnapshotFn;
  };
  /** Re-reads Herald's config files (POST /-/reload); rejects with the reason. */
  reload(): Promise<void>;
  /** The UI's API (/api/herald/v1/{whoami,tenants,routes,routes/test,status}); absent: not served. */
  readonly uiApi?: UiApiDeps;
  /** The kube sync's per-tenant view (GET /api/herald/v1/kube/objects); absent: source "none". */
  readonly kube?: { readonly view: (tenant: string) => TenantKubeView };
  /** Why Herald is not ready yet (GET /-/ready answers 503 with it), or undefined when ready. Absent: always ready. */
  readonly notReady?: () => string | undefined;
}

/** What the UI's API needs beyond the rest of ServerContext; the registry's engines are a tenant source already. */
export interface UiApiDeps {
  /** Where the tenant's running config comes from (the registry's entry). */
  configSource(tenant: string): Promise<ConfigSource>;
  /** Other parts that know tenants: the state store, tsdb, thresholds, the ruler's stored groups. */
  readonly tenantSources: readonly TenantSource[];
  readonly usage: UiUsageSources;
}
