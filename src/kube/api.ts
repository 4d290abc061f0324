/**
 * Self-service routing and rules from Kubernetes objects and Git (issue 8): the contracts shared by
 * the watchers (watch/), the manifest directory (manifests/), the tenant mapping (tenancy/), the
 * renderers (render/ for AlertmanagerConfig, rules/ for PrometheusRule) and the admission webhook.
 *
 * Objects are kept as parsed JSON (the API server's or the manifest's), with just enough typing for
 * routing them; the renderers validate their `spec` themselves.
 */

/** What every object carries. */
export interface KubeObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** monitoring.coreos.com/v1alpha1 or v1beta1 AlertmanagerConfig. */
export interface AlertmanagerConfigObject {
  readonly apiVersion: 'monitoring.coreos.com/v1alpha1' | 'monitoring.coreos.com/v1beta1';
  readonly kind: 'AlertmanagerConfig';
  readonly metadata: KubeObjectMeta;
  readonly spec: unknown;
}

/** monitoring.coreos.com/v1 PrometheusRule. */
export interface PrometheusRuleObject {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: KubeObjectMeta;
  readonly spec: unknown;
}

export type MonitoringObject = AlertmanagerConfigObject | PrometheusRuleObject;

/** A v1 Secret as the renderer reads it (`secretKeyRef`): only from the object's own namespace. */
export type SecretReader = (namespace: string, name: string, key: string) => Promise<string | undefined>;

/** A namespace with its labels (for namespace selectors and tenant-from-label mapping). */
export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** How objects are assigned to tenants (Herald config `kube.tenancy`). */
export interface TenantMappingConfig {
  /** First matching rule wins. */
  readonly rules: readonly (
    | { readonly from: 'namespaceLabel'; readonly label: string }
    | { readonly from: 'objectLabel'; readonly label: string }
    | { readonly from: 'fixed'; readonly tenant: string; readonly namespaceSelector: LabelSelector }
  )[];
  /** Only namespaces matching are reconciled (empty = all). */
  readonly namespaceSelector: LabelSelector;
  /** Only objects matching are reconciled (empty = all). */
  readonly objectSelector: LabelSelector;
  /** Label prefix for opt-out: `<prefix>/user-monitoring: "false"` on a namespace excludes it. */
  readonly optOutLabelPrefix: string;
  /** Namespaces the operator excludes. */
  readonly excludedNamespaces: readonly string[];
}

/** Kubernetes label selector (matchLabels + matchExpressions In/NotIn/Exists/DoesNotExist). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

/** The outcome for one object, written to its `status` and as an event. */
export interface ObjectStatus {
  readonly accepted: boolean;
  /** Why it was rejected, or '' when accepted. */
  readonly reason: string;
  /** Tenant it was assigned to ('' when none). */
  readonly tenant: string;
}
