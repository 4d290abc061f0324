/**
 * A small declarative schema for Alertmanager's YAML structs. Decoding mirrors yaml.v2's
 * UnmarshalStrict into Go structs: unknown keys are errors (`field x not found in type T`),
 * `null` leaves the zero value, scalars coerce into string fields. Every problem is collected
 * with its path; the loader turns paths into line/column.
 */
import { parseDuration } from '../../core/duration.js';
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';

export type Path = ReadonlyArray<string | number>;

export type Kind =
  | 'string'
  | 'secret'
  | 'bool'
  | 'int'
  | 'uint'
  | 'float'
  /** prometheus/common model.Duration (`5m`, `1d`), stored as milliseconds. */
  | 'duration'
  /** Go time.Duration (`1m30s`, or nanoseconds as an integer), stored as milliseconds. */
  | 'goDuration'
  | 'url'
  | 'secretUrl'
  | 'secretTemplateUrl'
  | 'hostport'
  | 'any'
  | { readonly list: Kind }
  | { readonly map: Kind }
  | StructSchema;

export interface FieldSpec {
  readonly kind: Kind;
  /** Value used when the key is absent or null. */
  readonly default?: unknown;
  /** Printed even when empty (no `omitempty` upstream). */
  readonly keep?: boolean;
}

export interface StructSchema {
  /** The Go type yaml.v2 names in `field X not found in type T`. */
  readonly type: string;
  readonly fields: Readonly<Record<string, FieldSpec | Kind>>;
  /** Cross-field checks after decoding; issues use paths relative to the struct. */
  readonly check?: (obj: Record<string, unknown>, report: Reporter) => void;
  /** Another accepted shape of the value (Jira field configs accept a bare string). */
  readonly fromScalar?: (v: string) => Record<string, unknown>;
}

/** Collects issues at paths relative to a base path. */
export class Reporter {
  constructor(readonly issues: Issue[], readonly base: Path) {}
  at(...rel: Array<string | number>): Reporter {
    return new Reporter(this.issues, [...this.base, ...rel]);
  }
  /** Records a problem; `span` (0-based offsets inside a string value) refines the column. */
  error(message: string, code = 'invalid_config', rel: Path = [], span?: { start: number; end: number }): void {
    this.issues.push(issue(code, message, span ? { path: [...this.base, ...rel], span } : { path: [...this.base, ...rel] }));
  }
}

export function isStruct(k: Kind): k is StructSchema {
  return typeof k === 'object' && 'fields' in k;
}

export function fieldSpec(f: FieldSpec | Kind): FieldSpec {
  return typeof f === 'object' && 'kind' in f ? f : { kind: f };
}

/** Text of a YAML scalar (numbers and booleans as written by String()); '' for anything else. */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function yamlTag(v: unknown): string {
  if (v === null) return '!!null';
  if (Array.isArray(v)) return '!!seq';
  if (typeof v === 'object') return '!!map';
  if (typeof v === 'boolean') return '!!bool';
  if (typeof v === 'number') return Number.isInteger(v) ? '!!int' : '!!float';
  return '!!str';
}

function describe(v: unknown): string {
  const tag = yamlTag(v);
  return tag === '!!map' || tag === '!!seq' ? tag : `${tag} \`${scalarText(v)}\``;
}

function goTypeOf(k: Kind): string {
  if (typeof k === 'string') {
    const names: Record<string, string> = { string: 'string', secret: 'config.Secret', bool: 'bool', int: 'int', uint: 'uint64', float: 'float64', duration: 'model.Duration', goDuration: 'time.Duration', url: 'common.URL', secretUrl: 'common.SecretURL', secretTemplateUrl: 'common.SecretTemplateURL', hostport: 'config.HostPort', any: 'interface {}' };
    return names[k] ?? k;
  }
  if ('list' in k) return `[]${goTypeOf(k.list)}`;
  if ('map' in k) return `map[string]${goTypeOf(k.map)}`;
  return k.type;
}

/** gopkg.in/yaml.v2 reads these YAML 1.1 words as booleans. */
const YAML11_BOOLS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'True', 'TRUE'].map((w): [string, boolean] => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'False', 'FALSE'].map((w): [string, boolean] => [w, false]),
]);

