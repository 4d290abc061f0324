/**
 * The matcher strategies of prometheus-operator (pkg/alertmanager/amcfg.go: continueToNextRoute,
 * namespaceEnforcer, otherNamespaceEnforcer; `alertmanagerConfigMatcherStrategy` in
 * pkg/apis/monitoring/v1/alertmanager_types.go). Every object's top route gets `continue: true`;
 * `OnNamespace` adds `namespace="<ns>"` to that route and to both sides of each inhibit rule;
 * the `ExceptForAlertmanagerNamespace` variant leaves objects of the Alertmanager's own namespace
 * alone; `None` adds no matcher.
 */
export type MatcherStrategy = 'OnNamespace' | 'OnNamespaceExceptForAlertmanagerNamespace' | 'None';

export const MATCHER_STRATEGIES: readonly MatcherStrategy[] = ['OnNamespace', 'OnNamespaceExceptForAlertmanagerNamespace', 'None'];

type Obj = Record<string, unknown>;

export interface EnforceOptions {
  readonly matcherStrategy: MatcherStrategy;
  readonly alertmanagerNamespace: string;
}

function enforces(ns: string, o: EnforceOptions): boolean {
  if (o.matcherStrategy === 'None') return false;
  return !(o.matcherStrategy === 'OnNamespaceExceptForAlertmanagerNamespace' && ns === o.alertmanagerNamespace);
}

function namespaceMatcher(ns: string): string {
  return `namespace=${JSON.stringify(ns)}`;
}

function withMatcher(list: unknown, m: string): string[] {
  const cur = Array.isArray(list) ? (list as string[]) : [];
  return cur.includes(m) ? cur : [...cur, m];
}

/** The object's top route as it goes under the tenant's root route. */
export function enforceRoute(route: Obj, ns: string, o: EnforceOptions): Obj {
  const out: Obj = { ...route };
  if (enforces(ns, o)) out['matchers'] = [...(Array.isArray(route['matchers']) ? (route['matchers'] as string[]) : []), namespaceMatcher(ns)];
  out['continue'] = true;
  return out;
}

/** One of the object's inhibit rules as it goes into the tenant's `inhibit_rules`. */
export function enforceInhibitRule(rule: Obj, ns: string, o: EnforceOptions): Obj {
  if (!enforces(ns, o)) return rule;
  const m = namespaceMatcher(ns);
  return { ...rule, target_matchers: withMatcher(rule['target_matchers'], m), source_matchers: withMatcher(rule['source_matchers'], m) };
}
