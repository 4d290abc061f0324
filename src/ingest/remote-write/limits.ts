/**
 * Per-tenant ingestion limits, named as Mimir's limits (pkg/util/validation/limits.go) so they can
 * sit in Herald's per-tenant limits block unchanged. 0 means unlimited.
 */

/** Label names: Prometheus 2.x's `[a-zA-Z_][a-zA-Z0-9_]*`, or any valid UTF-8 as Prometheus 3.x accepts. */
export type NameValidationScheme = 'legacy' | 'utf8';

export interface IngestLimits {
  readonly max_label_names_per_series: number;
  readonly max_label_name_length: number;
  readonly max_label_value_length: number;
  /** Herald: samples in one push request (Mimir caps the body size instead). */
  readonly max_samples_per_request: number;
  /** Samples per second (token bucket refill rate). */
  readonly ingestion_rate: number;
  /** Samples in one burst (bucket size). */
  readonly ingestion_burst_size: number;
  /** How far ahead of now a sample may be, in ms (Prometheus' receiver: 10 minutes). */
  readonly creation_grace_period_ms: number;
  readonly name_validation_scheme: NameValidationScheme;
}

/** Mimir's defaults (30 labels, 1024/2048 bytes, 10 000 samples/s with bursts of 200 000). */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  max_label_names_per_series: 30,
  max_label_name_length: 1024,
  max_label_value_length: 2048,
  max_samples_per_request: 0,
  ingestion_rate: 10_000,
  ingestion_burst_size: 200_000,
  creation_grace_period_ms: 10 * 60_000,
  name_validation_scheme: 'legacy',
};

/** Mimir's error suffix: a stable id and the limit to raise. */
export function limitHint(id: string, ...limits: string[]): string {
  const which = limits.length > 1 ? 'limits' : 'limit';
  return ` (err-herald-${id}). To adjust the related per-tenant ${which}, configure ${limits.join(' and ')}, or contact your service administrator.`;
}

/** Mimir's error suffix for checks that no limit controls. */
export function errorId(id: string): string {
  return ` (err-herald-${id})`;
}