/** Decodes a raw YAML value into the kind; `undefined` when absent/invalid (issues say why). */
export function decode(raw: unknown, kind: Kind, r: Reporter): unknown {
  if (raw === null || raw === undefined) return undefined;
  const typeErr = (): undefined => {
    r.error(`cannot unmarshal ${describe(raw)} into ${goTypeOf(kind)}`, 'invalid_type');
    return undefined;
  };
  if (typeof kind === 'object') {
    if ('list' in kind) {
      if (!Array.isArray(raw)) return typeErr();
      return raw.map((item, i) => decode(item, kind.list, r.at(i)));
    }
    if ('map' in kind) {
      if (!isPlainObject(raw)) return typeErr();
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = decode(v, kind.map, r.at(k));
      return out;
    }
    if (!isPlainObject(raw)) {
      if (kind.fromScalar && typeof raw !== 'object') return kind.fromScalar(scalarText(raw));
      return typeErr();
    }
    return decodeStruct(raw, kind, r);
  }
  switch (kind) {
    case 'any':
      return raw;
    case 'string':
    case 'secret':
      if (typeof raw === 'object') return typeErr();
      return scalarText(raw);
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && YAML11_BOOLS.has(raw)) return YAML11_BOOLS.get(raw);
      return typeErr();
    case 'int':
    case 'uint':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || (kind === 'uint' && raw < 0)) return typeErr();
      return raw;
    case 'float':
      return typeof raw === 'number' ? raw : typeErr();
    case 'duration': {
      if (typeof raw === 'object') return typeErr();
      const d = parseDuration(scalarText(raw));
      if (!d.ok) {
        r.error(d.issues[0]?.message ?? 'invalid duration', 'invalid_duration');
        return undefined;
      }
      return d.value;
    }
    case 'goDuration': {
      if (typeof raw === 'number' && Number.isInteger(raw)) return raw / 1e6;
      if (typeof raw !== 'string') return typeErr();
      const ms = parseGoDuration(raw);
      if (ms === undefined) {
        r.error(`time: invalid duration "${raw}"`, 'invalid_duration');
        return undefined;
      }
      return ms;
    }
    case 'url':
    case 'secretUrl':
    case 'secretTemplateUrl': {
      if (typeof raw === 'object') return typeErr();
      const s = scalarText(raw);
      if (kind === 'secretTemplateUrl') {
        if (s === '' || s === '<secret>' || s.includes('{{')) return s;
        const err = checkURL(s);
        if (err) r.error(`invalid URL: ${err}`, 'invalid_url');
        return err ? undefined : s;
      }
      if (kind === 'secretUrl' && s === '<secret>') return s;
      const err = checkURL(s);
      if (err) {
        r.error(err, 'invalid_url');
        return undefined;
      }
      return s;
    }
    case 'hostport': {
      if (typeof raw === 'object') return typeErr();
      const s = scalarText(raw);
      if (s === '') return undefined;
      const err = checkHostPort(s);
      if (err) {
        r.error(err, 'invalid_hostport');
        return undefined;
      }
      return s;
    }
  }
}

/** Each schema's fields as [key, spec] pairs, worked out once: decoding runs once per struct of every configuration. */
const FIELD_SPECS = new WeakMap<StructSchema, ReadonlyArray<readonly [string, FieldSpec]>>();

function fieldSpecs(schema: StructSchema): ReadonlyArray<readonly [string, FieldSpec]> {
  let specs = FIELD_SPECS.get(schema);
  if (specs === undefined) {
    specs = Object.entries(schema.fields).map(([key, f]) => [key, fieldSpec(f)] as const);
    FIELD_SPECS.set(schema, specs);
  }
  return specs;
}

/** Decodes a mapping into a struct: defaults, unknown-key errors, then the struct's own checks. */
export function decodeStruct(raw: Record<string, unknown>, schema: StructSchema, r: Reporter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!(key in schema.fields)) r.error(`field ${key} not found in type ${schema.type}`, 'unknown_field', [key]);
  }
  for (const [key, spec] of fieldSpecs(schema)) {
    const given = raw[key];
    // decode() leaves absent values undefined; skipping it saves a Reporter per absent field.
    const v = given === null || given === undefined ? undefined : decode(given, spec.kind, r.at(key));
    if (v !== undefined) out[key] = v;
    else if (spec.default !== undefined) out[key] = typeof spec.default === 'object' && spec.default !== null ? structuredClone(spec.default) : spec.default;
  }
  schema.check?.(out, r);
  return out;
}

/** Zero value semantics of Go: undefined, '', 0, false, empty list/map count as empty. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** Mirrors amcommoncfg.ParseURL: http(s) scheme and a host are required. Returns an error text. */
export function checkURL(s: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  const scheme = m?.[1]?.toLowerCase() ?? '';
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme ${JSON.stringify(scheme)} for URL`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `parse ${JSON.stringify(s)}: invalid URL`;
  }
  if (u.host === '' || !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]/.test(s)) return 'missing host for URL';
  return undefined;
}

/** Mirrors net.SplitHostPort plus HostPort's "port cannot be empty". */
export function checkHostPort(s: string): string | undefined {
  let port: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return `address ${s}: missing ']' in address`;
    if (s[end + 1] !== ':') return `address ${s}: missing port in address`;
    port = s.slice(end + 2);
  } else {
    const i = s.lastIndexOf(':');
    if (i < 0) return `address ${s}: missing port in address`;
    if (s.slice(0, i).includes(':')) return `address ${s}: too many colons in address`;
    port = s.slice(i + 1);
  }
  if (port === '') return `address ${JSON.stringify(s)}: port cannot be empty`;
  return undefined;
}

const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds. */
export function parseGoDuration(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const re = /^(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = re.exec(rest);
    if (!m || m[1] === '' || m[1] === '.') return undefined;
    total += Number(m[1]) * (GO_UNITS[m[2] as string] as number);
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Go's time.Duration.String() for a value in milliseconds. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let v = Math.abs(ms);
  let out: string;
  if (v < 1000) {
    out = `${trimFloat(v)}ms`;
  } else {
    const h = Math.floor(v / 3_600_000);
    v -= h * 3_600_000;
    const m = Math.floor(v / 60_000);
    v -= m * 60_000;
    out = `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${trimFloat(v / 1000)}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}
