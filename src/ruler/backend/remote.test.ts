import { describe, expect, it } from 'vitest';
import type { HttpClient, HttpRequest, HttpResponse } from '../../core/runtime.js';
import { isStaleNaN, STALE_NAN } from '../../core/stale-nan.js';
import { decodeWriteRequest, snappyDecode } from '../../ingest/remote-write/index.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import { RuleQueryError } from '../api.js';
import type { PeerAuth, RuleSample } from '../api.js';
import { RemoteBackendError } from './peer-http.js';
import type { RemoteBackendConfig } from './peer-http.js';
import { parseSampleValue } from './query-response.js';
import { createRemoteBackend, formatQueryTime } from './remote.js';

type Answer = HttpResponse | Error | 'hang';

/** An HttpClient that records requests and answers from a list (the last answer repeats). */
function fakeHttp(...answers: Answer[]): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    request(req) {
      requests.push(req);
      const a = answers[Math.min(requests.length - 1, answers.length - 1)] ?? { status: 200, headers: {}, body: '' };
      if (a === 'hang') return new Promise<HttpResponse>(() => undefined);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ok = (data: unknown): HttpResponse => json(200, { status: 'success', data });

function config(extra: Partial<RemoteBackendConfig> = {}): RemoteBackendConfig {
  return { type: 'prometheus', url: 'http://prom.example:9090/prefix/', tenantHeader: 'X-Scope-OrgID', timeoutMs: 10_000, tenants: new Map(), ...extra };
}

function backend(http: HttpClient, extra: Partial<RemoteBackendConfig> = {}, clock = new ManualClock()) {
  return createRemoteBackend({ tenant: 'team-a', config: config(extra), http, userAgent: 'Herald/test', clock });
}

async function failure(p: Promise<unknown>): Promise<RemoteBackendError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RemoteBackendError);
  expect(e).toBeInstanceOf(RuleQueryError);
  return e as RemoteBackendError;
}

