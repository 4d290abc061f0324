/**
 * The YAML node tree -> raw rule groups, as yaml.v3 decodes Prometheus' rulefmt.RuleGroups: strings
 * take any scalar's text (null -> ''), unknown fields are `field x not found in type rulefmt.Rule`
 * (KnownFields, rule files only), type mismatches are `cannot unmarshal !!seq into string`, a
 * mapping with a repeated key is `mapping key "x" already defined at line N` and is not decoded
 * further, durations are model.ParseDuration's (prometheus/common model/time.go). Unlike upstream,
 * which stops at the first bad duration, every problem is collected.
 */
import type { Position } from '../../core/result.js';
import { parseDuration } from '../../core/duration.js';
import type { RuleIssue } from './issues.js';
import type { YamlMapping, YamlNode } from './yaml-tree.js';

/** A string field and where its node is (`{0,0}` when absent, as yaml.v3's zero Node). */
export interface RawString {
  readonly value: string;
  readonly pos: Position;
}

export interface RawRule {
  readonly pos: Position;
  readonly record: RawString;
  readonly alert: RawString;
  readonly expr: RawString;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly labels: ReadonlyMap<string, string>;
  readonly annotations: ReadonlyMap<string, string>;
}

export interface RawGroup {
  readonly pos: Position;
  readonly name: string;
  readonly intervalMs: number;
  readonly queryOffsetMs?: number;
  readonly limit: number;
  readonly limitPos: Position;
  readonly labels: ReadonlyMap<string, string>;
  readonly rules: readonly RawRule[];
  /** Mimir fields (single-group API only). */
  readonly evaluationDelayMs?: number;
  readonly sourceTenants: readonly string[];
}

/** Which dialect: a Prometheus rule file (strict fields) or Mimir's single group (unknown fields ignored, Mimir's extra fields). */
export interface DecodeOptions {
  readonly knownFields: boolean;
  readonly mimir: boolean;
}

const NO_POS: Position = { line: 0, column: 0 };
const GROUP_FIELDS = ['name', 'interval', 'query_offset', 'limit', 'rules', 'labels'];
const MIMIR_GROUP_FIELDS = ['evaluation_delay', 'source_tenants', 'align_evaluation_time_on_interval'];
const RULE_FIELDS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

/** Collects decode issues while walking the tree. */
export class Decoder {
  readonly issues: RuleIssue[] = [];
  constructor(private readonly opts: DecodeOptions) {}

  /** The whole file (rulefmt.RuleGroups); undefined root = empty file. */
  file(root: YamlNode | undefined): RawGroup[] {
    if (root === undefined) return [];
    const m = this.mapping(root, 'rulefmt.RuleGroups');
    if (!m) return [];
    let groups: RawGroup[] = [];
    for (const e of m.entries) {
      if (e.key === 'groups') groups = this.groupList(e.value);
      else this.unknown(e.keyNode, e.key, 'rulefmt.RuleGroups');
    }
    return groups;
  }

  /** One group as the body of Mimir's POST (rulefmt.RuleGroup); undefined root = empty body. */
  group(root: YamlNode | undefined): RawGroup {
    const g = root === undefined ? undefined : this.groupNode(root);
    return g ?? { pos: root?.pos ?? NO_POS, name: '', intervalMs: 0, limit: 0, limitPos: NO_POS, labels: new Map(), rules: [], sourceTenants: [] };
  }

  private groupList(n: YamlNode): RawGroup[] {
    if (isNull(n)) return [];
    if (n.kind !== 'seq') {
      this.typeError(n, '[]rulefmt.RuleGroup');
      return [];
    }
    const out: RawGroup[] = [];
    for (const item of n.items) {
      const g = this.groupNode(item);
      if (g) out.push(g);
    }
    return out;
  }

