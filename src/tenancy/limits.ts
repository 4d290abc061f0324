/**
 * Per-tenant limits: operator defaults plus per-tenant overrides from Herald's config file.
 * Mirrors Mimir's alertmanager_*, ingestion and ruler_* limits (pkg/util/validation/limits.go);
 * 0 means unlimited.
 */
import type { HistoryBounds } from '../alertmanager/notify/history/types.js';
import type { NotificationRateLimits } from '../alertmanager/notify/rate-limit.js';
import type { AlertmanagerLimits } from '../alertmanager/options.js';
import type { RulerLimits } from '../ruler/manager/limits.js';

/** Limits as written in Herald's config file (wire names). */
export interface TenantLimits {
  readonly max_alerts: number;
  readonly max_alert_size_bytes: number;
  readonly max_aggregation_groups: number;
  readonly max_silences: number;
  readonly max_silence_size_bytes: number;
  readonly max_config_size_bytes: number;
  readonly max_template_files: number;
  readonly max_template_size_bytes: number;
  /** Notifications per second for each integration type (Mimir's alertmanager_notification_rate_limit). */
  readonly notification_rate_limit: number;
  /** Notifications per second over all of the tenant's integrations (Herald). */
  readonly notification_rate_limit_total: number;
  /** Notification history entries kept (oldest dropped first). */
  readonly notification_history_max_entries: number;
  /** Age after which history entries are dropped, in seconds. */
  readonly notification_history_max_age_seconds: number;
  /** Active series in the tenant's embedded store (Mimir's max_global_series_per_user). */
  readonly max_global_series_per_user: number;
  readonly max_label_names_per_series: number;
  readonly max_label_name_length: number;
  readonly max_label_value_length: number;
  /** Samples in one remote_write request. */
  readonly max_samples_per_request: number;
  /** remote_write samples per second (token bucket refill), and the bucket size. */
  readonly ingestion_rate: number;
  readonly ingestion_burst_size: number;
  /** Rule groups per tenant, API and rules directory together (Mimir's ruler_max_rule_groups_per_tenant). */
  readonly ruler_max_rule_groups_per_tenant: number;
  /** Rules in one group (Mimir's ruler_max_rules_per_rule_group). */
  readonly ruler_max_rules_per_rule_group: number;
  /**
   * Shortest group interval, in seconds (Mimir's ruler_min_rule_evaluation_interval, written as a
   * duration such as `30s` or a number of seconds): API writes below it are refused, running
   * groups below it are evaluated at it.
   */
  readonly ruler_min_rule_evaluation_interval: number;
}

export const LIMIT_NAMES: readonly (keyof TenantLimits)[] = [
  'max_alerts',
  'max_alert_size_bytes',
  'max_aggregation_groups',
  'max_silences',
  'max_silence_size_bytes',
  'max_config_size_bytes',
  'max_template_files',
  'max_template_size_bytes',
  'notification_rate_limit',
  'notification_rate_limit_total',
  'notification_history_max_entries',
  'notification_history_max_age_seconds',
  'max_global_series_per_user',
  'max_label_names_per_series',
  'max_label_name_length',
  'max_label_value_length',
  'max_samples_per_request',
  'ingestion_rate',
  'ingestion_burst_size',
  'ruler_max_rule_groups_per_tenant',
  'ruler_max_rules_per_rule_group',
  'ruler_min_rule_evaluation_interval',
];

/** Limits that may be fractional (rates such as 0.5 per second); the others are integers. */
export const FRACTIONAL_LIMITS: ReadonlySet<keyof TenantLimits> = new Set(['notification_rate_limit', 'notification_rate_limit_total', 'ingestion_rate', 'ruler_min_rule_evaluation_interval']);

/** Limits written as a Prometheus duration (`30s`) or a number of seconds; kept in seconds. */
export const DURATION_LIMITS: ReadonlySet<keyof TenantLimits> = new Set(['ruler_min_rule_evaluation_interval']);

/** Unlimited for the Alertmanager limits (as Mimir), except the history (10 000 entries, 7 days); Mimir's defaults for ingestion. */
export const DEFAULT_LIMITS: TenantLimits = {
  max_alerts: 0,
  max_alert_size_bytes: 0,
  max_aggregation_groups: 0,
  max_silences: 0,
  max_silence_size_bytes: 0,
  max_config_size_bytes: 0,
  max_template_files: 0,
  max_template_size_bytes: 0,
  notification_rate_limit: 0,
  notification_rate_limit_total: 0,
  notification_history_max_entries: 10_000,
  notification_history_max_age_seconds: 7 * 24 * 3600,
  // Ingestion: Mimir's defaults.
  max_global_series_per_user: 150_000,
  max_label_names_per_series: 30,
  max_label_name_length: 1024,
  max_label_value_length: 2048,
  max_samples_per_request: 0,
  ingestion_rate: 10_000,
  ingestion_burst_size: 200_000,
  // Ruler: Mimir's defaults.
  ruler_max_rule_groups_per_tenant: 70,
  ruler_max_rules_per_rule_group: 20,
  ruler_min_rule_evaluation_interval: 0,
};

/** A request refused because it would exceed one tenant limit (mapped to 4xx at the edge). */
export class TenantLimitError extends Error {
  readonly code = 'limit';
  constructor(readonly tenant: string, readonly limit: keyof TenantLimits, readonly max: number, message: string) {
    super(message);
  }
}

/** Resolves the effective limits of a tenant; replaced as a whole on reload. */
export class Limits {
  constructor(
    private readonly defaults: TenantLimits = DEFAULT_LIMITS,
    private readonly overrides: ReadonlyMap<string, Partial<TenantLimits>> = new Map(),
  ) {}

  forTenant(tenant: string): TenantLimits {
    const o = this.overrides.get(tenant);
    return o ? { ...this.defaults, ...o } : this.defaults;
  }

  /** The subset the engine enforces itself (alerts, groups, silences). */
  engineLimits(tenant: string): AlertmanagerLimits {
    const l = this.forTenant(tenant);
    return {
      maxAlerts: l.max_alerts,
      maxAlertSizeBytes: l.max_alert_size_bytes,
      maxAggregationGroups: l.max_aggregation_groups,
      maxSilences: l.max_silences,
      maxSilenceSizeBytes: l.max_silence_size_bytes,
    };
  }

  /** The notification pipeline's rate limits (read on every attempt, so reloads apply at once). */
  notificationRateLimits(tenant: string): NotificationRateLimits {
    const l = this.forTenant(tenant);
    return { total: l.notification_rate_limit_total, perIntegration: l.notification_rate_limit };
  }

  /** What the ruler enforces for a tenant; 0 = unlimited. */
  rulerLimits(tenant: string): RulerLimits {
    const l = this.forTenant(tenant);
    return {
      maxRuleGroups: l.ruler_max_rule_groups_per_tenant,
      maxRulesPerGroup: l.ruler_max_rules_per_rule_group,
      minEvaluationIntervalMs: Math.round(l.ruler_min_rule_evaluation_interval * 1000),
    };
  }

  /** Bounds of the tenant's notification history; 0 = unbounded. */
  historyBounds(tenant: string): HistoryBounds {
    const l = this.forTenant(tenant);
    return { maxEntries: l.notification_history_max_entries, maxAgeMs: l.notification_history_max_age_seconds * 1000 };
  }
}
