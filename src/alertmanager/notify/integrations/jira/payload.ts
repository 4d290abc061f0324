/**
 * Jira request bodies as Alertmanager's notify/jira builds them (jira.go, types.go): issue fields
 * marshalled from a Go map (keys sorted, custom `fields` merged over the standard ones), labels
 * sorted with `ALERT{<group key hash>}` added, and custom field values templated with
 * template.DeepCopyWithTemplate (a rendered string that reads as non-string YAML becomes data).
 */
import { parse as parseYaml } from 'yaml';
import { compareStrings } from '../../../../core/labels.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import type { Tmpl } from '../shared/templating.js';

/** Go's json for an arbitrary decoded value: objects become maps (sorted keys). */
export function toGoJson(v: unknown): GoJsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toGoJson);
  if (v instanceof Map) return toGoJson(Object.fromEntries([...(v as Map<unknown, unknown>)].filter(([k]) => typeof k === 'string')));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, GoJsonValue> = {};
    for (const k of Object.keys(o).sort(compareStrings)) out[k] = toGoJson(o[k]);
    return out;
  }
  return null;
}

/** template.DeepCopyWithTemplate over a value decoded from the config. */
export function deepCopyWithTemplate(value: unknown, t: Tmpl): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    const rendered = t.text(value);
    if (t.error !== undefined) return rendered;
    let inline: unknown;
    try {
      inline = parseYaml(rendered, { version: '1.1' });
    } catch {
      return rendered;
    }
    if (typeof inline === 'string') return rendered;
    return inline ?? null;
  }
  if (Array.isArray(value)) return value.map((v) => deepCopyWithTemplate(v, t));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[t.text(k)] = deepCopyWithTemplate(v, t);
    return out;
  }
  return value;
}

/** The parts of issueFields Herald sets. */
export interface IssueFields {
  summary?: string;
  description?: { readonly text: string } | { readonly json: unknown };
  issuetype?: string;
  labels?: readonly string[];
  priority?: string;
  project?: string;
  custom: Readonly<Record<string, unknown>>;
}

/** issueFields.MarshalJSON: a Go map, so every key (standard and custom) in sorted order. */
export function encodeIssueFields(f: IssueFields): Record<string, GoJsonValue> {
  const m: Record<string, unknown> = {};
  if (f.summary !== undefined) m['summary'] = f.summary;
  if (f.description !== undefined) m['description'] = 'text' in f.description ? f.description.text : f.description.json;
  if (f.issuetype !== undefined) m['issuetype'] = f.issuetype === '' ? {} : { name: f.issuetype };
  if (f.labels !== undefined) m['labels'] = [...f.labels];
  if (f.priority !== undefined) m['priority'] = { name: f.priority };
  if (f.project !== undefined) m['project'] = { key: f.project };
  Object.assign(m, f.custom);
  return toGoJson(m) as Record<string, GoJsonValue>;
}
