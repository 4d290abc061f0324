/**
 * One aggregation group: the alerts of one route that share the route's group-by label values,
 * flushed together. Mirrors Alertmanager's dispatch.aggrGroup: the first flush comes group_wait
 * after the group was created (at once when an alert arrives that started more than group_wait
 * ago), later ones every group_interval; the timer is re-armed before each flush and flushes never
 * overlap. A successful flush drops resolved alerts that were not updated meanwhile.
 */
import type { Alert, Millis } from '../../core/alert.js';
import { ZERO_TIME, isResolvedAt } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { FlushContext } from '../notify/index.js';
import type { Route } from '../route/index.js';
import { compareAlerts } from './sort.js';

/** What flushes a group: the notification pipeline (or a fake in tests). */
export interface GroupNotifier {
  /** True when every integration succeeded. `fingerprints[i]` is the fingerprint of `alerts[i]`. */
  flush(ctx: FlushContext, alerts: readonly Alert[], fingerprints: readonly string[]): Promise<boolean>;
}

/** Called by a group whose flush left it empty, so the dispatcher can drop it. */
export interface GroupOwner {
  groupEmptied(g: AggrGroup): void;
}

/** An aggregation group (dispatch.aggrGroup). */
export class AggrGroup {
  /** Fingerprint -> latest alert. */
  readonly alerts = new Map<string, Alert>();
  private timer: TimerHandle;
  private hasFlushed = false;
  private immediate = false;
  private flushing = false;
  private pending = false;
  private stopped = false;
  /** The flush under way, if any (so a stopping engine can wait for it). */
  private current: Promise<void> | undefined;

  constructor(
    readonly tenant: string,
    readonly route: Route,
    readonly labels: Labels,
    /** route key + ":" + group labels (aggrGroup.GroupKey). */
    readonly groupKey: string,
    /** The dispatcher's key for this group (route ordinal and group-by values). */
    readonly lookupKey: string,
    private readonly notifier: GroupNotifier,
    private readonly owner: GroupOwner,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.timer = clock.schedule(route.groupWaitMs, this.fire);
  }

  /** Adds or replaces an alert; an alert older than group_wait makes the first flush happen now. */
  insert(fp: string, alert: Alert, now: Millis): void {
    this.alerts.set(fp, alert);
    if (!this.hasFlushed && !this.immediate && alert.startsAt + this.route.groupWaitMs < now) {
      this.immediate = true;
      this.timer.cancel();
      this.timer = this.clock.schedule(0, this.fire);
    }
  }

  get empty(): boolean {
    return this.alerts.size === 0;
  }

  stop(): void {
    this.stopped = true;
    this.timer.cancel();
  }

  /** Resolves when no flush of this group is under way. */
  settled(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  private readonly fire = (): void => {
    if (this.stopped) return;
    this.immediate = false;
    this.timer = this.clock.schedule(this.route.groupIntervalMs, this.fire);
    if (this.flushing) {
      this.pending = true;
      return;
    }
    this.start();
  };

  private start(): void {
    const p = this.flush().finally(() => {
      if (this.current === p) this.current = undefined;
    });
    this.current = p;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    this.hasFlushed = true;
    const now = this.clock.now();
    const originals: Alert[] = [];
    const fps: string[] = [];
    for (const [fp, a] of this.alerts) {
      originals.push(a);
      fps.push(fp);
    }
    const order = originals.map((_, i) => i).sort((x, y) => compareAlerts(originals[x] as Alert, originals[y] as Alert) || x - y);
    // Receivers see alerts not yet resolved as open-ended, as upstream's flush copies them.
    const snapshot = new Array<Alert>(order.length);
    const snapshotFps = new Array<string>(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const a = originals[i] as Alert;
      snapshot[k] = isResolvedAt(a, now) || a.endsAt === ZERO_TIME ? a : { ...a, endsAt: ZERO_TIME };
      snapshotFps[k] = fps[i] as string;
    }
    const r = this.route;
    const ctx: FlushContext = {
      tenant: this.tenant,
      groupKey: this.groupKey,
      groupLabels: this.labels,
      receiver: r.receiver,
      repeatIntervalMs: r.repeatIntervalMs,
      groupIntervalMs: r.groupIntervalMs,
      muteTimeIntervals: r.muteTimeIntervals,
      activeTimeIntervals: r.activeTimeIntervals,
      routeId: r.id,
      now,
    };
    let ok = false;
    try {
      ok = await this.notifier.flush(ctx, snapshot, snapshotFps);
    } catch (e) {
      this.logger.error({ aggrGroup: this.groupKey, err: e instanceof Error ? e.message : String(e) }, 'Notify for alerts failed');
    }
    this.flushing = false;
    if (this.stopped) return;
    if (ok) {
      for (let i = 0; i < originals.length; i++) {
        const a = originals[i] as Alert;
        const fp = fps[i] as string;
        // Only if unchanged since the snapshot: a resolved alert that fired again stays.
        if (isResolvedAt(a, now) && this.alerts.get(fp) === a) this.alerts.delete(fp);
      }
    }
    if (this.alerts.size === 0) {
      this.owner.groupEmptied(this);
      return;
    }
    if (this.pending) {
      this.pending = false;
      this.start();
    }
  }
}
