/**
 * The scheduling loop of one pack group, with the slot semantics of Prometheus' rules/group.go
 * `run` (as the ruler's manager applies them): a fixed offset per group inside its interval
 * (groupOffsetMs), evaluation at slot timestamps rather than wall-clock times, iterations that an
 * overrunning evaluation made late skipped (never queued) and counted, `for` state restored after
 * the second evaluation of a fresh group. Time comes from the injected Clock only.
 */
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { EvalGroup, RulerMetrics } from '../../ruler/api.js';
import { evalSlot, groupOffsetMs } from '../../ruler/manager/index.js';

export interface PackRunnerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RulerMetrics;
  /** Restore `for` state after the second evaluation. */
  readonly restore: boolean;
}

/** Drives one EvalGroup; start() once, stop() once. */
export class PackRunner {
  private timer: TimerHandle | undefined;
  private readonly abort = new AbortController();
  private inFlight: Promise<void> | undefined;
  private lastSlot: number | undefined;
  private evaluations = 0;
  private pendingRestore: boolean;
  private stopped = false;
  private ran = false;
  /** `<namespace>;<group>`, the metrics' group label. */
  readonly key: string;

  constructor(
    readonly group: EvalGroup,
    private readonly opts: PackRunnerOptions,
  ) {
    this.pendingRestore = opts.restore;
    this.key = `${group.namespace};${group.name}`;
  }

  start(): void {
    const { clock } = this.opts;
    const now = clock.now();
    const interval = this.group.intervalMs;
    const first = evalSlot(now, groupOffsetMs(this.group.namespace, this.group.name, interval), interval) + interval;
    this.timer = clock.schedule(first - now, () => this.tick(first));
  }

  /** Stops scheduling and waits for an evaluation in flight (which sees its signal aborted). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.abort.abort(new Error('rule pack group stopped'));
    await this.inFlight;
  }

  /** Whether the group reached its first slot (only such groups get stale markers on removal). */
  get started(): boolean {
    return this.ran;
  }

  private tick(slotMs?: number): void {
    if (this.stopped) return;
    this.ran = true;
    this.inFlight = this.iterate(slotMs).finally(() => {
      this.inFlight = undefined;
    });
  }

  private async iterate(firstSlotMs: number | undefined): Promise<void> {
    const { clock, logger, metrics } = this.opts;
    const interval = this.group.intervalMs;
    let slot: number;
    if (this.lastSlot === undefined) slot = firstSlotMs ?? clock.now();
    else {
      // Group.run: missed = time since the last slot / interval - 1.
      const missed = Math.max(0, Math.floor((clock.now() - this.lastSlot) / interval) - 1);
      if (missed > 0) metrics.groupMissed(this.group.tenant, this.key, missed);
      slot = this.lastSlot + (missed + 1) * interval;
    }
    this.lastSlot = slot;
    try {
      await this.group.evaluate(slot, this.abort.signal);
    } catch (e) {
      logger.error({ err: errorText(e) }, 'rule pack group evaluation failed');
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
    const next = Math.max(clock.now(), slot + interval);
    this.timer = clock.schedule(next - clock.now(), () => this.tick());
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
