/**
 * PagerDuty `details`: Alertmanager's template.DeepCopyWithTemplate. Strings are templated, and a
 * rendering that parses as structured YAML 1.1 (yaml.v2: a list, map, number, bool or null) is
 * sent as that structure, so `{{ .Alerts.Firing | toJson }}` arrives as a JSON list and
 * `{{ len .Alerts.Firing }}` as a number. Keys of nested maps are templated too; non-string keys are dropped.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { Tmpl } from '../shared/templating.js';

/** Thrown to stop at the first template error (its message is the template error's). */
class RenderError extends Error {}

/** Renders every detail; returns the structure or the first template error's message. */
export function renderDetails(details: unknown, t: Tmpl): { value: Record<string, unknown> } | { error: string } {
  const src = typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
  try {
    const out: Record<string, unknown> = {};
    // Top-level keys are used as written; keys of nested maps are templated (as upstream).
    for (const [k, v] of Object.entries(src)) out[k] = deepCopy(v, t);
    return { value: out };
  } catch (e) {
    if (e instanceof RenderError) return { error: e.message };
    throw e;
  }
}

function render(t: Tmpl, s: string): string {
  const out = t.text(s);
  if (t.error !== undefined) throw new RenderError(t.error);
  return out;
}

function deepCopy(v: unknown, t: Tmpl): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const rendered = render(t, v);
    const parsed = parseYaml(rendered);
    return parsed === KEEP ? rendered : parsed;
  }
  if (Array.isArray(v)) return v.map((x) => deepCopy(x, t));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[render(t, k)] = deepCopy(x, t);
    return out;
  }
  return v;
}

const KEEP = Symbol('keep the rendered string');

/** yaml.v2 Unmarshal into interface{}: KEEP when it fails or yields a string. */
function parseYaml(text: string): unknown {
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: true });
  } catch {
    return KEEP;
  }
  if (doc.errors.length > 0) return KEEP;
  const root = doc.contents;
  if (root === null) return null;
  if (isScalar(root) && (typeof root.value === 'string' || root.value instanceof Date)) return KEEP;
  return toPlain(root, text, doc);
}

function toPlain(node: unknown, text: string, doc: Document.Parsed, depth = 0): unknown {
  if (depth > 100) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc), text, doc, depth + 1);
  if (isScalar(node)) {
    // yaml.v2 leaves timestamps as strings when decoding into interface{}.
    if (node.value instanceof Date) return node.range ? text.slice(node.range[0], node.range[1]).trim() : node.value.toISOString();
    return node.value ?? null;
  }
  if (isSeq(node)) return node.items.map((x) => toPlain(x, text, doc, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string') continue;
      out[key] = toPlain(pair.value, text, doc, depth + 1);
    }
    return out;
  }
  return null;
}
