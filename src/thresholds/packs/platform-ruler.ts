/**
 * The platform ruler: rule packs evaluated ONCE for all tenants. Each pack file becomes the
 * namespace `pack:<name>`; its groups are ordinary rule groups (eval/createEvalGroup) whose backend
 * reads the union of every tenant's store (each series labelled with its tenant) and writes each
 * output back into the store of the tenant it names, and whose alerts go to that tenant's
 * Alertmanager. The cost of a pack rule is one query over all tenants, not one per tenant.
 *
 * Applying pack changes follows Prometheus' rules/manager.go Update as the tenant ruler does: an
 * unchanged group keeps running untouched, a changed one is replaced by a group that copies its
 * state, a removed one is stopped and its series are marked stale two intervals later. `for` state
 * is restored for every new or changed group (as Mimir's ruler does).
 */
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { Engine, QueryLimits } from '../../promql/index.js';
import { NOOP_RULER_METRICS } from '../../ruler/api.js';
import type { AlertSink, EvalGroup, EvalSettings, GroupView, RulerMetrics } from '../../ruler/api.js';
import { createEvalGroup } from '../../ruler/eval/index.js';
import type { EvalGroupParams } from '../../ruler/eval/index.js';
import { GroupRunner } from '../../ruler/manager/index.js';
import type { RulesDirFs } from '../../ruler/manager/index.js';
import { PackDirectory } from './pack-directory.js';
import type { PackError } from './pack-directory.js';
import { SplittingAlertSink, SplittingBackend } from './splitting.js';
import { DEFAULT_PLATFORM_TENANT, TenantRouter } from './tenants.js';
import type { PackTenants } from './tenants.js';
import { UnionSeriesSource } from './union-source.js';

/** How often the pack directory is re-read by default. */
export const DEFAULT_PACK_POLL_INTERVAL_MS = 10_000;

export interface PlatformRulerOptions {
  readonly tenants: PackTenants;
  /** Where outputs and alerts without a known `tenant` label go (default "platform"). */
  readonly platformTenant?: string;
  /** The notifier; each alert reaches it as `send(<its tenant>, alerts)`. */
  readonly sink?: AlertSink;
  readonly settings: EvalSettings;
  /** The rule-pack directory (`rule-packs/`). */
  readonly packsDirectory: string;
  /** Packs to evaluate by name (thresholds.rule_packs); undefined = every pack in the directory. */
  readonly packs?: readonly string[];
  /** node:fs/promises' readdir, readFile and stat. */
  readonly fs: RulesDirFs;
  /** 0 = re-read only on reload(). */
  readonly pollIntervalMs?: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: RulerMetrics;
  /** eval/createEvalGroup unless a test passes a fake. */
  readonly createGroup?: (params: EvalGroupParams) => EvalGroup;
  readonly engine?: Engine;
  readonly limits?: QueryLimits;
  /** Tenant stores read at once by one selector. */
  readonly readConcurrency?: number;
  /** Tenant stores written at once by one append. */
  readonly writeConcurrency?: number;
  /** A tenant store failed to answer (its series were left out of that query); for /metrics. */
  readonly onStoreError?: (tenant: string, error: unknown) => void;
}

export interface PlatformRuler {
  /** Loads the packs and starts their groups and the directory polling. */
  start(): Promise<void>;
  /** Stops every group (no stale markers, as on shutdown) and the polling. */
  stop(): Promise<void>;
  /** Re-reads the packs now; with `settings`, replaces every group that evaluates with other settings. */
  reload(settings?: EvalSettings): Promise<void>;
  /** Running pack groups, by namespace then order in the pack (for /api/v1/rules). */
  groups(): readonly GroupView[];
  /** Pack files that failed to load (their last good groups keep running). */
  problems(): readonly PackError[];
  /** The tenant the pack groups run as (metrics, logs) and the default for unlabelled outputs. */
  readonly platformTenant: string;
}

export function createPlatformRuler(opts: PlatformRulerOptions): PlatformRuler {
  return new PackRuler(opts);
}

class PackRuler implements PlatformRuler {
  readonly platformTenant: string;
  private readonly router: TenantRouter;
  private readonly backend: SplittingBackend;
  private readonly sink: AlertSink | undefined;
  private readonly directory: PackDirectory;
  private readonly metrics: RulerMetrics;
  private readonly logger: Logger;
  private settings: EvalSettings;
  private runners = new Map<string, GroupRunner>();
  private readonly staleTimers = new Set<TimerHandle>();
  private pollTimer: TimerHandle | undefined;
  /** Loads and applies run one at a time, in call order. */
  private queue: Promise<void> = Promise.resolve();
  private started = false;
  private stopped = false;

