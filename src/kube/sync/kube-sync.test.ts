import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../alertmanager/config/index.js';
import type { AlertmanagerConfig } from '../../alertmanager/config/types.js';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../../core/runtime.js';
import type { ManifestFs } from '../manifests/index.js';
import type { TenantRuleNamespaces } from '../reconcile/index.js';
import { DEFAULT_KUBE_CONFIG } from '../tenancy/index.js';
import type { KubeConfig } from '../tenancy/index.js';
import { FakeApiServer } from '../watch/fake-apiserver.test-util.js';
import { StepClock } from '../watch/test-clock.test-util.js';
import { createKubeSync, KubeSyncSetupError, watchedKinds } from './kube-sync.js';
import type { KubeSync, KubeSyncDeps } from './kube-sync.js';
import type { ObjectCount } from './metrics.js';

const FALLBACK = 'route:\n  receiver: fallback\nreceivers:\n  - name: fallback\n';

const NS = (name: string, tenant: string): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: {herald.io/tenant: ${tenant}}}\n`;
const AMC = (ns: string, name: string, url = 'https://hooks.example.org/x'): string =>
  `apiVersion: monitoring.coreos.com/v1beta1\nkind: AlertmanagerConfig\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  route: {receiver: hook}\n  receivers: [{name: hook, webhookConfigs: [{url: "${url}"}]}]\n`;
const BAD_AMC = (ns: string): string => `apiVersion: monitoring.coreos.com/v1beta1\nkind: AlertmanagerConfig\nmetadata: {name: bad, namespace: ${ns}}\nspec:\n  route: {receiver: nowhere}\n`;
const RULE = (ns: string): string =>
  `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: r, namespace: ${ns}}\nspec:\n  groups: [{name: g, rules: [{alert: Down, expr: up == 0}]}]\n`;

/** A flat in-memory directory `/m/<file>`; `files` may change between polls. */
function memoryFs(files: Record<string, string>): ManifestFs {
  return {
    readDir: (path) => (path === '/m' ? Promise.resolve(Object.keys(files).map((name) => ({ name, type: 'file' as const }))) : Promise.reject(new Error('ENOENT'))),
    readFile: (path) => {
      const t = files[path.slice('/m/'.length)];
      return t === undefined ? Promise.reject(new Error('ENOENT')) : Promise.resolve(t);
    },
  };
}

function manifestsConfig(pollIntervalMs = 1000): KubeConfig {
  return { ...DEFAULT_KUBE_CONFIG, source: { type: 'manifests', directory: '/m', pollIntervalMs } };
}

/** Fake registry and ruler recording what the sync applies. */
function harness(config: KubeConfig, files: Record<string, string>, over: Partial<KubeSyncDeps> = {}) {
  const configs = new Map<string, string>();
  const calls: Array<[string, 'config' | 'null' | 'rules' | 'no-rules']> = [];
  const rules = new Map<string, TenantRuleNamespaces>();
  const uploads = new Map<string, string>();
  const objects: ObjectCount[][] = [];
  const clock = new StepClock();
  const deps: KubeSyncDeps = {
    config,
    fallbackYaml: FALLBACK,
    setKubeConfig: (t, c: AlertmanagerConfig | null) => {
      calls.push([t, c === null ? 'null' : 'config']);
      if (c === null) configs.delete(t);
      else configs.set(t, c.original);
      return Promise.resolve();
    },
    baseConfigText: (t, fb) => Promise.resolve(uploads.get(t) ?? fb),
    loadConfig: (y) => loadConfig(y),
    setExternalRules: (t, m) => {
      calls.push([t, m.size === 0 ? 'no-rules' : 'rules']);
      if (m.size === 0) rules.delete(t);
      else rules.set(t, m);
      return Promise.resolve();
    },
    clock,
    logger: NOOP_LOGGER,
    fs: memoryFs(files),
    metrics: { reconciled: () => undefined, objects: (c) => void objects.push([...c]), manifestProblems: () => undefined },
    ...over,
  };
  return { deps, configs, calls, rules, uploads, objects, clock };
}

let sync: KubeSync | undefined;
afterEach(async () => {
  await sync?.stop();
  sync = undefined;
});

describe('createKubeSync with a manifest directory', () => {
  it('is not ready until the first snapshot is reconciled, then applies configs, rules and counts', async () => {
    const files = { 'ns.yaml': NS('team-a', 'acme') + '---\n' + NS('team-b', 'globex'), 'a.yaml': AMC('team-a', 'oncall') + '---\n' + BAD_AMC('team-a') + '---\n' + RULE('team-a') };
    const h = harness(manifestsConfig(), files);
    sync = await createKubeSync(h.deps);
    expect(sync.ready()).toBe(false);
    sync.start();
    await sync.whenReady();
    expect(sync.ready()).toBe(true);
    expect([...h.configs.keys()]).toEqual(['acme']);
    expect(h.configs.get('acme')).toContain('namespace="team-a"');
    expect([...(h.rules.get('acme')?.keys() ?? [])]).toEqual(['team-a/r']);
    const st = sync.state();
    expect(st).toMatchObject({ source: 'manifests', synced: true, tenants: ['acme'], lastError: '' });
    expect(st.statuses.get('AlertmanagerConfig team-a/bad')).toMatchObject({ accepted: false, tenant: 'acme' });
    expect(st.statuses.get('AlertmanagerConfig team-a/oncall')).toEqual({ accepted: true, reason: '', tenant: 'acme' });
    expect(sync.tenantView('acme').objects).toEqual([
      { kind: 'AlertmanagerConfig', namespace: 'team-a', name: 'bad', accepted: false, reason: expect.stringMatching(/nowhere/) as unknown },
      { kind: 'AlertmanagerConfig', namespace: 'team-a', name: 'oncall', accepted: true, reason: '' },
      { kind: 'PrometheusRule', namespace: 'team-a', name: 'r', accepted: true, reason: '' },
    ]);
    expect(sync.tenantView('globex')).toMatchObject({ source: 'manifests', synced: true, objects: [] });
    expect(h.objects.at(-1)).toEqual(
      expect.arrayContaining([
        { tenant: 'acme', kind: 'AlertmanagerConfig', result: 'accepted', count: 1 },
        { tenant: 'acme', kind: 'AlertmanagerConfig', result: 'rejected', count: 1 },
        { tenant: 'acme', kind: 'PrometheusRule', result: 'accepted', count: 1 },
      ]),
    );
  });

  it('follows the directory, and a broken file keeps its last good version', async () => {
    const files: Record<string, string> = { 'ns.yaml': NS('team-a', 'acme'), 'a.yaml': AMC('team-a', 'oncall') };
    const h = harness(manifestsConfig(1000), files);
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    files['a.yaml'] = AMC('team-a', 'oncall', 'https://hooks.example.org/changed');
    const poll = (check: () => void): Promise<void> =>
      vi.waitFor(() => {
        h.clock.advance(1000);
        check();
      });
    await poll(() => expect(h.configs.get('acme')).toContain('/changed'));
    files['a.yaml'] = 'kind: [\n';
    await poll(() => expect(sync?.state().keptFiles).toEqual(['/m/a.yaml']));
    expect(sync.state().manifestProblems.map((p) => p.file)).toEqual(['/m/a.yaml']);
    expect(h.configs.get('acme')).toContain('/changed');
    delete files['a.yaml'];
    await poll(() => expect(h.configs.has('acme')).toBe(false));
    expect(h.calls.at(-1)).toEqual(['acme', 'null']);
  });

  it('renders onto a new upload when told the base changed', async () => {
    const files = { 'ns.yaml': NS('team-a', 'acme'), 'a.yaml': AMC('team-a', 'oncall') };
    const h = harness(manifestsConfig(), files);
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    h.uploads.set('acme', 'route:\n  receiver: uploaded\nreceivers:\n  - name: uploaded\n');
    sync.baseChanged('acme');
    await vi.waitFor(() => expect(h.configs.get('acme')).toContain('receiver: uploaded'));
    expect(h.configs.get('acme')).toContain('namespace="team-a"');
  });

  it('re-renders on a new fallback; a reload to no source gives every tenant its own configuration back', async () => {
    const files = { 'ns.yaml': NS('team-a', 'acme'), 'a.yaml': AMC('team-a', 'oncall') + '---\n' + RULE('team-a') };
    const h = harness(manifestsConfig(), files);
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    await sync.reload(manifestsConfig(), FALLBACK.replaceAll('fallback', 'fallback2'));
    expect(h.configs.get('acme')).toContain('receiver: fallback2');
    await sync.reload(DEFAULT_KUBE_CONFIG, FALLBACK);
    expect(h.configs.size).toBe(0);
    expect(h.rules.size).toBe(0);
    expect(sync.state()).toMatchObject({ source: 'none', tenants: [] });
    expect(sync.ready()).toBe(true);
  });

  it('switches sources without a gap: tenants only the old one had are reverted after the new one synced', async () => {
    const files: Record<string, string> = { 'ns.yaml': NS('team-a', 'acme') + '---\n' + NS('team-b', 'globex'), 'a.yaml': AMC('team-a', 'oncall') + '---\n' + AMC('team-b', 'oncall') };
    const h = harness(manifestsConfig(), files);
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    expect([...h.configs.keys()].sort()).toEqual(['acme', 'globex']);
    files['ns.yaml'] = NS('team-a', 'acme');
    files['a.yaml'] = AMC('team-a', 'oncall', 'https://hooks.example.org/two');
    h.calls.length = 0;
    // Another poll interval: a new generation (new poller and reconciler).
    await sync.reload(manifestsConfig(2000), FALLBACK);
    await vi.waitFor(() => expect([...h.configs.keys()]).toEqual(['acme']));
    expect(h.configs.get('acme')).toContain('/two');
    expect(h.calls).toEqual([
      ['acme', 'config'],
      ['globex', 'null'],
    ]);
  });

  it('fails a reload with a source that cannot be set up and keeps the running one', async () => {
    const h = harness(manifestsConfig(), { 'ns.yaml': NS('team-a', 'acme'), 'a.yaml': AMC('team-a', 'oncall') }, {
      loadKubeconfig: () => Promise.reject(new Error('kubeconfig "/nope" does not load: ENOENT')),
    });
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    const k8s: KubeConfig = { ...DEFAULT_KUBE_CONFIG, source: { type: 'kubernetes', kubeconfig: '/nope', alertmanagerConfigVersion: 'v1beta1', writeStatus: true, watchSecrets: true } };
    await expect(sync.reload(k8s, FALLBACK)).rejects.toThrow(new KubeSyncSetupError('kube.kubernetes: kubeconfig "/nope" does not load: ENOENT'));
    const badPlatform: KubeConfig = { ...manifestsConfig(5000), alertmanager: { ...DEFAULT_KUBE_CONFIG.alertmanager, platformReceiver: { name: 'p', webhook_configs: [{ url: 'not a url' }] } } };
    await expect(sync.reload(badPlatform, FALLBACK)).rejects.toThrow(/^kube\.alertmanager\.platform_receiver: kube reconciler: the platform receiver or label does not load/);
    expect(sync.state().source).toBe('manifests');
    expect(h.configs.has('acme')).toBe(true);
  });

  it('is ready at once without a source', async () => {
    const h = harness(DEFAULT_KUBE_CONFIG, {});
    sync = await createKubeSync(h.deps);
    expect(sync.ready()).toBe(false);
    sync.start();
    expect(sync.ready()).toBe(true);
    expect(sync.state()).toMatchObject({ source: 'none', synced: true });
  });
});

describe('createKubeSync with a cluster', () => {
  let server: FakeApiServer | undefined;
  afterEach(async () => {
    await sync?.stop();
    sync = undefined;
    await server?.close();
  });

  it('watches the configured kinds, applies, and writes status back to the objects', async () => {
    server = await new FakeApiServer().start();
    const fake = server;
    fake.apply('namespaces', { metadata: { name: 'team-a', labels: { 'herald.io/tenant': 'acme' } } });
    fake.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'oncall' }, spec: { route: { receiver: 'hook' }, receivers: [{ name: 'hook', webhookConfigs: [{ url: 'https://hooks.example.org/x' }] }] } });
    fake.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'bad' }, spec: { route: { receiver: 'nowhere' } } });
    const settings = { type: 'kubernetes', alertmanagerConfigVersion: 'v1beta1', writeStatus: true, watchSecrets: false } as const;
    expect(watchedKinds(settings)).toEqual(['namespaces', 'alertmanagerconfigs/v1beta1', 'prometheusrules']);
    const h = harness({ ...DEFAULT_KUBE_CONFIG, source: settings }, {}, { clock: SYSTEM_CLOCK, debounceMs: 10, loadKubeconfig: () => Promise.resolve(fake.kubeConfig()) });
    sync = await createKubeSync(h.deps);
    sync.start();
    await sync.whenReady();
    expect(h.configs.get('acme')).toContain('namespace="team-a"');
    await vi.waitFor(() => {
      const conds = (fake.get('alertmanagerconfigs', 'team-a', 'bad')?.['status'] as { conditions?: Array<{ type: string; status: string; message: string }> } | undefined)?.conditions;
      expect(conds?.find((c) => c.type === 'Accepted')).toMatchObject({ status: 'False' });
    });
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/events'))).toBe(true);
    expect(fake.requests.some((r) => r.path.includes('/secrets'))).toBe(false);
    fake.delete('alertmanagerconfigs', 'team-a', 'oncall');
    fake.delete('alertmanagerconfigs', 'team-a', 'bad');
    await vi.waitFor(() => expect(h.configs.has('acme')).toBe(false));
  });
});
