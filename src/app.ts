/**
 * Composition root: reads Herald's config, opens the store, builds the real clock, logger, HTTP
 * client and metrics, the tenant registry and the HTTP server, and owns start/stop. The only
 * place where concrete I/O is wired.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { createAlertmanager } from './alertmanager/engine.js';
import { loadConfig, marshalConfig } from './alertmanager/config/index.js';
import { parseMatcher } from './core/matchers/index.js';
import { InvalidInputError } from './core/result.js';
import { SYSTEM_CLOCK } from './core/runtime.js';
import type { Server as HttpsServer } from 'node:https';
import type { Logger, TimerHandle } from './core/runtime.js';
import type { StateStore } from './core/state-store.js';
import { createNotificationTools } from './alertmanager/notify/history/index.js';
import { INTEGRATIONS } from './alertmanager/notify/integrations/registry.js';
import { makeLoadTemplates } from './alertmanager/template/index.js';
import { createHttpClient, createSmtpSender, Firewall, firewalledSmtp } from './net/index.js';
import type { ClosableHttpClient } from './net/http-client.js';
import { createSecretFileReader } from './net/secret-files.js';
import { createWorkerHttpClients, httpWorkerAvailable } from './net/worker-http-client.js';
import { createMetrics } from './server/metrics.js';
import { buildServer } from './server/server.js';
import { FsWalStorage, moveKinds, openJournalStore, openSqliteStore, SplitStateStore } from './store/index.js';
import { HeadSet } from './tsdb/index.js';
import { ScrapeManager } from './ingest/scrape/index.js';
import { readFile } from 'node:fs/promises';
import { DEFAULT_INGEST_LIMITS } from './ingest/remote-write/index.js';
import type { IngestLimits } from './ingest/remote-write/index.js';
import type { HeraldConfig } from './tenancy/herald-config.js';
import { Limits } from './tenancy/limits.js';
import { TenantRegistry } from './tenancy/registry.js';
import { VERSION, versionInfo } from './version.js';
import type { QueryBackend, RulerConfig } from './ruler/api.js';
import { createRemoteBackend, embeddedBackend } from './ruler/backend/index.js';
import { createEvalGroup } from './ruler/eval/index.js';
import { createRuler } from './ruler/manager/index.js';
import { createNotifier } from './ruler/notifier/index.js';
import { formatGroupIssues, marshalNamespaces, marshalRuleGroup, parseRuleGroup } from './ruler/rulefmt/index.js';
import { readdir, stat } from 'node:fs/promises';
import { AuthSetupError, createAuthenticator, JwksLoadError, reloadableAuthenticator } from './auth/index.js';
import { createAuditLog, createSnapshotter } from './audit/index.js';
import { silenceToDto } from './server/alertmanager-v2/dto-out.js';
import { userConfigToYaml } from './tenancy/user-config.js';
import type { EvalSettings, RulerService } from './ruler/api.js';
import { renderExposition, ThresholdEngine, ThresholdSeriesWriter } from './thresholds/index.js';
import type { ThresholdsConfig } from './thresholds/api.js';
import { createPlatformRuler, tsdbPackTenants } from './thresholds/packs/index.js';
import type { PlatformRuler } from './thresholds/packs/index.js';
import { createKubeSync, KubeSyncSetupError } from './kube/sync/index.js';
import type { KubeSync } from './kube/sync/index.js';
import { ConfigFileError, formatAll, parseListenAddress, readOperatorConfig } from './app/operator-config.js';
import type { AppOptions } from './app/operator-config.js';
import { ConfigBinder, toLogger } from './app/adapters.js';
import { readKeyPair, watchKeyPair } from './app/tls.js';
import { SHIPPED_RULE_PACKS, tenantView } from './app/pack-view.js';

export { ConfigFileError, parseListenAddress, readOperatorConfig } from './app/operator-config.js';
export type { AppOptions } from './app/operator-config.js';
export interface App {
  /** Listens; resolves with the bound `host:port`. */
  start(): Promise<string>;
  /** Closes the listener, stops every tenant engine, closes the store. */
  stop(): Promise<void>;
  readonly server: FastifyInstance;
}

