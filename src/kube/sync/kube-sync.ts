/**
 * Issue 8 inside `herald serve`: the `kube:` config's source (a cluster watched with
 * list-then-watch, watch/, or a GitOps manifest directory, reconcile/manifest-poller.ts) feeds the
 * reconciler (reconcile/), whose results go to the tenant registry (`setKubeConfig`) and the ruler
 * (`setExternalRules`), and, for a cluster, back to the objects as status conditions and events.
 *
 * One generation (source + reconciler) runs at a time. A reload with a changed `kube:` section
 * builds the next generation first (a bad kubeconfig or platform receiver fails the reload and the
 * running one stays), then stops the old source; the applied state stays as it was until the new
 * source's first snapshot is reconciled, and only then do tenants the new generation no longer
 * manages go back to their own configuration. So a reload never opens a gap in anyone's routing.
 *
 * Ready (for `/-/ready`) once the first snapshot of a source was reconciled: before that, kube
 * tenants would route by their uploaded or fallback configuration, which is not what the cluster
 * says. A later reload keeps the state, and readiness, it had.
 */
import type { KubeConfig as ClientKubeConfig } from '@kubernetes/client-node';
import type { AlertmanagerConfig } from '../../alertmanager/config/types.js';
import { formatIssue } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { MonitoringObject, ObjectStatus } from '../api.js';
import { NODE_MANIFEST_FS } from '../manifests/index.js';
import type { ManifestFs, ManifestProblem } from '../manifests/index.js';
import { createManifestPoller, createReconciler, objectId } from '../reconcile/index.js';
import type { ReconcileInput, ReconcileReport, Reconciler, ReconcilerSinks, TenantRuleNamespaces } from '../reconcile/index.js';
import type { KubeConfig, KubeSourceSettings } from '../tenancy/index.js';
import { createKubeSource } from '../watch/index.js';
import type { KubeKind, WriteStatus } from '../watch/index.js';
import { loadKubeconfig } from './kubeconfig.js';
import type { KubeSyncMetrics } from './metrics.js';
import { countObjects, NOOP_KUBE_SYNC_METRICS } from './metrics.js';

export type KubernetesSourceSettings = Extract<KubeSourceSettings, { type: 'kubernetes' }>;

/** The kube source cannot be set up (bad kubeconfig, unusable platform receiver): a config error of the operator. */
export class KubeSyncSetupError extends Error {
  override readonly name = 'KubeSyncSetupError';
}

export interface KubeSyncDeps {
  readonly config: KubeConfig;
  /** The operator's fallback Alertmanager configuration (YAML), the base of tenants with no upload. */
  readonly fallbackYaml: string;
  /** The registry's: runs a rendered configuration for the tenant, or (null) its own again. */
  readonly setKubeConfig: (tenant: string, config: AlertmanagerConfig | null) => Promise<void>;
  /** The registry's: the tenant's uploaded configuration text, else `fallbackYaml`. */
  readonly baseConfigText: (tenant: string, fallbackYaml: string) => Promise<string>;
  /** Alertmanager's config loader (the rendered YAML is loaded before it is applied). */
  readonly loadConfig: (yaml: string) => Result<AlertmanagerConfig>;
  /** The ruler's: replaces the tenant's read-only, Kubernetes-owned rule namespaces. */
  readonly setExternalRules: (tenant: string, namespaces: TenantRuleNamespaces) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** For the manifest directory (default: the real file system). */
  readonly fs?: ManifestFs;
  /** Builds the client configuration of a cluster source (default: kubeconfig.ts). */
  readonly loadKubeconfig?: (settings: KubernetesSourceSettings) => Promise<ClientKubeConfig>;
  readonly metrics?: KubeSyncMetrics;
  /** Quiet time before a cluster change is reconciled (default: the source's, 500 ms). */
  readonly debounceMs?: number;
}

