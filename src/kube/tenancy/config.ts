/**
 * The `kube:` section of Herald's config: how objects map to tenants (`tenancy`), how
 * PrometheusRules are enforced (`rules`) and how AlertmanagerConfigs are matched (`alertmanager`).
 * Herald's own keys are snake_case; label selectors take the Kubernetes spelling (`matchLabels`,
 * `matchExpressions`) so they can be pasted from manifests.
 *
 * ```yaml
 * kube:
 *   tenancy:
 *     rules:                                 # first match wins
 *       - { from: namespace_label, label: herald.io/tenant }
 *       - { from: object_label, label: tenant }
 *       - { from: fixed, tenant: platform, namespace_selector: { matchLabels: { team: platform } } }
 *     namespace_selector: {}                 # only these namespaces (empty = all)
 *     object_selector: {}                    # only these objects (empty = all)
 *     opt_out_label_prefix: herald.io        # herald.io/user-monitoring: "false" opts a namespace out
 *     excluded_namespaces: [kube-system]
 *   rules:
 *     enforce_namespace: true
 *     namespace_label: namespace
 *     cross_namespace_namespaces: []         # may query other namespaces (no enforcement)
 *     platform_namespaces: [monitoring]      # platform rules: platform label, no enforcement
 *     platform_label: { name: alert_source, value: platform }
 *   alertmanager:
 *     matcher_strategy: OnNamespace          # or OnNamespaceExceptForAlertmanagerNamespace, None
 *     alertmanager_namespace: monitoring
 *     platform_receiver:                     # where platform alerts go (a receivers entry); absent: no platform route
 *       name: herald-platform
 *       webhook_configs: [{ url: https://platform.example.org/alerts }]
 *   kubernetes:                              # watch a cluster (or `manifests:`, never both)
 *     kubeconfig: /etc/herald/kubeconfig     # absent: in-cluster when KUBERNETES_SERVICE_HOST is set, else the default kubeconfig
 *     alertmanagerconfig_version: v1beta1    # or v1alpha1
 *     write_status: true                     # conditions + events back to the objects
 *     watch_secrets: true                    # false: no secretKeyRef (no cluster-wide secret access)
 *   manifests:                               # a GitOps directory of the same manifests
 *     directory: ./manifests                 # relative to Herald's config file
 *     poll_interval: 10s
 * ```
 */
import { parseDuration } from '../../core/duration.js';
import { isValidLabelName } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { tenantIdProblem } from '../../core/tenant-id.js';
import type { LabelSelector, TenantMappingConfig } from '../api.js';
import { MATCH_ALL, parseLabelSelector } from './selector.js';

export type MatcherStrategy = 'OnNamespace' | 'OnNamespaceExceptForAlertmanagerNamespace' | 'None';

export interface KubeRulesConfig {
  readonly enforceNamespace: boolean;
  readonly namespaceLabel: string;
  /** Namespaces whose rules may select other namespaces' series (no enforcement). */
  readonly crossNamespaceNamespaces: readonly string[];
  /** Namespaces whose rules are platform rules (platform label, no enforcement). */
  readonly platformNamespaces: readonly string[];
  readonly platformLabel: { readonly name: string; readonly value: string };
}

export interface KubeAlertmanagerSettings {
  readonly matcherStrategy: MatcherStrategy;
  /** The namespace `OnNamespaceExceptForAlertmanagerNamespace` leaves alone. */
  readonly alertmanagerNamespace: string;
  /** The platform's receiver (Alertmanager `receivers` entry), checked by the reconciler; absent: no platform route. */
  readonly platformReceiver?: Readonly<Record<string, unknown>>;
}

/** Where objects come from: a cluster (`kube.kubernetes`) or a manifest directory (`kube.manifests`). */
export type KubeSourceSettings =
  | {
      readonly type: 'kubernetes';
      /** A kubeconfig file; absent: in-cluster when KUBERNETES_SERVICE_HOST is set, else the default kubeconfig. */
      readonly kubeconfig?: string;
      readonly alertmanagerConfigVersion: 'v1alpha1' | 'v1beta1';
      readonly writeStatus: boolean;
      readonly watchSecrets: boolean;
    }
  | {
      readonly type: 'manifests';
      /** Relative paths are resolved against the config file's directory by the caller. */
      readonly directory: string;
      readonly pollIntervalMs: number;
    };

