/**
 * One AlertmanagerConfig object -> the pieces of Alertmanager configuration it contributes, under
 * wire names, every name prefixed `<namespace>/<name>/` (prometheus-operator's
 * makeNamespacedString in pkg/alertmanager/amcfg.go), with the semantic checks of
 * pkg/alertmanager/validation/v1alpha1 and v1beta1 (unique receiver names, the top route needs a
 * receiver, references must exist, `...` alone in groupBy, valid matchers and time intervals).
 * Matchers without `matchType` (v1alpha1 `regex: true|false`) become `=~` / `=` matchers, as
 * convertMatchersV2 does for Alertmanager >= 0.22. No namespace enforcement here (./enforce.ts).
 */
import { fail, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { AlertmanagerConfigObject } from '../api.js';
import { Problems, decodeReceiver, isObj } from './convert-receiver.js';

type Obj = Record<string, unknown>;
type Path = readonly (string | number)[];

/** What one object adds to the tenant's configuration (secrets still as SecretRef). */
export interface Fragment {
  /** The object's top route, or undefined when it has none. */
  readonly route: Obj | undefined;
  readonly receivers: readonly Obj[];
  readonly inhibitRules: readonly Obj[];
  readonly timeIntervals: readonly Obj[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MATCH_TYPES: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);
const ROUTE_KEYS: ReadonlySet<string> = new Set(['receiver', 'groupBy', 'groupWait', 'groupInterval', 'repeatInterval', 'matchers', 'continue', 'routes', 'muteTimeIntervals', 'activeTimeIntervals']);
const PERIOD_KEYS: ReadonlySet<string> = new Set(['times', 'weekdays', 'daysOfMonth', 'months', 'years']);
const MAX_ROUTE_DEPTH = 32;

interface Ctx {
  readonly prefix: string;
  readonly beta: boolean;
  readonly receivers: ReadonlySet<string>;
  readonly intervals: ReadonlySet<string>;
  readonly p: Problems;
}

/** Decodes and checks one object; issues carry paths from the object root (`spec.route...`). */
export function decodeObject(obj: AlertmanagerConfigObject): Result<Fragment> {
  const p = new Problems();
  const meta: unknown = (obj as { metadata?: unknown }).metadata;
  const ns = isObj(meta) && typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const name = isObj(meta) && typeof meta['name'] === 'string' ? meta['name'] : '';
  if (!DNS_LABEL.test(ns) || ns.length > 63) p.add(['metadata', 'namespace'], `namespace ${JSON.stringify(ns)} is not a valid namespace name`);
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253) p.add(['metadata', 'name'], `name ${JSON.stringify(name)} is not a valid object name`);
  const apiVersion: unknown = (obj as { apiVersion?: unknown }).apiVersion;
  if (apiVersion !== 'monitoring.coreos.com/v1alpha1' && apiVersion !== 'monitoring.coreos.com/v1beta1') {
    p.add(['apiVersion'], `apiVersion ${JSON.stringify(apiVersion)} is not monitoring.coreos.com/v1alpha1 or v1beta1`);
  }
  const beta = apiVersion === 'monitoring.coreos.com/v1beta1';
  const spec: unknown = obj.spec ?? {};
  if (!isObj(spec)) {
    p.add(['spec'], 'spec must be an object');
    return fail(p.issues);
  }
  const intervalsKey = beta ? 'timeIntervals' : 'muteTimeIntervals';
  for (const k of Object.keys(spec)) {
    if (!['route', 'receivers', 'inhibitRules', intervalsKey].includes(k)) {
      const hint = k === 'muteTimeIntervals' || k === 'timeIntervals' ? ` (${beta ? 'v1beta1' : 'v1alpha1'} calls it ${intervalsKey})` : '';
      p.add(['spec', k], `unknown field${hint}`, 'unknown_field');
    }
  }
  const prefix = `${ns}/${name}/`;

  const receivers: Obj[] = [];
  const receiverNames = new Set<string>();
  listOf(spec['receivers'], ['spec', 'receivers'], p).forEach(([r, path]) => {
    const rn = r['name'];
    if (typeof rn !== 'string' || rn === '') p.add([...path, 'name'], 'receiver name is required');
    else if (receiverNames.has(rn)) p.add([...path, 'name'], `receiver ${JSON.stringify(rn)} is defined more than once`, 'duplicate_name');
    else receiverNames.add(rn);
    receivers.push(decodeReceiver(r, prefix, beta, path, p));
  });

  const timeIntervals: Obj[] = [];
  const intervalNames = new Set<string>();
  listOf(spec[intervalsKey], ['spec', intervalsKey], p).forEach(([ti, path]) => {
    const tn = ti['name'];
    if (typeof tn !== 'string' || tn === '') p.add([...path, 'name'], 'time interval name is required');
    else if (intervalNames.has(tn)) p.add([...path, 'name'], `time interval ${JSON.stringify(tn)} is defined more than once`, 'duplicate_name');
    else intervalNames.add(tn);
    timeIntervals.push({ name: prefix + (typeof tn === 'string' ? tn : ''), time_intervals: periods(ti, path, p) });
  });

  const ctx: Ctx = { prefix, beta, receivers: receiverNames, intervals: intervalNames, p };
  const inhibitRules = listOf(spec['inhibitRules'], ['spec', 'inhibitRules'], p).map(([ir, path]) => inhibitRule(ir, path, ctx));

  let route: Obj | undefined;
  if (spec['route'] !== undefined && spec['route'] !== null) {
    if (!isObj(spec['route'])) p.add(['spec', 'route'], 'route must be an object');
    else {
      if (typeof spec['route']['receiver'] !== 'string' || spec['route']['receiver'] === '') p.add(['spec', 'route', 'receiver'], 'the top route must name a receiver');
      route = decodeRoute(spec['route'], ['spec', 'route'], ctx, 0);
    }
  }
  if (p.issues.length > 0) return fail(p.issues);
  return ok({ route, receivers, inhibitRules, timeIntervals });
}

function listOf(v: unknown, path: Path, p: Problems): [Obj, Path][] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    p.add(path, 'must be a list');
    return [];
  }
  const out: [Obj, Path][] = [];
  v.forEach((x, i) => {
    if (isObj(x)) out.push([x, [...path, i]]);
    else p.add([...path, i], 'must be an object');
  });
  return out;
}

