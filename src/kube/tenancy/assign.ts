/**
 * Which tenant an AlertmanagerConfig or PrometheusRule belongs to, or why it is not reconciled.
 * The checks follow the upstream models: namespaces the operator excludes; namespaces that opt out
 * with `<prefix>/user-monitoring: "false"` (OpenShift's `openshift.io/user-monitoring`, see
 * cluster-monitoring-operator pkg/manifests/manifests.go); `namespaceSelector` and `objectSelector`
 * (Alloy's rule_namespace_selector / rule_selector, prometheus-operator's
 * alertmanagerConfigNamespaceSelector / alertmanagerConfigSelector); then the mapping rules in order,
 * the first that yields a tenant winning.
 */
import { goQuote } from '../../core/labels.js';
import { tenantIdProblem } from '../../core/tenant-id.js';
import type { KubeObjectMeta, NamespaceInfo, TenantMappingConfig } from '../api.js';
import { matchesSelector } from './selector.js';

export type TenantAssignment = { readonly tenant: string } | { readonly excluded: string };

/** The opt-out label of a prefix: `<prefix>/user-monitoring`. */
export function optOutLabel(prefix: string): string {
  return `${prefix}/user-monitoring`;
}

function fromLabel(value: string | undefined, what: string): TenantAssignment | undefined {
  if (value === undefined || value === '') return undefined;
  const problem = tenantIdProblem(value);
  return problem === undefined ? { tenant: value } : { excluded: `${what} is not a valid tenant id: ${problem}` };
}

/** Assigns `obj` (in namespace `ns`) to a tenant, or says why it is left alone. */
export function assignTenant(obj: { readonly metadata: KubeObjectMeta }, ns: NamespaceInfo, cfg: TenantMappingConfig): TenantAssignment {
  const nsName = goQuote(ns.name);
  if (cfg.excludedNamespaces.includes(ns.name)) return { excluded: `namespace ${nsName} is excluded by the operator` };
  const optOut = optOutLabel(cfg.optOutLabelPrefix);
  if (ns.labels[optOut] === 'false') return { excluded: `namespace ${nsName} opted out of user monitoring (${optOut}: "false")` };
  if (!matchesSelector(cfg.namespaceSelector, ns.labels)) return { excluded: `namespace ${nsName} does not match the namespace selector` };
  const objLabels = obj.metadata.labels ?? {};
  if (!matchesSelector(cfg.objectSelector, objLabels)) return { excluded: 'object does not match the object selector' };
  for (const rule of cfg.rules) {
    let found: TenantAssignment | undefined;
    switch (rule.from) {
      case 'namespaceLabel':
        found = fromLabel(ns.labels[rule.label], `label ${goQuote(rule.label)} of namespace ${nsName}`);
        break;
      case 'objectLabel':
        found = fromLabel(objLabels[rule.label], `object label ${goQuote(rule.label)}`);
        break;
      case 'fixed':
        if (matchesSelector(rule.namespaceSelector, ns.labels)) found = { tenant: rule.tenant };
        break;
    }
    if (found) return found;
  }
  return { excluded: `no tenant mapping rule matched namespace ${nsName}` };
}
