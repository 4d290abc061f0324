/**
 * YAML text -> plain values plus a position index, so validators work on plain data and every
 * issue path can be turned back into a line and column. Scalars resolve by the YAML 1.2 core
 * schema, so `off` or `no` stay strings (yaml.v2 keeps their text in string fields); the bool
 * decoder accepts yaml.v2's YAML 1.1 words. Duplicate keys are errors.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { issue } from '../../core/result.js';
import type { Issue, Position } from '../../core/result.js';

interface Located {
  readonly key?: Position;
  readonly value: Position;
  /** Offset from the value's start to its first character (1 for a quoted scalar); absent when not a one-line scalar. */
  readonly textOffset?: number;
}

/** A parsed document: its plain value, positions by path, and syntax issues. */
export interface YamlDoc {
  readonly value: unknown;
  readonly issues: readonly Issue[];
  /** Position of the value (or, with `key`, of the key) at a path; nearest ancestor when unknown. */
  positionOf(path: ReadonlyArray<string | number>, key?: boolean): Position | undefined;
  /** Position of character `offset` inside the one-line string scalar at `path` (else positionOf). */
  positionInside(path: ReadonlyArray<string | number>, offset: number): Position | undefined;
}

function pathKey(path: ReadonlyArray<string | number>): string {
  return path.map(String).join('\u0000');
}

/** Parses YAML text into a YamlDoc. */
export function parseYaml(text: string): YamlDoc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: true });
  const pos = (offset: number): Position => {
    const lp = lc.linePos(offset);
    return { line: lp.line, column: lp.col };
  };
  const issues: Issue[] = [];
  for (const e of doc.errors) {
    const msg = e.message.split('\n')[0] ?? e.message;
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'yaml_syntax';
    issues.push(issue(code, code === 'duplicate_key' ? `duplicate key: ${msg}` : msg, { range: { start: pos(e.pos[0]), end: pos(e.pos[1]) } }));
  }
  const index = new Map<string, Located>();
  const value = issues.length > 0 ? undefined : convert(text, doc, doc.contents, [], index, pos, 0);
  return {
    value,
    issues,
    positionOf(path, key = false) {
      for (let n = path.length; n >= 0; n--) {
        const loc = index.get(pathKey(path.slice(0, n)));
        if (loc) return key && n === path.length && loc.key ? loc.key : loc.value;
      }
      return undefined;
    },
    positionInside(path, offset) {
      const loc = index.get(pathKey(path));
      if (!loc || loc.textOffset === undefined) return this.positionOf(path);
      return { line: loc.value.line, column: loc.value.column + loc.textOffset + offset };
    },
  };
}

function convert(src: string, doc: Document, node: unknown, path: Array<string | number>, index: Map<string, Located>, pos: (o: number) => Position, depth: number, keyPos?: Position): unknown {
  if (depth > 200) return null;
  let n = node as Node | null | undefined;
  if (isAlias(n)) n = n.resolve(doc);
  if (n === null || n === undefined) return null;
  const start = n.range ? pos(n.range[0]) : undefined;
  if (start) index.set(pathKey(path), keyPos ? { key: keyPos, value: start } : { value: start });
  if (isScalar(n)) {
    const v = n.value;
    const raw = n.range ? src.slice(n.range[0], n.range[1]) : '\n';
    // Offsets inside the value map to columns only for one-line scalars without escapes.
    const simple = !raw.includes('\n') && (n.type === 'PLAIN' || (n.type === 'QUOTE_DOUBLE' && !raw.includes('\\')) || (n.type === 'QUOTE_SINGLE' && !raw.slice(1, -1).includes("''")));
    if (start && simple) index.set(pathKey(path), { ...(keyPos ? { key: keyPos } : {}), value: start, textOffset: n.type === 'PLAIN' ? 0 : 1 });
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return v.toISOString();
    return v ?? null;
  }
  if (isSeq(n)) return n.items.map((item, i) => convert(src, doc, item, [...path, i], index, pos, depth + 1));
  if (isMap(n)) {
    const out: Record<string, unknown> = {};
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const k = pair.key as Node | null;
      const keyVal = isScalar(k) ? String(k.value) : k === null ? '' : String(convert(src, doc, k, [], new Map(), pos, depth + 1));
      if (keyVal === '<<') {
        mergeInto(src, doc, out, pair.value, path, pos, depth);
        continue;
      }
      const kp = k?.range ? pos(k.range[0]) : start;
      const childPath = [...path, keyVal];
      out[keyVal] = convert(src, doc, pair.value, childPath, index, pos, depth + 1, kp);
      // A key with no value (`key:`) has no value node: point at the key.
      if (pair.value === null && kp) index.set(pathKey(childPath), { key: kp, value: kp });
    }
    return out;
  }
  return null;
}

function mergeInto(text: string, doc: Document, out: Record<string, unknown>, src: unknown, path: Array<string | number>, pos: (o: number) => Position, depth: number): void {
  const sources = isSeq(src) ? src.items : [src];
  for (const s of sources) {
    const v = convert(text, doc, s, path, new Map(), pos, depth + 1);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, val] of Object.entries(v)) if (!(k in out)) out[k] = val;
    }
  }
}
