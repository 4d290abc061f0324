/**
 * `_defaults.yaml`, the platform's file: `defaults:` (key -> number), `state_filters:` (name ->
 * {severity, default_state}), the optional `tenant_keys:` allowlist and `dimensions:` (key -> the
 * labels a tenant may set per value, for the keys whose packs compare per label). Mirrors the upstream
 * threshold-exporter's ThresholdConfig defaults/state_filters (config.go), but validated strictly:
 * unknown fields, non-numbers and orphan `_critical` tiers are errors with their line and column.
 * A filter without `default_state` is off (upstream: on), so a new filter never silences everyone.
 * Upstream accepts a dimension on any key; here only the keys `dimensions:` names take one, since a
 * pack that reads a key per tenant would apply one label value's threshold to every series.
 */
import { isSeq } from 'yaml';
import type { Node } from 'yaml';
import { fail, issue, ok, sortIssues } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { StateFilterDef, ThresholdDefaults } from '../api.js';
import { compareStrings, isClassicLabelName } from '../../core/labels.js';
import { RESERVED_LABELS, criticalBase, isBaseKey, isFilterName, isSeverity } from './keys.js';
import { isEmpty, mappingPairs, readYaml, scalarValue } from './yaml-source.js';

/** Empty defaults: nothing configured, every tenant key is an error. */
export const EMPTY_DEFAULTS: ThresholdDefaults = { defaults: new Map(), stateFilters: new Map() };

/** A filter's severity when `_defaults.yaml` names none (upstream's default too). */
export const DEFAULT_FILTER_SEVERITY = 'info';

/**
 * Parses `_defaults.yaml`; every problem at once, sorted by position. `_file` is for the caller's
 * messages (formatIssue(issue, file)); issues carry positions only.
 */
