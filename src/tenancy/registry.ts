/**
 * Every tenant's Alertmanager engine, created lazily on first use and exactly once even under
 * concurrent first requests. A tenant runs, in order of precedence: a config pinned by the
 * operator (`--alertmanager.config.file` for `anonymous`), the config it uploaded (StateStore kind
 * 'config', key 'alertmanager'), or the fallback config. Mirrors Mimir's MultitenantAlertmanager.
 */
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import type { TenantAlertmanager } from '../alertmanager/api.js';
import type { AlertmanagerMetrics, AlertmanagerOptions, ConfigBindings } from '../alertmanager/options.js';
import type { Clock, HttpClient, Logger } from '../core/runtime.js';
import { tenantState } from '../core/state-store.js';
import type { StateStore } from '../core/state-store.js';
import { formatIssue } from '../core/result.js';
import type { Limits } from './limits.js';
import type { ConfigLoader, UserConfig } from './user-config.js';

/** Mimir's built-in fallback (ComputeFallbackConfig): default global, everything to a receiver with no integrations. */
export const BUILTIN_FALLBACK_CONFIG = 'route:\n  receiver: empty-receiver\nreceivers:\n  - name: empty-receiver\n';

export const CONFIG_KIND = 'config';
export const CONFIG_KEY = 'alertmanager';

export type EngineFactory = (opts: AlertmanagerOptions) => Promise<TenantAlertmanager>;

export interface RegistryOptions {
  readonly store: StateStore;
  readonly loadConfig: ConfigLoader;
  readonly createEngine: EngineFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly http: HttpClient;
  readonly metrics: AlertmanagerMetrics;
  readonly limits: Limits;
  readonly externalURL: string;
  readonly version: string;
  readonly retentionMs: number;
  readonly fallback: AlertmanagerConfig;
  /** Configs the operator fixes for some tenants; the config API cannot replace them. */
  readonly pinned?: ReadonlyMap<string, AlertmanagerConfig>;
  /**
   * Templates and HTTP client for a config about to run: `userConfig` is the tenant's upload when
   * `source` is 'stored'. Absent: literal templates and `http` for every config.
   */
  readonly bind?: (tenant: string, config: AlertmanagerConfig, source: ConfigSource, userConfig?: UserConfig) => ConfigBindings;
  /**
   * Called after a tenant's upload was stored or deleted while its running config is rendered from
   * Kubernetes objects: the kube sync renders them onto the new base (src/kube/sync).
   */
  readonly onKubeBaseChange?: (tenant: string) => void;
}

/** Where a running tenant's config came from; 'kube': rendered from Kubernetes objects onto the stored or fallback one. */
export type ConfigSource = 'pinned' | 'kube' | 'stored' | 'fallback';

interface Entry {
  readonly engine: TenantAlertmanager;
  source: ConfigSource;
}

/** Thrown by the config API paths for a tenant whose config the operator pinned. */
export class PinnedConfigError extends Error {
  constructor(readonly tenant: string) {
    super(`the configuration of tenant ${tenant} is set by --alertmanager.config.file and cannot be changed through the API`);
  }
}

export class TenantRegistry {
  private readonly entries = new Map<string, Promise<Entry>>();
  private fallback: AlertmanagerConfig;
  private pinned: ReadonlyMap<string, AlertmanagerConfig>;
  /** Configs rendered by the kube reconciler (src/kube/reconcile), above the stored one. */
  private readonly kube = new Map<string, AlertmanagerConfig>();
  private limits: Limits;
  private readonly log: Logger;

  constructor(private readonly opts: RegistryOptions) {
    this.fallback = opts.fallback;
    this.pinned = opts.pinned ?? new Map();
    this.limits = opts.limits;
    this.log = opts.logger.child({ component: 'tenancy' });
  }

  /** The tenant's engine, created on first use. */
  get(tenant: string): Promise<TenantAlertmanager> {
    return this.entry(tenant).then((e) => e.engine);
  }

