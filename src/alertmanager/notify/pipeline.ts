/**
 * One tenant's notification pipeline. Mirrors Alertmanager's PipelineBuilder.New per receiver
 * (notify/notify.go): inhibition, active time intervals, mute time intervals, silences, then a
 * concurrent fan-out over the receiver's integrations (dedup, retry, set-notifies). A flush is
 * bounded by max(group_interval, 10s) (notify.MinTimeout), measured on the injected clock.
 */
import type { Alert } from '../../core/alert.js';
import { ZERO_TIME } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { AlertmanagerConfig } from '../config/types.js';
import type { AlertmanagerMetrics } from '../options.js';
import type { BackoffOptions } from './backoff.js';
import type { CounterLike } from '../../core/metrics.js';
import type { NotificationRecorder } from './history/types.js';
import { integrationDeps } from './http-util.js';
import { FlushDeadlineError, IntegrationStage } from './integration-stage.js';
import type { FlushBatch, IntegrationFlush, PipelineNflog } from './integration-stage.js';
import { activeIntervalMutes, muteAlerts, muteIntervalMutes } from './mute-stages.js';
import type { AlertBatch } from './mute-stages.js';
import type { NotificationRateLimiter } from './rate-limit.js';
import type { IntegrationDefinition, Notifier, NotifierDeps } from './types.js';

/** notify.MinTimeout. */
export const MIN_FLUSH_TIMEOUT_MS = 10_000;

/** What the dispatcher knows about the group being flushed. */
export interface FlushContext {
  readonly tenant: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly receiver: string;
  readonly repeatIntervalMs: number;
  readonly groupIntervalMs: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routeId: string;
  readonly now: number;
}

export interface NotificationPipelineOptions {
  readonly tenant: string;
  readonly config: AlertmanagerConfig;
  readonly silences: { mutes(labels: Labels, fp: string): readonly string[] };
  readonly inhibitor: { mutes(labels: Labels, fp: string): string | undefined };
  readonly nflog: PipelineNflog;
  readonly timeIntervalContains: (name: string, t: number) => boolean;
  readonly integrations: ReadonlyMap<string, IntegrationDefinition>;
  readonly deps: NotifierDeps;
  readonly metrics: AlertmanagerMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly externalURL: string;
  readonly retentionMs: number;
  /**
   * Told which time intervals mute a flushed group (empty when none), as upstream's
   * GroupMarker.SetMuted; the API reports them as `mutedBy`.
   */
  readonly onGroupMuted?: (routeId: string, groupKey: string, mutedBy: readonly string[]) => void;
  /** Retry backoff; defaults to cenkalti/backoff's (tests pass a fixed `random`). */
  readonly backoff?: BackoffOptions;
  /** The tenant's notification history; every attempt is recorded. */
  readonly history?: NotificationRecorder;
  /** The tenant's rate limiter; long-lived, so buckets survive config reloads. */
  readonly rateLimiter?: NotificationRateLimiter;
  /** Counter of attempts refused by the rate limiter (labels: tenant, integration). */
  readonly rateLimitedMetric?: CounterLike;
}

/** Sends a flushed group's alerts to its receiver's integrations. */
export class NotificationPipeline {
  private readonly receivers = new Map<string, readonly IntegrationStage[]>();
  private readonly log: Logger;

  constructor(private readonly opts: NotificationPipelineOptions) {
    this.log = opts.logger.child({ component: 'notify', tenant: opts.tenant });
    const stageDeps = {
      nflog: opts.nflog,
      metrics: opts.metrics,
      clock: opts.clock,
      logger: this.log,
      retentionMs: opts.retentionMs,
      backoff: opts.backoff ?? {},
      ...(opts.history ? { history: opts.history } : {}),
      ...(opts.rateLimiter ? { rateLimiter: opts.rateLimiter } : {}),
      ...(opts.rateLimitedMetric ? { rateLimited: opts.rateLimitedMetric } : {}),
    };
    for (const r of opts.config.receivers) {
      const stages = r.integrations.map((cfg) => new IntegrationStage(r.name, cfg, this.createNotifier(r.name, cfg), stageDeps, opts.tenant));
      this.receivers.set(r.name, stages);
    }
  }

  private createNotifier(receiver: string, cfg: AlertmanagerConfig['receivers'][number]['integrations'][number]): Notifier | undefined {
    const def = this.opts.integrations.get(cfg.type);
    if (!def?.create) return undefined;
    try {
      // Each entry's http_config (OAuth2, TLS, redirects) is applied around the shared client.
      return def.create(cfg, integrationDeps(this.opts.deps, cfg.settings));
    } catch (e) {
      this.log.error({ receiver, integration: cfg.type, err: e instanceof Error ? e.message : String(e) }, 'cannot create notifier');
      return undefined;
    }
  }

