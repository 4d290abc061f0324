/**
 * What happens for one integration of a receiver on a flush. Mirrors the per-integration
 * MultiStage of Alertmanager's createReceiverStage (notify/notify.go): DedupStage (nflog query +
 * needsUpdate), RetryStage (send with exponential backoff until the flush deadline; non-retryable
 * errors stop at once), SetNotifiesStage (nflog log with expiry 2 x repeat_interval).
 */
import type { Alert } from '../../core/alert.js';
import type { Labels } from '../../core/labels.js';
import type { CounterLike, MetricLabels } from '../../core/metrics.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { IntegrationConfig } from '../config/types.js';
import { needsUpdate } from '../nflog/index.js';
import type { NflogEntry } from '../nflog/index.js';
import type { AlertmanagerMetrics } from '../options.js';
import { ExponentialBackoff } from './backoff.js';
import type { BackoffOptions } from './backoff.js';
import { MAX_RECORDED_FINGERPRINTS } from './history/types.js';
import type { NotificationAttempt, NotificationOutcome, NotificationRecorder } from './history/types.js';
import { RATE_LIMITED_ERROR } from './rate-limit.js';
import type { NotificationRateLimiter } from './rate-limit.js';
import type { Notifier, NotifyContext, NotifyResult } from './types.js';

/** The notification log as the pipeline uses it. */
export interface PipelineNflog {
  query(groupKey: string, receiverKey: string): NflogEntry | undefined;
  log(groupKey: string, receiverKey: string, firing: readonly string[], resolved: readonly string[], expiryMs: number): Promise<void>;
}

/** Alerts of one flush after muting, split by state, with dedup hashes computed once. */
export interface FlushBatch {
  readonly alerts: readonly Alert[];
  /** Alerts not resolved at now, in input order. */
  readonly firingAlerts: readonly Alert[];
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly firingSet: ReadonlySet<string>;
  readonly resolvedSet: ReadonlySet<string>;
  /** Fingerprint of each alert object above, for the notifiers' template data. */
  readonly fingerprints?: ReadonlyMap<Alert, string>;
}

/** Per-flush inputs shared by every integration of the receiver. */
export interface IntegrationFlush {
  readonly tenant: string;
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Labels;
  readonly externalURL: string;
  readonly repeatIntervalMs: number;
  readonly now: number;
  readonly signal: AbortSignal;
}

export interface IntegrationStageDeps {
  readonly nflog: PipelineNflog;
  readonly metrics: AlertmanagerMetrics;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retentionMs: number;
  readonly backoff: BackoffOptions;
  /** Told every attempt (the tenant's notification history). */
  readonly history?: NotificationRecorder;
  /** The tenant's rate limits; each attempt takes a token. */
  readonly rateLimiter?: NotificationRateLimiter;
  /** alertmanager_notification_rate_limited_total; labels: tenant, integration. */
  readonly rateLimited?: CounterLike;
}

/** One configured integration of one receiver (nflog receiver key `<receiver>/<type>/<index>`). */
export class IntegrationStage {
  readonly receiverKey: string;
  private readonly labels: MetricLabels;
  private readonly log: Logger;

  constructor(
    readonly receiver: string,
    readonly config: IntegrationConfig,
    /** Undefined when the integration cannot deliver yet (no `create` in its definition). */
    private readonly notifier: Notifier | undefined,
    private readonly deps: IntegrationStageDeps,
    tenant: string,
  ) {
    this.receiverKey = `${receiver}/${config.type}/${config.index}`;
    this.labels = { tenant, integration: config.type };
    this.log = deps.logger.child({ receiver, integration: `${config.type}[${config.index}]` });
  }

  /** Runs dedup, send-with-retry and nflog update; resolves true on success. Never throws. */
  async run(f: IntegrationFlush, batch: FlushBatch): Promise<boolean> {
    try {
      const entry = this.deps.nflog.query(f.groupKey, this.receiverKey);
      const decision = needsUpdate(entry, batch.firingSet, batch.resolvedSet, this.config.sendResolved, f.repeatIntervalMs, f.now);
      if (!decision.notify) return true;
      this.log.debug({ aggrGroup: f.groupKey, reason: decision.reason }, 'notification needed');
      if (!(await this.send(f, batch))) return false;
      const expiry = 2 * f.repeatIntervalMs;
      await this.deps.nflog.log(f.groupKey, this.receiverKey, batch.firing, batch.resolved, this.deps.retentionMs > 0 ? Math.min(expiry, this.deps.retentionMs) : expiry);
      return true;
    } catch (e) {
      this.log.error({ aggrGroup: f.groupKey, err: errorText(e) }, 'notify failed');
      return false;
    }
  }