/** What the sync is doing, for logs, tests and operators. */
export interface KubeSyncState {
  readonly source: 'none' | 'kubernetes' | 'manifests';
  /** The current source's first snapshot has been reconciled. */
  readonly synced: boolean;
  /** Clock time of the last finished reconcile (undefined: none yet). */
  readonly lastReconcileAt?: number;
  /** Why the last reconcile failed as a whole ('' when it did not). */
  readonly lastError: string;
  /** Tenants with at least one object. */
  readonly tenants: readonly string[];
  /** Every selected object's outcome (`<Kind> <namespace>/<name>`). */
  readonly statuses: ReadonlyMap<string, ObjectStatus>;
  /** Problems of the manifest directory at its last change. */
  readonly manifestProblems: readonly ManifestProblem[];
  /** Manifest files with problems whose last good version is used. */
  readonly keptFiles: readonly string[];
}

/** One object of a tenant, as the tenant may see it (GET /api/herald/v1/kube/objects). */
export interface KubeObjectView {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly accepted: boolean;
  /** Why it was rejected ('' when accepted). */
  readonly reason: string;
}

/** What one tenant may know of the sync: its own objects only. */
export interface TenantKubeView {
  readonly source: KubeSyncState['source'];
  readonly synced: boolean;
  readonly lastReconcileAt?: number;
  /** Sorted by kind, namespace and name. */
  readonly objects: readonly KubeObjectView[];
}

export interface KubeSync {
  /** Starts the source (no-op without one); the first reconcile follows asynchronously. */
  start(): void;
  /** Stops the source and waits for a reconcile in progress. Applied configurations stay. */
  stop(): Promise<void>;
  /**
   * Checks and builds what a new `kube:` section needs without touching the running one; throws
   * KubeSyncSetupError. The returned commit swaps it in (a no-op when nothing changed).
   */
  prepare(config: KubeConfig, fallbackYaml: string): Promise<() => Promise<void>>;
  /** prepare + commit. */
  reload(config: KubeConfig, fallbackYaml: string): Promise<void>;
  /** The tenant uploaded or deleted its configuration: render its objects onto the new base. */
  baseChanged(tenant: string): void;
  /** False until the first snapshot has been reconciled (true at once without a source). */
  ready(): boolean;
  /** Resolves once ready. */
  whenReady(): Promise<void>;
  state(): KubeSyncState;
  /** The tenant's own objects and their outcome (why a config is not live, without cluster access). */
  tenantView(tenant: string): TenantKubeView;
}

interface Runnable {
  start(): void;
  stop(): Promise<void>;
}

interface Generation {
  readonly key: string;
  readonly settings: KubeSourceSettings | undefined;
  readonly reconciler: Reconciler | undefined;
  readonly source: Runnable | undefined;
  synced: boolean;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The kinds a cluster source watches. */
export function watchedKinds(s: KubernetesSourceSettings): KubeKind[] {
  return ['namespaces', ...(s.watchSecrets ? (['secrets'] as const) : []), `alertmanagerconfigs/${s.alertmanagerConfigVersion}`, 'prometheusrules'];
}

/** Builds the sync for `deps.config`; throws KubeSyncSetupError when its source cannot be set up. */
export async function createKubeSync(deps: KubeSyncDeps): Promise<KubeSync> {
  const log = deps.logger.child({ component: 'kube-sync' });
  const metrics = deps.metrics ?? NOOP_KUBE_SYNC_METRICS;
  const fs = deps.fs ?? NODE_MANIFEST_FS;
  const kubeconfigOf = deps.loadKubeconfig ?? loadKubeconfig;
  let fallbackYaml = deps.fallbackYaml;
  let started = false;
  let stopped = false;
  let everSynced = false;
  let readyWaiters: (() => void)[] = [];
  let lastReport: ReconcileReport | undefined;
  let lastReconcileAt: number | undefined;
  let lastError = '';
  let manifestProblems: readonly ManifestProblem[] = [];
  let keptFiles: readonly string[] = [];
  /** Tenants whose kube configuration / rules are applied now, across generations. */
  const appliedConfig = new Set<string>();
  const appliedRules = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<void>): Promise<void> => {
    const p = queue.then(fn);
    queue = p.catch((e: unknown) => log.error({ err: errorText(e) }, 'kube sync step failed'));
    return p;
  };

