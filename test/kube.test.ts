/**
 * Issue 8 end to end: `herald serve` watching a (fake) Kubernetes API server, and a GitOps manifest
 * directory. Tenants get routes and rules from AlertmanagerConfig and PrometheusRule objects of
 * their namespaces; a bad object is rejected alone, with its status and an event; other tenants
 * see none of it. The fake API server runs in this process and speaks the list/watch protocol.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { FakeApiServer, FAKE_TOKEN } from '../src/kube/watch/fake-apiserver.test-util.js';
import { alert, request } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

const TENANT = 'acme';
const OTHER = 'globex';
/** Webhooks here listen on loopback, which the receiver firewall blocks for tenant input by default. */
const FIREWALL = "alertmanager:\n  receivers_firewall:\n    allow_cidrs: ['127.0.0.1/32']\n";
const WAIT = { timeout: 20_000, interval: 100 };

interface StatusCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

interface RulesReply {
  readonly data: { readonly groups: ReadonlyArray<{ readonly name: string; readonly file: string; readonly rules: ReadonlyArray<{ readonly name: string; readonly query: string }> }> };
}

async function configOf(server: ServerHandle, tenant: string): Promise<string> {
  const r = await request('GET', `${server.url}/api/v2/status`, { tenant });
  expect(r.status, r.text).toBe(200);
  return r.json<{ config: { original: string } }>().config.original;
}

async function rulesOf(server: ServerHandle, tenant: string): Promise<RulesReply['data']['groups']> {
  const r = await request('GET', `${server.url}/prometheus/api/v1/rules`, { tenant });
  expect(r.status, r.text).toBe(200);
  return r.json<RulesReply>().data.groups;
}

interface ObjectsReply {
  readonly source: string;
  readonly synced: boolean;
  readonly objects: ReadonlyArray<{ kind: string; namespace: string; name: string; accepted: boolean; reason: string }>;
}

async function objectsOf(server: ServerHandle, tenant: string): Promise<ObjectsReply> {
  const r = await request('GET', `${server.url}/api/herald/v1/kube/objects`, { tenant });
  expect(r.status, r.text).toBe(200);
  return r.json<ObjectsReply>();
}

async function metricsText(server: ServerHandle): Promise<string> {
  return (await request('GET', `${server.url}/metrics`)).text;
}

function kubeconfigYaml(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: fake',
    // The client refuses plain http unless TLS verification is off.
    `    cluster: { server: "${url}", insecure-skip-tls-verify: true }`,
    'users:',
    `  - name: herald`,
    `    user: { token: ${FAKE_TOKEN} }`,
    'contexts:',
    '  - name: fake',
    '    context: { cluster: fake, user: herald }',
    'current-context: fake',
    '',
  ].join('\n');
}