function strings(v: unknown, path: Path, p: Problems): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    p.add(path, 'must be a list of strings');
    return [];
  }
  return v as string[];
}

function matchers(v: unknown, path: Path, ctx: Ctx): string[] {
  return listOf(v, path, ctx.p).map(([m, mp]) => {
    for (const k of Object.keys(m)) if (!['name', 'value', 'matchType', ...(ctx.beta ? [] : ['regex'])].includes(k)) ctx.p.add([...mp, k], 'unknown field', 'unknown_field');
    const name = m['name'];
    const value = m['value'] ?? '';
    if (typeof name !== 'string' || name === '') ctx.p.add([...mp, 'name'], 'matcher name is required');
    if (typeof value !== 'string') ctx.p.add([...mp, 'value'], 'matcher value must be a string');
    let op = m['matchType'];
    if (op === undefined || op === '') op = m['regex'] === true ? '=~' : '=';
    if (typeof op !== 'string' || !MATCH_TYPES.has(op)) ctx.p.add([...mp, 'matchType'], `matchType ${JSON.stringify(op)} is not one of =, !=, =~, !~`);
    if (m['regex'] !== undefined && typeof m['regex'] !== 'boolean') ctx.p.add([...mp, 'regex'], 'regex must be true or false');
    return `${String(name)}${String(op)}${JSON.stringify(typeof value === 'string' ? value : '')}`;
  });
}

function inhibitRule(ir: Obj, path: Path, ctx: Ctx): Obj {
  for (const k of Object.keys(ir)) if (!['targetMatch', 'sourceMatch', 'equal'].includes(k)) ctx.p.add([...path, k], 'unknown field', 'unknown_field');
  const out: Obj = {};
  const target = matchers(ir['targetMatch'], [...path, 'targetMatch'], ctx);
  const source = matchers(ir['sourceMatch'], [...path, 'sourceMatch'], ctx);
  const equal = strings(ir['equal'], [...path, 'equal'], ctx.p);
  if (target.length > 0) out['target_matchers'] = target;
  if (source.length > 0) out['source_matchers'] = source;
  if (equal.length > 0) out['equal'] = equal;
  return out;
}