  private groupNode(n: YamlNode): RawGroup | undefined {
    if (isNull(n)) return { pos: n.pos, name: '', intervalMs: 0, limit: 0, limitPos: NO_POS, labels: new Map(), rules: [], sourceTenants: [] };
    const m = this.mapping(n, 'rulefmt.RuleGroup');
    if (!m) return undefined;
    let name = '';
    let intervalMs = 0;
    let queryOffsetMs: number | undefined;
    let evaluationDelayMs: number | undefined;
    let limit = 0;
    let limitPos = NO_POS;
    let labels: ReadonlyMap<string, string> = new Map();
    let rules: RawRule[] = [];
    let sourceTenants: string[] = [];
    for (const e of m.entries) {
      const v = e.value;
      switch (this.known(e.key, GROUP_FIELDS, this.opts.mimir ? MIMIR_GROUP_FIELDS : [])) {
        case 'name':
          name = this.string(v);
          break;
        case 'interval':
          intervalMs = this.duration(v) ?? 0;
          break;
        case 'query_offset':
          queryOffsetMs = isNull(v) ? undefined : this.duration(v);
          break;
        case 'evaluation_delay':
          evaluationDelayMs = isNull(v) ? undefined : this.duration(v);
          break;
        case 'limit':
          limit = this.int(v);
          limitPos = v.pos;
          break;
        case 'rules':
          rules = this.ruleList(v);
          break;
        case 'labels':
          labels = this.stringMap(v);
          break;
        case 'source_tenants':
          sourceTenants = this.stringList(v);
          break;
        case 'align_evaluation_time_on_interval':
          this.bool(v);
          break;
        default:
          this.unknown(e.keyNode, e.key, 'rulefmt.RuleGroup');
      }
    }
    return {
      pos: n.pos,
      name,
      intervalMs,
      ...(queryOffsetMs !== undefined ? { queryOffsetMs } : {}),
      ...(evaluationDelayMs !== undefined ? { evaluationDelayMs } : {}),
      limit,
      limitPos,
      labels,
      rules,
      sourceTenants,
    };
  }

  private ruleList(n: YamlNode): RawRule[] {
    if (isNull(n)) return [];
    if (n.kind !== 'seq') {
      this.typeError(n, '[]rulefmt.Rule');
      return [];
    }
    const out: RawRule[] = [];
    for (const item of n.items) {
      const r = this.rule(item);
      if (r) out.push(r);
    }
    return out;
  }

  private rule(n: YamlNode): RawRule | undefined {
    const empty: RawString = { value: '', pos: NO_POS };
    if (isNull(n)) return { pos: n.pos, record: empty, alert: empty, expr: empty, forMs: 0, keepFiringForMs: 0, labels: new Map(), annotations: new Map() };
    const m = this.mapping(n, 'rulefmt.Rule');
    if (!m) return undefined;
    let record = empty;
    let alert = empty;
    let expr = empty;
    let forMs = 0;
    let keepFiringForMs = 0;
    let labels: ReadonlyMap<string, string> = new Map();
    let annotations: ReadonlyMap<string, string> = new Map();
    for (const e of m.entries) {
      const v = e.value;
      switch (this.known(e.key, RULE_FIELDS, [])) {
        case 'record':
          record = { value: this.string(v), pos: v.pos };
          break;
        case 'alert':
          alert = { value: this.string(v), pos: v.pos };
          break;
        case 'expr':
          expr = { value: this.string(v), pos: v.pos };
          break;
        case 'for':
          forMs = this.duration(v) ?? 0;
          break;
        case 'keep_firing_for':
          keepFiringForMs = this.duration(v) ?? 0;
          break;
        case 'labels':
          labels = this.stringMap(v);
          break;
        case 'annotations':
          annotations = this.stringMap(v);
          break;
        default:
          this.unknown(e.keyNode, e.key, 'rulefmt.Rule');
      }
    }
    return { pos: n.pos, record, alert, expr, forMs, keepFiringForMs, labels, annotations };
  }

  private known(key: string, fields: readonly string[], extra: readonly string[]): string | undefined {
    return fields.includes(key) || extra.includes(key) ? key : undefined;
  }

  /** A mapping with unique keys, else the type error / duplicate-key errors and undefined. */
  private mapping(n: YamlNode, into: string): YamlMapping | undefined {
    if (n.kind !== 'map') {
      this.typeError(n, into);
      return undefined;
    }
    const first = new Map<string, Position>();
    let dup = false;
    for (const e of n.entries) {
      const at = first.get(e.key);
      if (at) {
        dup = true;
        this.unmarshal('duplicate_key', `mapping key ${JSON.stringify(e.key)} already defined at line ${at.line}`, e.keyNode.pos);
      } else first.set(e.key, e.keyNode.pos);
    }
    return dup ? undefined : n;
  }

  private unknown(keyNode: YamlNode, key: string, type: string): void {
    if (this.opts.knownFields) this.unmarshal('unknown_field', `field ${key} not found in type ${type}`, keyNode.pos);
  }