export function parseDefaults(text: string, _file?: string): Result<ThresholdDefaults> {
  const src = readYaml(text);
  if (src.errors.length > 0) return fail(src.errors);
  const issues: Issue[] = [];
  const defaults = new Map<string, number>();
  const stateFilters = new Map<string, StateFilterDef>();
  let tenantKeys: Set<string> | undefined;
  const keyNodes = new Map<string, Node>();
  let tenantKeysNodes: { key: string; node: Node }[] = [];
  let dimensions: Map<string, readonly string[]> | undefined;
  const dimensionNodes = new Map<string, Node>();

  const root = src.doc.contents;
  if (isEmpty(root)) return ok(EMPTY_DEFAULTS);
  const top = mappingPairs(root);
  if (!top) return fail([issue('type', '_defaults.yaml must be a mapping with defaults, state_filters, tenant_keys and dimensions', src.at(root))]);

  for (const { key, keyNode, value } of top) {
    if (key === 'defaults') {
      if (isEmpty(value)) continue;
      const pairs = mappingPairs(value);
      if (!pairs) {
        issues.push(issue('type', 'defaults must be a mapping of key to number', { path: ['defaults'], ...src.at(value ?? keyNode) }));
        continue;
      }
      for (const p of pairs) {
        const path = ['defaults', p.key];
        if (!isBaseKey(p.key)) {
          issues.push(issue('key', `default key ${JSON.stringify(p.key)} must be <component>_<metric> (letters, digits and underscores, starting with a letter; no dimensions)`, { path, ...src.at(p.keyNode) }));
          continue;
        }
        const v = scalarValue(p.value);
        if (!v || typeof v.value !== 'number' || !Number.isFinite(v.value)) {
          issues.push(issue('value', `default of ${JSON.stringify(p.key)} must be a finite number`, { path, ...src.at(p.value ?? p.keyNode) }));
          continue;
        }
        defaults.set(p.key, v.value);
        keyNodes.set(p.key, p.keyNode);
      }
    } else if (key === 'state_filters') {
      if (isEmpty(value)) continue;
      const pairs = mappingPairs(value);
      if (!pairs) {
        issues.push(issue('type', 'state_filters must be a mapping of filter name to {severity, default_state}', { path: ['state_filters'], ...src.at(value ?? keyNode) }));
        continue;
      }
      for (const p of pairs) {
        const def = parseFilter(p.key, p.keyNode, p.value, src.at, issues);
        if (def) stateFilters.set(def.name, def);
      }
    } else if (key === 'tenant_keys') {
      if (isEmpty(value)) continue;
      if (!isSeq(value)) {
        issues.push(issue('type', 'tenant_keys must be a list of keys', { path: ['tenant_keys'], ...src.at(value) }));
        continue;
      }
      tenantKeys = new Set();
      tenantKeysNodes = [];
      (value.items as Node[]).forEach((item, i) => {
        const v = scalarValue(item);
        if (!v || typeof v.value !== 'string') {
          issues.push(issue('type', 'tenant_keys entries must be keys (strings)', { path: ['tenant_keys', i], ...src.at(item) }));
          return;
        }
        tenantKeysNodes.push({ key: v.value, node: item });
        tenantKeys?.add(v.value);
      });
    } else if (key === 'dimensions') {
      if (isEmpty(value)) continue;
      const pairs = mappingPairs(value);
      if (!pairs) {
        issues.push(issue('type', 'dimensions must be a mapping of key to a list of label names', { path: ['dimensions'], ...src.at(value ?? keyNode) }));
        continue;
      }
      dimensions = new Map();
      for (const p of pairs) {
        if (isEmpty(p.value)) {
          issues.push(issue('dimension_label', `dimensions of ${JSON.stringify(p.key)}: name at least one label`, { path: ['dimensions', p.key], ...src.at(p.keyNode) }));
          continue;
        }
        const labels = parseDimensionLabels(p.key, p.value ?? p.keyNode, src.at, issues);
        if (labels === undefined) continue;
        dimensions.set(p.key, labels);
        dimensionNodes.set(p.key, p.keyNode);
      }
    } else {
      issues.push(issue('unknown_field', `unknown field ${JSON.stringify(key)} (expected defaults, state_filters, tenant_keys, dimensions)`, { path: [key], ...src.at(keyNode) }));
    }
  }

  for (const [key, node] of keyNodes) {
    const base = criticalBase(key);
    if (base !== undefined && !defaults.has(base)) {
      issues.push(issue('orphan_critical', `critical tier ${JSON.stringify(key)} has no default for its key ${JSON.stringify(base)}`, { path: ['defaults', key], ...src.at(node) }));
    }
  }
  tenantKeysNodes.forEach(({ key, node }, i) => {
    if (criticalBase(key) !== undefined && defaults.has(key)) {
      issues.push(issue('tenant_key', `tenant_keys lists base keys: ${JSON.stringify(key)} is allowed through its key ${JSON.stringify(criticalBase(key))}`, { path: ['tenant_keys', i], ...src.at(node) }));
    } else if (!defaults.has(key)) {
      issues.push(issue('tenant_key', `tenant key ${JSON.stringify(key)} has no default`, { path: ['tenant_keys', i], ...src.at(node) }));
    }
  });

  for (const [key, node] of dimensionNodes) {
    const at = { path: ['dimensions', key], ...src.at(node) };
    if (!isBaseKey(key)) {
      issues.push(issue('key', `dimensions: ${JSON.stringify(key)} must be a key <component>_<metric> (no braces)`, at));
    } else if (criticalBase(key) !== undefined && defaults.has(key)) {
      issues.push(issue('dimension_key', `dimensions lists base keys: ${JSON.stringify(key)} takes the dimensions of its key ${JSON.stringify(criticalBase(key))}`, at));
    } else if (!defaults.has(key)) {
      issues.push(issue('dimension_key', `dimensions: key ${JSON.stringify(key)} has no default`, at));
    }
  }

  if (issues.length > 0) return fail(sortIssues(issues));
  return ok({
    defaults,
    stateFilters,
    ...(tenantKeys === undefined ? {} : { tenantKeys }),
    ...(dimensions === undefined ? {} : { dimensions }),
  });
}

