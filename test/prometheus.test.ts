/**
 * Prometheus 2.42 as the alert source: it evaluates an always-firing rule and sends to the server
 * through `alerting.alertmanagers`; the server routes it to the webhook receiver.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';
import { startPrometheus, type PrometheusHandle } from './helpers/prometheus.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { request } from './helpers/http.js';
import { WebhookReceiver } from './helpers/webhook.js';

const RULES = `groups:
- name: e2e
  interval: 1s
  rules:
  - alert: HeraldE2EAlwaysFiring
    expr: vector(1) > 0
    labels:
      severity: page
      team: e2e
    annotations:
      summary: 'value is {{ $value }}'
`;

describeWithPeers(['prometheus'], 'Prometheus sends alerts to the server', () => {
  let server: ServerHandle;
  let prom: PrometheusHandle;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    const amConfig = [
      'route:',
      '  receiver: fallback',
      '  group_by: [alertname]',
      '  group_wait: 1s',
      '  group_interval: 2s',
      '  repeat_interval: 1h',
      '  routes:',
      '  - matchers: [\'team="e2e"\', \'severity="page"\']',
      '    receiver: pager',
      'receivers:',
      '- name: fallback',
      '  webhook_configs:',
      `  - url: ${hook.url('/fallback')}`,
      '- name: pager',
      '  webhook_configs:',
      `  - url: ${hook.url('/pager')}`,
      '',
    ].join('\n');
    server = await startServer({ amConfig });
    const promConfig = [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      '  - api_version: v2',
      '    static_configs:',
      `    - targets: ['127.0.0.1:${server.port}']`,
      '',
    ].join('\n');
    prom = await startPrometheus(promConfig, { 'rules.yml': RULES }, ['--rules.alert.resend-delay=1s']);
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server, prom && { logs: () => prom.logs(), target: 'prometheus' }));
  afterAll(async () => {
    await prom?.stop();
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
  });

  it('the firing rule reaches the webhook through the server routing tree within 60 s', async () => {
    const got = await hook.waitFor(1, 60_000, (n) => n.path === '/pager');
    const p = got[0]!.payload;
    expect(p.version).toBe('4');
    expect(p.status).toBe('firing');
    expect(p.receiver).toBe('pager');
    expect(p.groupLabels).toEqual({ alertname: 'HeraldE2EAlwaysFiring' });
    expect(p.alerts).toHaveLength(1);
    const a = p.alerts[0]!;
    expect(a.labels).toEqual({ alertname: 'HeraldE2EAlwaysFiring', severity: 'page', team: 'e2e' });
    expect(a.annotations).toEqual({ summary: 'value is 1' });
    expect(a.generatorURL).toContain('/graph?g0.expr=');
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(hook.received((n) => n.path === '/fallback')).toHaveLength(0);
  });

  it('Prometheus sees the server as an active alertmanager, and the alert is queryable via the v2 API', async () => {
    const ams = await request('GET', `${prom.url}/api/v1/alertmanagers`);
    const data = ams.json<{ data: { activeAlertmanagers: Array<{ url: string }> } }>().data;
    expect(data.activeAlertmanagers.map((x) => x.url)).toEqual([`http://127.0.0.1:${server.port}/api/v2/alerts`]);

    const alerts = (await request('GET', `${server.url}/api/v2/alerts?filter=alertname%3D%22HeraldE2EAlwaysFiring%22`)).json<Array<{ labels: Record<string, string>; receivers: Array<{ name: string }>; status: { state: string } }>>();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.receivers).toEqual([{ name: 'pager' }]);
    expect(alerts[0]!.status.state).toBe('active');
  });
});
