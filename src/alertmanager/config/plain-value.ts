/**
 * Whether a value has the shape parsing YAML text gives (what yaml-doc.ts produces): plain
 * objects and arrays of strings, numbers, booleans and null, no merge keys, no deeper than the
 * parser goes. A configuration built as data (kube/render) is checked with this before it is
 * validated as data, so that validating it equals validating its YAML text.
 */
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';

/** yaml-doc.ts turns anything deeper into null. */
const MAX_DEPTH = 200;

/** Every place where `value` differs from what a YAML parse could give; empty when it is YAML-shaped. */
export function yamlShapeIssues(value: unknown): Issue[] {
  const issues: Issue[] = [];
  walk(value, [], 0, issues);
  return issues;
}

function problem(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
      return undefined;
    case 'object':
      if (v === null || Array.isArray(v)) return undefined;
      return Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null ? undefined : 'not a plain object';
    default:
      return `a value of type ${typeof v} has no YAML form`;
  }
}

/** `path` is a stack shared by the whole walk, copied only into an issue. */
function walk(v: unknown, path: Array<string | number>, depth: number, out: Issue[]): void {
  const p = depth > MAX_DEPTH ? 'nested too deeply' : problem(v);
  if (p !== undefined) {
    out.push(issue('invalid_value', p, { path: [...path] }));
    return;
  }
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], path, depth + 1, out);
      path.pop();
    }
    return;
  }
  for (const key of Object.keys(v)) {
    path.push(key);
    // A `<<` key would be a merge in YAML text.
    if (key === '<<') out.push(issue('invalid_value', 'the key << is a YAML merge key', { path: [...path] }));
    else walk((v as Record<string, unknown>)[key], path, depth + 1, out);
    path.pop();
  }
}
