/**
 * The ruler's remote QueryBackend against a real Prometheus 2.42 (remote-write receiver on):
 * rule output written through the backend's remote_write client (Herald's snappy + protobuf
 * encoder) is read back through /api/v1/query; Prometheus' own error texts, its refusal of an
 * out-of-order sample, and a stale marker ending a series come through as the ruler needs them.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { STALE_NAN } from '../src/core/stale-nan.js';
import { FETCH_HTTP_CLIENT } from '../src/net/fetch-client.js';
import { RuleQueryError } from '../src/ruler/api.js';
import type { QueryBackend, RuleSample } from '../src/ruler/api.js';
import { createRemoteBackend } from '../src/ruler/backend/index.js';
import { describeWithPeers } from './helpers/peers.js';
import { startPrometheus, type PrometheusHandle } from './helpers/prometheus.js';

const sortByJob = (s: RuleSample[]): RuleSample[] => [...s].sort((a, b) => ((a.labels['job'] ?? '') < (b.labels['job'] ?? '') ? -1 : 1));

describeWithPeers(['prometheus'], 'ruler query backend over a real Prometheus', () => {
  let prom: PrometheusHandle;
  let backend: QueryBackend;
  // Recent, whole seconds: Prometheus' head refuses samples far behind its newest.
  const base = Math.floor(Date.now() / 1000) * 1000 - 120_000;
  const rec = (job: string): Record<string, string> => ({ __name__: 'job:requests:rate5m', job });

  beforeAll(async () => {
    prom = await startPrometheus('global:\n  scrape_interval: 1m\n', {}, ['--web.enable-remote-write-receiver']);
    backend = createRemoteBackend({
      tenant: 'team-a',
      config: { type: 'prometheus', url: prom.url, tenantHeader: 'X-Scope-OrgID', timeoutMs: 10_000, remoteWriteUrl: `${prom.url}/api/v1/write`, tenants: new Map() },
      http: FETCH_HTTP_CLIENT,
      userAgent: 'Herald/e2e',
    });
    const seed: RuleSample[] = [];
    for (let i = 0; i < 3; i++) seed.push({ labels: rec('a'), t: base + i * 15_000, v: i + 1 });
    seed.push({ labels: rec('b'), t: base, v: 0.25 });
    expect(await backend.append(seed)).toEqual({ rejected: 0 });
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && prom) console.log(`--- prometheus logs ---\n${prom.logs()}`);
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('reads back written samples as an instant vector', async () => {
    const got = sortByJob(await backend.queryVector('job:requests:rate5m', base + 30_000));
    expect(got).toEqual([
      { labels: rec('a'), t: base + 30_000, v: 3 },
      { labels: rec('b'), t: base + 30_000, v: 0.25 },
    ]);
  });

  it('reads a scalar, NaN and infinities', async () => {
    expect(await backend.queryVector('scalar(sum(job:requests:rate5m))', base + 30_000)).toEqual([{ labels: {}, t: base + 30_000, v: 3.25 }]);
    const div = sortByJob(await backend.queryVector('job:requests:rate5m / 0', base + 30_000));
    expect(div.map((s) => s.v)).toEqual([Infinity, Infinity]);
    expect((await backend.queryVector('0 / 0', base))[0]?.v).toBeNaN();
    expect((await backend.queryVector('-1 / 0', base))[0]?.v).toBe(-Infinity);
  });

  it('reads the raw samples of a range selector with millisecond times', async () => {
    expect(await backend.queryMatrix('job:requests:rate5m{job="a"}[1m]', base + 30_000)).toEqual([{ labels: rec('a'), t: [base, base + 15_000, base + 30_000], v: [1, 2, 3] }]);
  });

  it("passes on Prometheus' error text for a bad query and an execution error", async () => {
    const parse = backend.queryVector('sum(', base);
    await expect(parse).rejects.toBeInstanceOf(RuleQueryError);
    await expect(parse).rejects.toThrow(/\/api\/v1\/query: bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis/);
    const exec = backend.queryVector('label_replace(job:requests:rate5m, "job", "same", "job", ".*")', base);
    await expect(exec).rejects.toThrow(/execution: vector cannot contain metrics with the same labelset/);
    await expect(backend.queryVector('"text"', base)).rejects.toThrow(/^rule result is not a vector or scalar$/);
  });

  it('writes a large batch (several snappy blocks with back-references) that Prometheus decodes', async () => {
    const batch: RuleSample[] = [];
    for (let i = 0; i < 3000; i++) batch.push({ labels: { __name__: 'ALERTS', alertname: 'HighLatency', alertstate: 'firing', instance: `host-${i}.example.org:9100`, severity: 'page' }, t: base, v: 1 });
    expect(await backend.append(batch)).toEqual({ rejected: 0 });
    expect(await backend.queryVector('count(ALERTS{alertname="HighLatency"})', base)).toEqual([{ labels: {}, t: base, v: 3000 }]);
  });

  it('reports an out-of-order sample as rejected, not thrown', async () => {
    const r = await backend.append([{ labels: rec('a'), t: base - 60_000, v: 9 }]);
    expect(r.rejected).toBe(1);
    expect(r.firstError).toMatch(/out of order sample/);
  });

  it('ends a series at a stale marker', async () => {
    expect(await backend.append([{ labels: rec('b'), t: base + 45_000, v: STALE_NAN }])).toEqual({ rejected: 0 });
    expect(await backend.queryVector('job:requests:rate5m{job="b"}', base + 40_000)).toEqual([{ labels: rec('b'), t: base + 40_000, v: 0.25 }]);
    expect(await backend.queryVector('job:requests:rate5m{job="b"}', base + 50_000)).toEqual([]);
    expect(await backend.queryVector('count_over_time(job:requests:rate5m{job="b"}[5m])', base + 50_000)).toEqual([{ labels: { job: 'b' }, t: base + 50_000, v: 1 }]);
  });
});