export const DEFAULT_MANIFEST_POLL_INTERVAL_MS = 10_000;

export interface KubeConfig {
  readonly tenancy: TenantMappingConfig;
  readonly rules: KubeRulesConfig;
  readonly alertmanager: KubeAlertmanagerSettings;
  /** Absent: nothing is watched (`herald kube render` and the admission webhook still work). */
  readonly source?: KubeSourceSettings;
}

export const DEFAULT_KUBE_CONFIG: KubeConfig = {
  tenancy: {
    rules: [{ from: 'namespaceLabel', label: 'herald.io/tenant' }],
    namespaceSelector: MATCH_ALL,
    objectSelector: MATCH_ALL,
    optOutLabelPrefix: 'herald.io',
    excludedNamespaces: [],
  },
  rules: {
    enforceNamespace: true,
    namespaceLabel: 'namespace',
    crossNamespaceNamespaces: [],
    platformNamespaces: [],
    platformLabel: { name: 'alert_source', value: 'platform' },
  },
  alertmanager: { matcherStrategy: 'OnNamespace', alertmanagerNamespace: '' },
};

type Path = ReadonlyArray<string | number>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one mapping strictly: unknown keys are issues; `read` gets each known key's value. */
class Reader {
  readonly issues: Issue[] = [];

  mapping(v: unknown, path: Path, known: readonly string[]): Record<string, unknown> | undefined {
    if (v === undefined || v === null) return {};
    if (!isRecord(v)) {
      this.issues.push(issue('invalid_type', 'must be a mapping', { path }));
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!known.includes(k)) this.issues.push(issue('unknown_field', `unknown field ${JSON.stringify(k)}`, { path: [...path, k] }));
    }
    return v;
  }

  string(v: unknown, path: Path, fallback: string): string {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string') {
      this.issues.push(issue('invalid_type', 'must be a string', { path }));
      return fallback;
    }
    return v;
  }

  bool(v: unknown, path: Path, fallback: boolean): boolean {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.issues.push(issue('invalid_type', 'must be true or false', { path }));
      return fallback;
    }
    return v;
  }

  strings(v: unknown, path: Path, fallback: readonly string[]): readonly string[] {
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.issues.push(issue('invalid_type', 'must be a list of strings', { path }));
      return fallback;
    }
    return v as string[];
  }

  selector(v: unknown, path: Path): LabelSelector {
    const r = parseLabelSelector(v, path);
    if (r.ok) return r.value;
    this.issues.push(...r.issues);
    return MATCH_ALL;
  }

  labelName(v: unknown, path: Path, fallback: string): string {
    const s = this.string(v, path, fallback);
    if (s !== fallback && !isValidLabelName(s)) this.issues.push(issue('invalid_label_name', `invalid label name ${JSON.stringify(s)}`, { path }));
    return s;
  }
}

type MappingRule = TenantMappingConfig['rules'][number];

function mappingRule(r: Reader, v: unknown, path: Path): MappingRule | undefined {
  const m = r.mapping(v, path, ['from', 'label', 'tenant', 'namespace_selector']);
  if (!m) return undefined;
  const from = m.from;
  if (from === 'namespace_label' || from === 'object_label') {
    const label = r.string(m.label, [...path, 'label'], '');
    if (label === '') r.issues.push(issue('missing_field', `"label" is required for from: ${from}`, { path: [...path, 'label'] }));
    for (const k of ['tenant', 'namespace_selector']) {
      if (m[k] !== undefined) r.issues.push(issue('invalid_field', `"${k}" is only for from: fixed`, { path: [...path, k] }));
    }
    return { from: from === 'namespace_label' ? 'namespaceLabel' : 'objectLabel', label };
  }
  if (from === 'fixed') {
    const tenant = r.string(m.tenant, [...path, 'tenant'], '');
    const problem = tenantIdProblem(tenant);
    if (problem !== undefined) r.issues.push(issue('invalid_tenant', `invalid tenant: ${problem}`, { path: [...path, 'tenant'] }));
    if (m.label !== undefined) r.issues.push(issue('invalid_field', '"label" is not used with from: fixed', { path: [...path, 'label'] }));
    return { from: 'fixed', tenant, namespaceSelector: r.selector(m.namespace_selector, [...path, 'namespace_selector']) };
  }
  r.issues.push(issue('invalid_value', `from must be one of namespace_label, object_label, fixed, got ${JSON.stringify(from ?? null)}`, { path: [...path, 'from'] }));
  return undefined;
}

