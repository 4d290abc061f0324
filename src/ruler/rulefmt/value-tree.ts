/**
 * Data -> the node tree yaml-tree.ts reads from text, as if the data had been written as YAML and
 * parsed again: each scalar gets the tag and text that round trip gives (numbers as JSON writes
 * them, `.nan`/`.inf` for the others), keys whose value is undefined are left out. Positions are
 * unknown (`{0,0}`). For a caller holding rule groups as data (kube/rules: a PrometheusRule's
 * spec), so that it need not write YAML only to parse it again.
 */
import type { Position } from '../../core/result.js';
import type { YamlMapEntry, YamlNode, YamlScalar } from './yaml-tree.js';

const NO_POS: Position = { line: 0, column: 0 };
/** yaml-tree.ts reads anything deeper as null. */
const MAX_DEPTH = 200;

/** The tree, or where the value has no YAML form (a non-plain object, a function, a merge key, too deep). */
export type ValueTree = { readonly ok: true; readonly root: YamlNode } | { readonly ok: false; readonly path: ReadonlyArray<string | number>; readonly problem: string };

/** Thrown inside the walk, caught by valueTree. */
class NoYamlForm extends Error {
  constructor(
    readonly path: Array<string | number>,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** Builds the tree of `value`. */
export function valueTree(value: unknown): ValueTree {
  const path: Array<string | number> = [];
  try {
    return { ok: true, root: node(value, path, 0) };
  } catch (e) {
    if (e instanceof NoYamlForm) return { ok: false, path: e.path, problem: e.problem };
    throw e;
  }
}

function scalar(tag: string, text: string, value: string | number | boolean | null): YamlScalar {
  return { kind: 'scalar', pos: NO_POS, tag, text, value };
}

function numberScalar(n: number): YamlScalar {
  if (Number.isNaN(n)) return scalar('!!float', '.nan', n);
  if (!Number.isFinite(n)) return scalar('!!float', n < 0 ? '-.inf' : '.inf', n);
  // The text yaml's stringify writes.
  const text = Object.is(n, -0) ? '-0' : JSON.stringify(n);
  return scalar(/^-?[0-9]+$/.test(text) ? '!!int' : '!!float', text, n);
}

function node(v: unknown, path: Array<string | number>, depth: number): YamlNode {
  if (depth > MAX_DEPTH) throw new NoYamlForm([...path], 'nested too deeply');
  // Undefined list items are written as null.
  if (v === null || v === undefined) return scalar('!!null', 'null', null);
  switch (typeof v) {
    case 'string':
      return scalar('!!str', v, v);
    case 'boolean':
      return scalar('!!bool', String(v), v);
    case 'number':
      return numberScalar(v);
    case 'object':
      break;
    default:
      throw new NoYamlForm([...path], `a value of type ${typeof v} has no YAML form`);
  }
  if (Array.isArray(v)) {
    const items: YamlNode[] = [];
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      items.push(node(v[i], path, depth + 1));
      path.pop();
    }
    return { kind: 'seq', pos: NO_POS, tag: '!!seq', items };
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new NoYamlForm([...path], 'not a plain object');
  const entries: YamlMapEntry[] = [];
  for (const [key, val] of Object.entries(v)) {
    if (val === undefined) continue;
    path.push(key);
    if (key === '<<') throw new NoYamlForm([...path], 'the key << is a YAML merge key');
    entries.push({ key, keyNode: scalar('!!str', key, key), value: node(val, path, depth + 1) });
    path.pop();
  }
  return { kind: 'map', pos: NO_POS, tag: '!!map', entries };
}