describe('remote backend queries', () => {
  it('POSTs the query form with time in seconds, tenant header, User-Agent', async () => {
    const http = fakeHttp(ok({ resultType: 'vector', result: [] }));
    await backend(http).queryVector('sum(up{job="a b"})', 1_700_000_000_123);
    const req = http.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://prom.example:9090/prefix/api/v1/query');
    expect(req.headers).toEqual({
      'X-Scope-OrgID': 'team-a',
      'User-Agent': 'Herald/test',
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    });
    expect(Object.fromEntries(new URLSearchParams(req.body as string))).toEqual({ query: 'sum(up{job="a b"})', time: '1700000000.123' });
  });

  it('reads a vector with NaN, infinities, exponents and float-second timestamps', async () => {
    const http = fakeHttp(
      ok({
        resultType: 'vector',
        result: [
          { metric: { __name__: 'a', job: 'x' }, value: [1700000000.123, '1.5'] },
          { metric: {}, value: [1700000000, 'NaN'] },
          { metric: { k: 'v' }, value: [1700000000.5, '+Inf'] },
          { metric: { k: 'w' }, value: [1700000000.5, '-Inf'] },
          { metric: { k: 'z' }, value: [1700000000.5, '1e-07'] },
        ],
      }),
    );
    const got = await backend(http).queryVector('x', 0);
    expect(got.map((s) => [s.labels, s.t, s.v])).toEqual([
      [{ __name__: 'a', job: 'x' }, 1_700_000_000_123, 1.5],
      [{}, 1_700_000_000_000, NaN],
      [{ k: 'v' }, 1_700_000_000_500, Infinity],
      [{ k: 'w' }, 1_700_000_000_500, -Infinity],
      [{ k: 'z' }, 1_700_000_000_500, 1e-7],
    ]);
  });

  it('turns a scalar into one sample without labels', async () => {
    const got = await backend(fakeHttp(ok({ resultType: 'scalar', result: [12.5, '3'] }))).queryVector('3', 12_500);
    expect(got).toEqual([{ labels: {}, t: 12_500, v: 3 }]);
  });

  it('reads a matrix for queryMatrix', async () => {
    const http = fakeHttp(ok({ resultType: 'matrix', result: [{ metric: { a: '1' }, values: [[1, '10'], [2.25, '20']] }, { metric: { a: '2' }, values: [] }] }));
    expect(await backend(http).queryMatrix('m[1m]', 3000)).toEqual([
      { labels: { a: '1' }, t: [1000, 2250], v: [10, 20] },
      { labels: { a: '2' }, t: [], v: [] },
    ]);
  });

  it.each([
    ['a string for queryVector', 'vector', { resultType: 'string', result: [1, 'x'] }, 'rule result is not a vector or scalar'],
    ['a matrix for queryVector', 'vector', { resultType: 'matrix', result: [] }, 'rule result is not a vector or scalar'],
    ['a vector for queryMatrix', 'matrix', { resultType: 'vector', result: [] }, 'query result is a vector, not a range vector'],
  ])('refuses %s', async (_name, kind, data, message) => {
    const b = backend(fakeHttp(ok(data)));
    const p = kind === 'vector' ? b.queryVector('q', 0) : b.queryMatrix('q', 0);
    await expect(p).rejects.toThrow(new RuleQueryError(message));
  });

  it("passes on the remote's error envelope with its errorType, prefixed with the URL", async () => {
    const http = fakeHttp(json(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis' }));
    const e = await failure(backend(http).queryVector('sum(', 0));
    expect(e.message).toBe('http://prom.example:9090/prefix/api/v1/query: bad_data: invalid parameter "query": 1:5: parse error: unclosed left parenthesis');
    expect(e.errorType).toBe('bad_data');
    expect(e.status).toBe(400);
  });

  it('passes on execution errors answered with 422', async () => {
    const http = fakeHttp(json(422, { status: 'error', errorType: 'execution', error: 'vector cannot contain metrics with the same labelset' }));
    const e = await failure(backend(http).queryVector('x', 0));
    expect(e.message).toMatch(/: execution: vector cannot contain metrics with the same labelset$/);
  });

  it.each<[string, HttpResponse, RegExp]>([
    ['a 502 from a proxy', { status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, /^http:\/\/prom\.example:9090\/prefix\/api\/v1\/query: unexpected status 502: <html>Bad Gateway<\/html>$/],
    ['a 503 without body', { status: 503, headers: {}, body: '' }, /query: unexpected status 503$/],
    ['a 404', { status: 404, headers: {}, body: '404 page not found\n' }, /unexpected status 404: 404 page not found$/],
    ['200 with HTML', { status: 200, headers: {}, body: '<html/>' }, /invalid query response \(status 200\): response is not JSON$/],
    ['200 with another status', json(200, { status: 'weird' }), /status "weird" is neither "success" nor "error"/],
    ['an unknown resultType', ok({ resultType: 'table', result: [] }), /data.resultType "table" is not one of vector, scalar, matrix, string/],
    ['a value that is no number', ok({ resultType: 'vector', result: [{ metric: {}, value: [1, 'abc'] }] }), /data.result\[0\].value\[1\] "abc" is not a number/],
    ['a value that is a JSON number', ok({ resultType: 'vector', result: [{ metric: {}, value: [1, 1] }] }), /data.result\[0\].value\[1\] is not a string/],
    ['a label that is no string', ok({ resultType: 'vector', result: [{ metric: { a: 1 }, value: [1, '1'] }] }), /data.result\[0\].metric.a is not a string/],
    ['a missing value', ok({ resultType: 'vector', result: [{ metric: {} }] }), /data.result\[0\].value is not a \[time, "value"\] pair/],
    ['a timestamp string', ok({ resultType: 'scalar', result: ['1', '1'] }), /data.result\[0\] is not a timestamp in seconds/],
    ['a native histogram', ok({ resultType: 'vector', result: [{ metric: {}, histogram: [1, {}] }] }), /data.result\[0\] holds native histogram samples/],
    ['result not an array', ok({ resultType: 'vector', result: {} }), /data.result is not an array/],
    ['data missing', json(200, { status: 'success' }), /data is not an object/],
  ])('reports %s naming the URL and what is wrong', async (_name, res, message) => {
    const e = await failure(backend(fakeHttp(res)).queryVector('x', 0));
    expect(e.message).toMatch(message);
  });

  it('reports a transport failure with its cause', async () => {
    const err = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    const e = await failure(backend(fakeHttp(err)).queryVector('x', 0));
    expect(e.message).toBe('http://prom.example:9090/prefix/api/v1/query: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(e.status).toBeUndefined();
  });

  it('gives up after the timeout even when the client never answers', async () => {
    const clock = new ManualClock();
    const http = fakeHttp('hang');
    let settled = false;
    const p = failure(backend(http, { timeoutMs: 10_000 }, clock).queryVector('x', 0)).finally(() => (settled = true));
    clock.advance(9_999);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    clock.advance(1);
    const e = await p;
    expect(e.message).toBe('http://prom.example:9090/prefix/api/v1/query: request timed out after 10s');
    expect(http.requests[0]!.signal?.aborted).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it("rethrows the caller's abort reason and cancels the timer", async () => {
    const clock = new ManualClock();
    const ctrl = new AbortController();
    const p = backend(fakeHttp('hang'), {}, clock).queryVector('x', 0, ctrl.signal);
    const reason = new Error('evaluation stopped');
    ctrl.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
    await expect(backend(fakeHttp(ok({})), {}, clock).queryVector('x', 0, ctrl.signal)).rejects.toBe(reason);
  });

  it('keeps credentials in the URL out of error messages', async () => {
    const http = fakeHttp({ status: 500, headers: {}, body: 'boom' });
    const e = await failure(backend(http, { url: 'http://user:s3cret@prom:9090' }).queryVector('x', 0));
    expect(e.message).toBe('http://prom:9090/api/v1/query: unexpected status 500: boom');
    expect(http.requests[0]!.url).toBe('http://user:s3cret@prom:9090/api/v1/query');
  });
});

describe('remote backend auth and tenant header', () => {
  const headersFor = async (extra: Partial<RemoteBackendConfig>): Promise<Readonly<Record<string, string>>> => {
    const http = fakeHttp(ok({ resultType: 'vector', result: [] }));
    await backend(http, extra).queryVector('x', 0);
    return http.requests[0]!.headers;
  };

  it.each<[string, Partial<RemoteBackendConfig>, Record<string, string | undefined>]>([
    ['no tenant header when configured empty', { tenantHeader: '' }, { 'X-Scope-OrgID': undefined }],
    ['a custom tenant header', { tenantHeader: 'X-Tenant' }, { 'X-Tenant': 'team-a', 'X-Scope-OrgID': undefined }],
    ['shared basic auth', { basicAuth: { username: 'u', password: 'p:w' } }, { Authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}` }],
    ['shared bearer token', { bearerToken: 'tok' }, { Authorization: 'Bearer tok' }],
    ['extra headers, the tenant header winning over a differently spelt one', { headers: { 'X-Extra': '1', 'x-scope-orgid': 'spoof' } }, { 'X-Extra': '1', 'X-Scope-OrgID': 'team-a', 'x-scope-orgid': undefined }],
  ])('%s', async (_name, extra, want) => {
    const h = await headersFor(extra);
    for (const [k, v] of Object.entries(want)) expect(h[k]).toBe(v);
  });

  it("uses the tenant's own credentials instead of the shared ones", async () => {
    const tenants = new Map<string, PeerAuth>([['team-a', { bearerToken: 'mine', headers: { 'X-Mine': 'y' } }]]);
    const h = await headersFor({ basicAuth: { username: 'shared', password: 'x' }, headers: { 'X-Shared': '1' }, tenants });
    expect(h['Authorization']).toBe('Bearer mine');
    expect(h['X-Mine']).toBe('y');
    expect(h['X-Shared']).toBeUndefined();
  });

  it('uses the shared credentials for other tenants', async () => {
    const tenants = new Map<string, PeerAuth>([['someone-else', { bearerToken: 'theirs' }]]);
    expect((await headersFor({ bearerToken: 'shared', tenants }))['Authorization']).toBe('Bearer shared');
  });
});

describe('remote backend append (remote_write)', () => {
  const WRITE = 'http://rw.example/api/v1/push';

  function decodeBody(req: HttpRequest) {
    const unz = snappyDecode(req.body as Uint8Array);
    if (!unz.ok) throw new Error(unz.issues[0]?.message);
    const r = decodeWriteRequest(unz.value);
    if (!r.ok) throw new Error(r.issues[0]?.message);
    return r.value;
  }

  it('discards samples without error when no remote_write_url is configured', async () => {
    const http = fakeHttp();
    const b = backend(http);
    expect(await b.append([{ labels: { __name__: 'a' }, t: 1, v: 1 }])).toEqual({ rejected: 0 });
    expect(await b.append([])).toEqual({ rejected: 0 });
    expect(http.requests).toHaveLength(0);
  });

  it('sends snappy protobuf with the remote_write headers, series grouped, stale markers bit-exact', async () => {
    const http = fakeHttp({ status: 204, headers: {}, body: '' });
    const b = backend(http, { remoteWriteUrl: WRITE, bearerToken: 't' });
    const samples: RuleSample[] = [
      { labels: { __name__: 'rec', job: 'a' }, t: 1000, v: 1 },
      { labels: { __name__: 'rec', job: 'b' }, t: 1000, v: 2 },
      { labels: { job: 'a', __name__: 'rec' }, t: 2000, v: STALE_NAN },
      { labels: { __name__: 'nan' }, t: 2000, v: NaN },
    ];
    expect(await b.append(samples)).toEqual({ rejected: 0 });
    const req = http.requests[0]!;
    expect(req.url).toBe(WRITE);
    expect(req.method).toBe('POST');
    expect(req.headers).toEqual({
      Authorization: 'Bearer t',
      'User-Agent': 'Herald/test',
      'X-Scope-OrgID': 'team-a',
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    });
    const wr = decodeBody(req);
    expect(wr.series.map((s) => [s.names, s.values, [...s.t]])).toEqual([
      [['__name__', 'job'], ['rec', 'a'], [1000, 2000]],
      [['__name__', 'job'], ['rec', 'b'], [1000]],
      [['__name__'], ['nan'], [2000]],
    ]);
    const a = wr.series[0]!.v;
    expect(a[0]).toBe(1);
    expect(new Uint32Array(a.buffer, a.byteOffset + 8, 2)[0]).toBe(2);
    expect(isStaleNaN(a[1]!)).toBe(true);
    expect(isStaleNaN(wr.series[2]!.v[0]!)).toBe(false);
  });

  it('counts a 400 as rejected samples with the body as the error', async () => {
    const b = backend(fakeHttp({ status: 400, headers: {}, body: 'out of order sample\n' }), { remoteWriteUrl: WRITE });
    expect(await b.append([{ labels: { __name__: 'a' }, t: 1, v: 1 }, { labels: { __name__: 'b' }, t: 1, v: 1 }])).toEqual({ rejected: 2, firstError: 'out of order sample' });
  });

  it.each<[string, Answer, RegExp]>([
    ['a 500', { status: 500, headers: {}, body: 'tsdb down' }, /^http:\/\/rw\.example\/api\/v1\/push: remote write failed with status 500: tsdb down$/],
    ['a 429', { status: 429, headers: {}, body: '' }, /remote write failed with status 429$/],
    ['a 401', { status: 401, headers: {}, body: 'no org id' }, /status 401: no org id/],
    ['a transport failure', new Error('socket hang up'), /^http:\/\/rw\.example\/api\/v1\/push: socket hang up$/],
  ])('throws for %s', async (_name, answer, message) => {
    const e = await failure(backend(fakeHttp(answer), { remoteWriteUrl: WRITE }).append([{ labels: { __name__: 'a' }, t: 1, v: 1 }]));
    expect(e.message).toMatch(message);
  });

  it('times out a write that never finishes', async () => {
    const clock = new ManualClock();
    const p = failure(backend(fakeHttp('hang'), { remoteWriteUrl: WRITE, timeoutMs: 5_000 }, clock).append([{ labels: { __name__: 'a' }, t: 1, v: 1 }]));
    clock.advance(5_000);
    expect((await p).message).toBe('http://rw.example/api/v1/push: request timed out after 5s');
  });

  it('reports a sample with a fractional timestamp as rejected, sending nothing', async () => {
    const http = fakeHttp();
    const r = await backend(http, { remoteWriteUrl: WRITE }).append([{ labels: { __name__: 'a' }, t: 1.5, v: 1 }]);
    expect(r.rejected).toBe(1);
    expect(r.firstError).toMatch(/timestamp 1.5 is not an integer/);
    expect(http.requests).toHaveLength(0);
  });
});

describe('value and time formats', () => {
  it.each<[string, number | undefined]>([
    ['1', 1],
    ['-2.5', -2.5],
    ['1e-07', 1e-7],
    ['1.5E+21', 1.5e21],
    ['.5', 0.5],
    ['NaN', NaN],
    ['nan', NaN],
    ['+Inf', Infinity],
    ['Inf', Infinity],
    ['-Inf', -Infinity],
    ['-infinity', -Infinity],
    ['', undefined],
    ['0x10', undefined],
    ['1,5', undefined],
    [' 1', undefined],
    ['abc', undefined],
  ])('parseSampleValue(%j)', (text, want) => {
    expect(parseSampleValue(text)).toBe(want);
  });

  it.each<[number, string]>([
    [0, '0'],
    [1000, '1'],
    [1_700_000_000_123, '1700000000.123'],
    [1_700_000_000_050, '1700000000.050'],
    [5, '0.005'],
    [-1500, '-1.500'],
    [1999.6, '2'],
  ])('formatQueryTime(%i) = %s', (ms, want) => {
    expect(formatQueryTime(ms)).toBe(want);
  });
});
