/**
 * A tenant's thresholds resolved against the platform defaults: the `user_threshold` and
 * `user_state_filter` series it gets. Mirrors the upstream threshold-exporter's Resolve and
 * ResolveStateFilters (config.go): per key three states (custom, default, disabled), `_critical`
 * tiers, dimensions and state filters. Differences: a `<key>_critical` default gives every tenant a
 * critical tier, and settings that no longer fit the defaults (a key without a default, a dimension
 * `dimensions:` no longer declares) are skipped here (the engine reports them), never guessed at. Output is sorted by labels so writers and tests see a stable order.
 */
import { compareLabels, compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { ResolvedTenant, ResolvedThreshold, TenantThresholds, ThresholdDefaults } from '../api.js';
import { CRITICAL_SEVERITY, DEFAULT_SEVERITY, STATE_PREFIX, parseThresholdKey, splitKey } from './keys.js';

/** One resolved series before it is sorted, with the key and setting that made it. */
export interface ResolvedEntry extends ResolvedThreshold {
  /** `tierKey` + sorted dims: the same identity means the same series. */
  readonly identity: string;
}

/** Resolves a tenant; `doc` undefined means defaults only. */
export function resolveTenant(tenant: string, defaults: ThresholdDefaults, doc: TenantThresholds | undefined): ResolvedTenant {
  const thresholds: ResolvedThreshold[] = resolveEntries(tenant, defaults, doc ?? new Map())
    .map(({ labels, value, key, source }) => ({ labels, value, key, source }))
    .sort((a, b) => compareLabels(a.labels, b.labels));
  const stateFilters: { filter: string; severity: string }[] = [];
  for (const name of [...defaults.stateFilters.keys()].sort(compareStrings)) {
    const def = defaults.stateFilters.get(name);
    if (!def) continue;
    const s = doc?.get(STATE_PREFIX + name);
    const enabled = s?.kind === 'state' ? s.enabled : def.defaultEnabled;
    if (enabled) stateFilters.push({ filter: name, severity: def.severity });
  }
  return { tenant, thresholds, stateFilters };
}

/**
 * Every series a document gives, unsorted, duplicates kept (the validator reports those). Default
 * keys first (in the defaults' order), then the document's own keys (in its order).
 */
export function resolveEntries(tenant: string, defaults: ThresholdDefaults, doc: TenantThresholds): ResolvedEntry[] {
  const out: ResolvedEntry[] = [];
  for (const [key, value] of defaults.defaults) {
    const setting = doc.get(key);
    const parsed = parseThresholdKey(key);
    if (typeof parsed === 'string') continue;
    if (setting === undefined) {
      out.push(entry(tenant, parsed.base, parsed.critical, [], value, undefined, key, 'default'));
    } else if (setting.kind === 'value') {
      out.push(entry(tenant, parsed.base, parsed.critical, [], setting.value, setting.severity, key, 'custom'));
    }
  }
  for (const [key, setting] of doc) {
    if (setting.kind !== 'value' || defaults.defaults.has(key) || key.startsWith(STATE_PREFIX)) continue;
    const parsed = parseThresholdKey(key);
    if (typeof parsed === 'string' || !defaults.defaults.has(parsed.base) || !dimsDeclared(parsed.dims, defaults.dimensions?.get(parsed.base))) continue;
    out.push(entry(tenant, parsed.base, parsed.critical, parsed.dims, setting.value, setting.severity, key, 'custom'));
  }
  return out;
}

/** Whether a key's dimension labels are exactly the declared ones (none declared: only no dimensions). */
function dimsDeclared(dims: readonly (readonly [string, string])[], declared: readonly string[] | undefined): boolean {
  if (dims.length === 0) return true;
  return declared !== undefined && dims.length === declared.length && dims.every(([n]) => declared.includes(n));
}

function entry(
  tenant: string,
  base: string,
  critical: boolean,
  dims: readonly (readonly [string, string])[],
  value: number,
  severity: string | undefined,
  key: string,
  source: 'default' | 'custom',
): ResolvedEntry {
  const { component, metric } = splitKey(base);
  const pairs: [string, string][] = [
    ['component', component],
    ['metric', metric],
    ['severity', severity ?? (critical ? CRITICAL_SEVERITY : DEFAULT_SEVERITY)],
    ['tenant', tenant],
    ...dims.map(([n, v]): [string, string] => [n, v]),
  ];
  pairs.sort((a, b) => compareStrings(a[0], b[0]));
  const labels: Labels = Object.fromEntries(pairs);
  const identity = pairs.map(([n, v]) => `${n}\xff${v}`).join('\xfe');
  return { labels, value, key, source, identity };
}

