/**
 * The running multi-tenant ruler: one set of scheduled rule groups per tenant, built from the
 * rule store (API groups and the rules directory) and kept in step with it. Applying a change
 * follows Prometheus' rules/manager.go Update: a group whose definition is unchanged keeps running
 * untouched, a changed group is stopped and replaced by a new one that copies its state, a removed
 * group is stopped and its series are marked stale two intervals later. `for` state is restored
 * for every new or changed group, as Mimir's ruler does (AlwaysRestoreAlertState); with
 * `restoreNewGroups: false` only for a tenant's first load, as Prometheus does.
 */
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { StateStore } from '../../core/state-store.js';
import { NOOP_RULER_METRICS } from '../api.js';
import type { AlertSink, EvalGroup, EvalSettings, GroupView, QueryBackend, RuleGroupConfig, RulerConfig, RulerMetrics, RulerService } from '../api.js';
import type { EvalGroupParams } from '../eval/index.js';
import { GroupRunner } from './group-runner.js';
import { applyMinInterval, UNLIMITED_RULER_LIMITS } from './limits.js';
import type { RulerLimits } from './limits.js';
import { ExternalRules, MergedRuleStore } from './rule-store.js';
import { RULEFMT_PARSER, RulesDirectory } from './rules-dir.js';
import type { DirectoryError, RuleFileParser, RulesDirFs } from './rules-dir.js';
import { TenantLocks } from './tenant-locks.js';
import { ruleKey } from './codec.js';

export interface RulerOptions {
  readonly config: RulerConfig;
  readonly state: StateStore;
  /** Where a tenant's rules query and write; asked again after a reload. */
  backendFor(tenant: string): Promise<QueryBackend>;
  readonly sink?: AlertSink;
  /** eval/createEvalGroup in production; a fake in tests. */
  readonly createGroup: (params: EvalGroupParams) => EvalGroup;
  readonly limits?: (tenant: string) => RulerLimits;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: RulerMetrics;
  /** --web.external-url: generator URLs and $externalURL. */
  readonly externalURL?: string;
  /** node:fs/promises' readdir, readFile and stat; needed when config.rulesDirectory is set. */
  readonly fs?: RulesDirFs;
  /** How rule files are read (default: rulefmt's parseRuleFile + formatRuleIssues). */
  readonly parser?: RuleFileParser;
  /** Restore `for` state for every new or changed group (Mimir, default) or only on a tenant's first load (Prometheus). */
  readonly restoreNewGroups?: boolean;
}

export interface Ruler extends RulerService {
  /** Loads the stored rules and the rules directory, starts every tenant's groups and the directory polling. */
  start(): Promise<void>;
  /** Stops every group (no stale markers, as Prometheus on shutdown) and the polling. */
  stop(): Promise<void>;
  /** Applies a new `ruler:` config; groups are replaced when evaluation settings or backends change. */
  reload(config: RulerConfig): Promise<void>;
  /** Rule files of the tenant's rules directory that failed to load (their last good groups keep running). */
  directoryErrors(tenant: string): readonly DirectoryError[];
  /** Replaces the tenant's Kubernetes-owned namespaces (the kube reconciler's applyRules) and applies them. */
  setExternalRules(tenant: string, namespaces: ReadonlyMap<string, readonly RuleGroupConfig[]>): Promise<void>;
  /** Tenants with rules from any source (API, rules directory, Kubernetes). */
  tenants(): Promise<string[]>;
}

interface TenantRun {
  groups: Map<string, GroupRunner>;
  backend: QueryBackend | undefined;
  /** A reload happened: ask backendFor again before the next change. */
  backendStale: boolean;
  /** Prometheus' Manager.restored: the first load happened. */
  restored: boolean;
}

export function createRuler(opts: RulerOptions): Ruler {
  return new MultiTenantRuler(opts);
}

class MultiTenantRuler implements Ruler {
  readonly store: MergedRuleStore;
  private config: RulerConfig;
  private directory: RulesDirectory | undefined;
  private readonly locks = new TenantLocks();
  private readonly external = new ExternalRules();
  private readonly runs = new Map<string, TenantRun>();
  private readonly staleTimers = new Set<TimerHandle>();
  private readonly metrics: RulerMetrics;
  private readonly logger: Logger;
  private pollTimer: TimerHandle | undefined;
  /** Bumped when polling is rescheduled, so a poll in flight does not start a second loop. */
  private pollGeneration = 0;
  private started = false;
  private stopped = false;
  /** Set by reload: the next sync of each tenant replaces all its groups. */
  private readonly forceReplace = new Set<string>();

