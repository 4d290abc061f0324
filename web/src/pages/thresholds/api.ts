/**
 * The tenant's dynamic thresholds (`GET /api/herald/v1/thresholds`) and the platform defaults
 * (`GET /api/herald/v1/thresholds/defaults`), as src/server/thresholds-api/dto.ts writes them.
 */
import type { Client } from '../../api/client.js';

/** A number, or Prometheus' spelling of a non-finite one (`+Inf`, `NaN`). */
export type NumberDto = number | string;

export interface IssueDto {
  readonly code: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: readonly (string | number)[];
}

export interface ThresholdDto {
  /** tenant, component, metric, severity and any dimension labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: NumberDto;
  /** The key that produced it (`mysql_connections_critical`, `redis_queue_length{queue="email"}`). */
  readonly key: string;
  readonly source: 'default' | 'custom';
}

export interface TenantThresholds {
  readonly tenant: string;
  /** Where the tenant's document lives: conf.d, the API, or nowhere (defaults only). */
  readonly source: 'directory' | 'api' | 'none';
  readonly document: string;
  readonly resolved: readonly ThresholdDto[];
  /** The state filters that are on. */
  readonly stateFilters: readonly { readonly filter: string; readonly severity: string }[];
  readonly problems: readonly { readonly source: string; readonly issues: readonly IssueDto[] }[];
}

export interface ThresholdDefaults {
  readonly defaults: Readonly<Record<string, NumberDto>>;
  readonly stateFilters: Readonly<Record<string, { readonly severity: string; readonly defaultState: 'enable' | 'disable' }>>;
  readonly tenantKeys: readonly string[] | null;
}

export function getThresholds(c: Client, signal?: AbortSignal): Promise<TenantThresholds> {
  return c.json<TenantThresholds>('/api/herald/v1/thresholds', signal ? { signal } : {});
}

export function getThresholdDefaults(c: Client, signal?: AbortSignal): Promise<ThresholdDefaults> {
  return c.json<ThresholdDefaults>('/api/herald/v1/thresholds/defaults', signal ? { signal } : {});
}
