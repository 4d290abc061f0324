/**
 * The embedded store end to end: a real Prometheus 2.42 scrapes Herald's own /metrics and
 * remote-writes the samples into tenant `metrics-team` (X-Scope-OrgID in remote_write headers,
 * and the basic-auth user for builds that drop those headers);
 * Herald's Prometheus API answers queries over them, for that tenant only, and the data is still
 * there after a restart (WAL replay).
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeHeraldOnly } from './helpers/peers.js';
import { startPrometheus, type PrometheusHandle } from './helpers/prometheus.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { request } from './helpers/http.js';

const TENANT = 'metrics-team';

interface VectorReply {
  status: string;
  data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

describeHeraldOnly(['prometheus'], 'remote_write into the embedded store', () => {
  let server: ServerHandle;
  let prom: PrometheusHandle;

  const query = async (q: string, tenant = TENANT): Promise<VectorReply> => {
    const r = await request('GET', `${server.url}/prometheus/api/v1/query?query=${encodeURIComponent(q)}`, { tenant });
    expect(r.status, r.text).toBe(200);
    return r.json<VectorReply>();
  };
  const waitFor = async (q: string, timeoutMs: number): Promise<VectorReply> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await query(q);
      if (r.data.result.length > 0 || Date.now() > deadline) return r;
      await new Promise((res) => setTimeout(res, 500));
    }
  };

  beforeAll(async () => {
    server = await startServer({});
    const promConfig = [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '- job_name: herald',
      '  static_configs:',
      `  - targets: ['127.0.0.1:${server.port}']`,
      'remote_write:',
      `- url: http://127.0.0.1:${server.port}/api/v1/push`,
      '  headers:',
      `    X-Scope-OrgID: ${TENANT}`,
      // Debian's Prometheus 2.42 drops custom remote_write headers; the basic-auth user names
      // the tenant then (upstream builds send the header, which wins).
      '  basic_auth:',
      `    username: ${TENANT}`,
      '    password: unused',
      '  queue_config:',
      '    batch_send_deadline: 1s',
      '',
    ].join('\n');
    prom = await startPrometheus(promConfig, {}, []);
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server, prom && { logs: () => prom.logs(), target: 'prometheus' }));
  afterAll(async () => {
    await prom?.stop();
    await server?.stop();
    await server?.cleanup();
  });

  it('stores what Prometheus remote-writes and answers PromQL over it', async () => {
    const up = await waitFor('up{job="herald"}', 60_000);
    expect(up.data.result).toHaveLength(1);
    expect(up.data.result[0]?.value[1]).toBe('1');
    expect(up.data.result[0]?.metric['instance']).toBe(`127.0.0.1:${server.port}`);
    const sum = await waitFor('sum by (job) (rate(process_cpu_seconds_total[1m]))', 30_000);
    expect(sum.data.result[0]?.metric).toEqual({ job: 'herald' });
    const names = await request('GET', `${server.url}/prometheus/api/v1/label/__name__/values`, { tenant: TENANT });
    expect(names.json<{ data: string[] }>().data).toEqual(expect.arrayContaining(['up', 'scrape_duration_seconds', 'process_cpu_seconds_total']));
  });

  it('answers the same as Prometheus over the same samples (differential, tolerance 1e-6)', async () => {
    // Prometheus stores what it scrapes and remote-writes exactly those samples to Herald. Query
    // both halfway between two scrapes, so no window edge falls on a sample (Prometheus 2.42's
    // windows are closed on the left, 3.x's and Herald's open).
    await new Promise((r) => setTimeout(r, 12_000));
    const last = await query('timestamp(up{job="herald"})');
    const t = Number(last.data.result[0]?.value[1]) - 2.5;
    const queries = [
      'up',
      'sum by (job) (up)',
      'rate(process_cpu_seconds_total[5s])',
      'increase(nodejs_gc_duration_seconds_count[8s])',
      'max_over_time(scrape_duration_seconds[6s]) > bool 0',
      'histogram_quantile(0.9, sum by (le) (rate(nodejs_gc_duration_seconds_bucket[10s])))',
      'count by (job) ({__name__=~"process_.*"})',
      'scrape_samples_scraped - scrape_samples_post_metric_relabeling',
      'topk(3, nodejs_heap_space_size_total_bytes)',
    ];
    type Result = { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    const key = (m: Record<string, string>): string => JSON.stringify(Object.entries(m).sort());
    for (const q of queries) {
      const params = `query=${encodeURIComponent(q)}&time=${t}`;
      const fromProm = (await (await fetch(`${prom.url}/api/v1/query?${params}`)).json()) as Result;
      const fromHerald = (await request('GET', `${server.url}/prometheus/api/v1/query?${params}`, { tenant: TENANT })).json<Result>();
      expect(fromHerald.status, q).toBe('success');
      expect(fromProm.data.result.length, q).toBeGreaterThan(0);
      const want = new Map(fromProm.data.result.map((r) => [key(r.metric), Number(r.value[1])]));
      const got = new Map(fromHerald.data.result.map((r) => [key(r.metric), Number(r.value[1])]));
      expect([...got.keys()].sort(), q).toEqual([...want.keys()].sort());
      for (const [k, v] of want) {
        const h = got.get(k) as number;
        if (Number.isNaN(v)) expect(Number.isNaN(h), `${q} ${k}`).toBe(true);
        else expect(Math.abs(h - v), `${q} ${k}: prometheus ${v}, herald ${h}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)));
      }
    }
  });

  it('keeps tenants apart and reports usage on /metrics', async () => {
    expect((await query('up', 'someone-else')).data.result).toEqual([]);
    const m = (await request('GET', `${server.url}/metrics`)).text;
    expect(m).toMatch(new RegExp(`herald_ingest_samples_received_total\\{tenant="${TENANT}"\\} [1-9]`));
    expect(m).toMatch(new RegExp(`herald_tsdb_active_series\\{tenant="${TENANT}"\\} [1-9]`));
  });

  it('answers remote_write with Prometheus status codes', async () => {
    const bad = await request('POST', `${server.url}/api/v1/push`, { tenant: TENANT, raw: 'not snappy', contentType: 'application/x-protobuf' });
    expect(bad.status).toBe(400);
    const enc = await request('POST', `${server.url}/api/v1/push`, { tenant: TENANT, raw: 'x', contentType: 'application/x-protobuf', headers: { 'Content-Encoding': 'gzip' } });
    expect(enc.status).toBe(415);
  });

  it('keeps acknowledged samples across kill -9 (WAL replay)', async () => {
    await prom.stop();
    const before = await query('count_over_time(up{job="herald"}[1h])');
    const n = Number(before.data.result[0]?.value[1]);
    expect(n).toBeGreaterThan(0);
    await server.kill9();
    server = await startServer({ storageDir: server.storageDir });
    const after = await query('count_over_time(up{job="herald"}[1h])');
    expect(Number(after.data.result[0]?.value[1])).toBe(n);
  });
});
