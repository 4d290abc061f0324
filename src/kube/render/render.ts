/**
 * AlertmanagerConfig objects -> the tenant's Alertmanager configuration, as prometheus-operator's
 * ConfigBuilder.AddAlertmanagerConfigs does (pkg/alertmanager/amcfg.go): objects in
 * (namespace, name) order; each object's inhibit rules, receivers and time intervals appended;
 * its top route, with `continue: true` and the matcher strategy applied, put BEFORE the base
 * configuration's own routes. Safer than upstream: the result is loaded by Herald's loader before
 * it is returned, and when an object breaks it, that object alone (checked with its secrets
 * resolved, against the tenant's `global`) is rejected with a reason while the others render
 * (upstream issue #5163); receivers of an object without a route are still rendered (upstream issue #3819).
 */
import { parse } from 'yaml';
import { loadConfig, loadConfigValue } from '../../alertmanager/config/index.js';
import { compareStrings } from '../../core/labels.js';
import type { Issue, Result } from '../../core/result.js';
import type { AlertmanagerConfigObject, SecretReader } from '../api.js';
import { isObj } from './convert-receiver.js';
import { decodeObject } from './decode-spec.js';
import type { Fragment } from './decode-spec.js';
import { enforceInhibitRule, enforceRoute } from './enforce.js';
import type { MatcherStrategy } from './enforce.js';
import { resolveSecrets } from './secrets.js';
import { checkFragment, issuesReason } from './validate.js';
import { configYaml } from './yaml-text.js';

type Obj = Record<string, unknown>;

export interface RenderOptions {
  readonly matcherStrategy: MatcherStrategy;
  /** Namespace of the Alertmanager (for `OnNamespaceExceptForAlertmanagerNamespace`). */
  readonly alertmanagerNamespace: string;
  readonly readSecret: SecretReader;
}

/** The outcome for one object (`ObjectStatus` without the tenant, which the caller knows). */
export interface RenderStatus {
  readonly accepted: boolean;
  readonly reason: string;
}

export interface RenderResult {
  /** The configuration's text (written on first read: a caller that edits `document` further never needs it). */
  readonly yaml: string;
  /** `yaml` as data (what it was written from), for a caller that edits it further without parsing it again. */
  readonly document: Readonly<Obj>;
  /** Keyed `<namespace>/<name>`. */
  readonly statuses: Map<string, RenderStatus>;
}

/** The tenant's base configuration does not load; nothing can be rendered onto it. */
export class InvalidBaseConfigError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(`the base Alertmanager configuration is invalid: ${issuesReason(issues)}`);
    this.name = 'InvalidBaseConfigError';
  }
}

function keyOf(o: AlertmanagerConfigObject): { key: string; ns: string; name: string } {
  const m: unknown = (o as { metadata?: unknown }).metadata;
  const ns = isObj(m) && typeof m['namespace'] === 'string' ? m['namespace'] : '';
  const name = isObj(m) && typeof m['name'] === 'string' ? m['name'] : '';
  return { key: `${ns}/${name}`, ns, name };
}

function names(list: unknown): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(list)) for (const x of list) if (isObj(x) && typeof x['name'] === 'string') out.add(x['name']);
  return out;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A base configuration checked and parsed once, to render several tenants' objects onto (reconcile/ shares one per distinct base). */
export interface PreparedBase {
  readonly yaml: string;
  /** Parsed `yaml`; never modified by rendering. */
  readonly doc: Readonly<Obj>;
}

/** Checks and parses a base configuration; throws InvalidBaseConfigError when it does not load. */
export function prepareBase(base: string): PreparedBase {
  const loaded = loadConfig(base);
  if (!loaded.ok) throw new InvalidBaseConfigError(loaded.issues);
  return { yaml: base, doc: parse(base) as Obj };
}

/**
 * Renders `objects` onto `base`. Throws InvalidBaseConfigError only when `base` itself does not
 * load; every problem of an object is reported in its status instead.
 */
