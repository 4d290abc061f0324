/**
 * The status page's pure parts: each usage counter paired with the limit that bounds it (where
 * Herald has one; 0 or absent means unlimited), the remaining limits listed apart, and uptime.
 */
import type { TenantStatus } from '../../api/herald.js';
import { formatDuration } from '../../lib/time.js';

/** Usage counter -> the limit (Herald's `limits:` name) it is held against. */
export const USAGE_LIMITS: Readonly<Record<keyof TenantStatus['usage'], string | undefined>> = {
  alerts: 'max_alerts',
  active_alerts: undefined,
  silences: 'max_silences',
  aggregation_groups: 'max_aggregation_groups',
  active_series: 'max_global_series_per_user',
  rule_groups: 'ruler_max_rule_groups_per_tenant',
  rules: undefined,
};

const USAGE_TEXT: Readonly<Record<keyof TenantStatus['usage'], string>> = {
  alerts: 'Alerts held (firing or recently resolved)',
  active_alerts: 'Active alerts (neither silenced nor inhibited)',
  silences: 'Silences (active and pending)',
  aggregation_groups: 'Aggregation groups',
  active_series: 'Active series',
  rule_groups: 'Rule groups',
  rules: 'Rules',
};

export interface UsageRow {
  readonly name: keyof TenantStatus['usage'];
  readonly label: string;
  readonly value: number;
  readonly limitName: string | undefined;
  /** Undefined: no limit (none exists, or it is 0 = unlimited). */
  readonly limit: number | undefined;
  /** value / limit, when there is a limit. */
  readonly ratio: number | undefined;
  /** `ok` under 80%, `warn` from 80%, `err` at or over the limit. */
  readonly level: 'ok' | 'warn' | 'err' | undefined;
}

function numeric(v: number | string | boolean | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Every usage counter, in the order of USAGE_LIMITS, with its limit when it has one. */
export function usageRows(status: Pick<TenantStatus, 'usage' | 'limits'>): UsageRow[] {
  return (Object.keys(USAGE_LIMITS) as (keyof TenantStatus['usage'])[]).map((name) => {
    const value = status.usage[name];
    const limitName = USAGE_LIMITS[name];
    const raw = limitName === undefined ? undefined : numeric(status.limits[limitName]);
    const limit = raw !== undefined && raw > 0 ? raw : undefined;
    const ratio = limit === undefined ? undefined : value / limit;
    const level = ratio === undefined ? undefined : ratio >= 1 ? 'err' : ratio >= 0.8 ? 'warn' : 'ok';
    return { name, label: USAGE_TEXT[name], value, limitName, limit, ratio, level };
  });
}

/** The limits not shown against a usage counter, sorted by name; 0 reads "unlimited" for numbers. */
export function otherLimits(status: Pick<TenantStatus, 'limits'>): { readonly name: string; readonly value: string }[] {
  const paired = new Set(Object.values(USAGE_LIMITS).filter((x): x is string => x !== undefined));
  return Object.entries(status.limits)
    .filter(([k]) => !paired.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, v]) => ({ name, value: limitText(name, v) }));
}

/** A limit's value as shown: 0 means unlimited for the numeric limits, except those where 0 is a value. */
export function limitText(name: string, v: number | string | boolean): string {
  if (typeof v === 'number' && v === 0 && !/interval|offset/.test(name)) return '0 (unlimited)';
  return String(v);
}

/** `3d4h5m` for a number of seconds. */
export function formatUptime(seconds: number): string {
  return formatDuration(Math.max(0, Math.floor(seconds)) * 1000);
}

/** `45%`, `<1%` for a ratio. */
export function formatRatio(r: number): string {
  const pct = r * 100;
  if (pct > 0 && pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}
