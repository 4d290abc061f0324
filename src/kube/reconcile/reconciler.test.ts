import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../alertmanager/config/index.js';
import { RouteTree } from '../../alertmanager/route/index.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { AlertmanagerConfigObject, MonitoringObject, NamespaceInfo, ObjectStatus, PrometheusRuleObject, SecretReader } from '../api.js';
import { DEFAULT_KUBE_CONFIG } from '../tenancy/index.js';
import type { KubeConfig } from '../tenancy/index.js';
import { createReconciler } from './reconciler.js';
import type { ReconcileInput, ReconcilerOptions, TenantRuleNamespaces } from './reconciler.js';

type Obj = Record<string, unknown>;

const BASE = 'route:\n  receiver: tenant-default\nreceivers:\n  - name: tenant-default\n';
const PLATFORM_RECEIVER = { name: 'herald-platform', webhook_configs: [{ url: 'https://platform.example.org/hook' }] };

const CFG: KubeConfig = {
  ...DEFAULT_KUBE_CONFIG,
  tenancy: { ...DEFAULT_KUBE_CONFIG.tenancy, excludedNamespaces: ['kube-system'] },
  rules: { ...DEFAULT_KUBE_CONFIG.rules, platformNamespaces: ['monitoring'] },
};

function amc(ns: string, name: string, spec: unknown = webhookSpec('hook')): AlertmanagerConfigObject {
  return { apiVersion: 'monitoring.coreos.com/v1beta1', kind: 'AlertmanagerConfig', metadata: { namespace: ns, name, generation: 1 }, spec };
}

function webhookSpec(receiver: string, secret = 'hooks'): unknown {
  return { route: { receiver }, receivers: [{ name: receiver, webhookConfigs: [{ urlSecret: { name: secret, key: 'url' } }] }] };
}

function rule(ns: string, name: string, expr = 'up == 0'): PrometheusRuleObject {
  return { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { namespace: ns, name }, spec: { groups: [{ name: 'g', rules: [{ alert: 'Down', expr }] }] } };
}

function ns(name: string, tenant?: string, extra: Record<string, string> = {}): NamespaceInfo {
  return { name, labels: { ...(tenant === undefined ? {} : { 'herald.io/tenant': tenant }), ...extra } };
}

const SECRETS: Record<string, string> = { 'team-a/hooks/url': 'https://a.example.org/', 'team-b/hooks/url': 'https://b.example.org/' };
const secrets: SecretReader = (n, s, k) => Promise.resolve(SECRETS[`${n}/${s}/${k}`]);

const NAMESPACES = [ns('team-a', 'acme'), ns('team-b', 'acme'), ns('team-c', 'globex'), ns('monitoring', 'acme'), ns('kube-system', 'acme'), ns('orphan')];

function input(objects: MonitoringObject[], namespaces = NAMESPACES): ReconcileInput {
  return { objects, namespaces, secrets };
}

