/**
 * YAML text -> a small node tree with yaml.v3's view of each node: kind, resolved tag (`!!str`,
 * `!!int`, ...), the scalar's text and a 1-based line/column. Only the first document is read, as
 * Prometheus' rulefmt.Parse does (later documents are reported by `extraDocuments`, never parsed
 * for errors). Aliases are resolved and `<<` merge keys expanded with explicit keys winning, as
 * yaml.v3 decodes them; duplicate keys are kept so the decoder can report them as yaml.v3 does.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Position } from '../../core/result.js';

/** yaml.v3's short tag: `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`, or an explicit tag. */
export type YamlTag = string;

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly pos: Position;
  readonly tag: YamlTag;
  /** The scalar's text after unquoting (yaml.v3 Node.Value). */
  readonly text: string;
  /** The resolved value (core schema): string, number, boolean or null. */
  readonly value: string | number | boolean | null;
}

export interface YamlMapEntry {
  readonly key: string;
  readonly keyNode: YamlNode;
  readonly value: YamlNode;
}

export interface YamlMapping {
  readonly kind: 'map';
  readonly pos: Position;
  readonly tag: '!!map';
  readonly entries: readonly YamlMapEntry[];
}

export interface YamlSequence {
  readonly kind: 'seq';
  readonly pos: Position;
  readonly tag: '!!seq';
  readonly items: readonly YamlNode[];
}

export type YamlNode = YamlScalar | YamlMapping | YamlSequence;

/** The first document of a YAML text, or its syntax error. */
export type YamlTree =
  | { readonly ok: true; readonly root: YamlNode | undefined; readonly extraDocuments: boolean }
  | { readonly ok: false; readonly message: string; readonly pos: Position };

const MAX_DEPTH = 200;

/** Parses `text`; `root` is undefined for an empty document (yaml.v3's io.EOF). */
export function parseYamlTree(text: string): YamlTree {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false, merge: true, prettyErrors: false });
  const toPos = (offset: number): Position => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const list = Array.isArray(docs) ? docs : [];
  const first = list[0];
  if (first === undefined) return { ok: true, root: undefined, extraDocuments: false };
  const err = first.errors[0];
  if (err) return { ok: false, message: (err.message.split('\n')[0] ?? err.message).replace(/ at line \d+, column \d+:$/, ''), pos: toPos(err.pos[0]) };
  const root = first.contents === null ? undefined : convert(first, first.contents, toPos, 0);
  return { ok: true, root: root?.kind === 'scalar' && root.tag === '!!null' ? undefined : root, extraDocuments: list.length > 1 };
}

function scalarTag(source: string, value: unknown, explicit: string | undefined): YamlTag {
  if (explicit !== undefined) return explicit.replace(/^tag:yaml\.org,2002:/, '!!');
  if (value === null || value === undefined) return '!!null';
  if (typeof value === 'boolean') return '!!bool';
  if (typeof value === 'number' || typeof value === 'bigint') return /^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$/.test(source) ? '!!int' : '!!float';
  return '!!str';
}

function convert(doc: Document, node: unknown, toPos: (o: number) => Position, depth: number): YamlNode {
  let n = node as Node | null | undefined;
  const aliasPos = isAlias(n) && n.range ? toPos(n.range[0]) : undefined;
  if (isAlias(n)) n = depth > MAX_DEPTH ? null : (n.resolve(doc) ?? null);
  const pos = aliasPos ?? (n?.range ? toPos(n.range[0]) : { line: 0, column: 0 });
  if (n === null || n === undefined || depth > MAX_DEPTH) return { kind: 'scalar', pos, tag: '!!null', text: '', value: null };
  if (isScalar(n)) {
    const source = (n as { source?: unknown }).source;
    const raw = n.value;
    const text = typeof source === 'string' ? source : typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint' ? String(raw) : '';
    const v = n.value;
    const value = typeof v === 'bigint' ? Number(v) : v instanceof Date ? text : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : v === null || v === undefined ? null : text;
    const tag = scalarTag(text, value, n.tag);
    // A scalar explicitly tagged !!str keeps its text as a string.
    return { kind: 'scalar', pos, tag, text, value: tag === '!!str' ? text : value };
  }
  if (isSeq(n)) return { kind: 'seq', pos, tag: '!!seq', items: n.items.map((it) => convert(doc, it, toPos, depth + 1)) };
  if (isMap(n)) {
    const explicit: YamlMapEntry[] = [];
    const merged: YamlMapEntry[] = [];
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const keyNode = convert(doc, pair.key, toPos, depth + 1);
      const isMerge = isScalar(pair.key) && ((pair.key as { source?: unknown }).source === '<<' || pair.key.value === '<<' || typeof pair.key.value === 'symbol') && pair.key.type === 'PLAIN';
      const valueNode = convert(doc, pair.value, toPos, depth + 1);
      if (isMerge) {
        const sources = valueNode.kind === 'seq' ? valueNode.items : [valueNode];
        for (const s of sources) if (s.kind === 'map') merged.push(...s.entries);
        continue;
      }
      const key = keyNode.kind === 'scalar' ? (keyNode.value === null ? '' : keyNode.text) : '';
      explicit.push({ key, keyNode, value: valueNode });
    }
    const own = new Set(explicit.map((e) => e.key));
    const seen = new Set<string>();
    const fromMerge = merged.filter((e) => !own.has(e.key) && !seen.has(e.key) && (seen.add(e.key), true));
    return { kind: 'map', pos, tag: '!!map', entries: [...explicit, ...fromMerge] };
  }
  return { kind: 'scalar', pos, tag: '!!null', text: '', value: null };
}
