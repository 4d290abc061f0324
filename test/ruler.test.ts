/**
 * The ruler end to end with the real herald process: rules from the rules directory and from the
 * Mimir config API, evaluated over the embedded store (fed by Herald's own scrape loop), alerts
 * delivered to the tenant's own Alertmanager (a webhook) and to a real external Alertmanager 0.25,
 * external labels and alert_relabel_configs, the Prometheus rules/alerts API, ALERTS series, and
 * tenant isolation of all of it.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { request } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

type VectorReply = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };

/** A tiny exporter whose gauge value the test sets. */
async function startExporter(): Promise<{ server: Server; port: number; set(v: number): void }> {
  let value = 1;
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`# TYPE test_metric gauge\ntest_metric{instance="i1"} ${value}\ntest_metric{instance="i2"} ${value - 1}\n`);
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { server, port, set: (v) => (value = v) };
}

const until = async <T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
};

const RULES_A = `groups:
- name: app
  rules:
  - record: job:test_metric:max
    expr: max by (job) (test_metric)
  - alert: TestMetricHigh
    expr: job:test_metric:max > 5
    labels:
      severity: page
    annotations:
      summary: 'value is {{ $value }} on {{ $labels.job }}'
`;

const GROUP_B = `name: api-group
interval: 1s
rules:
- alert: AlwaysB
  expr: vector(1)
  labels:
    team: b
`;