/** Fake sinks recording every call. */
function harness(over: Partial<ReconcilerOptions> = {}) {
  const configs: Array<[string, string | null]> = [];
  const rules: Array<[string, TenantRuleNamespaces]> = [];
  const statuses: Array<[string, ObjectStatus]> = [];
  const r = createReconciler({
    config: CFG,
    baseConfig: () => Promise.resolve(BASE),
    platformReceiver: PLATFORM_RECEIVER,
    logger: NOOP_LOGGER,
    sinks: {
      applyAlertmanagerConfig: (t, y) => Promise.resolve(void configs.push([t, y])),
      applyRules: (t, m) => Promise.resolve(void rules.push([t, m])),
      writeStatus: (o, s) => Promise.resolve(void statuses.push([`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, s])),
    },
    ...over,
  });
  return { r, configs, rules, statuses };
}

function receivers(yaml: string): string[] {
  return ((parse(yaml) as Obj)['receivers'] as Obj[]).map((x) => String(x['name']));
}

/** Receivers an alert with `labels` is sent to. */
function routeOf(yaml: string, labels: Record<string, string>): string[] {
  const loaded = loadConfig(yaml);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return new RouteTree(loaded.value.route).match(labels).map((r) => r.receiver);
}

describe('createReconciler', () => {
  it('maps objects to tenants by namespace label and renders each tenant apart', async () => {
    const h = harness();
    const rep = await h.r.reconcile(input([amc('team-a', 'a'), amc('team-b', 'b'), amc('team-c', 'c', webhookSpec('hook', 'missing')), rule('team-a', 'r'), rule('team-c', 'r')]));
    expect(rep.tenants).toEqual(['acme', 'globex']);
    expect(h.configs.map(([t]) => t)).toEqual(['acme', 'globex']);
    const acme = h.configs[0]?.[1] ?? '';
    expect(receivers(acme)).toEqual(['tenant-default', 'herald-platform', 'team-a/a/hook', 'team-b/b/hook']);
    // globex's only AlertmanagerConfig reads a secret that does not exist: rejected, the rest of globex renders.
    expect(receivers(h.configs[1]?.[1] ?? '')).toEqual(['tenant-default', 'herald-platform']);
    expect(h.rules.map(([t, m]) => [t, [...m.keys()]])).toEqual([
      ['acme', ['team-a/r']],
      ['globex', ['team-c/r']],
    ]);
    expect(rep.statuses.get('AlertmanagerConfig team-c/c')).toMatchObject({ accepted: false, tenant: 'globex' });
    expect(rep.statuses.get('AlertmanagerConfig team-c/c')?.reason).toMatch(/missing/);
    expect(rep.statuses.get('PrometheusRule team-a/r')).toEqual({ accepted: true, reason: '', tenant: 'acme' });
  });

  it('applies configs, rules and statuses only when they change', async () => {
    const h = harness();
    const objs = [amc('team-a', 'a'), rule('team-a', 'r')];
    await h.r.reconcile(input(objs));
    expect([h.configs.length, h.rules.length, h.statuses.length]).toEqual([1, 1, 2]);
    const again = await h.r.reconcile(input(objs.map((o) => ({ ...o }))));
    expect([h.configs.length, h.rules.length, h.statuses.length]).toEqual([1, 1, 2]);
    expect(again.appliedConfigs).toEqual([]);
    // A new rule expression changes the rules only; the config stays as it is.
    await h.r.reconcile(input([objs[0] as MonitoringObject, rule('team-a', 'r', 'up < 1')]));
    expect([h.configs.length, h.rules.length, h.statuses.length]).toEqual([1, 2, 2]);
    expect(h.rules[1]?.[1].get('team-a/r')?.[0]?.rules[0]?.expr).toBe('up{namespace="team-a"} < 1');
    // A new generation re-writes the status (observedGeneration), nothing else.
    const bumped = amc('team-a', 'a');
    await h.r.reconcile(input([{ ...bumped, metadata: { ...bumped.metadata, generation: 2 } }, rule('team-a', 'r', 'up < 1')]));
    expect([h.configs.length, h.rules.length, h.statuses.length]).toEqual([1, 2, 3]);
  });

  it('rejects a bad object alone, with a reason, and keeps the others live', async () => {
    const h = harness();
    const bad = amc('team-a', 'bad', { route: { receiver: 'nowhere' } });
    const badRule = rule('team-a', 'bad-rule', 'sum(');
    const rep = await h.r.reconcile(input([bad, amc('team-a', 'good'), badRule, rule('team-a', 'good-rule')]));
    expect(receivers(h.configs[0]?.[1] ?? '')).toContain('team-a/good/hook');
    expect([...(h.rules[0]?.[1].keys() ?? [])]).toEqual(['team-a/good-rule']);
    const s = new Map(h.statuses);
    expect(s.get('AlertmanagerConfig team-a/bad')?.accepted).toBe(false);
    expect(s.get('AlertmanagerConfig team-a/bad')?.reason).toMatch(/nowhere/);
    expect(s.get('PrometheusRule team-a/bad-rule')?.accepted).toBe(false);
    expect(s.get('PrometheusRule team-a/bad-rule')?.reason).not.toBe('');
    expect(s.get('AlertmanagerConfig team-a/good')).toEqual({ accepted: true, reason: '', tenant: 'acme' });
    expect(rep.tenantErrors.size).toBe(0);
  });

  it('leaves objects the operator excludes alone and says why when no tenant mapping matched', async () => {
    const h = harness();
    const optedOut = ns('team-x', 'acme', { 'herald.io/user-monitoring': 'false' });
    const rep = await h.r.reconcile(input([amc('kube-system', 'k'), amc('team-x', 'x'), amc('orphan', 'o')], [...NAMESPACES, optedOut]));
    expect(rep.tenants).toEqual([]);
    expect(h.configs).toEqual([]);
    expect(h.statuses).toEqual([['AlertmanagerConfig orphan/o', { accepted: true, reason: 'no tenant mapping rule matched namespace "orphan"', tenant: '' }]]);
  });

  it('removes the rules and returns the config to the base when a tenant has no object left', async () => {
    const h = harness();
    await h.r.reconcile(input([amc('team-a', 'a'), rule('team-a', 'r'), amc('team-c', 'c')]));
    const rep = await h.r.reconcile(input([amc('team-c', 'c')]));
    expect(rep.tenants).toEqual(['globex']);
    expect(h.configs.slice(2)).toEqual([['acme', null]]);
    expect(h.rules.slice(1)).toEqual([['acme', new Map()]]);
    expect(h.r.tenants()).toEqual(['globex']);
    // Nothing left to undo: a further run with the same input does nothing.
    await h.r.reconcile(input([amc('team-c', 'c')]));
    expect([h.configs.length, h.rules.length]).toEqual([3, 2]);
  });

  it('keeps the last config when the base does not load, rejecting the tenant objects with why', async () => {
    let base = BASE;
    const h = harness({ baseConfig: () => Promise.resolve(base) });
    await h.r.reconcile(input([amc('team-a', 'a')]));
    base = 'route: {receiver: missing}\n';
    const rep = await h.r.refresh();
    expect(h.configs).toHaveLength(1);
    expect(rep?.tenantErrors.get('acme')).toMatch(/base Alertmanager configuration is invalid/);
    expect(rep?.statuses.get('AlertmanagerConfig team-a/a')?.accepted).toBe(false);
    base = BASE.replace('tenant-default', 'tenant-new').replace('tenant-default', 'tenant-new');
    await h.r.refresh();
    expect(receivers(h.configs[1]?.[1] ?? '')[0]).toBe('tenant-new');
  });

  it('refuses a base that defines the platform receiver itself', async () => {
    const h = harness({ baseConfig: () => Promise.resolve('route: {receiver: herald-platform}\nreceivers: [{name: herald-platform}]\n') });
    const rep = await h.r.reconcile(input([amc('team-a', 'a')]));
    expect(h.configs).toEqual([]);
    expect(rep.tenantErrors.get('acme')).toMatch(/reserved for platform alerts/);
  });

  it('renders again when a secret it read changed, though the objects did not', async () => {
    const values: Record<string, string> = { ...SECRETS };
    const h = harness();
    const rotating: SecretReader = (n, s, k) => Promise.resolve(values[`${n}/${s}/${k}`]);
    await h.r.reconcile({ objects: [amc('team-a', 'a')], namespaces: NAMESPACES, secrets: rotating });
    await h.r.reconcile({ objects: [amc('team-a', 'a')], namespaces: NAMESPACES, secrets: rotating });
    expect(h.configs).toHaveLength(1);
    values['team-a/hooks/url'] = 'https://rotated.example.org/';
    await h.r.reconcile({ objects: [amc('team-a', 'a')], namespaces: NAMESPACES, secrets: rotating });
    expect(h.configs).toHaveLength(2);
    expect(h.configs[1]?.[1]).toContain('https://rotated.example.org/');
  });

  it('refuses a platform receiver that does not load', () => {
    expect(() => harness({ platformReceiver: { name: 'p', webhook_configs: [{ url: 'not a url' }] } })).toThrow(/kube reconciler: the platform receiver or label does not load/);
    expect(() => harness({ platformReceiver: { webhook_configs: [] } })).toThrow(/needs a non-empty name/);
  });

  it('retries a sink that failed on the next run', async () => {
    let fail = true;
    const applied: string[] = [];
    const r = createReconciler({
      config: CFG,
      baseConfig: () => Promise.resolve(BASE),
      logger: NOOP_LOGGER,
      sinks: {
        applyAlertmanagerConfig: (t) => (fail ? Promise.reject(new Error('engine down')) : Promise.resolve(void applied.push(t))),
        applyRules: () => Promise.resolve(),
      },
    });
    const first = await r.reconcile(input([amc('team-a', 'a')]));
    expect(first.appliedConfigs).toEqual([]);
    fail = false;
    await r.reconcile(input([amc('team-a', 'a')]));
    expect(applied).toEqual(['acme']);
  });
});

describe('platform route', () => {
  it('sends every platform alert to the platform receiver only, and no user alert there', async () => {
    const base = `route:
  receiver: tenant-default
  routes:
    - {receiver: tenant-pager, matchers: [severity="page"]}
    - {receiver: tenant-catchall, matchers: [namespace=~".+"], continue: true}
receivers: [{name: tenant-default}, {name: tenant-pager}, {name: tenant-catchall}]
`;
    const h = harness({ baseConfig: () => Promise.resolve(base) });
    await h.r.reconcile(input([amc('team-a', 'a'), rule('monitoring', 'platform-rules')]));
    const yaml = h.configs[0]?.[1] ?? '';
    // A platform alert in a user namespace, with a severity the base routes: still the platform's alone.
    expect(routeOf(yaml, { alertname: 'KubePodCrashLooping', alert_source: 'platform', namespace: 'team-a', severity: 'page' })).toEqual(['herald-platform']);
    expect(routeOf(yaml, { alertname: 'Watchdog', alert_source: 'platform' })).toEqual(['herald-platform']);
    // User alerts: the object's route (continue: true), then the base's routes; never the platform receiver.
    expect(routeOf(yaml, { alertname: 'Down', namespace: 'team-a', severity: 'page' })).toEqual(['team-a/a/hook', 'tenant-pager']);
    expect(routeOf(yaml, { alertname: 'Down', namespace: 'team-b' })).toEqual(['tenant-catchall']);
    expect(routeOf(yaml, { alertname: 'Down', alert_source: 'user' })).toEqual(['tenant-default']);
  });

  it('keeps object inhibit rules off platform alerts, and leaves the base inhibit rules alone', async () => {
    const base = `${BASE}inhibit_rules:\n  - {source_matchers: [severity="critical"], target_matchers: [severity="warning"]}\n`;
    const h = harness({ baseConfig: () => Promise.resolve(base) });
    const spec = { route: { receiver: 'hook' }, receivers: [{ name: 'hook' }], inhibitRules: [{ sourceMatch: [{ name: 'alertname', value: 'NodeDown' }], targetMatch: [{ name: 'severity', value: 'warning' }] }] };
    await h.r.reconcile(input([amc('team-a', 'a', spec)]));
    const rules = (parse(h.configs[0]?.[1] ?? '') as Obj)['inhibit_rules'] as Obj[];
    expect(rules[0]?.['target_matchers']).toEqual(['severity="warning"']);
    expect(rules[1]?.['target_matchers']).toEqual(expect.arrayContaining(['alert_source!="platform"', 'namespace="team-a"']));
    expect(loadConfig(h.configs[0]?.[1] ?? '').ok).toBe(true);
  });

  it('labels platform rules and forbids the label in user rules', async () => {
    const h = harness();
    const userRule: PrometheusRuleObject = {
      ...rule('team-a', 'sneaky'),
      spec: { groups: [{ name: 'g', rules: [{ alert: 'X', expr: 'up == 0', labels: { alert_source: 'platform' } }] }] },
    };
    const rep = await h.r.reconcile(input([rule('monitoring', 'platform-rules'), userRule]));
    const groups = h.rules[0]?.[1];
    expect([...(groups?.keys() ?? [])]).toEqual(['monitoring/platform-rules']);
    expect(groups?.get('monitoring/platform-rules')?.[0]?.rules[0]?.labels).toEqual({ alert_source: 'platform' });
    expect(rep.statuses.get('PrometheusRule team-a/sneaky')?.reason).toMatch(/reserved for platform rules/);
  });

  it('is absent when no platform receiver is configured', async () => {
    const seen: string[] = [];
    const r = createReconciler({
      config: CFG,
      baseConfig: () => Promise.resolve(BASE),
      logger: NOOP_LOGGER,
      sinks: { applyAlertmanagerConfig: (_t, y) => Promise.resolve(void seen.push(y ?? '')), applyRules: () => Promise.resolve() },
    });
    await r.reconcile(input([amc('team-a', 'a')]));
    expect(receivers(seen[0] ?? '')).toEqual(['tenant-default', 'team-a/a/hook']);
    expect(routeOf(seen[0] ?? '', { alert_source: 'platform', namespace: 'team-a' })).toEqual(['team-a/a/hook']);
  });
});