function decodeRoute(r: Obj, path: Path, ctx: Ctx, depth: number): Obj {
  const { p } = ctx;
  for (const k of Object.keys(r)) if (!ROUTE_KEYS.has(k)) p.add([...path, k], 'unknown field', 'unknown_field');
  const out: Obj = {};
  const receiver = r['receiver'];
  if (receiver !== undefined && receiver !== '') {
    if (typeof receiver !== 'string') p.add([...path, 'receiver'], 'receiver must be a string');
    else if (!ctx.receivers.has(receiver)) p.add([...path, 'receiver'], `receiver ${JSON.stringify(receiver)} is not defined in this object`, 'unknown_receiver');
    else out['receiver'] = ctx.prefix + receiver;
  }
  const groupBy = strings(r['groupBy'], [...path, 'groupBy'], p);
  if (groupBy.includes('...') && groupBy.length > 1) p.add([...path, 'groupBy'], "'...' must be the only element of groupBy");
  if (new Set(groupBy).size !== groupBy.length) p.add([...path, 'groupBy'], 'groupBy has duplicate labels');
  if (groupBy.length > 0) out['group_by'] = groupBy;
  const ms = matchers(r['matchers'], [...path, 'matchers'], ctx);
  if (ms.length > 0) out['matchers'] = ms;
  if (r['continue'] !== undefined && typeof r['continue'] !== 'boolean') p.add([...path, 'continue'], 'continue must be true or false');
  if (r['continue'] === true) out['continue'] = true;
  for (const [k, w] of [['groupWait', 'group_wait'], ['groupInterval', 'group_interval'], ['repeatInterval', 'repeat_interval']] as const) {
    const v = r[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || v === '') p.add([...path, k], `${k} must be a non-empty duration such as "30s"`);
    else out[w] = v;
  }
  for (const [k, w] of [['muteTimeIntervals', 'mute_time_intervals'], ['activeTimeIntervals', 'active_time_intervals']] as const) {
    const names = strings(r[k], [...path, k], p);
    names.forEach((n, i) => {
      if (!ctx.intervals.has(n)) p.add([...path, k, i], `time interval ${JSON.stringify(n)} is not defined in this object`, 'unknown_time_interval');
    });
    if (names.length > 0) out[w] = names.map((n) => ctx.prefix + n);
  }
  const children = r['routes'];
  if (children !== undefined && children !== null) {
    if (depth >= MAX_ROUTE_DEPTH) p.add([...path, 'routes'], `routes nest deeper than ${MAX_ROUTE_DEPTH} levels`);
    else {
      const decoded = listOf(children, [...path, 'routes'], p).map(([c, cp]) => decodeRoute(c, cp, ctx, depth + 1));
      if (decoded.length > 0) out['routes'] = decoded;
    }
  }
  return out;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function monthNumber(m: string): string {
  const i = MONTHS.indexOf(m.toLowerCase());
  return i >= 0 ? String(i + 1) : m;
}

function periods(ti: Obj, path: Path, p: Problems): Obj[] {
  for (const k of Object.keys(ti)) if (k !== 'name' && k !== 'timeIntervals') p.add([...path, k], 'unknown field', 'unknown_field');
  return listOf(ti['timeIntervals'], [...path, 'timeIntervals'], p).map(([tp, pp]) => {
    const out: Obj = {};
    for (const k of Object.keys(tp)) if (!PERIOD_KEYS.has(k)) p.add([...pp, k], 'unknown field', 'unknown_field');
    const times = listOf(tp['times'], [...pp, 'times'], p).map(([t, tpath]) => {
      if (typeof t['startTime'] !== 'string' || typeof t['endTime'] !== 'string') p.add(tpath, 'times need startTime and endTime such as "08:00"');
      return { start_time: t['startTime'], end_time: t['endTime'] };
    });
    if (times.length > 0) out['times'] = times;
    // As upstream's WeekdayRange.Parse / MonthRange.Parse: weekdays lower-cased, months as numbers.
    const weekdays = strings(tp['weekdays'], [...pp, 'weekdays'], p).map((w) => w.toLowerCase());
    const months = strings(tp['months'], [...pp, 'months'], p).map((m) => m.split(':').map(monthNumber).join(':'));
    const years = strings(tp['years'], [...pp, 'years'], p);
    if (weekdays.length > 0) out['weekdays'] = weekdays;
    if (months.length > 0) out['months'] = months;
    if (years.length > 0) out['years'] = years;
    const days = listOf(tp['daysOfMonth'], [...pp, 'daysOfMonth'], p).map(([d, dp]) => {
      const { start, end } = d;
      if (typeof start !== 'number' || !Number.isInteger(start) || (end !== undefined && (typeof end !== 'number' || !Number.isInteger(end)))) {
        p.add(dp, 'daysOfMonth needs integer start (and end)');
        return '';
      }
      return end === undefined ? String(start) : `${start}:${String(end)}`;
    });
    if (days.length > 0) out['days_of_month'] = days;
    return out;
  });
}
