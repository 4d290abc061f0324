import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_KUBE_CONFIG, parseKubeConfig } from './config.js';

describe('parseKubeConfig', () => {
  it('takes defaults for an absent section', () => {
    expect(parseKubeConfig(undefined)).toEqual({ ok: true, value: DEFAULT_KUBE_CONFIG });
  });

  it('reads a full section', () => {
    const r = parseKubeConfig(
      parse(`
tenancy:
  rules:
    - { from: object_label, label: tenant }
    - { from: fixed, tenant: platform, namespace_selector: { matchLabels: { team: platform } } }
  object_selector: { matchLabels: { herald: "yes" } }
  opt_out_label_prefix: openshift.io
  excluded_namespaces: [kube-system]
rules:
  enforce_namespace: false
  platform_namespaces: [monitoring]
  platform_label: { name: openshift_io_alert_source, value: platform }
alertmanager: { matcher_strategy: None, alertmanager_namespace: monitoring }
`),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.tenancy).toEqual({
      rules: [
        { from: 'objectLabel', label: 'tenant' },
        { from: 'fixed', tenant: 'platform', namespaceSelector: { matchLabels: { team: 'platform' } } },
      ],
      namespaceSelector: {},
      objectSelector: { matchLabels: { herald: 'yes' } },
      optOutLabelPrefix: 'openshift.io',
      excludedNamespaces: ['kube-system'],
    });
    expect(r.value.rules).toEqual({
      enforceNamespace: false,
      namespaceLabel: 'namespace',
      crossNamespaceNamespaces: [],
      platformNamespaces: ['monitoring'],
      platformLabel: { name: 'openshift_io_alert_source', value: 'platform' },
    });
    expect(r.value.alertmanager).toEqual({ matcherStrategy: 'None', alertmanagerNamespace: 'monitoring' });
  });

  it('reports every problem with its path', () => {
    const r = parseKubeConfig(
      parse(`
tenancy:
  rules:
    - { from: namespace_label }
    - { from: fixed, tenant: "a/b" }
    - { from: guess }
  excluded_namespaces: kube-system
rules: { enforce_namespace: "yes", platform_label: { name: "" } }
alertmanager: { matcher_strategy: Always }
extra: 1
`),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.path?.join('.')}: ${i.message}`).sort()).toEqual(
      [
        'kube.extra: unknown field "extra"',
        'kube.tenancy.rules.0.label: "label" is required for from: namespace_label',
        "kube.tenancy.rules.1.tenant: invalid tenant: tenant ID 'a/b' contains unsupported character '/'",
        'kube.tenancy.rules.2.from: from must be one of namespace_label, object_label, fixed, got "guess"',
        'kube.tenancy.excluded_namespaces: must be a list of strings',
        'kube.rules.enforce_namespace: must be true or false',
        'kube.rules.platform_label.name: invalid label name ""',
        'kube.alertmanager.matcher_strategy: matcher_strategy must be one of OnNamespace, OnNamespaceExceptForAlertmanagerNamespace, None, got "Always"',
      ].sort(),
    );
  });

  describe('sources', () => {
    it('watches nothing without kubernetes or manifests', () => {
      const r = parseKubeConfig(parse('tenancy: {}\n'));
      expect(r.ok && r.value.source).toBeUndefined();
    });

    it('reads kubernetes with defaults, also when empty', () => {
      expect(parseKubeConfig(parse('kubernetes:\n'))).toMatchObject({
        ok: true,
        value: { source: { type: 'kubernetes', alertmanagerConfigVersion: 'v1beta1', writeStatus: true, watchSecrets: true } },
      });
      const r = parseKubeConfig(parse('kubernetes: { kubeconfig: /k/config, alertmanagerconfig_version: v1alpha1, write_status: false, watch_secrets: false }\n'));
      expect(r).toEqual({
        ok: true,
        value: { ...DEFAULT_KUBE_CONFIG, source: { type: 'kubernetes', kubeconfig: '/k/config', alertmanagerConfigVersion: 'v1alpha1', writeStatus: false, watchSecrets: false } },
      });
    });

    it('reads manifests with a poll interval', () => {
      expect(parseKubeConfig(parse('manifests: { directory: ./m, poll_interval: 2s }\n'))).toEqual({
        ok: true,
        value: { ...DEFAULT_KUBE_CONFIG, source: { type: 'manifests', directory: './m', pollIntervalMs: 2000 } },
      });
      expect(parseKubeConfig(parse('manifests: { directory: m }\n'))).toMatchObject({ ok: true, value: { source: { pollIntervalMs: 10_000 } } });
    });

    it.each([
      ['kubernetes: {}\nmanifests: { directory: m }\n', 'kube.manifests: kubernetes and manifests are both set: choose one source, a cluster to watch (kubernetes) or a manifest directory (manifests)'],
      ['kubernetes: { alertmanagerconfig_version: v1 }\n', 'kube.kubernetes.alertmanagerconfig_version: alertmanagerconfig_version must be v1alpha1 or v1beta1 (Herald watches one; the API server serves every object under both), got "v1"'],
      ['kubernetes: { kubeconfig: 3 }\n', 'kube.kubernetes.kubeconfig: must be a string'],
      ['kubernetes: { watch: all }\n', 'kube.kubernetes.watch: unknown field "watch"'],
      ['manifests: { poll_interval: 5s }\n', 'kube.manifests.directory: "directory" is required: the directory of manifests to read'],
      ['manifests: { directory: m, poll_interval: soon }\n', 'kube.manifests.poll_interval: not a valid duration: "soon"'],
      ['manifests: { directory: m, poll_interval: 0s }\n', 'kube.manifests.poll_interval: poll_interval must be greater than 0'],
      ['manifests: [m]\n', 'kube.manifests: must be a mapping'],
    ])('reports %j', (text, want) => {
      const r = parseKubeConfig(parse(text));
      expect(r.ok ? [] : r.issues.map((i) => `${i.path?.join('.')}: ${i.message}`)).toEqual([want]);
    });
  });
});
