/**
 * One contract for every QueryBackend: the memory backend, the embedded backend over a real tsdb
 * Head, and the remote backend talking HTTP to a small Prometheus stand-in (node:http on
 * 127.0.0.1) that stores what it receives by remote_write and answers /api/v1/query with Herald's
 * own engine. Same data in through append(), same answers out.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { compareLabels } from '../../core/labels.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { STALE_NAN } from '../../core/stale-nan.js';
import { decodeWriteRequest, snappyDecode } from '../../ingest/remote-write/index.js';
import { TEST_HTTP_CLIENT } from '../../net/test-fakes.js';
import { formatParseError, instantQuery, parseExpr, PromQLQueryError } from '../../promql/index.js';
import { encodeQueryData } from '../../server/prometheus-api/json.js';
import { Head } from '../../tsdb/index.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import { RuleQueryError } from '../api.js';
import type { QueryBackend, RuleSample } from '../api.js';
import { embeddedBackend, memoryBackend } from './local.js';
import { createRemoteBackend } from './remote.js';

interface FakePrometheus {
  readonly url: string;
  readonly tenants: string[];
  close(): Promise<void>;
}

const ERROR_STATUS: Readonly<Record<string, number>> = { bad_data: 400, execution: 422, timeout: 503, canceled: 499, internal: 500 };

/** Prometheus' query and remote-write endpoints over a memory backend, as web/api/v1/api.go and write_handler.go answer. */
async function startFakePrometheus(): Promise<FakePrometheus> {
  const store = memoryBackend();
  const tenants: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        tenants.push(String(req.headers['x-scope-orgid']));
        const body = Buffer.concat(chunks);
        const reply = (status: number, text: string, type = 'application/json'): void => {
          res.writeHead(status, { 'content-type': type });
          res.end(text);
        };
        const error = (errorType: string, message: string): void => reply(ERROR_STATUS[errorType] ?? 500, JSON.stringify({ status: 'error', errorType, error: message }));
        if (req.url === '/api/v1/write') {
          const unz = snappyDecode(body);
          const wr = unz.ok ? decodeWriteRequest(unz.value) : unz;
          if (!wr.ok) return reply(400, wr.issues[0]?.message ?? 'bad request', 'text/plain');
          const samples: RuleSample[] = [];
          for (const s of wr.value.series) {
            const labels: Record<string, string> = {};
            s.names.forEach((n, i) => (labels[n] = s.values[i] as string));
            for (let i = 0; i < s.t.length; i++) samples.push({ labels, t: s.t[i] as number, v: s.v[i] as number });
          }
          const r = await store.append(samples);
          return r.rejected > 0 ? reply(400, `${r.firstError ?? 'rejected'}\n`, 'text/plain') : reply(204, '');
        }
        if (req.url !== '/api/v1/query' || req.method !== 'POST') return reply(404, '404 page not found\n', 'text/plain');
        const form = new URLSearchParams(body.toString('utf8'));
        const parsed = parseExpr(form.get('query') ?? '');
        if (!parsed.ok) return error('bad_data', `invalid parameter "query": ${parsed.errors[0] ? formatParseError(parsed.errors[0]) : 'parse error'}`);
        const t = Math.round(Number(form.get('time')) * 1000);
        try {
          const r = await instantQuery(store.source, parsed.expr, t);
          return reply(200, `{"status":"success","data":${encodeQueryData(r.value)}}`);
        } catch (e) {
          if (e instanceof PromQLQueryError) return error(e.type, e.message);
          return error('internal', String(e));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tenants,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let fake: FakePrometheus;
beforeAll(async () => {
  fake = await startFakePrometheus();
});
afterAll(async () => {
  await fake.close();
});

const BACKENDS: [string, () => QueryBackend][] = [
  ['memory', () => memoryBackend()],
  ['embedded (tsdb Head)', () => embeddedBackend(new Head({ tenant: 't', clock: new ManualClock(), logger: NOOP_LOGGER, retentionMs: 0, limits: () => ({ maxSeries: 0 }) }))],
  [
    'remote (Prometheus API + remote_write)',
    () =>
      createRemoteBackend({
        tenant: 'team-a',
        config: { type: 'prometheus', url: fake.url, tenantHeader: 'X-Scope-OrgID', timeoutMs: 5_000, remoteWriteUrl: `${fake.url}/api/v1/write`, tenants: new Map() },
        http: TEST_HTTP_CLIENT,
        userAgent: 'Herald/test',
      }),
  ],
];

const sorted = (samples: RuleSample[]): RuleSample[] => [...samples].sort((a, b) => compareLabels(a.labels, b.labels));
const up = (instance: string): Labels => ({ __name__: 'up', job: 'node', instance });

describe.each(BACKENDS)('QueryBackend contract: %s', (name, make) => {
  let b: QueryBackend;
  // The remote backend shares one fake server across the file: each suite writes its own metric names.
  const metric = (base: string): string => `${base}_${name.split(' ')[0] as string}`;

  beforeAll(async () => {
    b = make();
    const seed: RuleSample[] = [];
    for (let t = 0; t <= 120_000; t += 15_000) {
      seed.push({ labels: up('a'), t, v: 1 }, { labels: up('b'), t, v: t < 60_000 ? 1 : 0 });
      seed.push({ labels: { __name__: metric('reqs'), path: '/x' }, t, v: t / 1000 });
    }
    expect(await b.append(seed)).toEqual({ rejected: 0 });
  });

  it('answers an instant vector query with labels, time and values', async () => {
    const got = sorted(await b.queryVector('up', 120_000));
    expect(got).toEqual([
      { labels: up('a'), t: 120_000, v: 1 },
      { labels: up('b'), t: 120_000, v: 0 },
    ]);
  });

  it('answers aggregations and drops the metric name as PromQL does', async () => {
    expect(await b.queryVector('sum by (job) (up)', 30_000)).toEqual([{ labels: { job: 'node' }, t: 30_000, v: 2 }]);
    const rate = await b.queryVector(`rate(${metric('reqs')}[1m])`, 120_000);
    expect(rate.map((s) => [s.labels, s.t])).toEqual([[{ path: '/x' }, 120_000]]);
    expect(rate[0]?.v).toBeCloseTo(1, 12);
  });

  it('turns a scalar into one sample without labels', async () => {
    expect(await b.queryVector('scalar(sum(up)) * 2', 45_000)).toEqual([{ labels: {}, t: 45_000, v: 4 }]);
  });

  it('keeps NaN and infinities', async () => {
    const got = sorted(await b.queryVector('up / 0', 120_000));
    expect(got.map((s) => s.v)).toEqual([Infinity, NaN]);
  });

  it('answers an empty vector for no match', async () => {
    expect(await b.queryVector('up{job="nope"}', 120_000)).toEqual([]);
  });

  it('returns the raw samples of a range selector', async () => {
    const got = await b.queryMatrix('up{instance="b"}[1m]', 120_000);
    expect(got).toEqual([{ labels: up('b'), t: [75_000, 90_000, 105_000, 120_000], v: [0, 0, 0, 0] }]);
  });

  it.each([
    ['a parse error', 'sum(', 'queryVector', /unclosed left parenthesis/],
    ['a duplicate label set', 'label_replace(up, "instance", "same", "instance", ".*")', 'queryVector', /vector cannot contain metrics with the same labelset/],
    ['a string result', '"text"', 'queryVector', /^rule result is not a vector or scalar$/],
    ['a vector for a range query', 'up', 'queryMatrix', /^query result is a vector, not a range vector$/],
  ])('refuses %s with RuleQueryError', async (_what, expr, method, message) => {
    const p = method === 'queryVector' ? b.queryVector(expr, 120_000) : b.queryMatrix(expr, 120_000);
    await expect(p).rejects.toBeInstanceOf(RuleQueryError);
    await expect(p).rejects.toThrow(message);
  });

  it('shows appended samples to the next query', async () => {
    const name = metric('recorded');
    expect(await b.queryVector(name, 130_000)).toEqual([]);
    expect(await b.append([{ labels: { __name__: name, rule: 'r1' }, t: 130_000, v: 42 }])).toEqual({ rejected: 0 });
    expect(await b.queryVector(name, 130_000)).toEqual([{ labels: { __name__: name, rule: 'r1' }, t: 130_000, v: 42 }]);
  });

  it('refuses an out-of-order sample without throwing', async () => {
    const name = metric('ooo');
    expect(await b.append([{ labels: { __name__: name }, t: 100_000, v: 1 }])).toEqual({ rejected: 0 });
    const r = await b.append([{ labels: { __name__: name }, t: 50_000, v: 2 }]);
    expect(r.rejected).toBe(1);
    expect(r.firstError).toMatch(/out of order sample/);
    expect(await b.queryVector(name, 100_000)).toEqual([{ labels: { __name__: name }, t: 100_000, v: 1 }]);
  });

  it('ends a series at a stale marker', async () => {
    const name = metric('stale');
    expect(await b.append([{ labels: { __name__: name }, t: 60_000, v: 5 }])).toEqual({ rejected: 0 });
    expect(await b.append([{ labels: { __name__: name }, t: 90_000, v: STALE_NAN }])).toEqual({ rejected: 0 });
    expect(await b.queryVector(name, 80_000)).toEqual([{ labels: { __name__: name }, t: 80_000, v: 5 }]);
    expect(await b.queryVector(name, 90_000)).toEqual([]);
    expect(await b.queryVector(name, 200_000)).toEqual([]);
    expect(await b.queryVector(`count_over_time(${name}[5m])`, 200_000)).toEqual([{ labels: {}, t: 200_000, v: 1 }]);
  });
});

describe('the Prometheus stand-in', () => {
  it('saw the tenant header on every request', () => {
    expect(fake.tenants.length).toBeGreaterThan(10);
    expect(new Set(fake.tenants)).toEqual(new Set(['team-a']));
  });
});
