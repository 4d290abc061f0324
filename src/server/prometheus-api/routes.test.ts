import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { STALE_NAN } from '../../core/stale-nan.js';
import { HeadSet } from '../../tsdb/index.js';
import { versionInfo } from '../../version.js';
import { prometheusApiRoutes } from './routes.js';

const T0 = 1_700_000_000_000;
const clock = { now: () => T0 + 600_000, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };

let tsdb: HeadSet;
let app: FastifyInstance;

async function seed(tenant: string, name: string, labels: Record<string, string>, values: number[]): Promise<void> {
  const store = await tsdb.get(tenant);
  const t = new Float64Array(values.length);
  const v = new Float64Array(values.length);
  values.forEach((x, i) => {
    t[i] = T0 + i * 15_000;
    v[i] = x;
  });
  const r = await store.append([{ labels: { __name__: name, ...labels }, t, v }]);
  expect(r.rejected).toEqual([]);
}

beforeEach(async () => {
  tsdb = new HeadSet({ clock, logger: NOOP_LOGGER, retentionMs: 0, maintenanceIntervalMs: 0 });
  app = Fastify();
  await app.register(
    prometheusApiRoutes({ store: (t) => tsdb.get(t), clock, logger: NOOP_LOGGER, versionInfo: versionInfo('v20'), requireTenant: () => false }),
    { prefix: '/prometheus/api/v1' },
  );
  await seed('A', 'http_requests_total', { job: 'api', instance: 'a' }, Array.from({ length: 41 }, (_, i) => i * 10));
  await seed('A', 'http_requests_total', { job: 'api', instance: 'b' }, Array.from({ length: 41 }, (_, i) => i * 20));
  await seed('B', 'secret_metric', { job: 'b-only' }, [1, 2, 3]);
});
afterEach(async () => {
  await app.close();
  await tsdb.close();
});

const get = (url: string, tenant = 'A') => app.inject({ url: `/prometheus/api/v1${url}`, headers: { 'X-Scope-OrgID': tenant } });