  /** RetryStage.Exec. */
  private async send(f: IntegrationFlush, batch: FlushBatch): Promise<boolean> {
    const m = this.deps.metrics;
    m.notificationsTotal.inc(this.labels);
    let alerts = batch.alerts;
    if (!this.config.sendResolved) {
      // Only resolved alerts: report success without sending, so the nflog still records them.
      if (batch.firing.length === 0) return true;
      alerts = batch.firingAlerts;
    }
    const resolved = alerts === batch.alerts ? batch.resolved : [];
    const record = (outcome: NotificationOutcome, retry: number, latencyMs: number, error?: string): void => {
      if (!this.deps.history) return;
      const a: NotificationAttempt = {
        time: this.deps.clock.now(),
        receiver: this.receiver,
        integration: this.config.type,
        integrationIndex: this.config.index,
        groupKey: f.groupKey,
        firing: batch.firing.length > MAX_RECORDED_FINGERPRINTS ? batch.firing.slice(0, MAX_RECORDED_FINGERPRINTS) : batch.firing,
        resolved: resolved.length > MAX_RECORDED_FINGERPRINTS ? resolved.slice(0, MAX_RECORDED_FINGERPRINTS) : resolved,
        firingCount: batch.firing.length,
        resolvedCount: resolved.length,
        outcome,
        retry,
        latencyMs,
      };
      const status = error === undefined ? undefined : statusOf(error);
      this.deps.history.record(error === undefined ? a : status === undefined ? { ...a, error } : { ...a, error, status });
    };
    if (!this.notifier) {
      const error = `integration "${this.config.type}" cannot deliver notifications in this version`;
      this.log.error({ aggrGroup: f.groupKey }, error);
      m.notificationsFailed.inc({ ...this.labels, reason: 'other' });
      record('failed', 0, 0, error);
      return false;
    }

    const ctx: NotifyContext = {
      tenant: f.tenant,
      receiver: f.receiver,
      groupKey: f.groupKey,
      groupLabels: f.groupLabels,
      externalURL: f.externalURL,
      signal: f.signal,
      now: f.now,
      ...(batch.fingerprints ? { fingerprints: batch.fingerprints } : {}),
    };
    let backoff: ExponentialBackoff | undefined; // made at the first retry: most sends succeed at once
    const clock = this.deps.clock;
    let attempts = 0;
    let last: Extract<NotifyResult, { ok: false }> | undefined;
    for (;;) {
      if (f.signal.aborted) return this.fail(f, attempts, last, deadlineReason(f.signal));
      if (this.deps.rateLimiter?.take(this.config.type) !== undefined) {
        // Mimir's rateLimitedNotifier: counted, then failed without retry; the next flush retries.
        this.deps.rateLimited?.inc(this.labels);
        m.notificationsFailed.inc({ ...this.labels, reason: 'rateLimited' });
        record('rate_limited', attempts, 0, RATE_LIMITED_ERROR);
        this.log.warn({ aggrGroup: f.groupKey, attempts }, RATE_LIMITED_ERROR);
        return false;
      }
      const start = clock.now();
      let res: NotifyResult;
      try {
        res = await this.notifier.notify(ctx, alerts);
      } catch (e) {
        res = { ok: false, retryable: true, error: errorText(e) };
      }
      attempts++;
      const latencyMs = clock.now() - start;
      m.notificationLatency.observe(this.labels, latencyMs / 1000);
      m.notificationRequestsTotal.inc(this.labels);
      if (res.ok) record('success', attempts - 1, latencyMs);
      else record('failed', attempts - 1, latencyMs, res.error);
      if (res.ok) {
        this.log[attempts > 1 ? 'info' : 'debug']({ aggrGroup: f.groupKey, attempts, numAlerts: alerts.length }, 'Notify success');
        return true;
      }
      m.notificationRequestsFailed.inc(this.labels);
      if (!res.retryable) {
        this.log.error({ aggrGroup: f.groupKey, attempts, err: res.error }, 'notify retry canceled due to unrecoverable error');
        m.notificationsFailed.inc({ ...this.labels, reason: res.reason ?? 'other' });
        return false;
      }
      // An attempt cut short by the deadline is not the error to report (upstream keeps the
      // previous one, or reports the context error when there is none).
      if (!f.signal.aborted) {
        if (last?.error !== res.error) this.log.warn({ aggrGroup: f.groupKey, attempts, err: res.error }, 'Notify attempt failed, will retry later');
        last = res;
      }
      try {
        backoff ??= new ExponentialBackoff(this.deps.backoff);
        await clock.sleep(backoff.next(), f.signal);
      } catch {
        // Deadline reached while waiting: loop once more to report.
      }
    }
  }

  private fail(f: IntegrationFlush, attempts: number, last: Extract<NotifyResult, { ok: false }> | undefined, ctxReason: string): false {
    // Upstream reports the last attempt's error (and its reason) once the context ends, or the
    // context error itself when no attempt was made.
    const reason = last ? (last.reason ?? 'other') : ctxReason;
    const err = last ? last.error : ctxReason;
    this.log.error({ aggrGroup: f.groupKey, attempts, err }, 'notify retry canceled');
    this.deps.metrics.notificationsFailed.inc({ ...this.labels, reason });
    return false;
  }
}

/** Marks a deadline abort (vs. a cancellation) so failures carry the upstream reason. */
export class FlushDeadlineError extends Error {
  constructor(ms: number) {
    super(`context deadline exceeded (flush timeout ${ms}ms)`);
  }
}

function deadlineReason(signal: AbortSignal): string {
  return signal.reason instanceof FlushDeadlineError ? 'contextDeadlineExceeded' : 'contextCanceled';
}

const STATUS = /unexpected status code (\d{3})\b/;

/** The HTTP status named in an integration error (`unexpected status code 503: ...`). */
function statusOf(error: string): number | undefined {
  const m = STATUS.exec(error);
  return m ? Number(m[1]) : undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
