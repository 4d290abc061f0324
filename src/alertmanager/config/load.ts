/**
 * Loads an Alertmanager configuration from YAML. Mirrors Alertmanager's config.Load
 * (yaml.UnmarshalStrict + Config.UnmarshalYAML), but reports every problem at once, each with
 * its line and column, instead of the first one.
 */
import { fail, ok, sortIssues } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { TimeInterval } from '../timeinterval/types.js';
import { GLOBAL_SCHEMA } from './global.js';
import { TLS_CONFIG } from './http-config.js';
import { INHIBIT_SCHEMA, buildInhibitRule } from './inhibit.js';
import { yamlShapeIssues } from './plain-value.js';
import { RECEIVER_SCHEMA, buildReceiver } from './receivers.js';
import { ROUTE_SCHEMA, buildRoute, checkRouteTree } from './route.js';
import { Reporter, decodeStruct, isPlainObject } from './schema.js';
import type { StructSchema } from './schema.js';
import { tenantIssues } from './tenant.js';
import { NAMED_INTERVAL_SCHEMA, collectIntervals } from './time-intervals.js';
import type { AlertmanagerConfig, GlobalConfig, ReceiverConfig } from './types.js';
import { parseYaml } from './yaml-doc.js';

const TRACING_SCHEMA: StructSchema = {
  type: 'tracing.plain',
  fields: {
    client_type: 'string',
    endpoint: 'string',
    sampling_fraction: 'float',
    insecure: 'bool',
    tls_config: TLS_CONFIG,
    headers: { map: 'string' },
    compression: 'string',
    timeout: 'duration',
  },
};

/** The top-level Config, fields in upstream struct order. */
export const CONFIG_SCHEMA: StructSchema = {
  type: 'config.plain',
  fields: {
    global: GLOBAL_SCHEMA,
    route: ROUTE_SCHEMA,
    inhibit_rules: { list: INHIBIT_SCHEMA },
    receivers: { list: RECEIVER_SCHEMA },
    templates: { kind: { list: 'string' }, keep: true },
    mute_time_intervals: { list: NAMED_INTERVAL_SCHEMA },
    time_intervals: { list: NAMED_INTERVAL_SCHEMA },
    tracing: TRACING_SCHEMA,
    // Feature-flagged upstream (event-recorder); accepted as written.
    event_recorder: 'any',
  },
};

/** Issues about a key itself (rather than its value) point at the key. */
const KEY_CODES: ReadonlySet<string> = new Set(['unknown_field', 'invalid_label_name', 'invalid_regexp', 'tenant_forbidden', 'conflicting_fields']);

export interface LoadOptions {
  /** Also reject what Mimir rejects in tenant-uploaded configs (local files, proxies). */
  readonly tenantMode?: boolean;
}

export interface LoadValueOptions extends LoadOptions {
  /** The configuration's text, kept as AlertmanagerConfig.original (default ''). */
  readonly original?: string;
}

/** Parses and validates an Alertmanager YAML configuration. */
export function loadConfig(text: string, opts: LoadOptions = {}): Result<AlertmanagerConfig> {
  const doc = parseYaml(text);
  if (doc.issues.length > 0) return fail(doc.issues);
  return validate(doc.value, text, opts, (it) => {
    if (!it.path) return it;
    const start = it.span ? doc.positionInside(it.path, it.span.start) : doc.positionOf(it.path, KEY_CODES.has(it.code));
    return start ? { ...it, range: { start } } : it;
  });
}

/**
 * Validates a configuration given as data: what loadConfig does after parsing, with the same
 * checks and messages, issues with a path but no position. The value must have the shape a YAML
 * parse gives (plain objects, arrays, strings, numbers, booleans, null); anything else is an
 * `invalid_value` issue. For a caller that built the configuration as data and would otherwise
 * write it out only to parse it again (kube/render); the value is not modified.
 */
export function loadConfigValue(value: unknown, opts: LoadValueOptions = {}): Result<AlertmanagerConfig> {
  const shape = yamlShapeIssues(value);
  if (shape.length > 0) return fail(shape);
  return validate(value, opts.original ?? '', opts, (it) => it);
}

function validate(top: unknown, text: string, opts: LoadOptions, locate: (it: Issue) => Issue): Result<AlertmanagerConfig> {
  const issues: Issue[] = [];
  const r = new Reporter(issues, []);
  let cfg: AlertmanagerConfig | undefined;
  if (top === null || top === undefined) {
    r.error('no route provided in config', 'missing_route');
  } else if (!isPlainObject(top)) {
    r.error(`cannot unmarshal ${Array.isArray(top) ? '!!seq' : '!!str'} into config.plain`, 'invalid_type');
  } else {
    if (opts.tenantMode) issues.push(...tenantIssues(top));
    cfg = build(top, text, r);
  }
  if (issues.length > 0) return fail(sortIssues(issues.map(locate)));
  return ok(cfg as AlertmanagerConfig);
}

function build(top: Record<string, unknown>, text: string, r: Reporter): AlertmanagerConfig {
  const o = decodeStruct(top, CONFIG_SCHEMA, r);
  const g = isPlainObject(o['global']) ? o['global'] : decodeStruct({}, GLOBAL_SCHEMA, r.at('global'));
  o['global'] = g;
  const global: GlobalConfig = { resolveTimeoutMs: typeof g['resolve_timeout'] === 'number' ? g['resolve_timeout'] : 300_000, settings: g };

  const receivers: ReceiverConfig[] = [];
  const names = new Set<string>();
  const rawReceivers: unknown[] = [];
  const list = Array.isArray(o['receivers']) ? (o['receivers'] as unknown[]) : [];
  list.forEach((rc, i) => {
    if (!isPlainObject(rc)) return;
    const rr = r.at('receivers', i);
    const built = buildReceiver(rc, global, rr);
    if (names.has(built.receiver.name)) rr.error(`notification config name ${JSON.stringify(built.receiver.name)} is not unique`, 'duplicate_name', ['name']);
    names.add(built.receiver.name);
    receivers.push(built.receiver);
    rawReceivers.push(built.raw);
  });
  if (rawReceivers.length > 0) o['receivers'] = rawReceivers;

  const timeIntervals = new Map<string, readonly TimeInterval[]>();
  collectIntervals(o['mute_time_intervals'], true, timeIntervals, r.at('mute_time_intervals'));
  collectIntervals(o['time_intervals'], false, timeIntervals, r.at('time_intervals'));

  const rawRoute = o['route'];
  const route = buildRoute(isPlainObject(rawRoute) ? rawRoute : {}, r.at('route'));
  if (!isPlainObject(rawRoute)) r.error('no route provided in config', 'missing_route', ['route']);
  else checkRouteTree(route, rawRoute, names, new Set(timeIntervals.keys()), r.at('route'));

  const rules = Array.isArray(o['inhibit_rules']) ? (o['inhibit_rules'] as unknown[]) : [];
  const inhibitRules = rules.map((rule, i) => buildInhibitRule(isPlainObject(rule) ? rule : {}, r.at('inhibit_rules', i)));

  return {
    global,
    route,
    inhibitRules,
    receivers,
    templates: Array.isArray(o['templates']) ? (o['templates'] as string[]) : [],
    timeIntervals,
    original: text,
    raw: o,
  };
}
