/**
 * A YAML text parsed with positions: syntax errors (duplicate keys included) become issues with
 * line and column, and every node can be located, so each config problem names where it is.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';

export interface YamlSource {
  readonly doc: Document;
  /** The position of a node, for an Issue. */
  readonly at: (node: Node | null | undefined) => Pick<Issue, 'range'>;
  /** Syntax errors; when non-empty the document is not to be read. */
  readonly errors: readonly Issue[];
}

export function readYaml(text: string): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const pos = (off: number): Pick<Issue, 'range'> => {
    const p = lc.linePos(off);
    return { range: { start: { line: p.line, column: p.col } } };
  };
  const errors = doc.errors.map((e) => issue('yaml', e.message.split('\n')[0] ?? e.message, pos(e.pos[0])));
  return {
    doc,
    errors,
    at: (node) => {
      const off = node?.range?.[0];
      return off === undefined ? {} : pos(off);
    },
  };
}

/** The pairs of a mapping node, each with its key as text; undefined when `node` is not a mapping. */
export function mappingPairs(node: unknown): { readonly key: string; readonly keyNode: Node; readonly value: Node | null }[] | undefined {
  if (!isMap(node)) return undefined;
  return (node.items as Pair<Node, Node | null>[]).map((p) => ({
    key: isScalar(p.key) ? String(p.key.value) : '',
    keyNode: p.key,
    value: p.value,
  }));
}

/** Whether a node is absent or an explicit null (an empty document or `key:`). */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The JS value of a scalar node, or `undefined` with `isCollection` for maps and sequences. */
export function scalarValue(node: Node | null): { readonly value: unknown } | undefined {
  if (node === null) return { value: null };
  if (isScalar(node)) return { value: node.value };
  return undefined;
}
