/**
 * Runs the scrape loops of a scrape config: targets from static_configs and file_sd_configs,
 * each scraped every interval at a per-target offset (Prometheus spreads targets by a hash so
 * they do not all fire at once). `apply` reloads: new targets start, removed ones get staleness
 * markers, unchanged ones keep their schedule and staleness state.
 */
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { TsdbSet } from '../../tsdb/api.js';
import type { ScrapeConfig, ScrapeJob, TargetGroup } from './config.js';
import { ScrapeLoop } from './scrape-loop.js';
import type { ScrapeFetch } from './scrape-loop.js';
import { groupTargets, parseTargetGroupFile } from './targets.js';
import type { ScrapeTarget } from './targets.js';

/** What the composition root passes in. */
export interface ScrapeManagerOptions {
  readonly tsdb: TsdbSet;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: ScrapeFetch;
  /** Reads a file_sd file as text (node:fs readFile in the app). */
  readonly readFile: (path: string) => Promise<string>;
  readonly userAgent?: string;
}

interface Running {
  readonly loop: ScrapeLoop;
  timer: TimerHandle | undefined;
  /** The next scheduled scrape (absolute ms). */
  due: number;
  intervalMs: number;
}

/** FNV-1a over the target key: a stable spread of targets within their interval. */
export function targetOffset(key: string, intervalMs: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % Math.max(1, Math.floor(intervalMs));
}

/** Owns every scrape loop; one per Herald process. */
export class ScrapeManager {
  private config: ScrapeConfig = { global: { scrapeIntervalMs: 60_000, scrapeTimeoutMs: 10_000, externalLabels: {} }, jobs: [] };
  private readonly running = new Map<string, Running>();
  /** Last good groups per `job\0file`; kept when a later read fails, as Prometheus does. */
  private readonly fileGroups = new Map<string, TargetGroup[]>();
  private sdTimers: TimerHandle[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: ScrapeManagerOptions) {}

  /** Switches to `config`: reads file SD files, then starts/stops loops to match. */
  async apply(config: ScrapeConfig): Promise<void> {
    this.stopped = false;
    this.config = config;
    for (const t of this.sdTimers) t.cancel();
    this.sdTimers = [];
    for (const k of [...this.fileGroups.keys()]) if (!config.jobs.some((j) => j.fileSdConfigs.some((f) => f.files.some((p) => k === `${j.jobName}\u0000${p}`)))) this.fileGroups.delete(k);
    await Promise.all(config.jobs.flatMap((j) => j.fileSdConfigs.flatMap((f) => f.files.map((p) => this.readSdFile(j, p)))));
    for (const job of config.jobs) for (const f of job.fileSdConfigs) this.pollFiles(job, f.files, f.refreshIntervalMs);
    await this.sync();
  }

  /** Stops every loop without staleness markers (shutdown, as Prometheus does). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.sdTimers) t.cancel();
    this.sdTimers = [];
    for (const r of this.running.values()) r.timer?.cancel();
    this.running.clear();
    await this.settled();
  }

  /** Resolves when no scrape or append is in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** The current targets with their health, for a /targets view. */
  targets(): Array<{ readonly target: ScrapeTarget; readonly health: string; readonly lastError: string; readonly lastScrapeMs: number }> {
    return [...this.running.values()].map(({ loop }) => ({ target: loop.target, health: loop.health, lastError: loop.lastError, lastScrapeMs: loop.lastScrapeMs }));
  }

  private pollFiles(job: ScrapeJob, files: readonly string[], everyMs: number): void {
    const tick = (): void => {
      if (this.stopped || this.config.jobs.find((j) => j.jobName === job.jobName) !== job) return;
      void this.track(Promise.all(files.map((p) => this.readSdFile(job, p))).then(() => this.sync()));
      this.sdTimers.push(this.opts.clock.schedule(everyMs, tick));
    };
    this.sdTimers.push(this.opts.clock.schedule(everyMs, tick));
  }

  private async readSdFile(job: ScrapeJob, path: string): Promise<void> {
    const key = `${job.jobName}\u0000${path}`;
    let text: string;
    try {
      text = await this.opts.readFile(path);
    } catch (e) {
      this.opts.logger.warn({ job: job.jobName, file: path, err: e instanceof Error ? e.message : String(e) }, 'file_sd: reading file failed; keeping previous targets');
      return;
    }
    const groups = parseTargetGroupFile(text, path);
    if (!groups.ok) {
      this.opts.logger.warn({ job: job.jobName, file: path, err: groups.issues.map((i) => i.message).join('; ') }, 'file_sd: invalid file; keeping previous targets');
      return;
    }
    this.fileGroups.set(key, groups.value);
  }

  private desired(): Map<string, ScrapeTarget> {
    const out = new Map<string, ScrapeTarget>();
    for (const job of this.config.jobs) {
      const groups = [...job.staticConfigs, ...job.fileSdConfigs.flatMap((f) => f.files.flatMap((p) => this.fileGroups.get(`${job.jobName}\u0000${p}`) ?? []))];
      for (const g of groups) {
        const { targets, errors } = groupTargets(job, g);
        for (const e of errors) this.opts.logger.warn({ job: job.jobName, err: e }, 'creating target failed');
        for (const t of targets) if (!out.has(t.key)) out.set(t.key, t);
      }
    }
    return out;
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const want = this.desired();
    const gone: ScrapeLoop[] = [];
    for (const [key, r] of this.running) {
      if (want.has(key)) continue;
      r.timer?.cancel();
      this.running.delete(key);
      gone.push(r.loop);
    }
    for (const [key, t] of want) {
      const r = this.running.get(key);
      if (!r) this.start(t);
      else {
        r.loop.target = t; // same identity, maybe new job settings (relabel rules, limits)
        if (r.intervalMs !== t.intervalMs) {
          r.timer?.cancel();
          this.running.delete(key);
          this.start(t, r.loop);
        }
      }
    }
    const now = this.opts.clock.now();
    await Promise.all(gone.map((l) => this.track(l.markStale(now))));
  }

  private start(t: ScrapeTarget, reuse?: ScrapeLoop): void {
    const loop = reuse ?? new ScrapeLoop(t, { clock: this.opts.clock, logger: this.opts.logger.child({ component: 'scrape', job: t.job.jobName }), fetch: this.opts.fetch, tsdb: (tenant) => this.opts.tsdb.get(tenant), ...(this.opts.userAgent ? { userAgent: this.opts.userAgent } : {}) });
    const now = this.opts.clock.now();
    const interval = t.intervalMs;
    // First scrape at the next instant congruent to the target's offset modulo the interval.
    let next = interval - (now % interval) + targetOffset(t.key, interval);
    if (next > interval) next -= interval;
    const r: Running = { loop, timer: undefined, due: now + next, intervalMs: interval };
    this.running.set(t.key, r);
    this.arm(t.key, r);
  }

  private arm(key: string, r: Running): void {
    r.timer = this.opts.clock.schedule(r.due - this.opts.clock.now(), () => {
      if (this.running.get(key) !== r) return;
      const now = this.opts.clock.now();
      let served = r.due;
      // Skip missed ticks after a stall; the scrape is for the latest tick already due.
      while (r.due <= now) {
        served = r.due;
        r.due += r.intervalMs;
      }
      void this.track(r.loop.scrape(served));
      this.arm(key, r);
    });
  }

  private track(p: Promise<unknown>): Promise<void> {
    const done = p.then(
      () => undefined,
      (e: unknown) => this.opts.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'scrape manager task failed'),
    );
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
    return done;
  }
}
