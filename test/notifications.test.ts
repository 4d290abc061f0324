/**
 * Notifications end to end with the real herald process: tenant templates rendered into a real
 * integration payload, the receiver firewall on tenant-uploaded configs (and not on the
 * operator's), the notification history, the test-receiver and template-preview APIs.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { alert, request, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

const yamlBlock = (text: string, indent: string): string => text.split('\n').map((l) => (l === '' ? l : indent + l)).join('\n');

function mimirBody(am: string, files: Record<string, string> = {}): string {
  const tf = Object.entries(files).map(([n, t]) => `  ${n}: |\n${yamlBlock(t, '    ')}`).join('\n');
  return `${tf ? `template_files:\n${tf}\n` : ''}alertmanager_config: |\n${yamlBlock(am, '  ')}`;
}

interface HistoryItem {
  readonly receiver: string;
  readonly integration: string;
  readonly outcome: string;
  readonly error?: string;
}

describeHeraldOnly([], 'notifications', () => {
  let server: ServerHandle;
  let blocked: WebhookReceiver; // on 127.0.0.1: behind the firewall
  let allowed: WebhookReceiver; // on 127.0.0.2: allowed by the operator

  const upload = (tenant: string, body: string) => request('POST', `${server.url}/api/v1/alerts`, { tenant, raw: body, contentType: 'application/yaml' });
  const history = async (tenant: string, query = ''): Promise<HistoryItem[]> => {
    const r = await request('GET', `${server.url}/api/herald/v1/notifications${query}`, { tenant });
    expect(r.status, r.text).toBe(200);
    return r.json<{ items: HistoryItem[] }>().items;
  };
  const waitHistory = async (tenant: string, n: number): Promise<HistoryItem[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const items = await history(tenant);
      if (items.length >= n || Date.now() > deadline) return items;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    [blocked, allowed] = await Promise.all([WebhookReceiver.start('127.0.0.1'), WebhookReceiver.start('127.0.0.2')]);
    server = await startServer({
      heraldConfig: "alertmanager:\n  receivers_firewall:\n    allow_cidrs: ['127.0.0.2/32']\n",
      amConfig: webhookConfig(blocked.url('/operator'), { receiver: 'operator-hook', groupWait: '0s' }),
    });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await Promise.all([blocked?.close(), allowed?.close()]);
  });

  it('renders a tenant template into a Slack payload', async () => {
    const am = [
      "templates: ['*.tmpl']",
      'route:',
      '  receiver: team-slack',
      '  group_wait: 0s',
      'receivers:',
      '- name: team-slack',
      '  slack_configs:',
      `  - api_url: ${allowed.url('/slack')}`,
      '    channel: "#alerts"',
      '    title: \'{{ template "team.title" . }}\'',
      '',
    ].join('\n');
    const files = { 'team.tmpl': '{{ define "team.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ len .Alerts.Firing }} host(s){{ end }}' };
    const up = await upload('tmpl-team', mimirBody(am, files));
    expect(up.status, up.text).toBe(201);
    expect((await request('POST', `${server.url}/api/v2/alerts`, { tenant: 'tmpl-team', body: [alert({ alertname: 'DiskFull', instance: 'h1' })] })).status).toBe(200);
    const got = await allowed.waitFor(1, 20_000, (n) => n.path === '/slack');
    const body = got[0]?.payload as unknown as { channel: string; attachments: Array<{ title: string; color: string }> };
    expect(body.channel).toBe('#alerts');
    expect(body.attachments[0]?.title).toBe('[FIRING] DiskFull on 1 host(s)');
    expect(body.attachments[0]?.color).toBe('danger');
    const items = await waitHistory('tmpl-team', 1);
    expect(items[0]).toMatchObject({ receiver: 'team-slack', integration: 'slack', outcome: 'success' });
  });

  it('refuses a template that does not parse, with its file and line', async () => {
    const am = "templates: ['bad.tmpl']\nroute:\n  receiver: r\nreceivers:\n- name: r\n";
    const r = await upload('tmpl-bad', mimirBody(am, { 'bad.tmpl': 'ok\n{{ if .Status }}unclosed\n' }));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/template: bad\.tmpl:\d+/);
  });

  it("blocks a tenant's receiver on a private address, records why, and leaves the operator's alone", async () => {
    const up = await upload('fw-team', mimirBody(webhookConfig(blocked.url('/tenant'), { receiver: 'sneaky', groupWait: '0s' })));
    expect(up.status, up.text).toBe(201);
    expect((await request('POST', `${server.url}/api/v2/alerts`, { tenant: 'fw-team', body: [alert({ alertname: 'Probe' })] })).status).toBe(200);
    const items = await waitHistory('fw-team', 1);
    expect(items[0]).toMatchObject({ receiver: 'sneaky', integration: 'webhook', outcome: 'failed' });
    expect(items[0]?.error).toContain('receiver firewall: address 127.0.0.1 is blocked (loopback)');
    expect(blocked.received((n) => n.path === '/tenant')).toHaveLength(0);

    // The operator's pinned config (tenant anonymous) reaches the same address.
    expect((await request('POST', `${server.url}/api/v2/alerts`, { body: [alert({ alertname: 'OperatorAlert' })] })).status).toBe(200);
    await blocked.waitFor(1, 20_000, (n) => n.path === '/operator');
    // History is per tenant.
    expect((await history('fw-team')).every((i) => i.receiver === 'sneaky')).toBe(true);
    expect((await history('someone-else')).length).toBe(0);
  });

  it('tests a receiver and previews a template through the Herald API', async () => {
    const t = await request('POST', `${server.url}/api/herald/v1/receivers/test`, { tenant: 'fw-team', body: { receiver: 'sneaky' } });
    expect(t.status, t.text).toBe(200);
    const res = t.json<{ receiver: string; integrations: Array<{ type: string; ok: boolean; error?: string }> }>();
    expect(res.integrations[0]).toMatchObject({ type: 'webhook', ok: false });
    expect(res.integrations[0]?.error).toContain('receiver firewall');

    const unknown = await request('POST', `${server.url}/api/herald/v1/receivers/test`, { tenant: 'fw-team', body: { receiver: 'nope' } });
    expect(unknown.status).toBe(404);

    const p = await request('POST', `${server.url}/api/herald/v1/templates/preview`, { tenant: 'tmpl-team', body: { template: '{{ template "team.title" . }}' } });
    expect(p.status, p.text).toBe(200);
    expect(p.json<{ output: string }>().output).toMatch(/^\[FIRING\] .* on \d+ host\(s\)$/);
    const bad = await request('POST', `${server.url}/api/herald/v1/templates/preview`, { tenant: 'tmpl-team', body: { template: '{{ nope }}' } });
    expect(bad.status).toBe(400);
    expect(bad.json<{ error: string }>().error).toBe('template: :1: function "nope" not defined');
  });
});
