/**
 * Dynamic thresholds: the contracts shared by the threshold engine (config/, resolve/, series),
 * the platform rule-pack evaluation across tenants (packs/), the HTTP API and the CLI tools.
 *
 * A platform owns `conf.d/_defaults.yaml` (defaults per key, state filters, which keys tenants may
 * set); each tenant owns `conf.d/<tenant>.yaml` (or the same document through the API): a flat map
 * of keys to values. Keys are `<component>_<metric>` (split at the first underscore), optionally
 * `_critical` (a critical tier) or `{label="value",...}` (a dimension); `_state_<filter>` keys switch
 * state filters. Resolved thresholds become `user_threshold` / `user_state_filter` series in each
 * tenant's store and on an exposition endpoint.
 */
import type { Labels } from '../core/labels.js';
import type { Issue } from '../core/result.js';

/** A state filter defined by the platform (e.g. maintenance). */
export interface StateFilterDef {
  readonly name: string;
  /** `user_state_filter{severity}`; default "info". */
  readonly severity: string;
  /** Whether the filter is on for a tenant that does not mention it. */
  readonly defaultEnabled: boolean;
}

/** `_defaults.yaml` as parsed. */
export interface ThresholdDefaults {
  /** Key -> default value (severity warning). A key ending in `_critical` is the default critical tier of its base key. */
  readonly defaults: ReadonlyMap<string, number>;
  readonly stateFilters: ReadonlyMap<string, StateFilterDef>;
  /** Keys tenants may set (base keys; `_critical` and dimensions of an allowed key are allowed); undefined = every key with a default. */
  readonly tenantKeys?: ReadonlySet<string>;
  /**
   * Dimensional keys: base key -> the dimension labels (sorted) a tenant's `<key>{...}` must carry,
   * its `_critical` tier included. Only keys whose packs compare per label value are here; a
   * dimension on any other key is an error. Undefined = no key takes dimensions.
   */
  readonly dimensions?: ReadonlyMap<string, readonly string[]>;
}

/** One tenant's settings as written, key by key (validated against the defaults). */
export type TenantSetting =
  | { readonly kind: 'value'; readonly value: number; readonly severity?: string }
  | { readonly kind: 'disable' }
  | { readonly kind: 'state'; readonly enabled: boolean };

/** A tenant's document: key as written (e.g. `redis_queue_length{queue="email"}`) -> setting. */
export type TenantThresholds = ReadonlyMap<string, TenantSetting>;

/** One resolved threshold: a `user_threshold` series. */
export interface ResolvedThreshold {
  /** Labels without `__name__`: tenant, component, metric, severity, and dimensions. */
  readonly labels: Labels;
  readonly value: number;
  /** The key that produced it (for the API and diagnostics). */
  readonly key: string;
  /** Where the value came from. */
  readonly source: 'default' | 'custom';
}

/** Everything a tenant's thresholds resolve to. */
export interface ResolvedTenant {
  readonly tenant: string;
  readonly thresholds: readonly ResolvedThreshold[];
  /** `user_state_filter{tenant, filter, severity} = 1` for each enabled filter. */
  readonly stateFilters: readonly { readonly filter: string; readonly severity: string }[];
}

/** A file or API document that failed to load: the tenant keeps its last good thresholds. */
export interface ThresholdProblem {
  /** File path, or `api:<tenant>` for an API document. */
  readonly source: string;
  /** The tenant, or undefined for `_defaults.yaml`. */
  readonly tenant?: string;
  readonly issues: readonly Issue[];
}

/** What the threshold engine offers the API, the tools and the packs. */
export interface ThresholdService {
  /** Tenants with thresholds (directory files and API documents), sorted. */
  tenants(): readonly string[];
  /** The tenant's resolved thresholds (its last good document; defaults only when it has none). */
  resolved(tenant: string): ResolvedTenant;
  /** The document as stored (text) and where it lives, or undefined. */
  document(tenant: string): { readonly text: string; readonly source: 'directory' | 'api' } | undefined;
  /** Current load problems (directory and API), for /metrics, logs and the API. */
  problems(): readonly ThresholdProblem[];
  readonly defaults: ThresholdDefaults;
}

/** Herald config: the `thresholds:` section. Off (no directory, no packs) by default. */
export interface ThresholdsConfig {
  /** conf.d: `_defaults.yaml` and one file per tenant; unset = API documents only. */
  readonly directory?: string;
  /** How often conf.d is re-read (default 10s). */
  readonly pollIntervalMs: number;
  /** How often every tenant's threshold series are re-written (default 30s; must stay under the 5m lookback). */
  readonly refreshIntervalMs: number;
  /** Packs to evaluate for all tenants, by name (`<rule_packs_directory>/<name>.yaml`). */
  readonly rulePacks: readonly string[];
  /** Where packs are read from; default the `rule-packs/` shipped with Herald. */
  readonly rulePacksDirectory?: string;
  /** Evaluation interval of the pack groups that set none; default the ruler's evaluation_interval. */
  readonly evaluationIntervalMs?: number;
  /** Tenant that receives pack outputs without a `tenant` label (default "platform"). */
  readonly platformTenant: string;
}

export const DEFAULT_THRESHOLDS_CONFIG: ThresholdsConfig = {
  pollIntervalMs: 10_000,
  refreshIntervalMs: 30_000,
  rulePacks: [],
  platformTenant: 'platform',
};