  /** Where the tenant's running config comes from (starts the engine on first use, as get does). */
  source(tenant: string): Promise<ConfigSource> {
    return this.entry(tenant).then((e) => e.source);
  }

  /** Tenants whose engine has been created (or is being created). */
  tenants(): string[] {
    return [...this.entries.keys()];
  }

  currentLimits(): Limits {
    return this.limits;
  }

  isPinned(tenant: string): boolean {
    return this.pinned.has(tenant);
  }

  private entry(tenant: string): Promise<Entry> {
    let p = this.entries.get(tenant);
    if (!p) {
      p = this.create(tenant);
      this.entries.set(tenant, p);
      // A failed creation is forgotten so the next request retries.
      p.catch(() => {
        if (this.entries.get(tenant) === p) this.entries.delete(tenant);
      });
    }
    return p;
  }

  private bindings(tenant: string, config: AlertmanagerConfig, source: ConfigSource, uc?: UserConfig): { bindings?: ConfigBindings } {
    const b = this.opts.bind?.(tenant, config, source, uc);
    return b ? { bindings: b } : {};
  }

  private async create(tenant: string): Promise<Entry> {
    const { config, source, userConfig } = await this.effectiveConfig(tenant);
    const o = this.opts;
    const engine = await o.createEngine({
      tenant,
      config,
      state: tenantState(o.store, tenant),
      clock: o.clock,
      logger: o.logger.child({ component: 'alertmanager', tenant }),
      http: o.http,
      metrics: o.metrics,
      limits: this.limits.engineLimits(tenant),
      externalURL: o.externalURL,
      version: o.version,
      retentionMs: o.retentionMs,
      // Closures read the current Limits so a reload applies to running engines.
      historyBounds: () => this.limits.historyBounds(tenant),
      rateLimits: () => this.limits.notificationRateLimits(tenant),
      ...this.bindings(tenant, config, source, userConfig),
    });
    this.log.info({ tenant, source }, 'Started tenant alertmanager');
    return { engine, source };
  }

  private async effectiveConfig(tenant: string): Promise<{ config: AlertmanagerConfig; source: ConfigSource; userConfig?: UserConfig }> {
    const pinned = this.pinned.get(tenant);
    if (pinned) return { config: pinned, source: 'pinned' };
    const uc = await this.getUserConfig(tenant);
    const kube = this.kube.get(tenant);
    // The rendered config is built on the upload, so it keeps the upload's templates.
    if (kube) return { config: kube, source: 'kube', ...(uc ? { userConfig: uc } : {}) };
    if (uc) {
      const r = this.opts.loadConfig(uc.alertmanager_config, { tenantMode: true });
      if (r.ok) return { config: r.value, source: 'stored', userConfig: uc };
      // A stored config that no longer loads (e.g. after an upgrade) must not take the tenant down.
      this.log.error({ tenant, err: r.issues.map((i) => formatIssue(i)).join('; ') }, 'Stored config is invalid, using fallback');
    }
    return { config: this.fallback, source: 'fallback' };
  }

  /** The tenant's uploaded config, if any. */
  async getUserConfig(tenant: string): Promise<UserConfig | undefined> {
    const recs = await this.opts.store.load(CONFIG_KIND, tenant);
    const rec = recs.find((r) => r.key === CONFIG_KEY);
    if (!rec) return undefined;
    const v = JSON.parse(rec.value) as Partial<UserConfig>;
    return { alertmanager_config: v.alertmanager_config ?? '', template_files: v.template_files ?? {} };
  }

  /** Stores an already validated upload, then applies it (the store write comes first so a crash keeps it). */
  async putUserConfig(tenant: string, uc: UserConfig, config: AlertmanagerConfig): Promise<void> {
    if (this.pinned.has(tenant)) throw new PinnedConfigError(tenant);
    const value = JSON.stringify({ alertmanager_config: uc.alertmanager_config, template_files: uc.template_files });
    await this.opts.store.write([{ op: 'put', tenant, kind: CONFIG_KIND, key: CONFIG_KEY, value }]);
    const existing = this.entries.get(tenant);
    const e = await this.entry(tenant);
    // A kube-rendered tenant keeps its config until the reconciler renders onto the new upload.
    if (this.kube.has(tenant)) {
      this.opts.onKubeBaseChange?.(tenant);
      return;
    }
    if (existing) await e.engine.applyConfig(config, this.bindings(tenant, config, 'stored', uc).bindings);
    e.source = 'stored';
  }

