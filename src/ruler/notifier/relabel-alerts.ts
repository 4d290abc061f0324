/**
 * What happens to an alert's labels before it is queued (prometheus notifier/manager.go Send and
 * relabelAlerts): external labels are added where the alert lacks the label, then the global
 * alert_relabel_configs run and may drop the alert.
 *
 * Herald addition: while the rules run the meta label `__tenant__` holds the tenant id, so an
 * operator can act on some tenants' alerts only, e.g.
 *   - source_labels: [__tenant__]
 *     regex: team-.*
 *     target_label: alert_source
 *     replacement: platform
 * Afterwards every label starting with `__` is removed (Prometheus' convention for meta labels),
 * so neither `__tenant__` nor any scratch label a rule set reaches an Alertmanager.
 */
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { newRelabelRule, relabel } from '../../core/relabel.js';
import type { RawRelabelRule, RelabelRule } from '../../core/relabel.js';

/** The meta label carrying the tenant id during alert relabeling. */
export const TENANT_META_LABEL = '__tenant__';

const STRING_FIELDS = ['action', 'separator', 'regex', 'target_label', 'replacement'] as const;
const KNOWN_FIELDS = new Set<string>([...STRING_FIELDS, 'source_labels', 'modulus']);

/**
 * Validates alert_relabel_configs as written in YAML (each a mapping with Prometheus' relabel
 * fields). Issue paths are `[...path, index, field]`; every problem is reported, not only the first.
 */
export function validateAlertRelabelConfigs(raw: readonly unknown[], path: ReadonlyArray<string | number> = []): Result<RelabelRule[]> {
  const issues: Issue[] = [];
  const rules: RelabelRule[] = [];
  raw.forEach((entry, i) => {
    const at = [...path, i];
    const rawRule = readRawRule(entry, at, issues);
    if (!rawRule) return;
    const rule = newRelabelRule(rawRule, at);
    if (rule.ok) rules.push(rule.value);
    else issues.push(...rule.issues);
  });
  return issues.length > 0 ? fail(issues) : ok(rules);
}

function readRawRule(entry: unknown, at: ReadonlyArray<string | number>, issues: Issue[]): RawRelabelRule | undefined {
  const bad = (message: string, field?: string): void => {
    issues.push(issue('invalid_relabel', message, { path: field === undefined ? at : [...at, field] }));
  };
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    bad(`relabel config must be a mapping, got ${describe(entry)}`);
    return undefined;
  }
  const m = entry as Record<string, unknown>;
  const before = issues.length;
  const out: { -readonly [K in keyof RawRelabelRule]: RawRelabelRule[K] } = {};
  for (const key of Object.keys(m)) if (!KNOWN_FIELDS.has(key)) bad(`field ${key} not found in type relabel.plain`, key);
  for (const key of STRING_FIELDS) {
    const v = m[key];
    if (v === undefined || v === null) continue;
    const s = scalarText(v);
    if (s === undefined) bad(`${key} must be a string, got ${describe(v)}`, key);
    else out[key] = s;
  }
  const sources = m['source_labels'];
  if (sources !== undefined && sources !== null) {
    if (!Array.isArray(sources)) bad(`source_labels must be a list of label names, got ${describe(sources)}`, 'source_labels');
    else {
      const names: string[] = [];
      sources.forEach((s: unknown) => {
        const t = scalarText(s);
        if (t === undefined) bad(`source_labels must be a list of label names, got an element ${describe(s)}`, 'source_labels');
        else names.push(t);
      });
      out.source_labels = names;
    }
  }
  const modulus = m['modulus'];
  if (modulus !== undefined && modulus !== null) {
    if (typeof modulus !== 'number' || !Number.isSafeInteger(modulus) || modulus < 0) bad(`modulus must be a non-negative integer, got ${describe(modulus)}`, 'modulus');
    else out.modulus = modulus;
  }
  return issues.length > before ? undefined : out;
}

/** YAML scalars decode into Go strings whatever their YAML type (`regex: 1` is the string "1"). */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * The labels one alert is sent with, or undefined when a relabel rule drops it. Without relabel
 * rules the alert's labels plus missing external labels are returned unchanged otherwise
 * (Prometheus' behaviour exactly).
 */
export function alertLabels(tenant: string, labels: Labels, externalLabels: Labels, externalNames: readonly string[], rules: readonly RelabelRule[]): Labels | undefined {
  let lb: Record<string, string> | undefined;
  for (const name of externalNames) {
    if ((labels[name] ?? '') !== '') continue;
    lb ??= { ...labels };
    lb[name] = externalLabels[name] as string;
  }
  if (rules.length === 0) return lb ?? labels;
  const relabeled = relabel({ ...(lb ?? labels), [TENANT_META_LABEL]: tenant }, rules);
  if (!relabeled) return undefined;
  for (const name of Object.keys(relabeled)) if (name.startsWith('__')) delete relabeled[name];
  return relabeled;
}
