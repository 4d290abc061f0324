/**
 * The scheduling loop of one running rule group, as Prometheus' rules/group.go `run`: wait for the
 * group's next slot, evaluate at slot timestamps, skip (never queue) the iterations an overrunning
 * evaluation made late and count them, restore `for` state after the second evaluation when asked,
 * and on removal write stale markers after two intervals (unless the whole ruler stops first).
 * Time comes from the injected Clock only.
 */
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { EvalGroup, RulerMetrics } from '../api.js';
import { firstSlot, groupOffsetMs, missedIterations } from './schedule.js';

export interface GroupRunnerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RulerMetrics;
  /** Restore `for` state after the second evaluation (a fresh start). */
  readonly restore: boolean;
}

/** Drives one EvalGroup; start() once, stop() once. */
export class GroupRunner {
  private timer: TimerHandle | undefined;
  private readonly abort = new AbortController();
  private inFlight: Promise<void> | undefined;
  private lastSlot: number | undefined;
  private evaluations = 0;
  private pendingRestore: boolean;
  private stopped = false;
  /** True once the first slot was reached (Prometheus marks series stale only for groups that ran). */
  private ran = false;
  readonly key: string;

  constructor(
    readonly group: EvalGroup,
    private readonly opts: GroupRunnerOptions,
  ) {
    this.pendingRestore = opts.restore;
    this.key = `${group.namespace};${group.name}`;
  }

  start(): void {
    const { clock } = this.opts;
    const now = clock.now();
    const interval = this.group.intervalMs;
    const first = firstSlot(now, groupOffsetMs(this.group.namespace, this.group.name, interval), interval);
    this.timer = clock.schedule(first - now, () => this.tick(first));
  }

  /** Stops scheduling and waits for an evaluation in flight (which sees its signal aborted). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.abort.abort(new Error('rule group stopped'));
    await this.inFlight;
  }

  /** Whether the group reached its first slot before it was stopped. */
  get started(): boolean {
    return this.ran;
  }

  private tick(firstSlotMs?: number): void {
    if (this.stopped) return;
    this.ran = true;
    this.inFlight = this.iterate(firstSlotMs).finally(() => {
      this.inFlight = undefined;
    });
  }

  private async iterate(firstSlotMs: number | undefined): Promise<void> {
    const { clock, logger, metrics } = this.opts;
    const interval = this.group.intervalMs;
    let slot: number;
    if (this.lastSlot === undefined) {
      slot = firstSlotMs ?? clock.now();
    } else {
      const missed = missedIterations(clock.now(), this.lastSlot, interval);
      if (missed > 0) metrics.groupMissed(this.group.tenant, this.key, missed);
      slot = this.lastSlot + (missed + 1) * interval;
    }
    this.lastSlot = slot;
    try {
      await this.group.evaluate(slot, this.abort.signal);
    } catch (e) {
      logger.error({ err: errorText(e) }, 'rule group evaluation failed');
    }
    this.evaluations++;
    if (this.stopped) return;
    if (this.pendingRestore && this.evaluations >= 2) {
      this.pendingRestore = false;
      try {
        await this.group.restoreForState(clock.now());
      } catch (e) {
        logger.error({ err: errorText(e) }, "'for' state restoration failed");
      }
      if (this.stopped) return;
    }
    // The ticker fires at every slot; a tick that passed during the evaluation is taken at once.
    const next = Math.max(clock.now(), slot + interval);
    this.timer = clock.schedule(next - clock.now(), () => this.tick());
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
