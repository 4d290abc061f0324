/**
 * A tenant's threshold document (`conf.d/<tenant>.yaml` or the API's PUT body): a flat map of keys
 * to values, checked against the platform's `_defaults.yaml`. Where the upstream threshold-exporter
 * (config.go loadDir/Resolve) logs a warning and drops or ignores a key, every rule here is an error
 * with line and column: a key with no default, a key outside `tenant_keys`, an unknown state filter,
 * `defaults:`/`state_filters:` in a tenant file, a bad value, two keys giving one series, and a
 * dimension on a key or label `_defaults.yaml` does not declare in `dimensions:` (a pack reading the
 * key per tenant would apply that value to every series).
 */
import type { Node } from 'yaml';
import { fail, issue, ok, sortIssues } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { TenantSetting, TenantThresholds, ThresholdDefaults } from '../api.js';
import { CRITICAL_SEVERITY, STATE_PREFIX, parseStateValue, parseThresholdKey, parseThresholdValue } from './keys.js';
import type { ThresholdKey } from './keys.js';
import { resolveEntries } from './resolve.js';
import { isEmpty, mappingPairs, readYaml, scalarValue } from './yaml-source.js';

/** Top-level keys of `_defaults.yaml` (and the upstream single-file format) a tenant cannot use. */
const PLATFORM_FIELDS: Readonly<Record<string, string>> = {
  defaults: 'a tenant document cannot set defaults (only _defaults.yaml can)',
  state_filters: 'a tenant document cannot define state filters (only _defaults.yaml can)',
  tenant_keys: 'a tenant document cannot change which keys tenants may set (only _defaults.yaml can)',
  tenants: 'a tenant document is a flat map of keys for its own tenant; "tenants:" blocks are not read',
};

/** The settings that passed validation, and the problems of the others. */
export interface TenantDocumentCheck {
  readonly value: TenantThresholds;
  readonly issues: readonly Issue[];
}

/** Parses and validates a tenant document: the document, or every problem at once sorted by position. */
export function parseTenantDocument(text: string, _source: string, defaults: ThresholdDefaults): Result<TenantThresholds> {
  const r = checkTenantDocument(text, defaults);
  return r.issues.length > 0 ? fail(r.issues) : ok(r.value);
}

/**
 * Validates a document keeping what is valid. The engine uses the valid part only for a tenant
 * that has no last good document (a first load), so one typo does not drop every other key.
 */
export function checkTenantDocument(text: string, defaults: ThresholdDefaults): TenantDocumentCheck {
  const src = readYaml(text);
  if (src.errors.length > 0) return { value: new Map(), issues: src.errors };
  const root = src.doc.contents;
  if (isEmpty(root)) return { value: new Map(), issues: [] };
  const pairs = mappingPairs(root);
  if (!pairs) {
    return { value: new Map(), issues: [issue('type', 'a tenant document must be a mapping of threshold keys to values', src.at(root))] };
  }
  const issues: Issue[] = [];
  const settings = new Map<string, TenantSetting>();
  const keyNodes = new Map<string, Node>();
  const filterNames = [...defaults.stateFilters.keys()].sort();

  for (const { key, keyNode, value } of pairs) {
    const path = [key];
    const keyAt = { path, ...src.at(keyNode) };
    const valueAt = { path, ...src.at(value ?? keyNode) };
    const platform = PLATFORM_FIELDS[key];
    if (platform !== undefined) {
      issues.push(issue('boundary', platform, keyAt));
      continue;
    }
    const raw = scalarValue(value);
    if (key.startsWith(STATE_PREFIX)) {
      const filter = key.slice(STATE_PREFIX.length);
      if (!defaults.stateFilters.has(filter)) {
        const known = filterNames.length > 0 ? `defined: ${filterNames.join(', ')}` : 'none is defined';
        issues.push(issue('unknown_filter', `unknown state filter ${JSON.stringify(filter)} (${known})`, keyAt));
        continue;
      }
      const enabled = raw ? parseStateValue(raw.value) : 'a state filter takes "enable" or "disable"';
      if (typeof enabled === 'string') issues.push(issue('value', `${key}: ${enabled}`, valueAt));
      else {
        settings.set(key, { kind: 'state', enabled });
        keyNodes.set(key, keyNode);
      }
      continue;
    }
    if (key.startsWith('_')) {
      issues.push(issue('reserved', `key ${JSON.stringify(key)}: keys starting with "_" are reserved (${STATE_PREFIX}<filter> switches a state filter)`, keyAt));
      continue;
    }
    const parsed = parseThresholdKey(key);
    if (typeof parsed === 'string') {
      issues.push(issue('key', parsed, keyAt));
      continue;
    }
    if (!defaults.defaults.has(parsed.base)) {
      const why = parsed.base === key ? '' : `: its key ${JSON.stringify(parsed.base)} has none`;
      issues.push(issue('no_default', `key ${JSON.stringify(key)} has no default in _defaults.yaml${why}`, keyAt));
      continue;
    }
    if (defaults.tenantKeys !== undefined && !defaults.tenantKeys.has(parsed.base)) {
      issues.push(issue('not_allowed', `key ${JSON.stringify(key)} is not one tenants may set (tenant_keys in _defaults.yaml)`, keyAt));
      continue;
    }
    const dimProblem = checkDims(key, parsed, defaults);
    if (dimProblem !== undefined) {
      issues.push(issue('dimension', dimProblem, keyAt));
      continue;
    }
    const v = raw ? parseThresholdValue(raw.value) : 'the value must be a number, "80:critical" or "disable"';
    if (typeof v === 'string') {
      issues.push(issue('value', `${key}: ${v}`, valueAt));
      continue;
    }
    if (v.kind === 'value' && parsed.critical && v.severity !== undefined && v.severity !== CRITICAL_SEVERITY) {
      issues.push(issue('value', `${key} is a critical tier; its value cannot carry severity ${JSON.stringify(v.severity)}`, valueAt));
      continue;
    }
    settings.set(key, v.kind === 'disable' ? { kind: 'disable' } : v.severity === undefined ? { kind: 'value', value: v.value } : { kind: 'value', value: v.value, severity: v.severity });
    keyNodes.set(key, keyNode);
  }

  for (const dup of duplicates(settings, defaults)) {
    settings.delete(dup.key);
    issues.push(issue('duplicate', dup.message, { path: [dup.key], ...src.at(keyNodes.get(dup.key)) }));
  }
  return { value: settings, issues: sortIssues(issues) };
}

