/**
 * Receivers of an AlertmanagerConfig -> Alertmanager `receivers` entries, driven by the field
 * tables in ./crd-fields.ts (as prometheus-operator's convertReceiver and convert*Config in
 * pkg/alertmanager/amcfg.go). Secret key selectors become SecretRef placeholders, resolved later
 * from the object's own namespace (./secrets.ts); nothing here does I/O.
 */
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import { CRD_INTEGRATIONS, ruleOf, snakeCase } from './crd-fields.js';
import type { CrdStruct, FieldKind } from './crd-fields.js';
import { SecretRef } from './secrets.js';

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects problems with their path inside the object. */
export class Problems {
  readonly issues: Issue[] = [];
  add(path: Path, message: string, code = 'invalid_spec'): void {
    this.issues.push(issue(code, message, { path }));
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function decodeSecret(v: unknown, path: Path, p: Problems): SecretRef | undefined {
  if (!isObj(v)) {
    p.add(path, `must be a secret key selector {name, key}, got ${typeName(v)}`);
    return undefined;
  }
  const { name, key, optional } = v;
  for (const k of Object.keys(v)) if (k !== 'name' && k !== 'key' && k !== 'optional') p.add([...path, k], 'unknown field (a secret is always read from the object\'s own namespace)', 'unknown_field');
  if (typeof name !== 'string' || name === '') p.add([...path, 'name'], 'secret name is required');
  if (typeof key !== 'string' || key === '') p.add([...path, 'key'], 'secret key is required');
  if (typeof name !== 'string' || typeof key !== 'string' || name === '' || key === '') return undefined;
  return new SecretRef(name, key, optional === true, path);
}

function decodeValue(kind: FieldKind, v: unknown, path: Path, p: Problems): unknown {
  if (typeof kind === 'object') {
    if ('struct' in kind) return isObj(v) ? decodeStruct(kind.struct, v, path, p) : p.add(path, `must be an object, got ${typeName(v)}`);
    if (!Array.isArray(v)) return p.add(path, `must be a list, got ${typeName(v)}`);
    return v.map((x, i) => (isObj(x) ? decodeStruct(kind.list, x, [...path, i], p) : p.add([...path, i], `must be an object, got ${typeName(x)}`)));
  }
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? v : p.add(path, `must be a string, got ${typeName(v)}`);
    case 'bool':
      return typeof v === 'boolean' ? v : p.add(path, `must be true or false, got ${typeName(v)}`);
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) ? v : p.add(path, `must be an integer, got ${typeName(v)}`);
    case 'scalar':
      return typeof v === 'string' || typeof v === 'number' ? v : p.add(path, `must be a string, got ${typeName(v)}`);
    case 'strings':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return p.add(path, 'must be a list of strings');
      return v;
    case 'stringMap':
      if (!isObj(v) || Object.values(v).some((x) => typeof x !== 'string')) return p.add(path, 'must be a map of strings');
      return v;
    case 'secret':
      return decodeSecret(v, path, p);
    case 'bearer': {
      const ref = decodeSecret(v, path, p);
      return ref ? { type: 'Bearer', credentials: ref } : undefined;
    }
    case 'secretOrConfigMap':
      if (isObj(v) && 'configMap' in v) return p.add([...path, 'configMap'], 'configMap references are not supported; use a secret', 'unsupported');
      if (!isObj(v) || !('secret' in v)) return p.add(path, 'must be {secret: {name, key}}');
      return decodeSecret(v['secret'], [...path, 'secret'], p);
    case 'keyValues': {
      if (!Array.isArray(v)) return p.add(path, `must be a list of {key, value}, got ${typeName(v)}`);
      const out: Obj = {};
      v.forEach((kv, i) => {
        if (!isObj(kv) || typeof kv['key'] !== 'string' || kv['key'] === '' || (kv['value'] !== undefined && typeof kv['value'] !== 'string')) {
          p.add([...path, i], 'must be {key, value} with a non-empty key');
          return;
        }
        if (kv['key'] in out) p.add([...path, i, 'key'], `duplicate key ${JSON.stringify(kv['key'])}`);
        out[kv['key']] = kv['value'] ?? '';
      });
      return out;
    }
    case 'secretListMap': {
      if (!isObj(v)) return p.add(path, 'must be a map of lists of secret key selectors');
      const out: Obj = {};
      for (const [k, list] of Object.entries(v)) {
        if (!Array.isArray(list)) p.add([...path, k], 'must be a list of secret key selectors');
        else out[k] = list.map((x, i) => decodeSecret(x, [...path, k, i], p));
      }
      return out;
    }
  }
}

/** Decodes one CRD struct into its wire form, reporting unknown fields and wrong types. */
export function decodeStruct(schema: CrdStruct, o: Obj, path: Path, p: Problems): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const f = schema[k];
    if (f === undefined) {
      p.add([...path, k], 'unknown field', 'unknown_field');
      continue;
    }
    if (v === null || v === undefined) continue;
    const rule = ruleOf(f);
    const wire = rule.wire ?? snakeCase(k);
    const value = decodeValue(rule.kind, v, [...path, k], p);
    if (value === undefined) continue;
    if (wire in out) p.add([...path, k], `sets ${wire} which another field of this object sets too`, 'conflicting_fields');
    out[wire] = rule.add && isObj(value) ? { ...rule.add, ...value } : value;
  }
  return out;
}

const BY_CRD_KEY = new Map(CRD_INTEGRATIONS.map((i) => [i.crdKey, i]));

/**
 * One receiver, its name prefixed with `<namespace>/<name>/`. `v1beta1` drops the fields that
 * version removed (OpsGenie `updateAlerts`).
 */
export function decodeReceiver(r: Obj, prefix: string, beta: boolean, path: Path, p: Problems): Obj {
  const name = typeof r['name'] === 'string' ? r['name'] : '';
  const out: Obj = { name: prefix + name };
  for (const [k, v] of Object.entries(r)) {
    if (k === 'name') continue;
    const def = BY_CRD_KEY.get(k);
    if (!def) {
      p.add([...path, k], 'unknown receiver field', 'unknown_field');
      continue;
    }
    if (v === null || v === undefined) continue;
    if (!Array.isArray(v)) {
      p.add([...path, k], `must be a list, got ${typeName(v)}`);
      continue;
    }
    const fields = beta && def.wire === 'opsgenie' ? withoutKey(def.fields, 'updateAlerts') : def.fields;
    out[`${def.wire}_configs`] = v.map((entry, i) => (isObj(entry) ? decodeStruct(fields, entry, [...path, k, i], p) : p.add([...path, k, i], `must be an object, got ${typeName(entry)}`)));
  }
  return out;
}

function withoutKey(s: CrdStruct, key: string): CrdStruct {
  const copy: Record<string, CrdStruct[string]> = { ...s };
  delete copy[key];
  return copy;
}
