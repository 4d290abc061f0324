import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../core/runtime.js';
import { FakeTsdbSet } from '../ingest/remote-write/fake-tsdb.test-util.js';
import type { IngestLimits } from '../ingest/remote-write/limits.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest/remote-write/limits.js';
import { NOOP_INGEST_METRICS } from '../ingest/remote-write/metrics.js';
import { blastCompress, writeRequest } from '../ingest/remote-write/wire.test-util.js';
import type { SeriesSpec } from '../ingest/remote-write/wire.test-util.js';
import { contentEncodingProblem, contentTypeProblem, remoteWriteRoutes } from './remote-write.js';

const NOW = 1_700_000_000_000;
const compress = blastCompress();
const body = (series: SeriesSpec[]) => compress(Buffer.from(writeRequest(series)));
const up = (t: number, job = 'a'): SeriesSpec => ({ labels: [['__name__', 'up'], ['job', job]], samples: [[1, t]] });
const HEADERS = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(opts: { requireTenant?: boolean; limits?: Partial<IngestLimits>; maxBodyBytes?: number } = {}) {
  const clock: Clock = { now: () => NOW, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
  const tsdb = new FakeTsdbSet();
  app = Fastify();
  await app.register(
    remoteWriteRoutes({
      tsdb,
      clock,
      metrics: NOOP_INGEST_METRICS,
      limits: () => ({ ...DEFAULT_INGEST_LIMITS, ...opts.limits }),
      requireTenant: () => opts.requireTenant ?? true,
      ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    }),
  );
  const push = (payload: Buffer, headers: Record<string, string> = {}) =>
    app!.inject({ method: 'POST', url: '/api/v1/push', payload, headers: { ...HEADERS, 'x-scope-orgid': 'team-a', ...headers } });
  return { tsdb, push, app };
}

describe('POST /api/v1/push', () => {
  it('stores samples in the tenant store and answers 204', async () => {
    const { tsdb, push } = await setup();
    const res = await push(body([up(NOW), up(NOW, 'b')]));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['x-herald-samples-accepted']).toBe('2');
    expect(tsdb.store('team-a').samples.map((s) => s.labels.job)).toEqual(['a', 'b']);
  });

  it('keeps the staleness marker bit-exact from the wire to the store', async () => {
    const { tsdb, push } = await setup();
    const res = await push(body([{ labels: [['__name__', 'up']], samples: [['stale', NOW]] }]));
    expect(res.statusCode).toBe(204);
    expect(tsdb.store('team-a').samples[0]?.bits).toBe('7ff0000000000002');
  });

  it('keeps tenants apart', async () => {
    const { tsdb, push } = await setup();
    expect((await push(body([up(NOW, 'from-a')]), { 'x-scope-orgid': 'a' })).statusCode).toBe(204);
    expect((await push(body([up(NOW, 'from-b')]), { 'x-scope-orgid': 'b' })).statusCode).toBe(204);
    expect(tsdb.store('a').samples.map((s) => s.labels.job)).toEqual(['from-a']);
    expect(tsdb.store('b').samples.map((s) => s.labels.job)).toEqual(['from-b']);
  });

  it.each([
    ['missing', undefined, 401, 'no org id'],
    ['invalid', 'a/b', 400, "tenant ID 'a/b' contains unsupported character '/'"],
    ['two (joined by node into one header)', ['a', 'b'], 400, "tenant ID 'a, b' contains unsupported character ','"],
  ])('refuses a %s tenant id before reading the body', async (_n, org, status, message) => {
    const { tsdb } = await setup();
    const headers: Record<string, string | string[]> = { ...HEADERS };
    if (org !== undefined) headers['x-scope-orgid'] = org;
    const res = await app!.inject({ method: 'POST', url: '/api/v1/push', payload: body([up(NOW)]), headers });
    expect(res.statusCode).toBe(status);
    expect(res.body).toBe(message);
    expect(tsdb.stores.size).toBe(0);
  });

  it('uses the default tenant when tenancy is not required', async () => {
    const { tsdb } = await setup({ requireTenant: false });
    const res = await app!.inject({ method: 'POST', url: '/api/v1/push', payload: body([up(NOW)]), headers: HEADERS });
    expect(res.statusCode).toBe(204);
    expect([...tsdb.stores.keys()]).toEqual(['anonymous']);
  });

  it.each([
    ['bad snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 'snappy: corrupt input at byte 0: length varint longer than 5 bytes\n'],
    ['bad protobuf', compress(Buffer.from([0x0a, 0x09, 0x00])), 'protobuf: invalid WriteRequest at byte 1: length 9 runs past the end of the message\n'],
    ['empty body', Buffer.alloc(0), 'snappy: corrupt input at byte 0: truncated length varint\n'],
    [
      'invalid labels',
      body([{ labels: [['__name__', 'up'], ['bad-name', 'x']], samples: [[1, NOW]] }]),
      "received a series with an invalid label: 'bad-name' series: '{__name__=\"up\", bad-name=\"x\"}' (err-herald-label-invalid)\n",
    ],
  ])('answers 400 for %s', async (_n, payload, message) => {
    const { push } = await setup();
    const res = await push(payload);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(message);
  });

  it('answers 400 with the store error for out-of-order samples, after storing the good ones', async () => {
    const { tsdb, push } = await setup();
    await push(body([up(NOW)]));
    const res = await push(body([up(NOW - 1), up(NOW + 1, 'b')]));
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('out of order sample\n');
    expect(res.headers['x-herald-samples-accepted']).toBe('1');
    expect(res.headers['x-herald-samples-rejected']).toBe('1');
    expect(tsdb.store('team-a').samples).toHaveLength(2);
  });

  it('answers 500 when the store fails', async () => {
    const { tsdb, push } = await setup();
    tsdb.store('team-a').failWith = new Error('wal: write failed');
    const res = await push(body([up(NOW)]));
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe('wal: write failed\n');
  });

  it('answers 429 past the tenant ingestion rate', async () => {
    const { push } = await setup({ limits: { ingestion_rate: 1, ingestion_burst_size: 1 } });
    expect((await push(body([up(NOW)]))).statusCode).toBe(204);
    const res = await push(body([up(NOW + 1)]));
    expect(res.statusCode).toBe(429);
    expect(res.body).toMatch(/^the request has been rejected because the tenant exceeded the ingestion rate limit, set to 1 items\/s/);
    expect((await push(body([up(NOW + 1)]), { 'x-scope-orgid': 'team-b' })).statusCode).toBe(204);
  });

  it.each([
    ['json content type', { 'content-type': 'application/json' }, 'expected application/x-protobuf as the first (media) part, got application/json content-type\n'],
    [
      'remote write 2.0',
      { 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
      'io.prometheus.write.v2.Request protobuf message is not accepted by this server; accepted [prometheus.WriteRequest]\n',
    ],
    ['gzip encoding', { 'content-encoding': 'gzip' }, 'gzip encoding (compression) is not accepted by this server; only snappy is acceptable\n'],
  ])('answers 415 for %s', async (_n, headers, message) => {
    const { push, tsdb } = await setup();
    const res = await push(body([up(NOW)]), headers);
    expect(res.statusCode).toBe(415);
    expect(res.body).toBe(message);
    expect(tsdb.stores.size).toBe(0);
  });

  it('assumes protobuf and snappy when the headers are missing, as Prometheus does', async () => {
    const { tsdb } = await setup();
    const res = await app!.inject({ method: 'POST', url: '/api/v1/push', payload: body([up(NOW)]), headers: { 'x-scope-orgid': 't' } });
    expect(res.statusCode).toBe(204);
    expect(tsdb.store('t').samples).toHaveLength(1);
  });

  it('answers 413 for a body above the size limit', async () => {
    const { push } = await setup({ maxBodyBytes: 10 });
    expect((await push(body([up(NOW)]))).statusCode).toBe(413);
  });
});

describe('header checks', () => {
  it.each([
    [undefined, undefined],
    ['application/x-protobuf', undefined],
    ['application/x-protobuf;proto=prometheus.WriteRequest', undefined],
    ['application/x-protobuf; proto=prometheus.WriteRequest', undefined],
    ['application/x-protobuf;charset=utf-8', undefined],
    ['application/x-protobuf;proto', 'as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got proto in application/x-protobuf;proto content-type'],
    [
      'application/x-protobuf;proto=foo.Bar',
      'got application/x-protobuf;proto=foo.Bar content type; unknown remote write protobuf message foo.Bar, supported: prometheus.WriteRequest, io.prometheus.write.v2.Request',
    ],
    ['text/plain', 'expected application/x-protobuf as the first (media) part, got text/plain content-type'],
  ])('Content-Type %s', (ct, want) => {
    expect(contentTypeProblem(ct)).toBe(want);
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['snappy', undefined],
    ['zstd', 'zstd encoding (compression) is not accepted by this server; only snappy is acceptable'],
  ])('Content-Encoding %s', (enc, want) => {
    expect(contentEncodingProblem(enc)).toBe(want);
  });
});
