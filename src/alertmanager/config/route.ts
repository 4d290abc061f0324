/**
 * The routing tree section. Mirrors Alertmanager's Route.UnmarshalYAML (config/config.go):
 * label-name checks, `group_by` with `...`, zero intervals, and the root-route rules of Load.
 */
import { isValidLabelName } from '../../core/labels.js';
import { matchersFromList, matchersFromMatch, matchersFromMatchRe, sortMatchers } from './matchers.js';
import type { Reporter, StructSchema } from './schema.js';
import { isPlainObject } from './schema.js';
import type { RouteConfig } from './types.js';

/** dispatch/route.go DefaultRouteOpts: what the root route uses when it sets nothing. */
export const ROUTE_DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 } as const;

const fields: Record<string, StructSchema['fields'][string]> = {
  receiver: 'string',
  group_by: { list: 'string' },
  match: { map: 'string' },
  match_re: { map: 'any' },
  matchers: { list: 'string' },
  mute_time_intervals: { list: 'string' },
  active_time_intervals: { list: 'string' },
  continue: { kind: 'bool', default: false, keep: true },
  routes: 'any',
  group_wait: 'duration',
  group_interval: 'duration',
  repeat_interval: 'duration',
  labels: { map: 'string' },
};

/** Route (fields in upstream struct order); `routes` recurses into the same schema. */
export const ROUTE_SCHEMA: StructSchema = { type: 'config.plain', fields, check: checkRoute };
fields['routes'] = { list: ROUTE_SCHEMA };

function checkRoute(o: Record<string, unknown>, r: Reporter): void {
  const labels = o['labels'];
  if (isPlainObject(labels)) {
    for (const k of Object.keys(labels)) if (!isValidLabelName(k)) r.error(`invalid label name ${JSON.stringify(k)} in route labels`, 'invalid_label_name', ['labels', k]);
  }
  const groupBy = Array.isArray(o['group_by']) ? (o['group_by'] as unknown[]) : undefined;
  if (groupBy) {
    const seen = new Set<string>();
    let all = false;
    let others = 0;
    groupBy.forEach((l, i) => {
      if (typeof l !== 'string') return;
      if (l === '...') {
        all = true;
        return;
      }
      others++;
      if (!isValidLabelName(l)) r.error(`invalid label name ${JSON.stringify(l)} in group_by list`, 'invalid_label_name', ['group_by', i]);
      if (seen.has(l)) r.error(`duplicated label ${JSON.stringify(l)} in group_by`, 'duplicate_label', ['group_by', i]);
      seen.add(l);
    });
    if (all && others > 0) r.error('cannot have wildcard group_by (`...`) and other labels at the same time', 'invalid_group_by', ['group_by']);
  }
  if (o['group_interval'] === 0) r.error('group_interval cannot be zero', 'zero_interval', ['group_interval']);
  if (o['repeat_interval'] === 0) r.error('repeat_interval cannot be zero', 'zero_interval', ['repeat_interval']);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Turns a decoded route mapping into the domain RouteConfig, parsing its matchers. */
export function buildRoute(o: Record<string, unknown>, r: Reporter): RouteConfig {
  const matchers = sortMatchers([
    ...matchersFromMatch(o['match'], r.at('match')),
    ...matchersFromMatchRe(o['match_re'], r.at('match_re')),
    ...matchersFromList(o['matchers'], r.at('matchers')),
  ]);
  const groupByRaw = Array.isArray(o['group_by']) ? strings(o['group_by']) : undefined;
  const children = Array.isArray(o['routes']) ? (o['routes'] as unknown[]) : [];
  const route: {
    -readonly [K in keyof RouteConfig]: RouteConfig[K];
  } = {
    groupByAll: groupByRaw?.includes('...') ?? false,
    matchers,
    continue: o['continue'] === true,
    routes: children.map((c, i) => buildRoute(isPlainObject(c) ? c : {}, r.at('routes', i))),
    muteTimeIntervals: strings(o['mute_time_intervals']),
    activeTimeIntervals: strings(o['active_time_intervals']),
  };
  if (typeof o['receiver'] === 'string' && o['receiver'] !== '') route.receiver = o['receiver'];
  if (groupByRaw) route.groupBy = groupByRaw.filter((l) => l !== '...');
  if (typeof o['group_wait'] === 'number') route.groupWaitMs = o['group_wait'];
  if (typeof o['group_interval'] === 'number') route.groupIntervalMs = o['group_interval'];
  if (typeof o['repeat_interval'] === 'number') route.repeatIntervalMs = o['repeat_interval'];
  if (isPlainObject(o['labels'])) route.labels = o['labels'] as Record<string, string>;
  return route;
}

/** Load's root-route rules plus the reference checks over the whole tree. */
export function checkRouteTree(root: RouteConfig, raw: Record<string, unknown>, receivers: ReadonlySet<string>, intervals: ReadonlySet<string>, r: Reporter): void {
  if (root.continue) r.error('cannot have continue in root route', 'invalid_root_route', ['continue']);
  if (root.receiver === undefined) r.error('root route must specify a default receiver', 'invalid_root_route');
  const has = (k: string): boolean => {
    const v = raw[k];
    return Array.isArray(v) ? v.length > 0 : isPlainObject(v) && Object.keys(v).length > 0;
  };
  if (has('match') || has('match_re') || has('matchers')) r.error('root route must not have any matchers', 'invalid_root_route');
  if (root.muteTimeIntervals.length > 0) r.error('root route must not have any mute time intervals', 'invalid_root_route', ['mute_time_intervals']);
  if (root.activeTimeIntervals.length > 0) r.error('root route must not have any active time intervals', 'invalid_root_route', ['active_time_intervals']);
  const walk = (route: RouteConfig, rr: Reporter): void => {
    route.routes.forEach((c, i) => walk(c, rr.at('routes', i)));
    if (route.receiver !== undefined && !receivers.has(route.receiver)) rr.error(`undefined receiver ${JSON.stringify(route.receiver)} used in route`, 'undefined_receiver', ['receiver']);
    route.activeTimeIntervals.forEach((t, i) => {
      if (!intervals.has(t)) rr.error(`undefined time interval ${JSON.stringify(t)} used in route`, 'undefined_time_interval', ['active_time_intervals', i]);
    });
    route.muteTimeIntervals.forEach((t, i) => {
      if (!intervals.has(t)) rr.error(`undefined time interval ${JSON.stringify(t)} used in route`, 'undefined_time_interval', ['mute_time_intervals', i]);
    });
  };
  walk(root, r);
}
