/**
 * Prints a loaded configuration the way Alertmanager's Config.String() does: upstream field
 * names and order, defaults filled in, secrets as `<secret>`, durations as model.Duration /
 * time.Duration print them. This is `/api/v2/status` `config.original`, which amtool re-parses,
 * so keys that older Alertmanagers do not know are printed only when they carry a value.
 */
import { stringify } from 'yaml';
import { formatDuration } from '../../core/duration.js';
import { INTEGRATIONS } from '../notify/integrations/registry.js';
import { GLOBAL_DEFAULTS } from './global.js';
import { CONFIG_SCHEMA } from './load.js';
import { fieldSpec, formatGoDuration, isEmpty, isPlainObject, isStruct } from './schema.js';
import type { DefinedIntegration } from './integration-def.js';
import type { Kind, StructSchema } from './schema.js';
import type { AlertmanagerConfig } from './types.js';

const SECRET = '<secret>';

/** Global keys newer than Alertmanager 0.25, printed only when they differ from the default. */
const NEWER_GLOBAL_DEFAULTS: ReadonlySet<string> = new Set(['slack_app_url', 'rocketchat_api_url', 'smtp_tls_config']);

function integrationOf(key: string): Partial<DefinedIntegration> | undefined {
  if (!key.endsWith('_configs')) return undefined;
  return INTEGRATIONS.get(key.slice(0, -'_configs'.length));
}

function encodeEntries(list: readonly unknown[], def: Partial<DefinedIntegration>, schema: StructSchema): unknown[] {
  return list.map((x: unknown) => (isPlainObject(x) ? encodeStruct(def.forPrint ? def.forPrint(x) : x, schema) : x));
}

function encode(v: unknown, kind: Kind, key: string): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof kind === 'object') {
    if ('list' in kind) return Array.isArray(v) ? v.map((x) => encode(x, kind.list, key)) : undefined;
    if ('map' in kind) {
      if (!isPlainObject(v)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = encode(x, kind.map, k);
      return out;
    }
    return isPlainObject(v) ? encodeStruct(v, kind) : undefined;
  }
  switch (kind) {
    case 'secret':
    case 'secretUrl':
      return v === '' ? undefined : SECRET;
    case 'secretTemplateUrl':
      return v === '' ? undefined : redactUrl(v);
    case 'duration':
      return typeof v === 'number' ? formatDuration(v) : v;
    case 'goDuration':
      return typeof v === 'number' ? formatGoDuration(v) : v;
    default:
      return v;
  }
}

function encodeStruct(o: Record<string, unknown>, schema: StructSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(schema.fields)) {
    const spec = fieldSpec(f);
    const v = o[key];
    const def = integrationOf(key);
    const enc: unknown = def?.schema && Array.isArray(v) ? encodeEntries(v, def, def.schema) : encode(v, spec.kind, key);
    const keepEmpty = spec.keep === true && (typeof v === 'boolean' || key === 'templates' || spec.kind === 'duration');
    if (enc === undefined || ((isEmpty(v) || isEmpty(enc)) && !keepEmpty)) continue;
    if (key === 'labels' && schema.fields['name'] !== undefined && isPlainObject(enc) && Object.keys(enc).length === 1 && enc['name'] === o['name']) {
      // The implicit receiver label `name` (Alertmanager 0.33) is left out for older parsers.
      continue;
    }
    out[key] = isStruct(spec.kind) && isPlainObject(enc) && Object.keys(enc).length === 0 ? undefined : enc;
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

/** YAML of a loaded configuration, shaped like Alertmanager's Config.String(). */
export function marshalConfig(cfg: AlertmanagerConfig): string {
  const raw = cfg.raw ?? {};
  const tree = encodeStruct(raw, CONFIG_SCHEMA);
  const g = tree['global'];
  if (isPlainObject(g)) for (const k of NEWER_GLOBAL_DEFAULTS) if (JSON.stringify(g[k]) === JSON.stringify(GLOBAL_DEFAULTS[k])) delete g[k];
  if (!('templates' in tree)) tree['templates'] = [];
  return stringify(tree, { lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false });
}

/**
 * Alertmanager 0.26+ prints webhook URLs as `<secret>`, which amtool 0.25 (Debian's) cannot load
 * (`unsupported scheme "" for URL`) so `amtool config routes show` fails. We keep scheme and host,
 * which is what a reader of the routing tree needs, and hide credentials, path and query.
 */
function redactUrl(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    const u = new URL(v);
    return `${u.protocol}//${u.host}/${SECRET}`;
  } catch {
    return SECRET;
  }
}