  /**
   * Runs `config` (the kube reconciler's rendering onto this tenant's stored or fallback config),
   * or with null goes back to the stored or fallback config. Refused for pinned tenants.
   */
  async setKubeConfig(tenant: string, config: AlertmanagerConfig | null): Promise<void> {
    if (this.pinned.has(tenant)) throw new PinnedConfigError(tenant);
    if (config === null && !this.kube.delete(tenant)) return;
    if (config !== null) this.kube.set(tenant, config);
    const existing = this.entries.get(tenant);
    const e = await this.entry(tenant);
    if (!existing) return;
    const next = await this.effectiveConfig(tenant);
    await e.engine.applyConfig(next.config, this.bindings(tenant, next.config, next.source, next.userConfig).bindings);
    e.source = next.source;
  }

  /** The YAML the kube reconciler renders onto: the upload, else `fallbackYaml` (the registry keeps the fallback parsed only). */
  async baseConfigText(tenant: string, fallbackYaml: string): Promise<string> {
    const uc = await this.getUserConfig(tenant);
    return uc && this.opts.loadConfig(uc.alertmanager_config, { tenantMode: true }).ok ? uc.alertmanager_config : fallbackYaml;
  }

  /** Removes the upload; the tenant falls back. */
  async deleteUserConfig(tenant: string): Promise<void> {
    if (this.pinned.has(tenant)) throw new PinnedConfigError(tenant);
    await this.opts.store.write([{ op: 'delete', tenant, kind: CONFIG_KIND, key: CONFIG_KEY }]);
    if (this.kube.has(tenant)) {
      this.opts.onKubeBaseChange?.(tenant);
      return;
    }
    const p = this.entries.get(tenant);
    if (!p) return;
    const e = await p;
    if (e.source !== 'fallback') {
      await e.engine.applyConfig(this.fallback, this.bindings(tenant, this.fallback, 'fallback').bindings);
      e.source = 'fallback';
    }
  }

  /** Starts the engines of every tenant with stored state (alerts, silences, config). */
  async restore(): Promise<void> {
    const tenants = await this.opts.store.tenants();
    for (const t of this.pinned.keys()) if (!tenants.includes(t)) tenants.push(t);
    await Promise.all(tenants.map((t) => this.get(t)));
  }

  /**
   * Swaps operator-provided configs (on /-/reload): running tenants on the fallback or a pinned
   * config get the new one. Limits apply to engines created afterwards.
   */
  async reload(next: { fallback: AlertmanagerConfig; pinned: ReadonlyMap<string, AlertmanagerConfig>; limits: Limits }): Promise<void> {
    const unpinned = [...this.pinned.keys()].filter((t) => !next.pinned.has(t));
    this.fallback = next.fallback;
    this.pinned = next.pinned;
    this.limits = next.limits;
    const jobs: Promise<void>[] = [];
    for (const [tenant, p] of this.entries) {
      jobs.push(
        p.then(async (e) => {
          const pin = next.pinned.get(tenant);
          if (pin) {
            await e.engine.applyConfig(pin, this.bindings(tenant, pin, 'pinned').bindings);
            e.source = 'pinned';
          } else if (e.source === 'fallback' || unpinned.includes(tenant)) {
            const { config, source, userConfig } = await this.effectiveConfig(tenant);
            await e.engine.applyConfig(config, this.bindings(tenant, config, source, userConfig).bindings);
            e.source = source;
          }
        }),
      );
    }
    await Promise.all(jobs);
  }

  /** Stops every engine. */
  async stop(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((e) => e.engine.stop(), () => undefined)));
  }
}