function webhookSpec(): Record<string, unknown> {
  return {
    route: { receiver: 'hook', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s' },
    receivers: [{ name: 'hook', webhookConfigs: [{ urlSecret: { name: 'hooks', key: 'url' }, sendResolved: false }] }],
  };
}

describeHeraldOnly([], 'kube: watching a cluster', () => {
  let fake: FakeApiServer;
  let hook: WebhookReceiver;
  let server: ServerHandle;

  beforeAll(async () => {
    [fake, hook] = await Promise.all([new FakeApiServer().start(), WebhookReceiver.start()]);
    fake.apply('namespaces', { metadata: { name: 'team-a', labels: { 'herald.io/tenant': TENANT } } });
    fake.apply('namespaces', { metadata: { name: 'shop', labels: { 'herald.io/tenant': OTHER } } });
    fake.apply('secrets', { metadata: { namespace: 'team-a', name: 'hooks' }, data: { url: Buffer.from(hook.url('/team-a')).toString('base64') } });
    fake.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'oncall' }, spec: webhookSpec() });
    fake.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'broken' }, spec: { route: { receiver: 'nowhere' } } });
    fake.apply('prometheusrules', {
      metadata: { namespace: 'team-a', name: 'api' },
      spec: { groups: [{ name: 'api.rules', rules: [{ alert: 'APIDown', expr: 'up{job="api"} == 0', for: '5m' }] }] },
    });
    const storageDir = await mkdtemp(join(tmpdir(), 'herald-e2e-kube-'));
    // Relative: resolved from the config file's directory (the storage dir, where startServer writes herald.yml).
    await writeFile(join(storageDir, 'kubeconfig.yaml'), kubeconfigYaml(fake.url));
    // The API server is down at first: Herald listens, but is not ready until it has synced.
    fake.failNext(Number.MAX_SAFE_INTEGER);
    server = await startServer({ storageDir, heraldConfig: `${FIREWALL}kube:\n  kubernetes:\n    kubeconfig: kubeconfig.yaml\n    alertmanagerconfig_version: v1beta1\n` });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await Promise.all([hook?.close(), fake?.close()]);
  });

  it('is ready once the first snapshot is reconciled', async () => {
    const before = await request('GET', `${server.url}/-/ready`);
    expect(before.status).toBe(503);
    expect(before.text).toContain('the kube source (kubernetes) has not been reconciled yet');
    expect((await request('GET', `${server.url}/-/healthy`)).status).toBe(200);
    fake.failNext(0);
    await vi.waitFor(async () => expect((await request('GET', `${server.url}/-/ready`)).status).toBe(200), WAIT);
    expect(server.logs()).toContain('first reconcile of the kube source done');
  });

  it("renders the valid object into the tenant's routing, with the namespace matcher", async () => {
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).toContain('team-a/oncall/hook'), WAIT);
    const cfg = await configOf(server, TENANT);
    expect(cfg).toContain('namespace="team-a"');
    expect(cfg).not.toContain('nowhere');
    const posted = await request('POST', `${server.url}/api/v2/alerts`, { tenant: TENANT, body: [alert({ alertname: 'KubeRouted', namespace: 'team-a' })] });
    expect(posted.status, posted.text).toBe(200);
    const [n] = await hook.waitFor(1, 20_000, (x) => x.payload.commonLabels['alertname'] === 'KubeRouted');
    expect(n?.path).toBe('/team-a');
    expect(n?.payload.receiver).toBe('team-a/oncall/hook');
  });

  it('rejects the invalid object alone: status condition Accepted=False with the reason, and an event', async () => {
    const conditions = (name: string): StatusCondition[] => ((fake.get('alertmanagerconfigs', 'team-a', name)?.['status'] as { conditions?: StatusCondition[] } | undefined)?.conditions ?? []);
    await vi.waitFor(() => expect(conditions('broken').find((c) => c.type === 'Accepted')?.status).toBe('False'), WAIT);
    const accepted = conditions('broken').find((c) => c.type === 'Accepted');
    expect(accepted?.message).toMatch(/nowhere/);
    await vi.waitFor(() => expect(conditions('oncall').find((c) => c.type === 'Accepted')?.status).toBe('True'), WAIT);
    const events = fake.requests.filter((r) => r.method === 'POST' && r.path === '/apis/events.k8s.io/v1/namespaces/team-a/events');
    expect(events.map((e) => (JSON.parse(e.body) as { regarding?: { name?: string } }).regarding?.name)).toContain('broken');
    expect(await metricsText(server)).toMatch(/herald_kube_objects\{tenant="acme",kind="AlertmanagerConfig",result="rejected"\} 1/);
    const view = await objectsOf(server, TENANT);
    expect(view.objects.find((o) => o.name === 'broken')).toMatchObject({ kind: 'AlertmanagerConfig', namespace: 'team-a', accepted: false, reason: expect.stringMatching(/nowhere/) as unknown });
  });

  it("puts the PrometheusRule's group in the tenant's rules with the namespace enforced, read-only", async () => {
    await vi.waitFor(async () => expect((await rulesOf(server, TENANT)).map((g) => g.name)).toContain('api.rules'), WAIT);
    const group = (await rulesOf(server, TENANT)).find((g) => g.name === 'api.rules');
    expect(group?.file).toBe('team-a/api');
    expect(group?.rules[0]?.query).toMatch(/namespace="team-a"/);
    const ns = encodeURIComponent('team-a/api');
    const post = await request('POST', `${server.url}/prometheus/config/v1/rules/${ns}`, {
      tenant: TENANT,
      raw: 'name: api.rules\nrules:\n  - alert: Quiet\n    expr: vector(0)\n',
      contentType: 'application/yaml',
    });
    expect(post.status, post.text).toBe(409);
    const del = await request('DELETE', `${server.url}/prometheus/config/v1/rules/${ns}/api.rules`, { tenant: TENANT });
    expect(del.status, del.text).toBe(409);
  });

  it('shows another tenant none of it', async () => {
    expect(await configOf(server, OTHER)).not.toContain('team-a');
    expect(await rulesOf(server, OTHER)).toEqual([]);
  });

  it("renders onto the tenant's new upload", async () => {
    const body = 'alertmanager_config: |\n  route:\n    receiver: uploaded-default\n  receivers:\n    - name: uploaded-default\ntemplate_files: {}\n';
    const up = await request('POST', `${server.url}/api/v1/alerts`, { tenant: TENANT, raw: body, contentType: 'application/yaml' });
    expect(up.status, up.text).toBeLessThan(300);
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).toContain('receiver: uploaded-default'), WAIT);
    expect(await configOf(server, TENANT)).toContain('team-a/oncall/hook');
  });

  it('removes the routes when the object is deleted', async () => {
    fake.delete('alertmanagerconfigs', 'team-a', 'oncall');
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).not.toContain('team-a/oncall'), WAIT);
    expect(await configOf(server, TENANT)).toContain('receiver: uploaded-default');
  });
});