  private string(n: YamlNode): string {
    if (n.kind === 'scalar') return n.tag === '!!null' ? '' : n.text;
    this.typeError(n, 'string');
    return '';
  }

  private stringMap(n: YamlNode): Map<string, string> {
    const out = new Map<string, string>();
    if (isNull(n)) return out;
    const m = this.mapping(n, 'map[string]string');
    if (!m) return out;
    for (const e of m.entries) {
      const k = e.keyNode.kind === 'scalar' ? this.string(e.keyNode) : (this.typeError(e.keyNode, 'string'), undefined);
      const v = this.string(e.value);
      if (k !== undefined) out.set(k, v);
    }
    return out;
  }

  private stringList(n: YamlNode): string[] {
    if (isNull(n)) return [];
    if (n.kind !== 'seq') {
      this.typeError(n, '[]string');
      return [];
    }
    return n.items.map((it) => this.string(it));
  }

  private int(n: YamlNode): number {
    if (n.kind === 'scalar') {
      if (n.tag === '!!null') return 0;
      if ((n.tag === '!!int' || n.tag === '!!float') && typeof n.value === 'number' && Number.isSafeInteger(n.value)) return n.value;
    }
    this.typeError(n, 'int');
    return 0;
  }

  private bool(n: YamlNode): boolean {
    if (n.kind === 'scalar') {
      if (n.tag === '!!null') return false;
      if (typeof n.value === 'boolean') return n.value;
      const word = n.text.toLowerCase();
      if (n.tag === '!!str' && ['yes', 'on', 'y'].includes(word)) return true;
      if (n.tag === '!!str' && ['no', 'off', 'n'].includes(word)) return false;
    }
    this.typeError(n, 'bool');
    return false;
  }

  /** model.Duration: the scalar's text through model.ParseDuration; null = absent. */
  private duration(n: YamlNode): number | undefined {
    if (isNull(n)) return undefined;
    if (n.kind !== 'scalar') {
      this.typeError(n, 'string');
      return undefined;
    }
    const problem = durationProblem(n.text);
    if (problem !== undefined) {
      this.issues.push({ code: 'invalid_duration', form: 'plain', message: problem, range: { start: n.pos }, at: [n.pos] });
      return undefined;
    }
    const r = parseDuration(n.text);
    return r.ok ? r.value : undefined;
  }

  private typeError(n: YamlNode, into: string): void {
    let value = '';
    if (n.kind === 'scalar') value = n.text.length > 10 ? ` \`${n.text.slice(0, 7)}...\`` : ` \`${n.text}\``;
    this.unmarshal('type_error', `cannot unmarshal ${n.tag}${value} into ${into}`, n.pos);
  }

  private unmarshal(code: string, message: string, pos: Position): void {
    this.issues.push({ code, form: 'unmarshal', message, range: { start: pos }, at: [pos] });
  }
}

function isNull(n: YamlNode): boolean {
  return n.kind === 'scalar' && n.tag === '!!null';
}

const DURATION_UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * model.ParseDuration's error for `s`, or undefined when it is valid. The messages are
 * prometheus/common's: `empty duration string`, `unknown unit "x" in duration "1x"`,
 * `not a valid duration string: "..."`, `duration out of range`.
 */
export function durationProblem(s: string): string | undefined {
  if (s === '0') return undefined;
  if (s === '') return 'empty duration string';
  const quoted = JSON.stringify(s);
  const parts = /^(?:[0-9]+[^0-9]+)+$/.test(s) ? [...s.matchAll(/([0-9]+)([^0-9]+)/g)] : undefined;
  if (!parts) return `not a valid duration string: ${quoted}`;
  let last = -1;
  let total = 0n;
  const mult = [365n * 86_400_000n, 7n * 86_400_000n, 86_400_000n, 3_600_000n, 60_000n, 1000n, 1n];
  for (const p of parts) {
    const unit = p[2] ?? '';
    const at = DURATION_UNITS.indexOf(unit);
    if (at < 0) return `unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    if (at <= last) return `not a valid duration string: ${quoted}`;
    last = at;
    // time.Duration is int64 nanoseconds.
    total += BigInt(p[1] ?? '0') * (mult[at] ?? 1n) * 1_000_000n;
    if (total > 2n ** 63n - 1n) return 'duration out of range';
  }
  return undefined;
}
