import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/runtime.js';
import { FakeTsdbSet } from './fake-tsdb.test-util.js';
import { RemoteWriteIngester } from './ingest.js';
import type { IngestLimits } from './limits.js';
import { DEFAULT_INGEST_LIMITS } from './limits.js';
import type { IngestMetrics } from './metrics.js';
import { blastCompress, lenField, label, tag, varint, writeRequest } from './wire.test-util.js';
import type { SeriesSpec } from './wire.test-util.js';

const NOW = 1_700_000_000_000;
const compress = blastCompress();
const body = (series: SeriesSpec[]) => compress(Buffer.from(writeRequest(series)));

function setup(over: Partial<IngestLimits> = {}) {
  let now = NOW;
  const clock: Clock = { now: () => now, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
  const received = new Map<string, number>();
  const rejected = new Map<string, number>();
  const metrics: IngestMetrics = {
    samplesReceived: (t, n) => received.set(t, (received.get(t) ?? 0) + n),
    samplesRejected: (t, r, n) => rejected.set(`${t}/${r}`, (rejected.get(`${t}/${r}`) ?? 0) + n),
  };
  const tsdb = new FakeTsdbSet();
  const ingester = new RemoteWriteIngester({ tsdb, limits: () => ({ ...DEFAULT_INGEST_LIMITS, ...over }), metrics, clock });
  return { ingester, tsdb, received, rejected, advance: (ms: number) => (now += ms) };
}

const up = (t: number, v = 1): SeriesSpec => ({ labels: [['__name__', 'up'], ['job', 'a']], samples: [[v, t]] });

describe('RemoteWriteIngester.push', () => {
  it('stores valid samples and answers 204', async () => {
    const { ingester, tsdb, received } = setup();
    const out = await ingester.push('t1', body([up(NOW), { labels: [['__name__', 'm']], samples: [['stale', NOW], [2, NOW + 1]] }]));
    expect(out).toEqual({ status: 204, received: 3, accepted: 3, rejected: 0 });
    const stored = tsdb.store('t1').samples;
    expect(stored.map((s) => [s.labels.__name__, s.t, s.bits])).toEqual([
      ['up', NOW, '3ff0000000000000'],
      ['m', NOW, '7ff0000000000002'],
      ['m', NOW + 1, '4000000000000000'],
    ]);
    expect(received.get('t1')).toBe(3);
  });

  it('answers 400 for a body that is not snappy, and for snappy that is not a WriteRequest', async () => {
    const { ingester } = setup();
    expect(await ingester.push('t', Buffer.from([0x80]))).toMatchObject({ status: 400, message: 'snappy: corrupt input at byte 1: truncated length varint' });
    const bad = await ingester.push('t', compress(Buffer.from([0x0a, 0x05])));
    expect(bad).toMatchObject({ status: 400, message: 'protobuf: invalid WriteRequest at byte 1: length 5 runs past the end of the message' });
  });

  it('stores the valid series of a partly invalid request and reports the first problem', async () => {
    const { ingester, tsdb, rejected } = setup();
    const out = await ingester.push('t', body([{ labels: [['job', 'x']], samples: [[1, NOW]] }, up(NOW), { labels: [['__name__', 'm'], ['a-b', '1']], samples: [[1, NOW], [2, NOW + 1]] }]));
    expect(out).toEqual({ status: 400, message: 'received series has no metric name (err-herald-missing-metric-name)', received: 4, accepted: 1, rejected: 3 });
    expect(tsdb.store('t').samples).toHaveLength(1);
    expect(rejected.get('t/missing_metric_name')).toBe(1);
    expect(rejected.get('t/label_invalid')).toBe(2);
  });

  it('passes on the store refusals with Prometheus wording, after storing the rest', async () => {
    const { ingester, tsdb, rejected } = setup();
    await ingester.push('t', body([up(NOW)]));
    const out = await ingester.push('t', body([up(NOW - 1000), { labels: [['__name__', 'm']], samples: [[1, NOW]] }, { labels: [['job', 'x']], samples: [[1, NOW]] }]));
    // Store errors come before validation errors, as Mimir gives ingester errors priority.
    expect(out).toEqual({ status: 400, message: 'out of order sample', received: 3, accepted: 1, rejected: 2 });
    expect(tsdb.store('t').samples).toHaveLength(2);
    expect(rejected.get('t/out_of_order')).toBe(1);
  });

  it('answers 500 when the store fails, so the sender retries', async () => {
    const { ingester, tsdb } = setup();
    tsdb.store('t').failWith = new Error('disk full');
    expect(await ingester.push('t', body([up(NOW)]))).toMatchObject({ status: 500, message: 'disk full' });
  });

  it('answers 429 past the ingestion rate and accepts again once the bucket refills', async () => {
    const { ingester, tsdb, rejected, advance } = setup({ ingestion_rate: 1, ingestion_burst_size: 2 });
    const two = (t: number) => body([up(t), { labels: [['__name__', 'm']], samples: [[1, t]] }]);
    expect((await ingester.push('t', two(NOW))).status).toBe(204);
    const limited = await ingester.push('t', two(NOW + 1));
    expect(limited.status).toBe(429);
    expect(limited.message).toBe(
      'the request has been rejected because the tenant exceeded the ingestion rate limit, set to 1 items/s with a maximum allowed burst of 2. This limit is applied on the total number of samples received (err-herald-tenant-max-ingestion-rate). To adjust the related per-tenant limits, configure ingestion_rate and ingestion_burst_size, or contact your service administrator.',
    );
    expect(rejected.get('t/rate_limited')).toBe(2);
    expect((await ingester.push('other', two(NOW))).status).toBe(204);
    advance(2000);
    expect((await ingester.push('t', two(NOW + 2))).status).toBe(204);
    expect(tsdb.store('t').samples).toHaveLength(4);
    const burst = await ingester.push('t', body([up(NOW + 5), up(NOW + 6), up(NOW + 7)]));
    expect(burst.status).toBe(429);
    expect(burst.message).toMatch(/^the request has been rejected because the tenant exceeded the ingestion burst size limit, set to 2, with 3 items/);
  });

  it('refuses a request with more samples than max_samples_per_request', async () => {
    const { ingester, tsdb } = setup({ max_samples_per_request: 1 });
    const out = await ingester.push('t', body([up(NOW), up(NOW + 1)]));
    expect(out.status).toBe(400);
    expect(out.message).toMatch(/^the request has been rejected because it contains 2 samples, more than the limit of 1 per request/);
    expect(tsdb.stores.size).toBe(0);
  });

  it('drops native histograms with a 400 after storing the float samples', async () => {
    const { ingester, tsdb, rejected } = setup();
    const ts = lenField(1, [...label('__name__', 'h'), ...lenField(4, [...tag(1, 0), ...varint(3)])]);
    const out = await ingester.push('t', compress(Buffer.from([...writeRequest([up(NOW)]), ...ts])));
    expect(out).toMatchObject({ status: 400, accepted: 1, rejected: 1, message: 'native histogram samples are not supported by this server (err-herald-native-histogram-unsupported)' });
    expect(tsdb.store('t').samples).toHaveLength(1);
    expect(rejected.get('t/native_histogram_unsupported')).toBe(1);
  });

  it('counts samples too far in the future, stores the rest', async () => {
    const { ingester, tsdb } = setup();
    const out = await ingester.push('t', body([{ labels: [['__name__', 'm']], samples: [[1, NOW], [2, NOW + 3_600_000]] }]));
    expect(out.status).toBe(400);
    expect(out.message).toMatch(/too far in the future, timestamp: 1700003600000 series: 'm'/);
    expect(tsdb.store('t').samples).toHaveLength(1);
  });

  it('answers 204 for an empty request without opening a store', async () => {
    const { ingester, tsdb } = setup();
    expect((await ingester.push('t', body([]))).status).toBe(204);
    expect(tsdb.stores.size).toBe(0);
  });
});

describe('RemoteWriteIngester label reuse', () => {
  it('hands the TSDB the same frozen label set for a resent series, re-validated when limits change', async () => {
    let limits: IngestLimits = DEFAULT_INGEST_LIMITS;
    const tsdb = new FakeTsdbSet();
    const clock: Clock = { now: () => NOW, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
    const metrics: IngestMetrics = { samplesReceived: () => undefined, samplesRejected: () => undefined };
    const ingester = new RemoteWriteIngester({ tsdb, limits: () => limits, metrics, clock });
    await ingester.push('t1', body([up(NOW)]));
    await ingester.push('t1', body([up(NOW + 1)]));
    const [a, b] = tsdb.store('t1').samples;
    expect(b!.labels).toBe(a!.labels);
    expect(Object.isFrozen(a!.labels)).toBe(true);
    limits = { ...DEFAULT_INGEST_LIMITS, max_label_names_per_series: 1 };
    const out = await ingester.push('t1', body([up(NOW + 2)]));
    expect(out.status).toBe(400);
    expect(tsdb.store('t1').samples).toHaveLength(2);
    // Another tenant has its own cache: its label set is not the first tenant's object.
    limits = DEFAULT_INGEST_LIMITS;
    await ingester.push('t2', body([up(NOW)]));
    expect(tsdb.store('t2').samples[0]!.labels).not.toBe(a!.labels);
    expect(tsdb.store('t2').samples[0]!.labels).toEqual(a!.labels);
  });
});