describeHeraldOnly([], 'kube: a GitOps manifest directory', () => {
  let hook: WebhookReceiver;
  let server: ServerHandle;
  let dir: string;
  let storageDir: string;

  const namespaces = `apiVersion: v1\nkind: Namespace\nmetadata: { name: team-a, labels: { herald.io/tenant: ${TENANT} } }\n`;
  /** The receiver is named after the path: webhook URLs are masked in /api/v2/status. */
  const routing = (path: string): string =>
    [
      'apiVersion: monitoring.coreos.com/v1beta1',
      'kind: AlertmanagerConfig',
      'metadata: { name: oncall, namespace: team-a }',
      'spec:',
      `  route: { receiver: hook${path.replace('/', '-')}, groupBy: [alertname], groupWait: 0s }`,
      `  receivers: [{ name: hook${path.replace('/', '-')}, webhookConfigs: [{ url: "${hook.url(path)}" }] }]`,
      '---',
      'apiVersion: monitoring.coreos.com/v1',
      'kind: PrometheusRule',
      'metadata: { name: api, namespace: team-a }',
      'spec:',
      '  groups: [{ name: api.rules, rules: [{ alert: APIDown, expr: "up == 0" }] }]',
      '',
    ].join('\n');
  const heraldConfig = (kube: string): string => `${FIREWALL}${kube}`;
  const receiver = (path: string): string => `team-a/oncall/hook${path.replace('/', '-')}`;
  const MANIFESTS = 'kube:\n  manifests:\n    directory: manifests\n    poll_interval: 200ms\n';

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    storageDir = await mkdtemp(join(tmpdir(), 'herald-e2e-gitops-'));
    dir = join(storageDir, 'manifests');
    await mkdir(join(dir, 'team-a'), { recursive: true });
    await writeFile(join(dir, 'namespaces.yaml'), namespaces);
    await writeFile(join(dir, 'team-a', 'routing.yaml'), routing('/v1'));
    await writeFile(join(dir, 'team-a', 'bad.yaml'), 'apiVersion: monitoring.coreos.com/v1beta1\nkind: AlertmanagerConfig\nmetadata: { name: bad, namespace: team-a }\nspec: { route: { receiver: nowhere } }\n');
    server = await startServer({ storageDir, heraldConfig: heraldConfig(MANIFESTS) });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
  });

  it('routes and rules come from the directory, for that tenant only', async () => {
    await vi.waitFor(async () => expect((await request('GET', `${server.url}/-/ready`)).status).toBe(200), WAIT);
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).toContain(receiver('/v1')), WAIT);
    expect(await configOf(server, TENANT)).toContain('namespace="team-a"');
    await vi.waitFor(async () => expect((await rulesOf(server, TENANT)).find((g) => g.name === 'api.rules')?.rules[0]?.query).toMatch(/namespace="team-a"/), WAIT);
    expect(await configOf(server, OTHER)).not.toContain('team-a');
    expect(await rulesOf(server, OTHER)).toEqual([]);
  });

  it('tells the tenant, and only it, which object was rejected and why', async () => {
    const view = await objectsOf(server, TENANT);
    expect(view).toMatchObject({ source: 'manifests', synced: true });
    expect(view.objects.map((o) => `${o.kind} ${o.namespace}/${o.name} ${o.accepted}`)).toEqual([
      'AlertmanagerConfig team-a/bad false',
      'AlertmanagerConfig team-a/oncall true',
      'PrometheusRule team-a/api true',
    ]);
    expect(view.objects[0]?.reason).toMatch(/nowhere/);
    expect(server.logs()).toContain('object rejected');
    expect((await objectsOf(server, OTHER)).objects).toEqual([]);
  });

  it('picks up an edited file', async () => {
    await writeFile(join(dir, 'team-a', 'routing.yaml'), routing('/v2'));
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).toContain(receiver('/v2')), WAIT);
    const posted = await request('POST', `${server.url}/api/v2/alerts`, { tenant: TENANT, body: [alert({ alertname: 'GitOpsRouted', namespace: 'team-a' })] });
    expect(posted.status, posted.text).toBe(200);
    const [n] = await hook.waitFor(1, 20_000, (x) => x.payload.commonLabels['alertname'] === 'GitOpsRouted');
    expect(n?.path).toBe('/v2');
  });

  it('keeps the last good state of a broken file and reports it', async () => {
    await writeFile(join(dir, 'team-a', 'routing.yaml'), `${routing('/v3')}  receivers: [oops\n`);
    await vi.waitFor(() => expect(server.logs()).toContain('manifest files with problems: using their last good version'), WAIT);
    expect(await metricsText(server)).toMatch(/herald_kube_manifest_problems [1-9]/);
    const cfg = await configOf(server, TENANT);
    expect(cfg).toContain(receiver('/v2'));
    expect(cfg).not.toContain(receiver('/v3'));
  });

  it('a reload with a kube section that cannot be set up fails and keeps the running source', async () => {
    await writeFile(join(storageDir, 'herald.yml'), heraldConfig('kube:\n  kubernetes:\n    kubeconfig: missing-kubeconfig.yaml\n'));
    const r = await request('POST', `${server.url}/-/reload`);
    expect(r.status).toBe(500);
    expect(r.text).toMatch(/kube\.kubernetes: kubeconfig ".*missing-kubeconfig\.yaml" does not load/);
    await writeFile(join(dir, 'team-a', 'routing.yaml'), routing('/v4'));
    await vi.waitFor(async () => expect(await configOf(server, TENANT)).toContain(receiver('/v4')), WAIT);
  });

  it('a reload without a source gives the tenant its own configuration back', async () => {
    await writeFile(join(storageDir, 'herald.yml'), heraldConfig(''));
    const r = await request('POST', `${server.url}/-/reload`);
    expect(r.status, r.text).toBe(200);
    expect(await configOf(server, TENANT)).not.toContain('team-a');
    expect(await rulesOf(server, TENANT)).toEqual([]);
  });
});