  /**
   * Returns true when every integration succeeded (the dispatcher then drops resolved alerts).
   * `fingerprints`, parallel to `alerts`, are computed here when the caller does not pass them.
   */
  async flush(ctx: FlushContext, alerts: readonly Alert[], fingerprints?: readonly string[]): Promise<boolean> {
    const stages = this.receivers.get(ctx.receiver);
    if (!stages) {
      this.log.error({ receiver: ctx.receiver, aggrGroup: ctx.groupKey }, 'stage for receiver missing');
      return false;
    }
    const { metrics, tenant } = this.opts;
    const now = ctx.now;

    let batch: AlertBatch = prepare(alerts, fingerprints, now);
    if (batch.alerts.length === 0) return true;

    const inhibitor = this.opts.inhibitor;
    batch = muteAlerts(batch, (a, fp) => inhibitor.mutes(a.labels, fp) !== undefined, metrics.notificationsSuppressed, tenant, 'inhibition');
    if (batch.alerts.length === 0) return true;

    const contains = this.opts.timeIntervalContains;
    const onMuted = this.opts.onGroupMuted;
    const inactive = activeIntervalMutes(ctx.activeTimeIntervals, contains, now);
    onMuted?.(ctx.routeId, ctx.groupKey, inactive);
    if (inactive.length > 0) {
      metrics.notificationsSuppressed.inc({ tenant, reason: 'active_time_interval' }, batch.alerts.length);
      this.log.debug({ aggrGroup: ctx.groupKey, alerts: batch.alerts.length }, 'Notifications not sent, route is not within active time');
      return true;
    }
    const mutedBy = muteIntervalMutes(ctx.muteTimeIntervals, contains, now);
    onMuted?.(ctx.routeId, ctx.groupKey, mutedBy);
    if (mutedBy.length > 0) {
      metrics.notificationsSuppressed.inc({ tenant, reason: 'mute_time_interval' }, batch.alerts.length);
      this.log.debug({ aggrGroup: ctx.groupKey, alerts: batch.alerts.length }, 'Notifications not sent, route is within mute time');
      return true;
    }

    const silences = this.opts.silences;
    batch = muteAlerts(batch, (a, fp) => silences.mutes(a.labels, fp).length > 0, metrics.notificationsSuppressed, tenant, 'silence');
    if (batch.alerts.length === 0 || stages.length === 0) return true;

    const timeoutMs = Math.max(ctx.groupIntervalMs, MIN_FLUSH_TIMEOUT_MS);
    const ac = new AbortController();
    const timer = this.opts.clock.schedule(timeoutMs, () => ac.abort(new FlushDeadlineError(timeoutMs)));
    const f: IntegrationFlush = {
      tenant,
      receiver: ctx.receiver,
      groupKey: ctx.groupKey,
      groupLabels: ctx.groupLabels,
      externalURL: this.opts.externalURL,
      repeatIntervalMs: ctx.repeatIntervalMs,
      now,
      signal: ac.signal,
    };
    try {
      const split = splitByState(batch, now);
      const results = await Promise.all(stages.map((s) => s.run(f, split)));
      return results.every(Boolean);
    } finally {
      timer.cancel();
    }
  }
}

/**
 * Fingerprints every alert (unless the dispatcher did) and zeroes endsAt of alerts not resolved
 * at `now`, as the dispatcher's flush does, so receivers see open-ended firing alerts.
 */
function prepare(alerts: readonly Alert[], known: readonly string[] | undefined, now: number): AlertBatch {
  const out = new Array<Alert>(alerts.length);
  const fps = known !== undefined && known.length === alerts.length ? known : alerts.map((a) => fingerprint(a.labels));
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i] as Alert;
    out[i] = a.endsAt > now ? { ...a, endsAt: ZERO_TIME } : a;
  }
  return { alerts: out, fingerprints: fps };
}

/** Partitions by state at `now` (DedupStage's partitionAlertsByState). */
function splitByState(batch: AlertBatch, now: number): FlushBatch {
  const firingAlerts: Alert[] = [];
  const firing: string[] = [];
  const resolved: string[] = [];
  const byAlert = new Map<Alert, string>();
  for (let i = 0; i < batch.alerts.length; i++) {
    const a = batch.alerts[i] as Alert;
    const fp = batch.fingerprints[i] as string;
    byAlert.set(a, fp);
    if (a.endsAt !== ZERO_TIME && a.endsAt <= now) {
      resolved.push(fp);
    } else {
      firing.push(fp);
      firingAlerts.push(a);
    }
  }
  return { alerts: batch.alerts, firingAlerts, firing, resolved, firingSet: new Set(firing), resolvedSet: new Set(resolved), fingerprints: byAlert };
}