export async function renderAlertmanagerConfigs(
  base: string | PreparedBase,
  objects: readonly AlertmanagerConfigObject[],
  opts: RenderOptions,
): Promise<RenderResult> {
  const prepared = typeof base === 'string' ? prepareBase(base) : base;
  const doc = prepared.doc;
  const statuses = new Map<string, RenderStatus>();
  const reject = (key: string, reason: string): void => void statuses.set(key, { accepted: false, reason });

  const baseReceivers = names(doc['receivers']);
  const baseIntervals = new Set([...names(doc['time_intervals']), ...names(doc['mute_time_intervals'])]);
  const sorted = objects.map((o) => ({ o, ...keyOf(o) })).sort((a, b) => compareStrings(a.ns, b.ns) || compareStrings(a.name, b.name));
  const counts = new Map<string, number>();
  for (const s of sorted) counts.set(s.key, (counts.get(s.key) ?? 0) + 1);

  const candidates: Candidate[] = [];
  for (const { o, key, ns } of sorted) {
    if ((counts.get(key) ?? 0) > 1) {
      reject(key, `${counts.get(key)} objects are named ${key}; none of them is used until only one is left`);
      continue;
    }
    const decoded = decodeObject(o);
    if (!decoded.ok) {
      reject(key, issuesReason(decoded.issues));
      continue;
    }
    const resolved = await resolveSecrets<Fragment>(decoded.value, ns, opts.readSecret);
    if (resolved.issues.length > 0) {
      reject(key, issuesReason(resolved.issues));
      continue;
    }
    const f = resolved.value;
    const clash = [...f.receivers.filter((r) => baseReceivers.has(String(r['name']))), ...f.timeIntervals.filter((t) => baseIntervals.has(String(t['name'])))];
    if (clash.length > 0) {
      reject(key, `the base configuration already defines ${clash.map((c) => JSON.stringify(c['name'])).join(', ')}`);
      continue;
    }
    candidates.push({ key, ns, beta: o.apiVersion === 'monitoring.coreos.com/v1beta1', fragment: f });
  }

  // Names are unique per object by construction, so objects cannot break each other: check the
  // whole once, and only when that fails find the culprits by checking each object alone.
  let accepted = candidates;
  let assembled = assemble(doc, accepted, opts);
  let whole = loadAssembled(assembled);
  if (!whole.ok) {
    accepted = candidates.filter((c) => {
      const issues = checkFragment(c.fragment, doc['global'], c.beta);
      if (issues.length > 0) reject(c.key, issuesReason(issues));
      return issues.length === 0;
    });
    assembled = assemble(doc, accepted, opts);
    whole = loadAssembled(assembled);
  }
  if (!whole.ok) {
    // Each remaining object loaded alone, so this is a bug of ours; keep everyone on the base.
    const reason = `the combined configuration did not load: ${issuesReason(whole.issues, 3)}`;
    for (const c of accepted) reject(c.key, reason);
    return { yaml: prepared.yaml, document: doc, statuses: sortedStatuses(statuses) };
  }
  for (const c of accepted) statuses.set(c.key, { accepted: true, reason: '' });
  return withLazyYaml(assembled, sortedStatuses(statuses));
}

/**
 * Loads an assembled configuration as data (loadConfigValue), which is what loading its YAML
 * text gives without writing and parsing the text. When that finds a problem, the text is loaded
 * after all, so the issues (their order, the reason built from them) are those of the text.
 */
function loadAssembled(assembled: Readonly<Obj>): Result<unknown> {
  const asData = loadConfigValue(assembled);
  return asData.ok ? asData : loadConfig(configYaml(assembled));
}

/** A result whose text is written on first read: with a platform route (reconcile/) it is never read. */
function withLazyYaml(document: Readonly<Obj>, statuses: Map<string, RenderStatus>): RenderResult {
  let yaml: string | undefined;
  return {
    get yaml(): string {
      return (yaml ??= configYaml(document));
    },
    document,
    statuses,
  };
}

interface Candidate {
  readonly key: string;
  readonly ns: string;
  readonly beta: boolean;
  readonly fragment: Fragment;
}

function sortedStatuses(m: Map<string, RenderStatus>): Map<string, RenderStatus> {
  return new Map([...m].sort(([a], [b]) => compareStrings(a, b)));
}

/** The base document with the objects' pieces added (routes first, the rest appended); `doc` itself is not modified. */
function assemble(doc: Readonly<Obj>, objects: readonly Candidate[], opts: RenderOptions): Obj {
  const routes: Obj[] = [];
  const receivers: Obj[] = [];
  const inhibitRules: Obj[] = [];
  const intervals: Obj[] = [];
  for (const { fragment: f, ns } of objects) {
    if (f.route) routes.push(enforceRoute(f.route, ns, opts));
    receivers.push(...f.receivers);
    inhibitRules.push(...f.inhibitRules.map((ir) => enforceInhibitRule(ir, ns, opts)));
    intervals.push(...f.timeIntervals);
  }
  const out: Obj = { ...doc };
  const route = isObj(doc['route']) ? doc['route'] : {};
  if (routes.length > 0) out['route'] = { ...route, routes: [...routes, ...list(route['routes'])] };
  if (receivers.length > 0) out['receivers'] = [...list(doc['receivers']), ...receivers];
  if (inhibitRules.length > 0) out['inhibit_rules'] = [...list(doc['inhibit_rules']), ...inhibitRules];
  if (intervals.length > 0) out['time_intervals'] = [...list(doc['time_intervals']), ...intervals];
  return out;
}