const STRATEGIES: readonly MatcherStrategy[] = ['OnNamespace', 'OnNamespaceExceptForAlertmanagerNamespace', 'None'];

/** Parses the `kube` section (already decoded from YAML); `path` prefixes issue paths. Absent keys take defaults. */
export function parseKubeConfig(v: unknown, path: Path = ['kube']): Result<KubeConfig> {
  const r = new Reader();
  const d = DEFAULT_KUBE_CONFIG;
  const root = r.mapping(v, path, ['tenancy', 'rules', 'alertmanager', 'kubernetes', 'manifests']) ?? {};

  const tp = [...path, 'tenancy'];
  const t = r.mapping(root.tenancy, tp, ['rules', 'namespace_selector', 'object_selector', 'opt_out_label_prefix', 'excluded_namespaces']) ?? {};
  let rules: MappingRule[] | undefined;
  if (t.rules !== undefined && t.rules !== null) {
    if (!Array.isArray(t.rules)) r.issues.push(issue('invalid_type', 'must be a list', { path: [...tp, 'rules'] }));
    else rules = t.rules.map((x: unknown, i) => mappingRule(r, x, [...tp, 'rules', i])).filter((x): x is MappingRule => x !== undefined);
  }
  const tenancy: TenantMappingConfig = {
    rules: rules ?? d.tenancy.rules,
    namespaceSelector: r.selector(t.namespace_selector, [...tp, 'namespace_selector']),
    objectSelector: r.selector(t.object_selector, [...tp, 'object_selector']),
    optOutLabelPrefix: r.string(t.opt_out_label_prefix, [...tp, 'opt_out_label_prefix'], d.tenancy.optOutLabelPrefix),
    excludedNamespaces: r.strings(t.excluded_namespaces, [...tp, 'excluded_namespaces'], d.tenancy.excludedNamespaces),
  };

  const rp = [...path, 'rules'];
  const ru = r.mapping(root.rules, rp, ['enforce_namespace', 'namespace_label', 'cross_namespace_namespaces', 'platform_namespaces', 'platform_label']) ?? {};
  const pl = r.mapping(ru.platform_label, [...rp, 'platform_label'], ['name', 'value']) ?? {};
  const rulesCfg: KubeRulesConfig = {
    enforceNamespace: r.bool(ru.enforce_namespace, [...rp, 'enforce_namespace'], d.rules.enforceNamespace),
    namespaceLabel: r.labelName(ru.namespace_label, [...rp, 'namespace_label'], d.rules.namespaceLabel),
    crossNamespaceNamespaces: r.strings(ru.cross_namespace_namespaces, [...rp, 'cross_namespace_namespaces'], d.rules.crossNamespaceNamespaces),
    platformNamespaces: r.strings(ru.platform_namespaces, [...rp, 'platform_namespaces'], d.rules.platformNamespaces),
    platformLabel: {
      name: r.labelName(pl.name, [...rp, 'platform_label', 'name'], d.rules.platformLabel.name),
      value: r.string(pl.value, [...rp, 'platform_label', 'value'], d.rules.platformLabel.value),
    },
  };

  const ap = [...path, 'alertmanager'];
  const am = r.mapping(root.alertmanager, ap, ['matcher_strategy', 'alertmanager_namespace', 'platform_receiver']) ?? {};
  const pr = am.platform_receiver;
  if (pr !== undefined && pr !== null && (!isRecord(pr) || typeof pr.name !== 'string' || pr.name === '')) {
    r.issues.push(issue('invalid_value', 'platform_receiver must be a receiver mapping with a non-empty name', { path: [...ap, 'platform_receiver'] }));
  }
  const strategy = r.string(am.matcher_strategy, [...ap, 'matcher_strategy'], d.alertmanager.matcherStrategy);
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    r.issues.push(issue('invalid_value', `matcher_strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}`, { path: [...ap, 'matcher_strategy'] }));
  }
  const alertmanager: KubeAlertmanagerSettings = {
    matcherStrategy: strategy as MatcherStrategy,
    alertmanagerNamespace: r.string(am.alertmanager_namespace, [...ap, 'alertmanager_namespace'], d.alertmanager.alertmanagerNamespace),
    ...(isRecord(pr) ? { platformReceiver: pr } : {}),
  };

  const source = sourceSettings(r, root, path);

  if (r.issues.length > 0) return fail(r.issues);
  return ok({ tenancy, rules: rulesCfg, alertmanager, ...(source ? { source } : {}) });
}

