/**
 * The ruler with real peers: Prometheus 2.42 as the query backend (Herald's rules read the data
 * Prometheus scraped, and write recording results and ALERTS back by remote_write), and a real
 * Alertmanager 0.25 as an external Alertmanager receiving the alerts.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { request } from './helpers/http.js';
import { startPrometheus, type PrometheusHandle } from './helpers/prometheus.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

type VectorReply = { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };

const RULES = `groups:
- name: remote
  interval: 1s
  rules:
  - record: job:test_metric:max
    expr: max by (job) (test_metric)
  - alert: RemoteHigh
    expr: job:test_metric:max > 5
    labels:
      severity: ticket
    annotations:
      summary: '{{ $labels.job }} at {{ $value }}'
`;

const until = async <T>(f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 300));
  }
};

describeHeraldOnly(['prometheus', 'prometheus-alertmanager'], 'ruler with Prometheus 2.42 as backend and Alertmanager 0.25 as receiver', () => {
  let prom: PrometheusHandle;
  let am: ServerHandle;
  let herald: ServerHandle;
  let exporter: Server;
  let dir: string;

  const promQuery = async (q: string): Promise<VectorReply> => {
    const r = await request('GET', `${prom.url}/api/v1/query?query=${encodeURIComponent(q)}`);
    expect(r.status, r.text).toBe(200);
    return r.json<VectorReply>();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-e2e-ruler-peers-'));
    exporter = createServer((_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end('# TYPE test_metric gauge\ntest_metric{instance="i1"} 9\n');
    });
    const port = await new Promise<number>((resolve) => exporter.listen(0, '127.0.0.1', () => resolve((exporter.address() as { port: number }).port)));
    prom = await startPrometheus(
      ['global:', '  scrape_interval: 1s', 'scrape_configs:', '- job_name: app', '  static_configs:', `  - targets: ['127.0.0.1:${port}']`, ''].join('\n'),
      {},
      ['--web.enable-remote-write-receiver'],
    );
    am = await startServer({ target: 'alertmanager' });
    await mkdir(join(dir, 'rules', 'team-r'), { recursive: true });
    await writeFile(join(dir, 'rules', 'team-r', 'remote.yml'), RULES);
    herald = await startServer({
      heraldConfig: [
        'ruler:',
        `  rules_directory: ${join(dir, 'rules')}`,
        '  poll_interval: 1s',
        '  resend_delay: 1s',
        '  external_labels:',
        '    ruler: herald',
        '  alertmanagers:',
        `  - url: ${am.url}`,
        "    tenant_header: ''",
        '  query_backend:',
        '    type: prometheus',
        `    url: ${prom.url}`,
        "    tenant_header: ''",
        `    remote_write_url: ${prom.url}/api/v1/write`,
        '',
      ].join('\n'),
    });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, herald, am));
  afterAll(async () => {
    await herald?.stop();
    await herald?.cleanup();
    await am?.stop();
    await am?.cleanup();
    await prom?.stop();
    exporter?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluates over the data Prometheus holds and writes recording results back by remote_write', async () => {
    const rec = await until(() => promQuery('job:test_metric:max'), (r) => r.data.result.length > 0, 30_000);
    expect(rec.data.result[0]?.metric).toEqual({ __name__: 'job:test_metric:max', job: 'app' });
    expect(rec.data.result[0]?.value[1]).toBe('9');
    const alerts = await until(() => promQuery('ALERTS{alertstate="firing"}'), (r) => r.data.result.length > 0, 20_000);
    expect(alerts.data.result[0]?.metric).toMatchObject({ __name__: 'ALERTS', alertname: 'RemoteHigh', job: 'app', severity: 'ticket' });
  });

  it('delivers the alerts to the external Alertmanager with external labels', async () => {
    type AmAlert = { labels: Record<string, string>; annotations: Record<string, string>; status: { state: string } };
    const got = await until(
      async () => (await request('GET', `${am.url}/api/v2/alerts`)).json<AmAlert[]>(),
      (xs) => xs.some((a) => a.labels['alertname'] === 'RemoteHigh'),
      30_000,
    );
    const a = got.find((x) => x.labels['alertname'] === 'RemoteHigh');
    expect(a?.labels).toEqual({ alertname: 'RemoteHigh', job: 'app', severity: 'ticket', ruler: 'herald' });
    expect(a?.annotations).toEqual({ summary: 'app at 9' });
    expect(a?.status.state).toBe('active');
  });

  it("shows the rule's state in Herald's rules API", async () => {
    const r = await request('GET', `${herald.url}/prometheus/api/v1/rules?type=alert`, { tenant: 'team-r' });
    const body = r.json<{ data: { groups: Array<{ rules: Array<{ name: string; state: string; health: string }> }> } }>();
    expect(body.data.groups[0]?.rules.map((x) => [x.name, x.state, x.health])).toEqual([['RemoteHigh', 'firing', 'ok']]);
  });
});
