/**
 * Tenant isolation over HTTP: each tenant uploads its own Alertmanager config (Mimir's
 * POST /api/v1/alerts), and alerts, silences, groups, status and notifications never cross.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { alert, request, silence, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { sleep, WebhookReceiver } from './helpers/webhook.js';

/** Mimir's config upload body: the Alertmanager config as a string, plus template files. */
function mimirBody(amConfig: string, templates: Record<string, string> = {}): string {
  const indent = (s: string): string => s.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
  const lines = ['alertmanager_config: |', indent(amConfig)];
  const names = Object.keys(templates);
  if (names.length === 0) lines.push('template_files: {}');
  else {
    lines.push('template_files:');
    for (const n of names) lines.push(`  ${n}: |`, indent(indent(templates[n]!)));
  }
  return `${lines.join('\n')}\n`;
}

async function upload(server: ServerHandle, tenant: string, body: string): Promise<{ status: number; text: string }> {
  return request('POST', `${server.url}/api/v1/alerts`, { tenant, raw: body, contentType: 'application/yaml' });
}

type Gettable = Array<{ labels: Record<string, string>; receivers: Array<{ name: string }> }>;

describeHeraldOnly([], 'multi-tenancy', () => {
  let server: ServerHandle;
  let hookA: WebhookReceiver;
  let hookB: WebhookReceiver;
  const A = 'team-a';
  const B = 'team-b';
  const v2 = (p: string): string => `${server.url}/api/v2${p}`;

  beforeAll(async () => {
    [hookA, hookB] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
    // Tenants' webhooks here listen on loopback, which the receiver firewall blocks by default.
    server = await startServer({ heraldConfig: "alertmanager:\n  receivers_firewall:\n    allow_cidrs: ['127.0.0.1/32']\n" });
    const a = await upload(server, A, mimirBody(webhookConfig(hookA.url('/a'), { receiver: 'a-hook' })));
    expect(a.status, a.text).toBeGreaterThanOrEqual(200);
    expect(a.status, a.text).toBeLessThan(300);
    const b = await upload(server, B, mimirBody(webhookConfig(hookB.url('/b'), { receiver: 'b-hook' })));
    expect(b.status, b.text).toBeLessThan(300);
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await Promise.all([hookA?.close(), hookB?.close()]);
  });

  it('each tenant reads back its own config', async () => {
    const a = await request('GET', `${server.url}/api/v1/alerts`, { tenant: A });
    expect(a.status).toBe(200);
    expect(a.text).toContain('alertmanager_config');
    expect(a.text).toContain('a-hook');
    expect(a.text).not.toContain('b-hook');
    const b = await request('GET', `${server.url}/api/v1/alerts`, { tenant: B });
    expect(b.text).toContain('b-hook');
    expect(b.text).not.toContain('a-hook');
  });

  it('alerts are routed only to their own tenant receiver', async () => {
    // Same alertname in both tenants: isolation must not depend on labels.
    expect((await request('POST', v2('/alerts'), { tenant: A, body: [alert({ alertname: 'Shared', instance: 'a1' }), alert({ alertname: 'OnlyA', instance: 'a2' })] })).status).toBe(200);
    expect((await request('POST', `${server.url}/alertmanager/api/v2/alerts`, { tenant: B, body: [alert({ alertname: 'Shared', instance: 'b1' })] })).status).toBe(200);

    await hookA.waitFor(2, 20_000);
    await hookB.waitFor(1, 20_000);
    await sleep(2500);
    const instances = (h: WebhookReceiver): Set<string> => new Set(h.received().flatMap((n) => n.payload.alerts.map((x) => x.labels['instance'] ?? '')));
    expect(instances(hookA)).toEqual(new Set(['a1', 'a2']));
    expect(instances(hookB)).toEqual(new Set(['b1']));
    for (const n of hookA.received()) expect(n.payload.receiver).toBe('a-hook');
    for (const n of hookB.received()) expect(n.payload.receiver).toBe('b-hook');
  });

  it('GET alerts and groups of one tenant never show the other', async () => {
    for (const prefix of ['/api/v2', '/alertmanager/api/v2']) {
      const a = (await request('GET', `${server.url}${prefix}/alerts`, { tenant: A })).json<Gettable>();
      expect(a.map((x) => x.labels['instance']).sort()).toEqual(['a1', 'a2']);
      expect(a.every((x) => x.receivers.every((r) => r.name === 'a-hook'))).toBe(true);
      const b = (await request('GET', `${server.url}${prefix}/alerts`, { tenant: B })).json<Gettable>();
      expect(b.map((x) => x.labels['instance'])).toEqual(['b1']);
    }
    const groupsA = (await request('GET', v2('/alerts/groups'), { tenant: A })).json<Array<{ receiver: { name: string }; alerts: Gettable }>>();
    expect(groupsA.map((g) => g.receiver.name)).toEqual(['a-hook', 'a-hook']);
    expect(groupsA.flatMap((g) => g.alerts.map((x) => x.labels['instance'])).sort()).toEqual(['a1', 'a2']);
    const groupsB = (await request('GET', v2('/alerts/groups'), { tenant: B })).json<Array<{ alerts: Gettable }>>();
    expect(groupsB.flatMap((g) => g.alerts.map((x) => x.labels['instance']))).toEqual(['b1']);
    const other = (await request('GET', v2('/alerts'), { tenant: 'team-c' })).json<Gettable>();
    expect(other).toEqual([]);
  });

  it('silences are per tenant: invisible and immutable from another tenant', async () => {
    const created = await request('POST', v2('/silences'), { tenant: B, body: silence({ alertname: 'Shared' }) });
    expect(created.status, created.text).toBe(200);
    const id = created.json<{ silenceID: string }>().silenceID;

    const listA = (await request('GET', v2('/silences'), { tenant: A })).json<Array<{ id: string }>>();
    expect(listA.map((s) => s.id)).not.toContain(id);
    expect((await request('GET', v2(`/silence/${id}`), { tenant: A })).status).toBe(404);
    expect((await request('DELETE', v2(`/silence/${id}`), { tenant: A })).status).toBe(404);
    // Updating B's silence through A must not touch it either.
    expect((await request('POST', v2('/silences'), { tenant: A, body: { ...silence({ alertname: 'Hijack' }), id } })).status).toBe(404);

    const mine = (await request('GET', v2(`/silence/${id}`), { tenant: B })).json<{ status: { state: string }; matchers: Array<{ value: string }> }>();
    expect(mine.status.state).toBe('active');
    expect(mine.matchers.map((m) => m.value)).toEqual(['Shared']);

    // B's silence mutes B's Shared alert only.
    const a = (await request('GET', v2('/alerts?filter=alertname%3D%22Shared%22'), { tenant: A })).json<Array<{ status: { state: string } }>>();
    expect(a.map((x) => x.status.state)).toEqual(['active']);
    const b = (await request('GET', v2('/alerts?filter=alertname%3D%22Shared%22'), { tenant: B })).json<Array<{ status: { state: string } }>>();
    expect(b.map((x) => x.status.state)).toEqual(['suppressed']);
  });

  it('status shows only the tenant own config', async () => {
    const a = (await request('GET', v2('/status'), { tenant: A })).json<{ config: { original: string } }>();
    expect(a.config.original).toContain('a-hook');
    expect(a.config.original).not.toContain('b-hook');
    expect(a.config.original).not.toContain(`:${hookB.port}`);
    const b = (await request('GET', v2('/status'), { tenant: B })).json<{ config: { original: string } }>();
    expect(b.config.original).toContain('b-hook');
    expect(b.config.original).not.toContain('a-hook');
  });

  it.each([
    ['..'],
    ['.'],
    ['a/b'],
    ['a b'],
    ['x'.repeat(151)],
    ['tenant$'],
  ])('tenant id %j is refused with 400', async (bad) => {
    const r = await request('GET', v2('/alerts'), { tenant: bad });
    expect(r.status).toBe(400);
    const c = await request('POST', `${server.url}/api/v1/alerts`, { tenant: bad, raw: mimirBody(webhookConfig(hookA.url())), contentType: 'application/yaml' });
    expect(c.status).toBe(400);
  });

  it('the longest valid tenant id and all allowed characters are accepted', async () => {
    for (const ok of ['x'.repeat(150), "Az09!-_.*'()"]) {
      expect((await request('GET', v2('/alerts'), { tenant: ok })).status).toBe(200);
    }
  });

  it('a bad config upload is 400 with line info, and the tenant keeps its previous config', async () => {
    const badYaml = ['route:', '  receiver: a-hook', '  group_wait: 1s', 'recievers:', '- name: a-hook', ''].join('\n');
    const r = await upload(server, A, mimirBody(badYaml));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/line \d+/);
    expect(r.text).toContain('recievers');

    const undefinedReceiver = webhookConfig(hookA.url('/a'), { receiver: 'a-hook' }).replace('  receiver: a-hook', '  receiver: nowhere');
    const r2 = await upload(server, A, mimirBody(undefinedReceiver));
    expect(r2.status).toBe(400);
    expect(r2.text).toContain('nowhere');

    const r3 = await upload(server, A, 'alertmanager_config: |\n  route: [\n');
    expect(r3.status).toBe(400);

    const cfg = await request('GET', `${server.url}/api/v1/alerts`, { tenant: A });
    expect(cfg.text).toContain('a-hook');
    expect(cfg.text).not.toContain('recievers');

    const before = hookA.received().length;
    expect((await request('POST', v2('/alerts'), { tenant: A, body: [alert({ alertname: 'AfterBadUpload', instance: 'a3' })] })).status).toBe(200);
    const got = await hookA.waitFor(before + 1, 20_000);
    expect(got.some((n) => n.payload.receiver === 'a-hook' && n.payload.alerts.some((x) => x.labels['alertname'] === 'AfterBadUpload'))).toBe(true);
  });

  it('a config with template files is accepted and read back', async () => {
    const withTemplates = `templates: ['custom.tmpl']\n${webhookConfig(hookA.url('/a'), { receiver: 'a-hook' })}`;
    const r = await upload(server, A, mimirBody(withTemplates, { 'custom.tmpl': '{{ define "custom.title" }}[{{ .Status }}] {{ .CommonLabels.alertname }}{{ end }}' }));
    expect(r.status, r.text).toBeLessThan(300);
    const cfg = await request('GET', `${server.url}/api/v1/alerts`, { tenant: A });
    expect(cfg.text).toContain('custom.tmpl');
    expect(cfg.text).toContain('custom.title');
  });

  it('DELETE /api/v1/alerts removes the tenant config and only that one', async () => {
    const t = 'team-delete-me';
    expect((await upload(server, t, mimirBody(webhookConfig(hookA.url('/del'), { receiver: 'del-hook' })))).status).toBeLessThan(300);
    expect((await request('DELETE', `${server.url}/api/v1/alerts`, { tenant: t })).status).toBeLessThan(300);
    const gone = await request('GET', `${server.url}/api/v1/alerts`, { tenant: t });
    expect(gone.status).toBe(404);
    expect((await request('GET', `${server.url}/api/v1/alerts`, { tenant: B })).text).toContain('b-hook');
  });
});

describeHeraldOnly([], 'multitenancy.require_tenant', () => {
  let server: ServerHandle;
  beforeAll(async () => {
    server = await startServer({ heraldConfig: 'multitenancy:\n  require_tenant: true\n' });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('a request without X-Scope-OrgID is 401; with it, 200; health needs no tenant', async () => {
    expect((await request('GET', `${server.url}/api/v2/alerts`)).status).toBe(401);
    expect((await request('GET', `${server.url}/api/v1/alerts`)).status).toBe(401);
    expect((await request('GET', `${server.url}/api/v2/alerts`, { tenant: 't1' })).status).toBe(200);
    expect((await request('GET', `${server.url}/-/healthy`)).status).toBe(200);
    expect((await request('GET', `${server.url}/-/ready`)).status).toBe(200);
  });
});