/**
 * A dimension must use exactly the labels `dimensions:` declares for its base key (`_critical`
 * tiers inherit): the packs join on all of them, so a subset or another label would never match.
 */
function checkDims(key: string, parsed: ThresholdKey, defaults: ThresholdDefaults): string | undefined {
  if (parsed.dims.length === 0) return undefined;
  const allowed = defaults.dimensions?.get(parsed.base);
  const k = JSON.stringify(key);
  if (allowed === undefined) {
    const declared = [...(defaults.dimensions ?? new Map<string, readonly string[]>())]
      .map(([base, labels]) => `${base} (${labels.join(', ')})`)
      .sort();
    const list = declared.length > 0 ? `keys with dimensions: ${declared.join(', ')}` : 'no key has dimensions';
    return `key ${k}: ${parsed.base} takes no dimensions, its threshold is per tenant (${list}; dimensions in _defaults.yaml)`;
  }
  const names = parsed.dims.map(([n]) => n);
  const extra = names.filter((n) => !allowed.includes(n));
  const missing = allowed.filter((n) => !names.includes(n));
  if (extra.length === 0 && missing.length === 0) return undefined;
  const what = extra.length > 0 ? `label${extra.length > 1 ? 's' : ''} ${extra.map((n) => JSON.stringify(n)).join(', ')} ${extra.length > 1 ? 'are not dimensions' : 'is not a dimension'}` : `it lacks ${missing.map((n) => JSON.stringify(n)).join(', ')}`;
  const allowedText = allowed.length > 1 ? `allowed labels: ${allowed.join(', ')}, each one required` : `allowed label: ${allowed.join('')}`;
  return `key ${k}: ${what} of ${parsed.base} (${allowedText}; dimensions in _defaults.yaml)`;
}

/** Later keys that give a series an earlier key (or a default) already gives. */
function duplicates(settings: ReadonlyMap<string, TenantSetting>, defaults: ThresholdDefaults): { key: string; message: string }[] {
  const first = new Map<string, { key: string; source: 'default' | 'custom' }>();
  const out: { key: string; message: string }[] = [];
  // Custom entries first, in document order, so a custom key that collides with a default is the one named.
  const order = new Map([...settings.keys()].map((k, i) => [k, i]));
  const all = resolveEntries('', defaults, settings);
  const entries = [
    ...all.filter((e) => e.source === 'custom').sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0)),
    ...all.filter((e) => e.source === 'default'),
  ];
  for (const e of entries) {
    const prev = first.get(e.identity);
    if (!prev) {
      first.set(e.identity, { key: e.key, source: e.source });
      continue;
    }
    const sev = JSON.stringify(e.labels['severity']);
    if (e.source === 'custom') {
      out.push({ key: e.key, message: `key ${JSON.stringify(e.key)} gives the same series as ${JSON.stringify(prev.key)} (severity ${sev})` });
    } else if (prev.source === 'custom') {
      out.push({
        key: prev.key,
        message: `key ${JSON.stringify(prev.key)} gives the same series as the default ${JSON.stringify(e.key)} (severity ${sev}); set or disable ${JSON.stringify(e.key)} instead`,
      });
    }
  }
  return out;
}