const GC_INTERVAL_MS = 15 * 60 * 1000;

/**
 * The state store under `storagePath`: SQLite (herald.db) for everything but alerts, which go to
 * the append-only journal in alerts/ (src/store/journal.ts). Alerts an earlier version kept in
 * SQLite move to the journal on the first start.
 */
async function openStateStore(storagePath: string, logger: Logger): Promise<StateStore> {
  const sqlite = openSqliteStore(join(storagePath, 'herald.db'));
  const journal = openJournalStore(join(storagePath, 'alerts'), { onError: (e) => logger.error({ err: e.message }, 'Alert journal problem') });
  const moved = await moveKinds(sqlite, journal, ['alert']);
  if (moved > 0) logger.info({ alerts: moved }, 'Moved alerts from herald.db to the alert journal');
  return new SplitStateStore(sqlite, journal, new Set(['alert']));
}

/** Wires everything; nothing listens until start(). Throws ConfigFileError for bad operator files. */
export async function createApp(opts: AppOptions): Promise<App> {
  let op = readOperatorConfig(opts);
  const listen = parseListenAddress(opts.listenAddress ?? '0.0.0.0:9093');
  const p = pino({ level: opts.logLevel ?? 'info', base: null }, opts.logStream ?? process.stdout);
  const logger = toLogger(p);
  const storagePath = opts.storagePath ?? op.herald.storage.path ?? './data';
  mkdirSync(storagePath, { recursive: true });
  const store: StateStore = await openStateStore(storagePath, logger);
  const metrics = createMetrics(true);
  const externalURL = opts.externalURL ?? op.herald.web.externalURL ?? `${op.herald.web.tls ? 'https' : 'http'}://${listen.host === '0.0.0.0' ? 'localhost' : listen.host}:${listen.port}`;
  const limitsOf = (h: HeraldConfig) => new Limits(h.limits, h.overrides);
  // Each tenant's metrics: an in-memory head with its WAL under <storage>/tsdb/<tenant>.
  const tsdb = new HeadSet({
    clock: SYSTEM_CLOCK,
    logger,
    storage: new FsWalStorage(join(storagePath, 'tsdb')),
    retentionMs: op.herald.storage.metricsRetentionMs,
    limits: (t) => ({ maxSeries: registry.currentLimits().forTenant(t).max_global_series_per_user }),
  });
  metrics.trackActiveSeries(() => tsdb.openStats());
  // The operator's own scrape jobs (not tenant input, so no receiver firewall); global fetch has no
  // response size cap, which metrics pages can need.
  const scrape = new ScrapeManager({
    tsdb,
    clock: SYSTEM_CLOCK,
    logger: logger.child({ component: 'scrape' }),
    fetch,
    readFile: (p) => readFile(p, 'utf8'),
    userAgent: `Herald/${VERSION}`,
  });
  const ingestLimits = (t: string): IngestLimits => {
    const l = registry.currentLimits().forTenant(t);
    return {
      ...DEFAULT_INGEST_LIMITS,
      max_label_names_per_series: l.max_label_names_per_series,
      max_label_name_length: l.max_label_name_length,
      max_label_value_length: l.max_label_value_length,
      max_samples_per_request: l.max_samples_per_request,
      ingestion_rate: l.ingestion_rate,
      ingestion_burst_size: l.ingestion_burst_size,
    };
  };
  // The operator's own configs reach any address; tenant uploads go through the receiver firewall.
  const fw = op.herald.alertmanager.receiversFirewall;
  const fwOptions = { blockPrivateAddresses: fw.blockPrivateNetworks, blockCidrs: fw.blockCidrs, allowCidrs: fw.allowCidrs };
  // Notification HTTP runs on a worker thread (net/worker-http-client.ts) once built; straight from
  // the TypeScript sources, where the worker's entry point does not exist, on this thread.
  const clientOptions = [{ firewall: { blockPrivateAddresses: false } }, { firewall: fwOptions }];
  const [http, tenantHttp] = (httpWorkerAvailable() ? createWorkerHttpClients(clientOptions) : clientOptions.map((o) => createHttpClient(o))) as [ClosableHttpClient, ClosableHttpClient];
  const smtp = createSmtpSender();
  const secrets = createSecretFileReader();
  const tenantSmtp = firewalledSmtp(smtp, new Firewall(fwOptions));
  const loadTemplates = makeLoadTemplates(SYSTEM_CLOCK);
  const binder = new ConfigBinder(loadTemplates, logger, () => op.templates);
  const registry = new TenantRegistry({
    store,
    loadConfig,
    createEngine: createAlertmanager,
    clock: SYSTEM_CLOCK,
    logger,
    http,
    metrics: metrics.alertmanager,
    limits: limitsOf(op.herald),
    externalURL,
    version: VERSION,
    retentionMs: op.herald.storage.retentionMs,
    fallback: op.fallback,
    pinned: op.pinned,
    // A tenant uploaded a new base while its routing comes from Kubernetes objects: render onto it.
    // (`kube` is built below, once the ruler exists; uploads arrive only after start.)
    onKubeBaseChange: (tenant) => kube.baseChanged(tenant),
    bind: (tenant, config, source, uc) => {
      // Rendered from AlertmanagerConfig objects: tenant input like an upload (receiver firewall, no local files).
      const own = source === 'stored' || source === 'kube';
      const bound = { templates: binder.templates(tenant, config, source, uc), http: own ? tenantHttp : http, smtp: own ? tenantSmtp : smtp };
      // Only the operator's configs may name local files (`*_file`); tenant uploads never get a reader.
      return own ? bound : { ...bound, secrets };
    },
  });
  // The ruler: each tenant's rule groups over its embedded store (or a remote Prometheus-compatible
  // API), alerts to the tenant's own Alertmanager in-process and to external Alertmanagers.
  const userAgent = `Herald/${VERSION}`;
  const notifierFor = (cfg: RulerConfig) => {
    try {
      return createNotifier({
        config: cfg,
        local: async (tenant, alerts) => (await registry.get(tenant)).putAlerts(alerts),
        http,
        clock: SYSTEM_CLOCK,
        logger: logger.child({ component: 'ruler-notifier' }),
        userAgent,
        metrics: metrics.notifier,
      });
    } catch (e) {
      // Settings the config parser cannot see alone (e.g. the same Alertmanager URL twice).
      if (e instanceof InvalidInputError) throw new ConfigFileError(formatAll(opts.configFile ?? 'config', e.issues));
      throw e;
    }
  };
  let notifier = notifierFor(op.herald.ruler);
  // One backend per tenant while the query_backend config stays the same: the ruler replaces a
  // tenant's groups when its backend object changes, so a no-op reload must hand back the same one.
  const backends = new Map<string, { readonly key: string; readonly backend: QueryBackend }>();
  const backendFor = async (tenant: string): Promise<QueryBackend> => {
    const b = op.herald.ruler.queryBackend;
    const key = JSON.stringify(b, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
    const hit = backends.get(tenant);
    if (hit && hit.key === key) return hit.backend;
    const backend = b.type === 'prometheus' ? createRemoteBackend({ tenant, config: b, http, userAgent, clock: SYSTEM_CLOCK }) : embeddedBackend(await tsdb.get(tenant));
    backends.set(tenant, { key, backend });
    return backend;
  };
  const warnBackend = (cfg: RulerConfig): void => {
    const b = cfg.queryBackend;
    if (cfg.enabled && b.type === 'prometheus' && b.remoteWriteUrl === undefined) {
      logger.warn({ url: b.url }, 'ruler.query_backend has no remote_write_url: recording results and ALERTS are not written, and for-state cannot be restored after a restart');
    }
  };
  warnBackend(op.herald.ruler);
  const ruler = createRuler({
    config: op.herald.ruler,
    state: store,
    backendFor,
    // Through a closure: a reload replaces the notifier.
    sink: { send: (tenant, alerts) => notifier.send(tenant, alerts) },
    createGroup: createEvalGroup,
    limits: (tenant) => registry.currentLimits().rulerLimits(tenant),
    clock: SYSTEM_CLOCK,
    logger: logger.child({ component: 'ruler' }),
    metrics: metrics.ruler,
    // Prometheus strips a trailing slash before building generator URLs.
    externalURL: externalURL.replace(/\/+$/, ''),
    fs: { readDir: (p) => readdir(p), readFile: (p, enc) => readFile(p, enc), stat: (p) => stat(p) },
  });
  const kubeError = (e: unknown): never => {
    if (e instanceof KubeSyncSetupError) throw new ConfigFileError([`${opts.configFile ?? 'config'}: ${e.message}`]);
    throw e;
  };
  const warnKube = (h: HeraldConfig): void => {
    if (h.kube.source && !h.ruler.enabled) logger.warn({ source: h.kube.source.type }, 'ruler.enabled is false: PrometheusRule objects are reconciled but not evaluated');
  };
  // Kubernetes / GitOps self-service (issue 8): objects -> the registry's kube configs and the ruler's external rules.
  const kube: KubeSync = await createKubeSync({
    config: op.herald.kube,
    fallbackYaml: op.fallbackText,
    setKubeConfig: (t, c) => registry.setKubeConfig(t, c),
    baseConfigText: (t, fb) => registry.baseConfigText(t, fb),
    loadConfig: (y) => loadConfig(y),
    setExternalRules: (t, m) => ruler.setExternalRules(t, m),
    clock: SYSTEM_CLOCK,
    logger,
    metrics: metrics.kube,
  }).catch(kubeError);
  warnKube(op.herald);
  // Dynamic thresholds: conf.d and API documents -> user_threshold series in each tenant's store;
  // the rule packs evaluated once over every tenant's store, outputs split back per tenant.
  const fsp = { readDir: (p: string) => readdir(p), readFile: (p: string, enc: 'utf8') => readFile(p, enc), stat: (p: string) => stat(p) };
  const thresholdsFor = (t: ThresholdsConfig): ThresholdEngine =>
    new ThresholdEngine({
      ...(t.directory !== undefined ? { directory: t.directory } : {}),
      fs: fsp,
      store,
      clock: SYSTEM_CLOCK,
      logger: logger.child({ component: 'thresholds' }),
      metrics: metrics.thresholds,
      pollIntervalMs: t.pollIntervalMs,
    });
  let thresholds = thresholdsFor(op.herald.thresholds);
  const writerFor = (engine: ThresholdEngine, t: ThresholdsConfig): ThresholdSeriesWriter =>
    new ThresholdSeriesWriter({
      service: engine,
      store: (tenant) => tsdb.get(tenant),
      clock: SYSTEM_CLOCK,
      logger: logger.child({ component: 'threshold-writer' }),
      refreshIntervalMs: t.refreshIntervalMs,
      // A tenant without a document is alerted at the platform's defaults, never silently not at all.
      defaultTenants: () => Promise.resolve(knownTenants),
    });
  let thresholdWriter = writerFor(thresholds, op.herald.thresholds);
  // The union of tenant stores asks for the tenant list on every selector: keep it cached.
  let knownTenants: readonly string[] = [];
  const refreshTenants = async (): Promise<void> => {
    const ids = new Set([...(await tsdb.tenants()), ...thresholds.tenants()]);
    knownTenants = [...ids].sort();
  };
  let tenantTimer: TimerHandle | undefined;
  const scheduleTenantRefresh = (): void => {
    tenantTimer = SYSTEM_CLOCK.schedule(5000, () => {
      refreshTenants().then(scheduleTenantRefresh, (e: unknown) => {
        logger.error({ err: String(e) }, 'Listing tenant stores failed');
        scheduleTenantRefresh();
      });
    });
  };
  const packSettings = (h: HeraldConfig): EvalSettings => ({
    defaultIntervalMs: h.thresholds.evaluationIntervalMs ?? h.ruler.evaluationIntervalMs,
    defaultQueryOffsetMs: h.ruler.ruleQueryOffsetMs,
    resendDelayMs: h.ruler.resendDelayMs,
    forGracePeriodMs: h.ruler.forGracePeriodMs,
    forOutageToleranceMs: h.ruler.forOutageToleranceMs,
    externalLabels: h.ruler.externalLabels,
    externalURL: externalURL.replace(/\/+$/, ''),
  });
  const platformFor = (h: HeraldConfig): PlatformRuler | undefined =>
    h.thresholds.rulePacks.length === 0
      ? undefined
      : createPlatformRuler({
          tenants: tsdbPackTenants(tsdb, () => knownTenants),
          platformTenant: h.thresholds.platformTenant,
          sink: { send: (tenant, alerts) => notifier.send(tenant, alerts) },
          settings: packSettings(h),
          packsDirectory: h.thresholds.rulePacksDirectory ?? SHIPPED_RULE_PACKS,
          packs: h.thresholds.rulePacks,
          fs: fsp,
          pollIntervalMs: h.thresholds.pollIntervalMs,
          clock: SYSTEM_CLOCK,
          logger: logger.child({ component: 'rule-packs' }),
          metrics: metrics.ruler,
        });
  let platform = platformFor(op.herald);
  // What the rules API shows a tenant: its own groups, then the pack groups with its own alerts.
  const rulerView: RulerService = {
    store: ruler.store,
    groups: (tenant) => [...ruler.groups(tenant), ...(platform?.groups().map((g) => tenantView(g, tenant)) ?? [])],
    directoryErrors: (tenant) => ruler.directoryErrors(tenant),
  };
  const startThresholds = async (): Promise<void> => {
    await thresholds.start();
    await refreshTenants();
    await thresholdWriter.start();
    await platform?.start();
  };
  const stopThresholds = async (): Promise<void> => {
    await platform?.stop();
    thresholdWriter.stop();
    thresholds.stop();
  };
  // Authentication (issue 9): off by default (a loud warning at start), or required.
  const authDeps = { clock: SYSTEM_CLOCK, logger: logger.child({ component: 'auth' }) };
  const authSetup = async (cfg: HeraldConfig['auth']) => {
    try {
      return await createAuthenticator(cfg, authDeps);
    } catch (e) {
      if (e instanceof AuthSetupError || e instanceof JwksLoadError) throw new ConfigFileError([`${opts.configFile ?? 'config'}: ${e.message}`]);
      throw e;
    }
  };
  const auth = reloadableAuthenticator(await authSetup(op.herald.auth), authDeps);
  // The audit log: every change through the API, one JSON line and a stored, per-tenant record.
  const audit = {
    log: createAuditLog({ store, logger, clock: SYSTEM_CLOCK }),
    actionOf: (req: { readonly routePolicy: { readonly audit?: string } | null }) => req.routePolicy?.audit,
    snapshot: createSnapshotter({
      getUserConfigText: async (t) => {
        const uc = await registry.getUserConfig(t);
        return uc ? userConfigToYaml(uc) : undefined;
      },
      getSilence: async (t, id) => {
        const v = (await registry.get(t)).getSilence(id);
        return v ? JSON.stringify(silenceToDto(v)) : undefined;
      },
      getRuleGroup: async (t, ns, name) => {
        const g = (await ruler.store.list(t)).get(ns)?.find((x) => x.name === name);
        return g ? marshalRuleGroup(g) : undefined;
      },
      getRuleNamespace: async (t, ns) => {
        const groups = (await ruler.store.list(t)).get(ns);
        return groups && groups.length > 0 ? marshalNamespaces(new Map([[ns, groups]])) : undefined;
      },
      getThresholdDocument: (t) => Promise.resolve(thresholds.document(t)?.text),
    }),
  };
  let rulerStarted = false;
  const reload = async (): Promise<void> => {
    const next = readOperatorConfig(opts);
    // Built before anything is swapped: a notifier that refuses its settings fails the whole reload.
    const nextNotifier = notifierFor(next.herald.ruler);
    // Built before anything is swapped, too: a kubeconfig or platform receiver that does not load fails the reload.
    let commitKube: () => Promise<void>;
    try {
      commitKube = await kube.prepare(next.herald.kube, next.fallbackText).catch(kubeError);
    } catch (e) {
      void nextNotifier.stop();
      throw e;
    }
    try {
      await auth.apply(next.herald.auth);
    } catch (e) {
      void nextNotifier.stop();
      if (e instanceof AuthSetupError || e instanceof JwksLoadError) throw new ConfigFileError([`${opts.configFile ?? 'config'}: ${e.message}`]);
      throw e;
    }
    const prev = op;
    op = next; // first: the binder resolves the new configs' templates from it
    try {
      await registry.reload({ fallback: next.fallback, pinned: next.pinned, limits: limitsOf(next.herald) });
    } catch (e) {
      op = prev;
      void nextNotifier.stop();
      throw e;
    }
    await scrape.apply(next.scrape);
    const oldNotifier = notifier;
    notifier = nextNotifier;
    warnBackend(next.herald.ruler);
    if (rulerStarted) await ruler.reload(next.herald.ruler);
    else if (next.herald.ruler.enabled) {
      await ruler.reload(next.herald.ruler);
      await ruler.start();
      rulerStarted = true;
    }
    await oldNotifier.stop();
    const t0 = prev.herald.thresholds;
    const t1 = next.herald.thresholds;
    if (JSON.stringify(t0) !== JSON.stringify(t1) || JSON.stringify(packSettings(prev.herald)) !== JSON.stringify(packSettings(next.herald))) {
      await stopThresholds();
      thresholds = thresholdsFor(t1);
      thresholdWriter = writerFor(thresholds, t1);
      platform = platformFor(next.herald);
      await startThresholds();
    } else {
      await platform?.reload();
    }
    await commitKube();
    warnKube(next.herald);
    logger.info({ file: opts.configFile ?? '' }, 'Completed loading of configuration file');
  };
  const tlsFiles = op.herald.web.tls;
  const server = await buildServer({
    registry,
    loadConfig,
    marshalConfig,
    parseMatcher: (s) => parseMatcher(s),
    clock: SYSTEM_CLOCK,
    logger: logger.child({ component: 'http' }),
    metrics: metrics.alertmanager,
    promRegistry: metrics.registry,
    versionInfo: versionInfo(process.version),
    startedAt: SYSTEM_CLOCK.now(),
    requireTenant: () => op.herald.multitenancy.requireTenant,
    reload,
    kube: { view: (tenant) => kube.tenantView(tenant) },
    notReady: () => (kube.ready() ? undefined : `the kube source (${op.herald.kube.source?.type ?? 'none'}) has not been reconciled yet`),
    loadTemplates,
    remoteWrite: {
      tsdb,
      limits: ingestLimits,
      metrics: metrics.ingest,
      clock: SYSTEM_CLOCK,
      logger: logger.child({ component: 'remote-write' }),
      requireTenant: () => op.herald.multitenancy.requireTenant,
    },
    prometheusApi: {
      store: (t) => tsdb.get(t),
      clock: SYSTEM_CLOCK,
      logger: logger.child({ component: 'query-api' }),
      versionInfo: versionInfo(process.version),
      requireTenant: () => op.herald.multitenancy.requireTenant,
      rulerConfigApi: true,
    },
    auth: { authenticator: auth, config: () => op.herald.auth },
    audit,
    rulerApi: {
      ruler: rulerView,
      parseRuleGroup,
      marshalRuleGroup,
      marshalNamespaces,
      formatGroupIssues,
      logger: logger.child({ component: 'ruler-api' }),
      requireTenant: () => op.herald.multitenancy.requireTenant,
    },
    // Through closures: a reload may replace the engine.
    thresholdsApi: {
      thresholds: () => thresholds,
      logger: logger.child({ component: 'thresholds-api' }),
      requireTenant: () => op.herald.multitenancy.requireTenant,
      exposition: { render: () => renderExposition(thresholds, knownTenants), logger: logger.child({ component: 'thresholds-api' }) },
    },
    notificationTools: createNotificationTools({
      config: async (t) => (await registry.get(t)).config(),
      notificationState: async (t) => (await registry.get(t)).notificationState(),
      templateSources: async (t) => binder.sources(await registry.get(t).then((e) => e.config()), registry.isPinned(t) ? undefined : await registry.getUserConfig(t)),
      tenantMode: (t) => !registry.isPinned(t),
      loadConfig,
      loadTemplates,
      integrations: INTEGRATIONS,
      deps: { http, smtp, clock: SYSTEM_CLOCK, logger: logger.child({ component: 'receiver-test' }), version: VERSION },
      netFor: (t) => (registry.isPinned(t) ? { http, smtp, secrets } : { http: tenantHttp, smtp: tenantSmtp }),
      externalURL,
      clock: SYSTEM_CLOCK,
    }),
    // The UI's API (issue 10): /api/herald/v1/{whoami,tenants,routes,routes/test,status}.
    uiApi: {
      configSource: (t) => registry.source(t),
      // The state store holds uploaded configs, alerts, silences and API rule groups; a rules
      // directory tenant's evaluations reach its tsdb. Through closures: a reload may replace
      // the thresholds engine.
      tenantSources: [() => store.tenants(), () => tsdb.tenants(), () => thresholds.tenants(), () => ruler.tenants()],
      usage: {
        // Opens no store: a tenant without one has no series.
        activeSeries: async (t) => {
          const open = tsdb.openStats().find((s) => s.tenant === t);
          if (open !== undefined) return open.activeSeries;
          return (await tsdb.tenants()).includes(t) ? (await tsdb.get(t)).stats().activeSeries : 0;
        },
        rules: async (t) => {
          let groups = 0;
          let rules = 0;
          for (const list of (await ruler.store.list(t)).values()) {
            groups += list.length;
            for (const g of list) rules += g.rules.length;
          }
          return { groups, rules };
        },
      },
    },
  }, {
    // The built UI's static files.
    ...(opts.uiDirectory !== undefined ? { uiDirectory: opts.uiDirectory } : {}),
    ...(tlsFiles ? { https: readKeyPair(tlsFiles) } : {}),
  });
  // A renewed certificate on disk is picked up without a restart (web.tls is read at start only).
  const stopTlsWatch = tlsFiles ? watchKeyPair(server.server as unknown as HttpsServer, tlsFiles, logger.child({ component: 'http' })) : undefined;
  let gc: TimerHandle | undefined;
  const scheduleGc = (): void => {
    gc = SYSTEM_CLOCK.schedule(GC_INTERVAL_MS, () => {
      store.gc(SYSTEM_CLOCK.now()).then(
        (n) => n > 0 && logger.debug({ records: n }, 'Dropped expired state'),
        (e: unknown) => logger.error({ err: String(e) }, 'State garbage collection failed'),
      );
      scheduleGc();
    });
  };
  let stopped = false;
  return {
    server,
    async start() {
      await registry.restore();
      await server.listen({ host: listen.host, port: listen.port });
      await scrape.apply(op.scrape);
      if (op.herald.ruler.enabled) {
        await ruler.start();
        rulerStarted = true;
      }
      await startThresholds();
      // After the ruler: PrometheusRule groups are applied to a running ruler. /-/ready waits for the first reconcile.
      kube.start();
      scheduleTenantRefresh();
      const a = server.server.address();
      const address = a && typeof a === 'object' ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : String(a);
      scheduleGc();
      logger.info({ address, version: VERSION, storage: storagePath }, 'Listening on');
      return address;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      gc?.cancel();
      stopTlsWatch?.();
      await server.close();
      tenantTimer?.cancel();
      await kube.stop();
      await stopThresholds();
      await ruler.stop();
      await notifier.stop();
      await registry.stop();
      await scrape.stop();
      await tsdb.close();
      await store.close();
      http.close();
      tenantHttp.close();
      logger.info('Stopped');
    },
  };
}