describeHeraldOnly([], 'ruler', () => {
  let server: ServerHandle;
  let hook: WebhookReceiver;
  let exporter: Awaited<ReturnType<typeof startExporter>>;
  let dir: string;

  const query = async (q: string, tenant: string): Promise<VectorReply> => {
    const r = await request('GET', `${server.url}/prometheus/api/v1/query?query=${encodeURIComponent(q)}`, { tenant });
    expect(r.status, r.text).toBe(200);
    return r.json<VectorReply>();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-e2e-ruler-'));
    hook = await WebhookReceiver.start();
    exporter = await startExporter();
    await mkdir(join(dir, 'rules', 'team-a'), { recursive: true });
    await writeFile(join(dir, 'rules', 'team-a', 'app.yml'), RULES_A);
    await writeFile(
      join(dir, 'scrape.yml'),
      ['scrape_configs:', ...['a', 'b'].flatMap((t) => [`- job_name: app-${t}`, `  tenant: team-${t}`, '  scrape_interval: 1s', '  scrape_timeout: 1s', '  static_configs:', `  - targets: ['127.0.0.1:${exporter.port}']`]), ''].join('\n'),
    );
    await writeFile(
      join(dir, 'fallback.yml'),
      ['route:', '  receiver: hook', '  group_by: [alertname, job]', '  group_wait: 0s', '  group_interval: 1s', 'receivers:', '- name: hook', '  webhook_configs:', `  - url: ${hook.url('/fallback')}`, '    send_resolved: true', ''].join('\n'),
    );
    server = await startServer({
      heraldConfig: [
        'alertmanager:',
        `  fallback_config_file: ${join(dir, 'fallback.yml')}`,
        'scrape:',
        `  config_file: ${join(dir, 'scrape.yml')}`,
        'ruler:',
        '  evaluation_interval: 1s',
        `  rules_directory: ${join(dir, 'rules')}`,
        '  poll_interval: 1s',
        '  resend_delay: 1s',
        '  external_labels:',
        '    cluster: e2e',
        '  alert_relabel_configs:',
        '  - source_labels: [__tenant__]',
        '    regex: team-a',
        '    target_label: alert_source',
        '    replacement: platform',
        '',
      ].join('\n'),
    });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
    exporter?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluates directory rules over scraped data and delivers firing alerts to the tenant Alertmanager', async () => {
    exporter.set(7);
    const got = await hook.waitFor(1, 30_000, (n) => n.payload.status === 'firing' && n.payload.alerts.some((a) => a.labels['alertname'] === 'TestMetricHigh'));
    const a = got[0]?.payload.alerts.find((x) => x.labels['alertname'] === 'TestMetricHigh');
    expect(a?.labels).toEqual({ alertname: 'TestMetricHigh', job: 'app-a', severity: 'page', cluster: 'e2e', alert_source: 'platform' });
    expect(a?.annotations).toEqual({ summary: 'value is 7 on app-a' });
    expect(a?.generatorURL).toContain('/graph?g0.expr=');
    // The recording rule's output and ALERTS are series of team-a only.
    const rec = await query('job:test_metric:max', 'team-a');
    expect(rec.data.result.map((r) => r.metric)).toEqual([{ __name__: 'job:test_metric:max', job: 'app-a' }]);
    const alerts = await until(() => query('ALERTS', 'team-a'), (r) => r.data.result.length > 0, 10_000);
    expect(alerts.data.result[0]?.metric).toMatchObject({ __name__: 'ALERTS', alertname: 'TestMetricHigh', alertstate: 'firing', job: 'app-a', severity: 'page' });
    expect((await query('ALERTS', 'team-b')).data.result).toEqual([]);
    expect((await query('job:test_metric:max', 'team-b')).data.result).toEqual([]);
  });

  it('serves the rules and alerts APIs per tenant', async () => {
    const rules = await request('GET', `${server.url}/prometheus/api/v1/rules`, { tenant: 'team-a' });
    expect(rules.status, rules.text).toBe(200);
    const body = rules.json<{ status: string; data: { groups: Array<{ name: string; file: string; rules: Array<{ type: string; name: string; health: string; state?: string }> }> } }>();
    expect(body.status).toBe('success');
    expect(body.data.groups.map((g) => [g.file, g.name])).toEqual([['app', 'app']]);
    expect(body.data.groups[0]?.rules.map((r) => [r.type, r.name, r.health])).toEqual([
      ['recording', 'job:test_metric:max', 'ok'],
      ['alerting', 'TestMetricHigh', 'ok'],
    ]);
    const other = await request('GET', `${server.url}/prometheus/api/v1/rules`, { tenant: 'team-b' });
    expect(other.json<{ data: { groups: unknown[] } }>().data.groups).toEqual([]);
    const active = await request('GET', `${server.url}/prometheus/api/v1/alerts`, { tenant: 'team-a' });
    const list = active.json<{ data: { alerts: Array<{ labels: Record<string, string>; state: string; value: string }> } }>().data.alerts;
    expect(list.map((x) => [x.labels['alertname'], x.state])).toEqual([['TestMetricHigh', 'firing']]);
    expect(list[0]?.value).toBe('7e+00');
  });

  it('keeps rule groups running through a configuration reload that changes nothing', async () => {
    const before = await query('ALERTS{alertstate="firing"}', 'team-a');
    expect(before.data.result).toHaveLength(1);
    expect((await request('POST', `${server.url}/-/reload`)).status).toBe(200);
    // A replaced group would restore for-state and leave ALERTS empty for a couple of evaluations.
    for (let i = 0; i < 8; i++) {
      expect((await query('ALERTS{alertstate="firing"}', 'team-a')).data.result).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 400));
    }
  });

  it('sends the resolved alert when the condition clears', async () => {
    exporter.set(1);
    await hook.waitFor(1, 30_000, (n) => n.payload.status === 'resolved' && n.payload.alerts.some((a) => a.labels['alertname'] === 'TestMetricHigh'));
  });

  it('manages rule groups through the Mimir config API, isolated per tenant', async () => {
    const base = `${server.url}/prometheus/config/v1/rules`;
    const post = await request('POST', `${base}/ns1`, { tenant: 'team-b', raw: GROUP_B, contentType: 'application/yaml' });
    expect(post.status, post.text).toBe(202);
    const all = await request('GET', base, { tenant: 'team-b' });
    expect(all.status).toBe(200);
    expect(all.text).toContain('ns1:');
    expect(all.text).toContain('name: api-group');
    const a = await request('GET', base, { tenant: 'team-a' });
    expect(a.text).not.toContain('api-group');
    expect((await request('GET', `${base}/ns1/api-group`, { tenant: 'team-a' })).status).toBe(404);
    // The directory owns team-a's namespace "app": the API cannot overwrite it.
    const clash = await request('POST', `${base}/app`, { tenant: 'team-a', raw: GROUP_B, contentType: 'application/yaml' });
    expect(clash.status).toBe(409);
    // A bad group is refused with the reason.
    const bad = await request('POST', `${base}/ns1`, { tenant: 'team-b', raw: 'name: x\nrules:\n- alert: X\n  expr: sum(\n', contentType: 'application/yaml' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('could not parse expression');
    // The new group evaluates: its alert reaches team-b's Alertmanager without team-a's relabeling.
    const got = await hook.waitFor(1, 30_000, (n) => n.payload.alerts.some((x) => x.labels['alertname'] === 'AlwaysB'));
    const alert = got[0]?.payload.alerts.find((x) => x.labels['alertname'] === 'AlwaysB');
    expect(alert?.labels).toEqual({ alertname: 'AlwaysB', team: 'b', cluster: 'e2e' });
    expect((await request('DELETE', `${base}/ns1/api-group`, { tenant: 'team-a' })).status).toBe(404);
    expect((await request('DELETE', `${base}/ns1/api-group`, { tenant: 'team-b' })).status).toBe(202);
    const after = await request('GET', `${server.url}/prometheus/api/v1/rules`, { tenant: 'team-b' });
    expect(after.json<{ data: { groups: unknown[] } }>().data.groups).toEqual([]);
  });

  it('reloads the rules directory and keeps the last good rules of a broken file', async () => {
    await writeFile(join(dir, 'rules', 'team-a', 'app.yml'), RULES_A.replace('> 5', '> 100'));
    const queries = async (): Promise<string[]> =>
      (await request('GET', `${server.url}/prometheus/api/v1/rules`, { tenant: 'team-a' }))
        .json<{ data: { groups: Array<{ rules: Array<{ query: string }> }> } }>()
        .data.groups.flatMap((g) => g.rules.map((r) => r.query));
    expect(await until(queries, (q) => q.includes('job:test_metric:max > 100'), 15_000)).toContain('job:test_metric:max > 100');
    await writeFile(join(dir, 'rules', 'team-a', 'app.yml'), 'groups:\n- name: app\n  rules:\n  - alert: Broken\n    expr: rate(\n');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await queries()).toEqual(['max by (job) (test_metric)', 'job:test_metric:max > 100']);
    // The mistake is visible to the tenant (and only to it), with Prometheus' message and position.
    const problems = (await request('GET', `${server.url}/api/herald/v1/rules/problems`, { tenant: 'team-a' })).json<{ problems: Array<{ namespace: string; messages: string[] }> }>().problems;
    expect(problems.map((p) => p.namespace)).toEqual(['app']);
    expect(problems[0]?.messages.join('\n')).toMatch(/app\.yml: 5:11: .*could not parse expression/);
    expect((await request('GET', `${server.url}/api/herald/v1/rules/problems`, { tenant: 'team-b' })).json<{ problems: unknown[] }>().problems).toEqual([]);
  });
});