  const applyConfig = async (tenant: string, yaml: string | null): Promise<void> => {
    if (yaml === null) {
      await deps.setKubeConfig(tenant, null);
      appliedConfig.delete(tenant);
      return;
    }
    const loaded = deps.loadConfig(yaml);
    if (!loaded.ok) throw new Error(`the rendered configuration does not load: ${loaded.issues.slice(0, 3).map((i) => formatIssue(i)).join('; ')}`);
    await deps.setKubeConfig(tenant, loaded.value);
    appliedConfig.add(tenant);
  };
  const applyRules = async (tenant: string, namespaces: TenantRuleNamespaces): Promise<void> => {
    await deps.setExternalRules(tenant, namespaces);
    if (namespaces.size === 0) appliedRules.delete(tenant);
    else appliedRules.add(tenant);
  };
  const logStatus = (o: MonitoringObject, s: ObjectStatus): void => {
    if (s.accepted) log.debug({ object: objectId(o), tenant: s.tenant }, s.tenant === '' ? `not reconciled: ${s.reason}` : 'object accepted');
    else log.warn({ object: objectId(o), tenant: s.tenant, reason: s.reason }, 'object rejected');
  };

  let current: Generation;

  async function build(config: KubeConfig): Promise<Generation> {
    const key = JSON.stringify(config);
    const settings = config.source;
    if (!settings) return { key, settings, reconciler: undefined, source: undefined, synced: false };
    /** The generation being built, for the source's callbacks (set below, before it can start). */
    const self: { gen?: Generation } = {};
    let writeStatus: WriteStatus | undefined;
    const sinks: ReconcilerSinks = {
      applyAlertmanagerConfig: applyConfig,
      applyRules,
      writeStatus: async (o, s) => {
        logStatus(o, s);
        if (writeStatus) await writeStatus(o, s);
      },
    };
    let reconciler: Reconciler;
    try {
      reconciler = createReconciler({
        config,
        baseConfig: (t) => deps.baseConfigText(t, fallbackYaml),
        ...(config.alertmanager.platformReceiver ? { platformReceiver: config.alertmanager.platformReceiver } : {}),
        sinks,
        logger: deps.logger,
      });
    } catch (e) {
      throw new KubeSyncSetupError(`kube.alertmanager.platform_receiver: ${errorText(e)}`);
    }
    let source: Runnable;
    if (settings.type === 'manifests') {
      const poller = createManifestPoller({
        dir: settings.directory,
        fs,
        clock: deps.clock,
        logger: deps.logger,
        intervalMs: settings.pollIntervalMs,
        onChange: (input, problems, kept) => {
          manifestProblems = problems;
          keptFiles = kept;
          metrics.manifestProblems(problems.length);
          return reconcileSnapshot(self.gen as Generation, input);
        },
      });
      source = { start: () => poller.start(), stop: () => Promise.resolve(poller.stop()) };
    } else {
      let kubeconfig: ClientKubeConfig;
      try {
        kubeconfig = await kubeconfigOf(settings);
      } catch (e) {
        throw new KubeSyncSetupError(`kube.kubernetes: ${errorText(e)}`);
      }
      let ks;
      try {
        ks = createKubeSource({
          kubeconfig,
          kinds: watchedKinds(settings),
          clock: deps.clock,
          logger: deps.logger,
          ...(deps.debounceMs === undefined ? {} : { debounceMs: deps.debounceMs }),
          onChange: (snapshot) => {
            reconcileSnapshot(self.gen as Generation, snapshot).catch(() => undefined);
          },
        });
      } catch (e) {
        throw new KubeSyncSetupError(`kube.kubernetes: ${errorText(e)}`);
      }
      if (settings.writeStatus) writeStatus = ks.writeStatus;
      source = ks;
    }
    self.gen = { key, settings, reconciler, source, synced: false };
    return self.gen;
  }

