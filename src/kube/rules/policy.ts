/**
 * Which enforcement a PrometheusRule gets, from its namespace and the `kube.rules` config:
 * platform namespaces get the platform label and no namespace enforcement; namespaces allowed
 * cross-namespace rules skip enforcement (prometheus-operator's excludedFromEnforcement, OpenShift's
 * namespacesWithoutLabelEnforcement); every other namespace is enforced. Non-platform rules may
 * never set the platform label, so a user alert cannot reach the platform's receiver.
 */
import type { KubeRulesConfig } from '../tenancy/config.js';
import type { PrometheusRuleOptions } from './prometheus-rule.js';

/** The options prometheusRuleToGroups takes for a PrometheusRule in `namespace`. */
export function ruleOptionsFor(namespace: string, cfg: KubeRulesConfig): PrometheusRuleOptions {
  if (cfg.platformNamespaces.includes(namespace)) {
    return { enforceNamespace: false, namespaceLabel: cfg.namespaceLabel, platformLabel: cfg.platformLabel };
  }
  const enforce = cfg.enforceNamespace && !cfg.crossNamespaceNamespaces.includes(namespace);
  return { enforceNamespace: enforce, namespaceLabel: cfg.namespaceLabel, reservedLabels: [cfg.platformLabel.name] };
}
