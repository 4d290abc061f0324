/**
 * Builds an IntegrationDefinition from a struct schema: decode with defaults, inherit the global
 * http_config when the entry has none (Alertmanager's `cmp.Or(x.HTTPConfig, global.HTTPConfig)`),
 * then the integration's own global fill-ins and checks.
 */
import { fail, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { IntegrationDefinition, Notifier, NotifierDeps } from '../notify/types.js';
import { HTTP_CONFIG } from './http-config.js';
import { Reporter, decodeStruct, isEmpty } from './schema.js';
import type { FieldSpec, Kind, StructSchema } from './schema.js';
import type { GlobalConfig, IntegrationConfig } from './types.js';

export interface IntegrationSpec {
  readonly name: string;
  readonly sendResolvedDefault: boolean;
  /** Go type named in unknown-field errors, e.g. `config.plain`, `opsgenie.plain`. */
  readonly goType: string;
  /** Fields besides send_resolved and http_config, in upstream struct order. */
  readonly fields: Readonly<Record<string, FieldSpec | Kind>>;
  /** Checks of the integration's UnmarshalYAML (no globals). */
  readonly check?: (o: Record<string, unknown>, r: Reporter) => void;
  /** Fill-ins from `global` and the errors when they are missing (Config.UnmarshalYAML). */
  readonly fillIn?: (o: Record<string, unknown>, g: Readonly<Record<string, unknown>>, r: Reporter) => void;
  /** False for integrations that copy the global http_config themselves. */
  readonly inheritHttpConfig?: boolean;
  /** True for integrations without an `http_config` key (email). */
  readonly noHttpConfig?: boolean;
  readonly create?: (config: IntegrationConfig, deps: NotifierDeps) => Notifier;
  /** Settings as marshalConfig prints them, when they differ from the validated settings. */
  readonly forPrint?: (settings: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** What defineIntegration returns: the registry contract plus what marshalConfig needs. */
export type DefinedIntegration = IntegrationDefinition & {
  readonly schema: StructSchema;
  readonly forPrint?: (settings: Readonly<Record<string, unknown>>) => Record<string, unknown>;
};

/** The schema of one `<name>_configs` entry (used by marshalConfig too). */
export function entrySchema(spec: IntegrationSpec): StructSchema {
  const base: StructSchema = {
    type: spec.goType,
    fields: {
      send_resolved: { kind: 'bool', default: spec.sendResolvedDefault, keep: true },
      ...(spec.noHttpConfig ? {} : { http_config: HTTP_CONFIG }),
      ...spec.fields,
    },
  };
  return spec.check ? { ...base, check: spec.check } : base;
}

/** Makes the IntegrationDefinition the registry exports. */
export function defineIntegration(spec: IntegrationSpec): DefinedIntegration {
  const schema = entrySchema(spec);
  const def = {
    name: spec.name,
    sendResolvedDefault: spec.sendResolvedDefault,
    schema,
    validate(raw: Readonly<Record<string, unknown>>, global: GlobalConfig): Result<Readonly<Record<string, unknown>>> {
      const issues: Issue[] = [];
      const r = new Reporter(issues, []);
      const o = decodeStruct(raw, schema, r);
      const g = global.settings;
      if (spec.inheritHttpConfig !== false && spec.noHttpConfig !== true && o['http_config'] === undefined && g['http_config'] !== undefined) {
        o['http_config'] = structuredClone(g['http_config']);
      }
      spec.fillIn?.(o, g, r);
      return issues.length > 0 ? fail(issues) : ok(o);
    },
  };
  const withPrint = spec.forPrint ? { ...def, forPrint: spec.forPrint } : def;
  return spec.create ? { ...withPrint, create: spec.create } : withPrint;
}

/** `cmp.Or(local, global)`: the local value unless it is empty. */
export function orGlobal(o: Record<string, unknown>, key: string, g: Readonly<Record<string, unknown>>, gkey: string): void {
  if (isEmpty(o[key]) && !isEmpty(g[gkey])) o[key] = structuredClone(g[gkey]);
}

/** Appends a trailing slash to a URL's path, as Alertmanager does for OpsGenie, WeChat and VictorOps. */
export function withTrailingSlash(url: string): string {
  try {
    const u = new URL(url);
    if (u.pathname.endsWith('/')) return url;
    u.pathname += '/';
    return u.toString();
  } catch {
    return url;
  }
}

/** The "at most one of a & b" check on one entry. */
export function atMostOne(o: Record<string, unknown>, r: Reporter, a: string, b: string): void {
  if (!isEmpty(o[a]) && !isEmpty(o[b])) r.error(`at most one of ${a} & ${b} must be configured`, 'conflicting_fields', [b]);
}
