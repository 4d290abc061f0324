import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Limits, DEFAULT_LIMITS } from '../../tenancy/limits.js';
import { assertSchema } from '../openapi-validator.test-util.js';
import { buildTestServer } from '../test-fakes.js';
import type { TestServer } from '../test-fakes.js';

const PREFIXES = ['/api/v2', '/alertmanager/api/v2'];
let ts: TestServer;
beforeEach(async () => {
  ts = await buildTestServer();
});
afterEach(async () => {
  await ts.app.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

async function post(url: string, body: unknown, tenant?: string) {
  return ts.app.inject({ method: 'POST', url, payload: body as object, headers: tenant ? { 'x-scope-orgid': tenant } : {} });
}
async function get(url: string, tenant?: string) {
  return ts.app.inject({ method: 'GET', url, headers: tenant ? { 'x-scope-orgid': tenant } : {} });
}

describe.each(PREFIXES)('v2 API under %s', (prefix) => {
  it('GET /status matches the spec and shows the tenant config', async () => {
    const r = await get(`${prefix}/status`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json();
    assertSchema('alertmanagerStatus', body);
    expect(body.cluster.status).toBe('disabled');
    expect(body.config.original).toContain('empty-receiver');
  });

  it('GET /receivers lists the fallback receiver', async () => {
    const r = await get(`${prefix}/receivers`);
    expect(r.statusCode).toBe(200);
    assertSchema('receiver', r.json(), true);
    expect(r.json()).toEqual([{ name: 'empty-receiver' }]);
  });

  it('POST then GET /alerts normalises times and drops empty labels', async () => {
    const now = ts.clock.t;
    const r = await post(`${prefix}/alerts`, [{ labels: { alertname: 'A', empty: '' }, annotations: { summary: 's' }, generatorURL: 'http://x/graph' }]);
    expect(r.statusCode).toBe(200);
    const g = await get(`${prefix}/alerts`);
    expect(g.statusCode).toBe(200);
    expect(g.headers['cache-control']).toBe('no-store');
    const alerts = g.json();
    assertSchema('gettableAlerts', alerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].labels).toEqual({ alertname: 'A' });
    expect(alerts[0].startsAt).toBe(iso(now));
    expect(alerts[0].updatedAt).toBe(iso(now));
    expect(alerts[0].endsAt).toBe(iso(now + 300_000));
    expect(alerts[0].receivers).toEqual([{ name: 'empty-receiver' }]);
  });

  it('startsAt defaults to endsAt when only endsAt is given', async () => {
    const end = ts.clock.t - 1000;
    expect((await post(`${prefix}/alerts`, [{ labels: { a: 'b' }, endsAt: iso(end) }])).statusCode).toBe(200);
    const held = [...(ts.engines.get('anonymous')?.held.values() ?? [])];
    expect(held[0]?.startsAt).toBe(end);
    expect(held[0]?.timeout).toBe(false);
  });

  it('POST /alerts is best effort: valid alerts kept, 400 with joined errors', async () => {
    const r = await post(`${prefix}/alerts`, [
      { labels: { alertname: 'ok' } },
      { labels: {} },
      { labels: { alertname: 'bad' }, startsAt: iso(ts.clock.t), endsAt: iso(ts.clock.t - 10_000) },
    ]);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toBe('at least one label pair required; start time must be before end time');
    const g = (await get(`${prefix}/alerts`)).json();
    expect(g.map((a: { labels: { alertname: string } }) => a.labels.alertname)).toEqual(['ok']);
  });

  it.each([
    ['not an array', { labels: { a: 'b' } }, 'alerts in body must be of type array'],
    ['labels missing', [{}], '0.labels in body is required'],
    ['bad time', [{ labels: { a: 'b' }, startsAt: 'yesterday' }], '0.startsAt in body must be of type date-time: "yesterday"'],
    ['label not string', [{ labels: { a: 1 } }], '0.labels.a in body must be of type string: "number"'],
  ])('POST /alerts refuses a malformed body (%s)', async (_n, body, msg) => {
    const r = await post(`${prefix}/alerts`, body);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toBe(msg);
  });

  it('invalid JSON is a 400 with a message', async () => {
    const r = await ts.app.inject({ method: 'POST', url: `${prefix}/alerts`, payload: '[{', headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(typeof r.json()).toBe('string');
    expect(r.json()).toMatch(/JSON/);
  });

  it.each([
    ['an own __proto__ key', '[{"labels":{"__proto__":{"x":"y"}}}]'],
    ['an escaped __proto__ key', '[{"labels":{"\\u005f_proto__":"x"}}]'],
    ['a constructor.prototype key', '[{"labels":{"constructor":{"prototype":{"x":"y"}}}}]'],
  ])('refuses prototype poisoning through %s', async (_n, payload) => {
    const r = await ts.app.inject({ method: 'POST', url: `${prefix}/alerts`, payload, headers: { 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(400);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('accepts ordinary values that mention proto or escapes', async () => {
    const r = await post(`${prefix}/alerts`, [{ labels: { alertname: 'protocol' }, annotations: { note: 'caf\u00e9 "quoted"' } }]);
    expect(r.statusCode, r.body).toBe(200);
  });

  it('GET /alerts filters by matcher and receiver; bad params are 400 strings', async () => {
    await post(`${prefix}/alerts`, [{ labels: { alertname: 'A', sev: 'page' } }, { labels: { alertname: 'B' } }]);
    const f = (await get(`${prefix}/alerts?filter=sev%3Dpage`)).json();
    expect(f.map((a: { labels: { alertname: string } }) => a.labels.alertname)).toEqual(['A']);
    expect((await get(`${prefix}/alerts?receiver=empty`)).json()).toEqual([]);
    expect((await get(`${prefix}/alerts?receiver=empty.*`)).json()).toHaveLength(2);
    const bad = await get(`${prefix}/alerts?filter=%7B%7B`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatch(/bad matcher format/);
    const badRe = await get(`${prefix}/alerts?receiver=(`);
    expect(badRe.statusCode).toBe(400);
    expect(badRe.json()).toMatch(/^failed to parse receiver param: /);
    const badBool = await get(`${prefix}/alerts?active=maybe`);
    expect(badBool.statusCode).toBe(400);
    expect(badBool.json()).toBe('active in query must be of type boolean: "maybe"');
  });

  it('GET /alerts/groups matches the spec', async () => {
    await post(`${prefix}/alerts`, [{ labels: { alertname: 'A' } }]);
    const r = await get(`${prefix}/alerts/groups`);
    expect(r.statusCode).toBe(200);
    assertSchema('alertGroups', r.json());
    expect(r.json()[0].receiver).toEqual({ name: 'empty-receiver' });
  });

  it('silence lifecycle: create, get, list, filter, expire', async () => {
    const now = ts.clock.t;
    const sil = { matchers: [{ name: 'alertname', value: 'A', isRegex: false }], startsAt: iso(now), endsAt: iso(now + 3600_000), createdBy: 'me', comment: 'c' };
    const c = await post(`${prefix}/silences`, sil);
    expect(c.statusCode).toBe(200);
    const id = c.json().silenceID as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const one = await get(`${prefix}/silence/${id}`);
    expect(one.statusCode).toBe(200);
    assertSchema('gettableSilence', one.json());
    expect(one.json().matchers[0]).toEqual({ name: 'alertname', value: 'A', isRegex: false, isEqual: true });
    const list = await get(`${prefix}/silences`);
    assertSchema('gettableSilences', list.json());
    expect(list.json()).toHaveLength(1);
    expect((await get(`${prefix}/silences?filter=alertname%3DB`)).json()).toHaveLength(0);
    expect((await get(`${prefix}/silences?filter=alertname%3DA`)).json()).toHaveLength(1);
    const del = await ts.app.inject({ method: 'DELETE', url: `${prefix}/silence/${id}` });
    expect(del.statusCode).toBe(200);
    expect((await get(`${prefix}/silence/${id}`)).json().status.state).toBe('expired');
    expect((await get(`${prefix}/silences?expired=false`)).json()).toHaveLength(0);
  });

  it.each([
    ['start after end', { startsAt: 10, endsAt: 5 }, 'Failed to create silence: start time must be before end time'],
    ['end in past', { startsAt: -20, endsAt: -10 }, "Failed to create silence: end time can't be in the past"],
  ])('POST /silences refuses %s', async (_n, t, msg) => {
    const now = ts.clock.t;
    const r = await post(`${prefix}/silences`, {
      matchers: [{ name: 'a', value: 'b', isRegex: false }],
      startsAt: iso(now + t.startsAt * 60_000),
      endsAt: iso(now + t.endsAt * 60_000),
      createdBy: 'me',
      comment: 'c',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toBe(msg);
  });

  it.each([
    ['no matchers', { matchers: [] }, 'matchers in body should have at least 1 items'],
    ['bad regex', { matchers: [{ name: 'a', value: '(', isRegex: true }] }, /^failed to convert API silence to internal silence: /],
    ['missing createdBy', { createdBy: undefined }, 'createdBy in body is required'],
  ])('POST /silences validates the body (%s)', async (_n, patch, msg) => {
    const now = ts.clock.t;
    const body = { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: iso(now), endsAt: iso(now + 60_000), createdBy: 'me', comment: 'c', ...patch };
    const r = await post(`${prefix}/silences`, body);
    expect(r.statusCode).toBe(400);
    if (typeof msg === 'string') expect(r.json()).toBe(msg);
    else expect(r.json()).toMatch(msg);
  });

  it('unknown silence ids: 404 on get, delete and update; non-uuid 422', async () => {
    const unknown = '6f0b4d4c-3a8e-4a57-9d2b-6a0c0e3c1111';
    expect((await get(`${prefix}/silence/${unknown}`)).statusCode).toBe(404);
    expect((await ts.app.inject({ method: 'DELETE', url: `${prefix}/silence/${unknown}` })).statusCode).toBe(404);
    const now = ts.clock.t;
    const up = await post(`${prefix}/silences`, { id: unknown, matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: iso(now), endsAt: iso(now + 60_000), createdBy: 'me', comment: 'c' });
    expect(up.statusCode).toBe(404);
    expect((await get(`${prefix}/silence/not-a-uuid`)).statusCode).toBe(422);
  });
});

describe('limits', () => {
  it('max_alerts refuses new alerts with a message naming the limit and keeps the accepted ones', async () => {
    await ts.app.close();
    ts = await buildTestServer({ limits: new Limits(DEFAULT_LIMITS, new Map([['small', { max_alerts: 1 }]])) });
    const r = await post('/api/v2/alerts', [{ labels: { a: '1' } }, { labels: { a: '2' } }], 'small');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatch(/max_alerts/);
    expect((await get('/api/v2/alerts', 'small')).json()).toHaveLength(1);
    // Another tenant keeps the (unlimited) defaults.
    expect((await post('/api/v2/alerts', [{ labels: { a: '1' } }, { labels: { a: '2' } }], 'big')).statusCode).toBe(200);
  });
});