const AMCFG_VERSIONS = ['v1alpha1', 'v1beta1'] as const;

/** `kube.kubernetes` or `kube.manifests` (at most one). */
function sourceSettings(r: Reader, root: Record<string, unknown>, path: Path): KubeSourceSettings | undefined {
  // `kubernetes:` with no value turns watching on with every default (in-cluster credentials).
  const hasK8s = 'kubernetes' in root && root.kubernetes !== undefined;
  const hasDir = 'manifests' in root && root.manifests !== undefined;
  if (hasK8s && hasDir) {
    r.issues.push(
      issue('conflicting_fields', 'kubernetes and manifests are both set: choose one source, a cluster to watch (kubernetes) or a manifest directory (manifests)', {
        path: [...path, 'manifests'],
      }),
    );
    return undefined;
  }
  if (hasK8s) {
    const kp = [...path, 'kubernetes'];
    const k = r.mapping(root.kubernetes, kp, ['kubeconfig', 'alertmanagerconfig_version', 'write_status', 'watch_secrets']);
    if (!k) return undefined;
    const kubeconfig = r.string(k.kubeconfig, [...kp, 'kubeconfig'], '');
    const version = r.string(k.alertmanagerconfig_version, [...kp, 'alertmanagerconfig_version'], 'v1beta1');
    if (!(AMCFG_VERSIONS as readonly string[]).includes(version)) {
      r.issues.push(
        issue('invalid_value', `alertmanagerconfig_version must be v1alpha1 or v1beta1 (Herald watches one; the API server serves every object under both), got ${JSON.stringify(version)}`, {
          path: [...kp, 'alertmanagerconfig_version'],
        }),
      );
    }
    return {
      type: 'kubernetes',
      ...(kubeconfig === '' ? {} : { kubeconfig }),
      alertmanagerConfigVersion: version as (typeof AMCFG_VERSIONS)[number],
      writeStatus: r.bool(k.write_status, [...kp, 'write_status'], true),
      watchSecrets: r.bool(k.watch_secrets, [...kp, 'watch_secrets'], true),
    };
  }
  if (hasDir) {
    const mp = [...path, 'manifests'];
    const m = r.mapping(root.manifests, mp, ['directory', 'poll_interval']);
    if (!m) return undefined;
    const directory = r.string(m.directory, [...mp, 'directory'], '');
    if (directory === '') r.issues.push(issue('missing_field', '"directory" is required: the directory of manifests to read', { path: [...mp, 'directory'] }));
    let pollIntervalMs = DEFAULT_MANIFEST_POLL_INTERVAL_MS;
    const pi = r.string(m.poll_interval, [...mp, 'poll_interval'], '');
    if (pi !== '') {
      const d = parseDuration(pi);
      if (!d.ok) r.issues.push(issue('invalid_duration', `not a valid duration: ${JSON.stringify(pi)}`, { path: [...mp, 'poll_interval'] }));
      else if (d.value <= 0) r.issues.push(issue('invalid_value', 'poll_interval must be greater than 0', { path: [...mp, 'poll_interval'] }));
      else pollIntervalMs = d.value;
    }
    return { type: 'manifests', directory, pollIntervalMs };
  }
  return undefined;
}
