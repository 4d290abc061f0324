/**
 * The platform's share of a tenant's rendered Alertmanager configuration (issue 8): a receiver the
 * operator defines and a route, first under the root, that takes every platform alert
 * (`<label>="<value>"`, the label `kube.rules` puts on rules of platform namespaces) and stops
 * there; every rendered route (AlertmanagerConfig routes, then the base's) moves under a sibling
 * that takes only `<label>!="<value>"`. So a platform alert never reaches a tenant's receiver,
 * and a user alert (user rules may not set the label, rules/policy.ts) never reaches the
 * platform's. The objects' inhibit rules get `<label>!="<value>"` on their target side, so a
 * tenant cannot mute a platform alert either (their `namespace` matcher alone would allow it for
 * platform alerts about the tenant's namespace). This is OpenShift's split between platform and
 * user-workload alert routing (cluster-monitoring-operator), done inside one routing tree.
 */
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../alertmanager/config/index.js';
import { formatIssue } from '../../core/result.js';
import { configYaml } from '../render/index.js';

type Obj = Record<string, unknown>;

/** Where platform alerts go, from the operator's configuration. */
export interface PlatformRouting {
  /** The platform label, e.g. `alert_source="platform"`. */
  readonly label: { readonly name: string; readonly value: string };
  /** An Alertmanager receiver (`name` plus integrations), as in a config's `receivers` list. */
  readonly receiver: Readonly<Obj>;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The receiver's name, or why the receiver cannot be used. */
export function platformReceiverName(p: PlatformRouting): { name: string } | { problem: string } {
  const name = p.receiver['name'];
  if (typeof name !== 'string' || name === '') return { problem: 'the platform receiver needs a non-empty name' };
  return { name };
}

/** The route matcher of platform alerts, in Alertmanager's `matchers` syntax. */
export function platformMatcher(p: PlatformRouting, op: '=' | '!=' = '='): string {
  return `${p.label.name}${op}${JSON.stringify(p.label.value)}`;
}

/** The base configuration with the platform receiver added; a problem when the base already has that name. */
export function withPlatformReceiver(base: string, p: PlatformRouting): { yaml: string } | { problem: string } {
  const n = platformReceiverName(p);
  if ('problem' in n) return n;
  const doc: unknown = parse(base);
  if (!isObj(doc)) return { problem: 'the base configuration is not a mapping' };
  const receivers = Array.isArray(doc['receivers']) ? (doc['receivers'] as unknown[]) : [];
  // A tenant's own receiver of that name would let its routes send user alerts to the platform's receiver.
  if (receivers.some((r) => isObj(r) && r['name'] === n.name)) {
    return { problem: `the base configuration defines receiver ${JSON.stringify(n.name)}, which is reserved for platform alerts` };
  }
  return { yaml: configYaml({ ...doc, receivers: [...receivers, { ...p.receiver }] }) };
}

/**
 * Why the platform routing cannot be used (its receiver or matcher does not load), or undefined.
 * Checked once when the reconciler is built, so rendering need not load every result again.
 */
export function platformRoutingProblem(p: PlatformRouting): string | undefined {
  const n = platformReceiverName(p);
  if ('problem' in n) return n.problem;
  const probe = { route: { receiver: n.name, routes: [{ receiver: n.name, matchers: [platformMatcher(p)] }, { matchers: [platformMatcher(p, '!=')] }] }, receivers: [{ ...p.receiver }] };
  const loaded = loadConfig(stringify(probe, { lineWidth: 0 }));
  if (loaded.ok) return undefined;
  return `the platform receiver or label does not load: ${loaded.issues.slice(0, 3).map((i) => formatIssue(i)).join('; ')}`;
}

/**
 * Splits the root of a rendered configuration (its text, or the same as data) in two: a platform
 * route (platform alerts, to the platform receiver, `continue: false`) and a user route (every
 * other alert) holding the rendered routes. The user route sets nothing, so its children inherit
 * the root's settings as before, and an alert none of them takes still ends at the root's
 * receiver. Two children keep the routes' equality index (src/alertmanager/route/child-index.ts)
 * on `namespace` alone, which one platform child among thousands of namespace routes would split
 * into two indexed names.
 */
export function withPlatformRoute(rendered: string | Readonly<Obj>, p: PlatformRouting, baseInhibitRules = 0): { yaml: string } | { problem: string } {
  const n = platformReceiverName(p);
  if ('problem' in n) return n;
  // The rendering as data (render/'s RenderResult.document) saves parsing it again; it is not modified.
  const doc: unknown = typeof rendered === 'string' ? parse(rendered) : rendered;
  if (!isObj(doc) || !isObj(doc['route'])) return { problem: 'the rendered configuration has no route' };
  const route = doc['route'];
  const platform = { receiver: n.name, matchers: [platformMatcher(p)], continue: false };
  const routes: unknown[] = [platform];
  if (Array.isArray(route['routes']) && route['routes'].length > 0) routes.push({ matchers: [platformMatcher(p, '!=')], routes: route['routes'] });
  const out: Obj = { ...doc, route: { ...route, routes } };
  // Inhibit rules of objects (after the base's) may mute user alerts only, never a platform alert.
  if (Array.isArray(doc['inhibit_rules'])) {
    out['inhibit_rules'] = (doc['inhibit_rules'] as unknown[]).map((ir, i) => {
      if (i < baseInhibitRules || !isObj(ir)) return ir;
      const targets = Array.isArray(ir['target_matchers']) ? (ir['target_matchers'] as unknown[]) : [];
      return { ...ir, target_matchers: [...targets, platformMatcher(p, '!=')] };
    });
  }
  return { yaml: configYaml(out) };
}

/** How many inhibit rules a configuration has (those of the base come first in a rendering). */
export function inhibitRuleCount(yaml: string): number {
  const doc: unknown = parse(yaml);
  return isObj(doc) && Array.isArray(doc['inhibit_rules']) ? doc['inhibit_rules'].length : 0;
}