  /** Reconciles a snapshot of `gen` (ignored once another generation took over). */
  function reconcileSnapshot(gen: Generation, input: ReconcileInput): Promise<void> {
    return serial(async () => {
      if (gen !== current || stopped || !gen.reconciler) return;
      const t0 = deps.clock.now();
      let report: ReconcileReport;
      try {
        report = await gen.reconciler.reconcile(input);
      } catch (e) {
        lastError = errorText(e);
        metrics.reconciled((deps.clock.now() - t0) / 1000, deps.clock.now() / 1000, false);
        log.error({ err: lastError }, 'reconcile failed; the applied configurations stay');
        return;
      }
      if (!gen.synced) {
        // Tenants only the previous generation managed go back to their own configuration.
        const keep = new Set(report.tenants);
        for (const t of [...appliedRules].filter((x) => !keep.has(x))) await applyRules(t, new Map()).catch((e: unknown) => log.error({ tenant: t, err: errorText(e) }, 'removing rules failed'));
        for (const t of [...appliedConfig].filter((x) => !keep.has(x))) await applyConfig(t, null).catch((e: unknown) => log.error({ tenant: t, err: errorText(e) }, 'reverting the configuration failed'));
        gen.synced = true;
        log.info({ source: gen.settings?.type, tenants: report.tenants.length, objects: report.statuses.size }, 'first reconcile of the kube source done');
      }
      lastReport = report;
      lastError = '';
      lastReconcileAt = deps.clock.now();
      metrics.reconciled((lastReconcileAt - t0) / 1000, lastReconcileAt / 1000, true);
      metrics.objects(countObjects(report.statuses));
      markReady();
    });
  }

  function markReady(): void {
    if (everSynced) return;
    everSynced = true;
    const w = readyWaiters;
    readyWaiters = [];
    for (const f of w) f();
  }

  current = await build(deps.config);

  async function prepare(config: KubeConfig, nextFallback: string): Promise<() => Promise<void>> {
    const key = JSON.stringify(config);
    if (key === current.key) {
      return async () => {
        if (nextFallback === fallbackYaml) return;
        fallbackYaml = nextFallback;
        const gen = current;
        // Tenants without an upload were rendered onto the old fallback.
        await serial(async () => {
          if (gen === current && gen.reconciler && gen.synced) lastReport = (await gen.reconciler.refresh()) ?? lastReport;
        });
      };
    }
    const next = await build(config);
    return async () => {
      const prev = current;
      await prev.source?.stop();
      fallbackYaml = nextFallback;
      await serial(async () => {
        current = next;
        lastReport = undefined;
        manifestProblems = [];
        keptFiles = [];
        metrics.manifestProblems(0);
        if (!next.source) {
          for (const t of [...appliedRules]) await applyRules(t, new Map());
          for (const t of [...appliedConfig]) await applyConfig(t, null);
          metrics.objects([]);
        }
      });
      log.info({ from: prev.settings?.type ?? 'none', to: next.settings?.type ?? 'none' }, 'kube source changed');
      if (started && !stopped) {
        next.source?.start();
        if (!next.source) markReady();
      }
    };
  }

  function stateNow(): KubeSyncState {
    return {
      source: current.settings?.type ?? 'none',
      synced: current.settings ? current.synced : started,
      ...(lastReconcileAt === undefined ? {} : { lastReconcileAt }),
      lastError,
      tenants: current.reconciler?.tenants() ?? [],
      statuses: lastReport?.statuses ?? new Map<string, ObjectStatus>(),
      manifestProblems,
      keptFiles,
    };
  }

  return {
    start() {
      if (started) return;
      started = true;
      if (current.source) current.source.start();
      else markReady();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await current.source?.stop();
      await serial(() => Promise.resolve());
    },
    prepare,
    async reload(config, nextFallback) {
      await (await prepare(config, nextFallback))();
    },
    baseChanged(tenant) {
      const gen = current;
      void serial(async () => {
        if (gen !== current || !gen.reconciler || !gen.reconciler.tenants().includes(tenant)) return;
        lastReport = (await gen.reconciler.refresh()) ?? lastReport;
      });
    },
    ready: () => everSynced,
    whenReady() {
      return everSynced ? Promise.resolve() : new Promise((resolve) => readyWaiters.push(resolve));
    },
    tenantView(tenant) {
      const st = stateNow();
      const objects: KubeObjectView[] = [];
      for (const [id, status] of st.statuses) {
        if (status.tenant !== tenant) continue;
        const space = id.indexOf(' ');
        const slash = id.indexOf('/', space);
        objects.push({ kind: id.slice(0, space), namespace: id.slice(space + 1, slash), name: id.slice(slash + 1), accepted: status.accepted, reason: status.reason });
      }
      objects.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
      return { source: st.source, synced: st.synced, ...(st.lastReconcileAt === undefined ? {} : { lastReconcileAt: st.lastReconcileAt }), objects };
    },
    state: stateNow,
  };
}
