/**
 * Typed reads of a YAML document with a position on every problem, shaped after yaml.v2's
 * UnmarshalStrict as promtool uses it for unit-test files: unknown fields are errors, scalars
 * decode into string fields by their text (`1` -> "1", `~` -> ""), and a wrong kind of node is
 * reported where it stands.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { issue } from '../../core/result.js';
import type { Issue, Position } from '../../core/result.js';

/** Collects issues while fields are read from `yaml` nodes. */
export class YamlReader {
  readonly issues: Issue[] = [];
  private readonly lines = new LineCounter();
  /** The document's root node (null for an empty document or a syntax error). */
  readonly root: Node | null;

  constructor(private readonly text: string) {
    const doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
    for (const e of doc.errors) {
      const first = e.message.split('\n')[0] ?? e.message;
      this.issues.push(issue('yaml_syntax', first, { range: { start: this.pos(e.pos[0]) } }));
    }
    this.root = this.issues.length > 0 ? null : (doc.contents);
  }

  /** Line and column of a character offset. */
  pos(offset: number): Position {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, column: lp.col };
  }

  /** Position of a node (its first character), or of the document start when unknown. */
  at(node: Node | null | undefined, offset = 0): Position {
    return this.pos((node?.range?.[0] ?? 0) + offset);
  }

  fail(node: Node | null | undefined, code: string, message: string, offset = 0): void {
    this.issues.push(issue(code, message, { range: { start: this.at(node, offset) } }));
  }

  /**
   * The pairs of a mapping, by key; keys outside `known` are reported as yaml.v2 does
   * (`field x not found in type <type>`). A null node reads as an empty mapping.
   */
  fields(node: Node | null, type: string, known: readonly string[]): Map<string, Node | null> | undefined {
    const out = new Map<string, Node | null>();
    if (node === null || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) {
      this.fail(node, 'yaml_type', `expected a mapping for ${type}`);
      return undefined;
    }
    for (const pair of (node).items) {
      const key = pair.key as Node | null;
      const name = isScalar(key) ? String(key.value) : '';
      if (!known.includes(name)) {
        this.fail(key, 'unknown_field', `field ${name} not found in type ${type}`);
        continue;
      }
      out.set(name, pair.value as Node | null);
    }
    return out;
  }

  /** A string field: a scalar's text (yaml.v2 stores the text of numbers and booleans), null -> "". */
  string(node: Node | null | undefined, what: string): string | undefined {
    if (node === null || node === undefined) return '';
    if (!isScalar(node)) {
      this.fail(node, 'yaml_type', `${what} must be a string`);
      return undefined;
    }
    if (node.value === null) return '';
    if (typeof node.value === 'string') return node.value;
    const r = node.range;
    const v = node.value;
    return r ? this.text.slice(r[0], r[1]) : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
  }

  /** A float64 field: YAML numbers (incl. .inf, .nan); strings are refused as yaml.v2 does. */
  float(node: Node | null | undefined, what: string): number | undefined {
    if (node === null || node === undefined) return 0;
    if (isScalar(node) && node.value === null) return 0;
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'bigint')) return Number(node.value);
    const shown = isScalar(node) ? ` ${JSON.stringify(this.string(node, what))}` : '';
    this.fail(node, 'yaml_type', `${what}: cannot unmarshal${shown} into a float`);
    return undefined;
  }

  /** Items of a sequence (null -> none). */
  list(node: Node | null | undefined, what: string): readonly (Node | null)[] | undefined {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.fail(node, 'yaml_type', `${what} must be a list`);
      return undefined;
    }
    return node.items as (Node | null)[];
  }

  /** A map of strings (labels, annotations); null -> empty. */
  stringMap(node: Node | null | undefined, what: string): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) {
      this.fail(node, 'yaml_type', `${what} must be a mapping of strings`);
      return undefined;
    }
    let good = true;
    for (const pair of (node).items) {
      const k = this.string(pair.key as Node | null, `${what} key`);
      const v = this.string(pair.value as Node | null, `${what} value`);
      if (k === undefined || v === undefined) good = false;
      else out[k] = v;
    }
    return good ? out : undefined;
  }
}