  constructor(private readonly opts: RulerOptions) {
    this.config = opts.config;
    this.metrics = opts.metrics ?? NOOP_RULER_METRICS;
    this.logger = opts.logger.child({ component: 'ruler' });
    this.directory = this.makeDirectory(opts.config);
    this.store = new MergedRuleStore({
      state: opts.state,
      directory: () => this.directory,
      external: this.external,
      limits: (t) => this.limitsFor(t),
      locks: this.locks,
      logger: this.logger,
      changed: (t) => this.sync(t),
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.store.load();
    if (this.directory) await this.directory.poll();
    this.started = true;
    await this.syncAll([]);
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pollTimer?.cancel();
    await this.locks.idle();
    for (const t of this.staleTimers) t.cancel();
    this.staleTimers.clear();
    const all = [...this.runs.values()].flatMap((r) => [...r.groups.values()]);
    this.runs.clear();
    await Promise.all(all.map((g) => g.stop()));
  }

  async reload(config: RulerConfig): Promise<void> {
    const before = this.config;
    this.config = config;
    if (before.rulesDirectory !== config.rulesDirectory) {
      this.directory = this.makeDirectory(config);
      if (this.directory && this.started) await this.directory.poll();
    }
    const settingsChanged = JSON.stringify(settingsOf(before, '')) !== JSON.stringify(settingsOf(config, ''));
    const tenants = [...this.runs.keys()];
    for (const r of this.runs.values()) r.backendStale = true;
    if (settingsChanged) for (const t of tenants) this.forceReplace.add(t);
    if (!this.started || this.stopped) return;
    await this.syncAll(tenants);
    this.pollTimer?.cancel();
    this.schedulePoll();
  }

  groups(tenant: string): readonly GroupView[] {
    const run = this.runs.get(tenant);
    return run ? [...run.groups.values()].map((g) => g.group.view()) : [];
  }

  tenants(): Promise<string[]> {
    return this.store.tenants();
  }

  setExternalRules(tenant: string, namespaces: ReadonlyMap<string, readonly RuleGroupConfig[]>): Promise<void> {
    return this.locks.run(tenant, async () => {
      this.external.set(tenant, namespaces);
      if (this.started && !this.stopped) await this.sync(tenant);
    });
  }

  directoryErrors(tenant: string): readonly DirectoryError[] {
    return this.directory?.errors(tenant) ?? [];
  }

  private makeDirectory(config: RulerConfig): RulesDirectory | undefined {
    if (config.rulesDirectory === undefined) return undefined;
    if (!this.opts.fs) throw new Error('ruler: a rules directory is configured but no fs functions were given');
    return new RulesDirectory(config.rulesDirectory, this.opts.fs, this.opts.parser ?? RULEFMT_PARSER, this.logger.child({ rules_directory: config.rulesDirectory }));
  }

  private limitsFor(tenant: string): RulerLimits {
    return this.opts.limits?.(tenant) ?? UNLIMITED_RULER_LIMITS;
  }

  private schedulePoll(): void {
    if (!this.directory || this.stopped) return;
    const generation = ++this.pollGeneration;
    this.pollTimer = this.opts.clock.schedule(this.config.pollIntervalMs, () => {
      void this.pollOnce().finally(() => {
        if (generation === this.pollGeneration) this.schedulePoll();
      });
    });
  }

  private async pollOnce(): Promise<void> {
    const dir = this.directory;
    if (!dir || this.stopped) return;
    try {
      const changed = await dir.poll();
      for (const tenant of changed) await this.locks.run(tenant, () => this.sync(tenant));
    } catch (e) {
      this.logger.error({ err: errorText(e) }, 'rules directory poll failed');
    }
  }

  /** Syncs every tenant with rules, plus `extra` (running tenants that may have lost theirs). */
  private async syncAll(extra: readonly string[]): Promise<void> {
    const tenants = new Set([...(await this.store.tenants()), ...extra]);
    await Promise.all([...tenants].map((t) => this.locks.run(t, () => this.sync(t))));
  }

  /** Brings the tenant's running groups in line with its rules. Runs inside the tenant's lock. */
  private async sync(tenant: string): Promise<void> {
    if (!this.started || this.stopped) return;
    const rules = this.config.enabled ? this.store.merged(tenant) : new Map<string, readonly RuleGroupConfig[]>();
    let run = this.runs.get(tenant);
    const wanted = [...rules.values()].some((g) => g.length > 0);
    if (!run) {
      if (!wanted) return;
      run = { groups: new Map(), backend: undefined, backendStale: false, restored: false };
      this.runs.set(tenant, run);
    }
    const force = this.forceReplace.delete(tenant);
    let backendChanged = false;
    if (wanted && (run.backend === undefined || run.backendStale)) {
      try {
        const backend = await this.opts.backendFor(tenant);
        backendChanged = run.backend !== undefined && run.backend !== backend && run.groups.size > 0;
        run.backend = backend;
        run.backendStale = false;
      } catch (e) {
        this.logger.error({ tenant, err: errorText(e) }, 'no query backend for tenant; its rule groups are not running');
        return;
      }
    }
    await this.apply(tenant, run, rules, force || backendChanged);
    if (run.groups.size === 0) this.runs.delete(tenant);
  }

  private async apply(tenant: string, run: TenantRun, rules: ReadonlyMap<string, readonly RuleGroupConfig[]>, replaceAll: boolean): Promise<void> {
    const settings = settingsOf(this.config, this.opts.externalURL ?? '');
    const limits = this.limitsFor(tenant);
    const logger = this.logger.child({ tenant });
    const next = new Map<string, GroupRunner>();
    const fresh: GroupRunner[] = [];
    for (const [namespace, groups] of rules) {
      for (const raw of groups) {
        const key = ruleKey(namespace, raw.name);
        if (next.has(key)) continue;
        const config = applyMinInterval(raw, settings.defaultIntervalMs, limits);
        const old = run.groups.get(key);
        if (old && !replaceAll && old.group.sameDefinition(namespace, config)) {
          next.set(key, old);
          continue;
        }
        const restore = (this.opts.restoreNewGroups ?? true) || !run.restored;
        const params: EvalGroupParams = {
          tenant,
          namespace,
          config,
          settings,
          backend: run.backend as QueryBackend,
          clock: this.opts.clock,
          logger: logger.child({ namespace, group: raw.name }),
          metrics: this.metrics,
          shouldRestore: restore,
          ...(this.opts.sink ? { sink: this.opts.sink } : {}),
        };
        const group = this.opts.createGroup(params);
        if (old) {
          await old.stop();
          group.copyStateFrom(old.group);
        }
        const runner = new GroupRunner(group, { clock: this.opts.clock, logger: params.logger, metrics: this.metrics, restore });
        next.set(key, runner);
        fresh.push(runner);
        this.metrics.groupConfigured(tenant, runner.key, config.rules.length, group.intervalMs / 1000);
      }
    }
    for (const [key, old] of run.groups) if (!next.has(key)) await this.retire(tenant, old);
    run.groups = next;
    run.restored = true;
    for (const r of fresh) r.start();
  }

  /** Stops a removed group; two intervals later its series get stale markers (rules/group.go run). */
  private async retire(tenant: string, runner: GroupRunner): Promise<void> {
    const { clock } = this.opts;
    await runner.stop();
    this.metrics.groupConfigured(tenant, runner.key, -1, runner.group.intervalMs / 1000);
    if (!runner.started) return;
    const stoppedAt = clock.now();
    const timer = clock.schedule(2 * runner.group.intervalMs, () => {
      this.staleTimers.delete(timer);
      runner.group.markStale(stoppedAt).catch((e: unknown) => {
        this.logger.warn({ tenant, group: runner.key, err: errorText(e) }, 'writing stale markers for a removed rule group failed');
      });
    });
    this.staleTimers.add(timer);
  }
}

function settingsOf(config: RulerConfig, externalURL: string): EvalSettings {
  return {
    defaultIntervalMs: config.evaluationIntervalMs,
    defaultQueryOffsetMs: config.ruleQueryOffsetMs,
    resendDelayMs: config.resendDelayMs,
    forGracePeriodMs: config.forGracePeriodMs,
    forOutageToleranceMs: config.forOutageToleranceMs,
    externalLabels: config.externalLabels,
    externalURL,
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
