/**
 * The thresholds page's pure parts: a tenant's effective thresholds grouped by component and key,
 * each with its source (custom, default, or disabled: a default key the tenant switched off, which
 * has no series), severity and dimensions; and the state filters with whether each is on.
 */
import type { NumberDto, TenantThresholds, ThresholdDefaults } from './api.js';

export type ThresholdSource = 'custom' | 'default' | 'disabled';

export interface ThresholdRow {
  /** The key as written (`mysql_connections_critical`, `redis_queue_length{queue="email"}`). */
  readonly key: string;
  /** Without dimensions and `_critical`: `mysql_connections`. */
  readonly base: string;
  readonly metric: string;
  readonly severity: string;
  /** Labels other than tenant, component, metric and severity. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Undefined when disabled. */
  readonly value: NumberDto | undefined;
  /** The platform's default for this key, when there is one. */
  readonly defaultValue: NumberDto | undefined;
  readonly source: ThresholdSource;
}

export interface ComponentGroup {
  readonly component: string;
  readonly rows: readonly ThresholdRow[];
}

const FIXED_LABELS = new Set(['tenant', 'component', 'metric', 'severity']);
const CRITICAL = '_critical';

/** `redis_queue_length_critical{queue="a"}` -> `redis_queue_length`. */
export function baseKey(key: string): string {
  const brace = key.indexOf('{');
  let k = brace < 0 ? key : key.slice(0, brace);
  if (k.endsWith(CRITICAL)) k = k.slice(0, -CRITICAL.length);
  return k;
}

/** `mysql_connections` -> component `mysql`, metric `connections` (split at the first underscore). */
export function splitKey(base: string): { readonly component: string; readonly metric: string } {
  const i = base.indexOf('_');
  return i < 0 ? { component: base, metric: '' } : { component: base.slice(0, i), metric: base.slice(i + 1) };
}

const SEVERITY_ORDER: Record<string, number> = { warning: 0, critical: 1 };

function compareRows(a: ThresholdRow, b: ThresholdRow): number {
  if (a.base !== b.base) return a.base < b.base ? -1 : 1;
  const da = Object.keys(a.dimensions).length;
  const db = Object.keys(b.dimensions).length;
  if ((da === 0) !== (db === 0)) return da === 0 ? -1 : 1;
  if (a.key.replace(CRITICAL, '') !== b.key.replace(CRITICAL, '')) return a.key < b.key ? -1 : 1;
  const sa = SEVERITY_ORDER[a.severity] ?? 2;
  const sb = SEVERITY_ORDER[b.severity] ?? 2;
  if (sa !== sb) return sa - sb;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Every resolved threshold, plus one `disabled` row for each default key the tenant has no series
 * for, grouped by component (sorted), rows by key, plain before dimensions, warning before critical.
 */
export function groupThresholds(t: TenantThresholds, d: ThresholdDefaults | undefined): ComponentGroup[] {
  const defaults = d?.defaults ?? {};
  const rows: ThresholdRow[] = [];
  const seen = new Set<string>();
  for (const r of t.resolved) {
    seen.add(r.key);
    const base = baseKey(r.key);
    const dimensions: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.labels)) if (!FIXED_LABELS.has(k)) dimensions[k] = v;
    rows.push({
      key: r.key,
      base,
      metric: r.labels['metric'] ?? splitKey(base).metric,
      severity: r.labels['severity'] ?? (r.key.includes(CRITICAL) ? 'critical' : 'warning'),
      dimensions,
      value: r.value,
      defaultValue: Object.hasOwn(defaults, r.key) ? defaults[r.key] : undefined,
      source: r.source,
    });
  }
  for (const [key, value] of Object.entries(defaults)) {
    if (seen.has(key)) continue;
    const base = baseKey(key);
    rows.push({ key, base, metric: splitKey(base).metric, severity: key.endsWith(CRITICAL) ? 'critical' : 'warning', dimensions: {}, value: undefined, defaultValue: value, source: 'disabled' });
  }
  const byComponent = new Map<string, ThresholdRow[]>();
  for (const r of rows) {
    const c = splitKey(r.base).component;
    const list = byComponent.get(c);
    if (list) list.push(r);
    else byComponent.set(c, [r]);
  }
  return [...byComponent.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([component, list]) => ({ component, rows: list.sort(compareRows) }));
}

/** Rows whose key contains `text` (case-insensitive) or whose source is `source`. */
export function filterGroups(groups: readonly ComponentGroup[], text: string, source: ThresholdSource | ''): ComponentGroup[] {
  const needle = text.trim().toLowerCase();
  const out: ComponentGroup[] = [];
  for (const g of groups) {
    const rows = g.rows.filter((r) => (needle === '' || r.key.toLowerCase().includes(needle)) && (source === '' || r.source === source));
    if (rows.length > 0) out.push({ component: g.component, rows });
  }
  return out;
}

export function sourceCounts(groups: readonly ComponentGroup[]): Record<ThresholdSource, number> {
  const c: Record<ThresholdSource, number> = { custom: 0, default: 0, disabled: 0 };
  for (const g of groups) for (const r of g.rows) c[r.source]++;
  return c;
}

export interface StateFilterRow {
  readonly name: string;
  readonly severity: string;
  readonly on: boolean;
  readonly onByDefault: boolean | undefined;
}

/** Every state filter the platform defines (and any the tenant has on), with whether it is on. */
export function stateFilterRows(t: TenantThresholds, d: ThresholdDefaults | undefined): StateFilterRow[] {
  const on = new Map(t.stateFilters.map((f) => [f.filter, f.severity]));
  const rows = new Map<string, StateFilterRow>();
  for (const [name, def] of Object.entries(d?.stateFilters ?? {})) {
    rows.set(name, { name, severity: on.get(name) ?? def.severity, on: on.has(name), onByDefault: def.defaultState === 'enable' });
  }
  for (const [name, severity] of on) if (!rows.has(name)) rows.set(name, { name, severity, on: true, onByDefault: undefined });
  return [...rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `line 3, column 5: message` (or `key: message` for JSON paths). */
export function issueText(i: { readonly message: string; readonly line?: number; readonly column?: number; readonly path?: readonly (string | number)[] }): string {
  if (i.line !== undefined) return `line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''}: ${i.message}`;
  if (i.path && i.path.length > 0) return `${i.path.join('.')}: ${i.message}`;
  return i.message;
}