  constructor(private readonly opts: PlatformRulerOptions) {
    this.platformTenant = opts.platformTenant ?? DEFAULT_PLATFORM_TENANT;
    this.settings = opts.settings;
    this.metrics = opts.metrics ?? NOOP_RULER_METRICS;
    this.logger = opts.logger.child({ component: 'rule-packs' });
    this.router = new TenantRouter(opts.tenants, this.platformTenant);
    const source = new UnionSeriesSource({
      router: this.router,
      logger: this.logger,
      ...(opts.readConcurrency !== undefined ? { concurrency: opts.readConcurrency } : {}),
      ...(opts.onStoreError ? { onStoreError: opts.onStoreError } : {}),
    });
    this.backend = new SplittingBackend({
      router: this.router,
      source,
      ...(opts.engine ? { engine: opts.engine } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.writeConcurrency !== undefined ? { concurrency: opts.writeConcurrency } : {}),
    });
    this.sink = opts.sink ? new SplittingAlertSink(this.router, opts.sink) : undefined;
    this.directory = new PackDirectory(opts.packsDirectory, opts.fs, this.logger, opts.packs);
  }

  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    await this.enqueue(async () => {
      await this.directory.poll();
      await this.apply(false);
    });
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pollTimer?.cancel();
    await this.queue;
    for (const t of this.staleTimers) t.cancel();
    this.staleTimers.clear();
    const all = [...this.runners.values()];
    this.runners = new Map();
    await Promise.all(all.map((r) => r.stop()));
  }

  reload(settings?: EvalSettings): Promise<void> {
    return this.enqueue(async () => {
      const replaceAll = settings !== undefined && JSON.stringify(settings) !== JSON.stringify(this.settings);
      if (settings) this.settings = settings;
      const changed = await this.directory.poll();
      if (changed || replaceAll) await this.apply(replaceAll);
    });
  }

  groups(): readonly GroupView[] {
    return [...this.runners.values()].map((r) => r.group.view());
  }

  problems(): readonly PackError[] {
    return this.directory.errors();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.stopped ? undefined : job()));
    this.queue = run.catch((e: unknown) => {
      this.logger.error({ err: errorText(e) }, 'applying rule packs failed');
    });
    return run;
  }

  private schedulePoll(): void {
    const every = this.opts.pollIntervalMs ?? DEFAULT_PACK_POLL_INTERVAL_MS;
    if (every <= 0 || this.stopped) return;
    this.pollTimer = this.opts.clock.schedule(every, () => {
      void this.reload()
        .catch(() => undefined)
        .finally(() => this.schedulePoll());
    });
  }

  /** Brings the running groups in line with the loaded packs. Runs inside the queue. */
  private async apply(replaceAll: boolean): Promise<void> {
    if (this.stopped) return;
    const tenant = this.platformTenant;
    const next = new Map<string, GroupRunner>();
    const fresh: GroupRunner[] = [];
    for (const [namespace, groups] of this.directory.rules()) {
      for (const config of groups) {
        const key = `${namespace};${config.name}`;
        if (next.has(key)) continue;
        const old = this.runners.get(key);
        if (old && !replaceAll && old.group.sameDefinition(namespace, config)) {
          next.set(key, old);
          continue;
        }
        const logger = this.logger.child({ namespace, group: config.name });
        const group = (this.opts.createGroup ?? createEvalGroup)({
          tenant,
          namespace,
          config,
          settings: this.settings,
          backend: this.backend,
          clock: this.opts.clock,
          logger,
          metrics: this.metrics,
          shouldRestore: true,
          ...(this.sink ? { sink: this.sink } : {}),
        });
        if (old) {
          await old.stop();
          group.copyStateFrom(old.group);
        }
        const runner = new GroupRunner(group, { clock: this.opts.clock, logger, metrics: this.metrics, restore: true });
        next.set(key, runner);
        fresh.push(runner);
        this.metrics.groupConfigured(tenant, runner.key, config.rules.length, group.intervalMs / 1000);
      }
    }
    for (const [key, old] of this.runners) if (!next.has(key)) await this.retire(old);
    this.runners = next;
    for (const r of fresh) r.start();
  }

  /** Stops a removed group; two intervals later its series get stale markers (rules/group.go run). */
  private async retire(runner: GroupRunner): Promise<void> {
    const { clock } = this.opts;
    await runner.stop();
    this.metrics.groupConfigured(this.platformTenant, runner.key, -1, runner.group.intervalMs / 1000);
    if (!runner.started) return;
    const stoppedAt = clock.now();
    const timer = clock.schedule(2 * runner.group.intervalMs, () => {
      this.staleTimers.delete(timer);
      runner.group.markStale(stoppedAt).catch((e: unknown) => {
        this.logger.warn({ group: runner.key, err: errorText(e) }, 'writing stale markers for a removed rule pack group failed');
      });
    });
    this.staleTimers.add(timer);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
