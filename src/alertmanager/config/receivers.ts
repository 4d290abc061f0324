/**
 * `receivers`. Mirrors Alertmanager's Receiver.UnmarshalYAML and the per-integration part of
 * Config.UnmarshalYAML: unique names, the `name` label, and each `<type>_configs` entry validated
 * by its integration definition (defaults and global fill-ins included).
 */
import { INTEGRATIONS } from '../notify/integrations/registry.js';
import type { Reporter, StructSchema } from './schema.js';
import { isPlainObject, scalarText } from './schema.js';
import type { GlobalConfig, IntegrationConfig, ReceiverConfig } from './types.js';

/** Integrations whose null list entries Alertmanager replaces by an empty config instead of failing. */
const NULL_AS_EMPTY: ReadonlySet<string> = new Set(['slack', 'opsgenie', 'wechat', 'rocketchat']);

/** Receiver; every `<type>_configs` key is a list of that integration's entries. */
export const RECEIVER_SCHEMA: StructSchema = {
  type: 'config.plain',
  fields: {
    name: { kind: 'string', keep: true },
    labels: { map: 'string' },
    ...Object.fromEntries([...INTEGRATIONS.keys()].map((n) => [`${n}_configs`, 'any' as const])),
  },
};

/** Result of building one receiver: its domain form and its printable (defaulted) mapping. */
export interface BuiltReceiver {
  readonly receiver: ReceiverConfig;
  readonly raw: Record<string, unknown>;
}

/** Validates the integrations of one decoded receiver mapping. */
export function buildReceiver(o: Record<string, unknown>, global: GlobalConfig, r: Reporter): BuiltReceiver {
  const name = typeof o['name'] === 'string' ? o['name'] : '';
  if (name === '') r.error('missing name in receiver', 'missing_field', ['name']);
  const labels: Record<string, string> = isPlainObject(o['labels']) ? { ...(o['labels'] as Record<string, string>) } : {};
  if ('name' in labels && labels['name'] !== name) {
    r.error(`receiver label "name" must match receiver name ${JSON.stringify(name)}, got ${JSON.stringify(labels['name'])}`, 'invalid_label', ['labels', 'name']);
  }
  labels['name'] = name;
  const raw: Record<string, unknown> = { name, labels };
  const integrations: IntegrationConfig[] = [];
  for (const [type, def] of INTEGRATIONS) {
    const key = `${type}_configs`;
    const list = o[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      r.error(`cannot unmarshal ${isPlainObject(list) ? '!!map' : `!!str \`${scalarText(list)}\``} into []*${type}.${type}Config`, 'invalid_type', [key]);
      continue;
    }
    const printed: unknown[] = [];
    list.forEach((entry: unknown, index) => {
      const er = r.at(key, index);
      if (entry === null || entry === undefined) {
        if (!NULL_AS_EMPTY.has(type)) {
          er.error(`missing ${type} config`, 'missing_config');
          return;
        }
        entry = {};
      }
      if (!isPlainObject(entry)) {
        er.error(`cannot unmarshal ${Array.isArray(entry) ? '!!seq' : `!!str \`${scalarText(entry)}\``} into ${type} config`, 'invalid_type');
        return;
      }
      const res = def.validate(entry, global);
      if (!res.ok) {
        for (const it of res.issues) er.error(it.message, it.code, it.path ?? []);
        return;
      }
      const settings = res.value;
      printed.push(settings);
      const sr = settings['send_resolved'];
      integrations.push({ type, index, sendResolved: typeof sr === 'boolean' ? sr : def.sendResolvedDefault, settings });
    });
    if (printed.length > 0) raw[key] = printed;
  }
  return { receiver: { name, labels, integrations }, raw };
}