/** `[mountpoint]` or `mountpoint`: sorted label names that may be dimensions, or undefined (issues pushed). */
function parseDimensionLabels(
  key: string,
  node: Node,
  at: (n: Node | null | undefined) => Pick<Issue, 'range'>,
  issues: Issue[],
): readonly string[] | undefined {
  const path = ['dimensions', key];
  const items: Node[] = isSeq(node) ? (node.items as Node[]) : [node];
  const out: string[] = [];
  let good = true;
  items.forEach((item, i) => {
    const v = scalarValue(item);
    const name = v && typeof v.value === 'string' ? v.value : undefined;
    const where = { path: isSeq(node) ? [...path, i] : path, ...at(item) };
    if (name === undefined || !isClassicLabelName(name)) {
      issues.push(issue('dimension_label', `dimensions of ${JSON.stringify(key)}: ${JSON.stringify(name ?? v?.value ?? null)} is not a label name`, where));
      good = false;
    } else if (RESERVED_LABELS.has(name) || name.startsWith('__')) {
      issues.push(issue('dimension_label', `dimensions of ${JSON.stringify(key)}: label ${JSON.stringify(name)} is reserved and cannot be a dimension`, where));
      good = false;
    } else if (out.includes(name)) {
      issues.push(issue('dimension_label', `dimensions of ${JSON.stringify(key)}: label ${JSON.stringify(name)} appears twice`, where));
      good = false;
    } else out.push(name);
  });
  if (good && out.length === 0) {
    issues.push(issue('dimension_label', `dimensions of ${JSON.stringify(key)}: name at least one label`, { path, ...at(node) }));
    return undefined;
  }
  return good ? out.sort(compareStrings) : undefined;
}

function parseFilter(
  name: string,
  keyNode: Node,
  value: Node | null,
  at: (n: Node | null | undefined) => Pick<Issue, 'range'>,
  issues: Issue[],
): StateFilterDef | undefined {
  const path = ['state_filters', name];
  if (!isFilterName(name)) {
    issues.push(issue('key', `state filter name ${JSON.stringify(name)} must be letters, digits and underscores`, { path, ...at(keyNode) }));
    return undefined;
  }
  let severity = DEFAULT_FILTER_SEVERITY;
  let defaultEnabled = false;
  if (isEmpty(value)) return { name, severity, defaultEnabled };
  const pairs = mappingPairs(value);
  if (!pairs) {
    issues.push(issue('type', `state filter ${JSON.stringify(name)} must be a mapping with severity and default_state`, { path, ...at(value) }));
    return undefined;
  }
  let good = true;
  for (const p of pairs) {
    const v = scalarValue(p.value);
    if (p.key === 'severity') {
      if (v && typeof v.value === 'string' && isSeverity(v.value)) severity = v.value;
      else {
        good = false;
        issues.push(issue('value', `state filter ${JSON.stringify(name)}: severity must be a word such as info`, { path: [...path, 'severity'], ...at(p.value ?? p.keyNode) }));
      }
    } else if (p.key === 'default_state') {
      const s = v && typeof v.value === 'string' ? v.value.toLowerCase() : undefined;
      if (s === 'enable' || s === 'disable') defaultEnabled = s === 'enable';
      else {
        good = false;
        issues.push(issue('value', `state filter ${JSON.stringify(name)}: default_state must be enable or disable`, { path: [...path, 'default_state'], ...at(p.value ?? p.keyNode) }));
      }
    } else {
      good = false;
      issues.push(issue('unknown_field', `state filter ${JSON.stringify(name)}: unknown field ${JSON.stringify(p.key)} (expected severity, default_state)`, { path: [...path, p.key], ...at(p.keyNode) }));
    }
  }
  return good ? { name, severity, defaultEnabled } : undefined;
}
