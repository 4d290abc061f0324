/**
 * Per-tenant limits: operator defaults plus per-tenant overrides from Herald's config file.
 * Mirrors Mimir's alertmanager_* limits (pkg/util/validation/limits.go); 0 means unlimited.
 */
import type { AlertmanagerLimits } from '../alertmanager/options.js';

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
];

/** Unlimited everywhere, as Mimir's defaults are. */
export const DEFAULT_LIMITS: TenantLimits = {
  max_alerts: 0,
  max_alert_size_bytes: 0,
  max_aggregation_groups: 0,
  max_silences: 0,
  max_silence_size_bytes: 0,
  max_config_size_bytes: 0,
  max_template_files: 0,
  max_template_size_bytes: 0,
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
}