describe('Prometheus query API', () => {
  it('instant query: vector with string values and second timestamps', async () => {
    const r = await get(`/query?query=${encodeURIComponent('sum(rate(http_requests_total[5m]))')}&time=${(T0 + 600_000) / 1000}`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result[0].metric).toEqual({});
    expect(body.data.result[0].value[0]).toBe((T0 + 600_000) / 1000);
    expect(Number(body.data.result[0].value[1])).toBeCloseTo(30 / 15, 9);
  });

  it('scalar and string results, and RFC 3339 times', async () => {
    const s = (await get(`/query?query=1%2B1&time=2023-11-14T22:13:20Z`)).json();
    expect(s.data).toEqual({ resultType: 'scalar', result: [1700000000, '2'] });
    const str = (await get(`/query?query=${encodeURIComponent('"hi"')}&time=1`)).json();
    expect(str.data).toEqual({ resultType: 'string', result: [1, 'hi'] });
  });

  it('range query: matrix sorted by labels, one point per step', async () => {
    const q = encodeURIComponent('http_requests_total');
    const r = await get(`/query_range?query=${q}&start=${T0 / 1000}&end=${(T0 + 60_000) / 1000}&step=15s`);
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json().data;
    expect(m.resultType).toBe('matrix');
    expect(m.result.map((x: { metric: { instance: string } }) => x.metric.instance)).toEqual(['a', 'b']);
    expect(m.result[0].values).toEqual([
      [T0 / 1000, '0'],
      [(T0 + 15_000) / 1000, '10'],
      [(T0 + 30_000) / 1000, '20'],
      [(T0 + 45_000) / 1000, '30'],
      [(T0 + 60_000) / 1000, '40'],
    ]);
  });

  it('POST with a form body works like GET', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/prometheus/api/v1/query',
      headers: { 'X-Scope-OrgID': 'A', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `query=${encodeURIComponent('count(http_requests_total)')}&time=${(T0 + 60_000) / 1000}`,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().data.result[0].value[1]).toBe('2');
  });

  it('series, labels and label values, per tenant', async () => {
    const s = (await get(`/series?match[]=${encodeURIComponent('{job="api"}')}`)).json();
    expect(s.data).toEqual([
      { __name__: 'http_requests_total', instance: 'a', job: 'api' },
      { __name__: 'http_requests_total', instance: 'b', job: 'api' },
    ]);
    expect((await get('/labels')).json().data).toEqual(['__name__', 'instance', 'job']);
    expect((await get('/label/instance/values')).json().data).toEqual(['a', 'b']);
    expect((await get('/label/__name__/values', 'B')).json().data).toEqual(['secret_metric']);
  });

  it('never shows one tenant another tenant’s series', async () => {
    const r = (await get(`/query?query=secret_metric&time=${(T0 + 30_000) / 1000}`)).json();
    expect(r.data.result).toEqual([]);
    expect((await get('/label/job/values')).json().data).toEqual(['api']);
    const b = (await get(`/query?query=http_requests_total&time=${(T0 + 30_000) / 1000}`, 'B')).json();
    expect(b.data.result).toEqual([]);
  });

  it('infos come back as Prometheus 3 does', async () => {
    await seed('A', 'gauge_metric', {}, [1, 2, 3]);
    const r = (await get(`/query?query=${encodeURIComponent('rate(gauge_metric[5m])')}&time=${(T0 + 30_000) / 1000}`)).json();
    expect(r.infos?.[0]).toMatch(/^PromQL info: metric might not be a counter/);
  });

  it('staleness markers end a series', async () => {
    const store = await tsdb.get('A');
    await store.append([{ labels: { __name__: 'stale_me' }, t: new Float64Array([T0, T0 + 15_000]), v: new Float64Array([1, STALE_NAN]) }]);
    const r = (await get(`/query?query=stale_me&time=${(T0 + 30_000) / 1000}`)).json();
    expect(r.data.result).toEqual([]);
  });

  it.each([
    ['/query?query=sum(', 400, 'bad_data', /^invalid parameter "query": 1:5: parse error: /],
    ['/query?query=up&time=yesterday', 400, 'bad_data', /^invalid parameter "time": cannot parse "yesterday" to a valid timestamp$/],
    ['/query_range?query=up&start=10&end=5&step=1', 400, 'bad_data', /^invalid parameter "end": end timestamp must not be before start time$/],
    ['/query_range?query=up&start=0&end=5&step=0', 400, 'bad_data', /zero or negative query resolution step widths are not accepted/],
    ['/query_range?query=up&start=0&end=100000&step=1', 400, 'bad_data', /^exceeded maximum resolution of 11,000 points per timeseries/],
    ['/query_range?query=up&start=0&end=5&step=soon', 400, 'bad_data', /^invalid parameter "step": cannot parse "soon" to a valid duration$/],
    ['/series', 400, 'bad_data', /^no match\[\] parameter provided$/],
    ['/series?match[]=%7B', 400, 'bad_data', /^invalid parameter "match\[\]": /],
    ['/query?query=' + encodeURIComponent('http_requests_total + on(job) http_requests_total') + '&time=1700000030', 422, 'execution', /many-to-many matching not allowed/],
  ])('%s -> %i %s', async (url, status, type, msg) => {
    const r = await get(url);
    expect(r.statusCode, r.body).toBe(status);
    const body = r.json();
    expect(body.status).toBe('error');
    expect(body.errorType).toBe(type);
    expect(body.error).toMatch(msg);
  });

  it('refuses bad tenant ids', async () => {
    const r = await app.inject({ url: '/prometheus/api/v1/query?query=1', headers: { 'X-Scope-OrgID': '../x' } });
    expect(r.statusCode).toBe(400);
  });

  it('status/buildinfo as Mimir reports it when the ruler config API is on (Grafana enables rule editing)', async () => {
    const mimirLike = Fastify();
    await mimirLike.register(
      prometheusApiRoutes({ store: (t) => tsdb.get(t), clock, logger: NOOP_LOGGER, versionInfo: versionInfo('v20'), rulerConfigApi: true, requireTenant: () => false }),
      { prefix: '/prometheus/api/v1' },
    );
    const r = await mimirLike.inject({ url: '/prometheus/api/v1/status/buildinfo' });
    const v = versionInfo('v20');
    expect(r.body).toBe(
      JSON.stringify({
        status: 'success',
        data: {
          application: 'Grafana Mimir',
          version: v.version,
          revision: v.revision,
          branch: v.branch,
          goVersion: v.goVersion,
          features: { ruler_config_api: 'true', alertmanager_config_api: 'true', query_sharding: 'false', federated_rules: 'false' },
        },
      }),
    );
    await mimirLike.close();
    // Off (the default): Prometheus' fields only, so Grafana treats it as read-only Prometheus.
    const plain = (await get('/status/buildinfo')).json<{ data: Record<string, unknown> }>().data;
    expect(plain.application).toBeUndefined();
    expect(plain.features).toBeUndefined();
  });

  it('status/buildinfo and metadata', async () => {
    expect((await get('/status/buildinfo')).json().data.version).toBe(versionInfo('v20').version);
    expect((await get('/metadata')).json()).toEqual({ status: 'success', data: {} });
  });
});
