/**
 * How the composition root builds one tenant's Alertmanager engine: everything with I/O comes in
 * here (state, clock, HTTP, logger, metrics).
 */
import type { TenantState } from '../core/state-store.js';
import type { Clock, HttpClient, Logger } from '../core/runtime.js';
import type { CounterLike, GaugeLike, HistogramLike } from '../core/metrics.js';
import type { AlertmanagerConfig } from './config/types.js';
import type { HistoryBounds } from './notify/history/types.js';
import type { NotificationRateLimits } from './notify/rate-limit.js';
import type { Templates } from './template/api.js';
import type { SecretFileReader, SmtpSender } from './notify/types.js';

/**
 * What a config needs from outside its YAML: the template set its `templates` resolve to, and the
 * HTTP client its integrations use (with the receiver firewall for tenant-uploaded configs).
 */
export interface ConfigBindings {
  readonly templates: Templates;
  readonly http: HttpClient;
  /** Outbound mail for email_configs; absent: email notifications fail with a clear error. */
  readonly smtp?: SmtpSender;
  /** Reads `*_file` secrets at send time; given to the operator's configs only, never to tenant uploads. */
  readonly secrets?: SecretFileReader;
}

/** Per-tenant limits; 0 means unlimited. Mirrors Mimir's alertmanager_* limits. */
export interface AlertmanagerLimits {
  readonly maxAlerts: number;
  /** Total bytes of labels + annotations + generatorURL over all of a tenant's alerts (as Mimir). */
  readonly maxAlertSizeBytes: number;
  readonly maxAggregationGroups: number;
  readonly maxSilences: number;
  readonly maxSilenceSizeBytes: number;
}

export const UNLIMITED: AlertmanagerLimits = {
  maxAlerts: 0,
  maxAlertSizeBytes: 0,
  maxAggregationGroups: 0,
  maxSilences: 0,
  maxSilenceSizeBytes: 0,
};

/**
 * The `alertmanager_*` series people already graph. Every observation carries a `tenant` label
 * (added by the engine) besides the upstream labels named here.
 */
export interface AlertmanagerMetrics {
  /** labels: status = firing | resolved */
  readonly alertsReceived: CounterLike;
  readonly alertsInvalid: CounterLike;
  /** labels: integration */
  readonly notificationsTotal: CounterLike;
  /** labels: integration, reason (clientError | serverError | other | ...) */
  readonly notificationsFailed: CounterLike;
  /** labels: integration */
  readonly notificationRequestsTotal: CounterLike;
  /** labels: integration */
  readonly notificationRequestsFailed: CounterLike;
  /** labels: integration; seconds */
  readonly notificationLatency: HistogramLike;
  /** labels: state = active | pending | expired */
  readonly silences: GaugeLike;
  /** labels: state = active | suppressed | unprocessed */
  readonly alerts: GaugeLike;
  readonly aggregationGroups: GaugeLike;
  readonly aggregationGroupLimitReached: CounterLike;
  /** labels: reason = silence | inhibition | time_interval... */
  readonly notificationsSuppressed: CounterLike;
  /** labels: integration (Mimir's cortex_alertmanager_notification_rate_limited_total) */
  readonly notificationRateLimited?: CounterLike;
}

export interface AlertmanagerOptions {
  readonly tenant: string;
  readonly config: AlertmanagerConfig;
  readonly state: TenantState;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly http: HttpClient;
  readonly metrics: AlertmanagerMetrics;
  readonly limits: AlertmanagerLimits;
  /** Used in notifications (ExternalURL, generator links). */
  readonly externalURL: string;
  /** Herald's version, sent as User-Agent `Alertmanager/<version>` compatible string. */
  readonly version: string;
  /** How long expired silences and notification log entries are kept (Alertmanager: 120h). */
  readonly retentionMs: number;
  /** Notification history bounds, read on every record (limits reloads apply at once). */
  readonly historyBounds?: () => HistoryBounds;
  /** Notification rate limits, read on every attempt. */
  readonly rateLimits?: () => NotificationRateLimits;
  /** Templates and HTTP client of `config`; default: literal-only templates and `http`. */
  readonly bindings?: ConfigBindings;
}
