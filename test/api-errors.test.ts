/**
 * The v2 API refuses bad input with 4xx and a message, as Alertmanager 0.25 does: bad JSON,
 * invalid alerts (best effort: valid ones in the same batch are kept), bad filter matchers and
 * receiver regexes, invalid silences; and the removed v1 API answers 410.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithPeers, target } from './helpers/peers.js';
import { alert, request, silence, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

/** go-swagger answers schema violations (missing required fields) with 422; the spec says 400. */
const SCHEMA_ERROR = [400, 422];

describeWithPeers([], 'API errors', () => {
  let server: ServerHandle;
  let hook: WebhookReceiver;
  const api = (p: string): string => `${server.url}/api/v2${p}`;

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    server = await startServer({ amConfig: webhookConfig(hook.url()) });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
  });

  it.each([
    ['alerts', '/alerts', '{bad'],
    ['alerts', '/alerts', '[{"labels":{"a":"b"}'],
    ['alerts (object, not array)', '/alerts', '{"labels":{"a":"b"}}'],
    ['alerts (bad time)', '/alerts', '[{"labels":{"a":"x"},"startsAt":"yesterday"}]'],
    ['silences', '/silences', '{bad'],
    ['silences (array)', '/silences', '[]'],
  ])('POST %s with a malformed body is 400 with a message', async (_what, path, raw) => {
    const r = await request('POST', api(path), { raw });
    expect(r.status).toBe(400);
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.text).toMatch(/pars|invalid|json|unmarshal|body|expected|unexpected|type/i);
  });

  it.each([
    ['no labels', [{ labels: {} }], 'at least one label pair required'],
    // An empty name is invalid in both the classic and the UTF-8 label-name modes.
    ['an empty label name', [{ labels: { '': 'x' } }], 'invalid name'],
    ['endsAt before startsAt', [alert({ alertname: 'X' }, { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' })], 'start time must be before end time'],
  ])('POST /alerts refuses an alert with %s', async (_what, body, message) => {
    const r = await request('POST', api('/alerts'), { body });
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
  });

  it('POST /alerts keeps the valid alerts of a batch and reports the invalid ones (best effort)', async () => {
    const body = [alert({ alertname: 'BestEffortOK' }), alert({ alertname: 'BestEffortBad' }, { startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' })];
    const r = await request('POST', api('/alerts'), { body });
    expect(r.status).toBe(400);
    expect(r.text).toContain('start time must be before end time');
    const got = (await request('GET', api('/alerts'))).json<Array<{ labels: Record<string, string> }>>();
    const names = got.map((a) => a.labels['alertname']);
    expect(names).toContain('BestEffortOK');
    expect(names).not.toContain('BestEffortBad');
  });

  it.each([
    ['/alerts', 'foo'],
    ['/alerts', 'a!!b'],
    ['/alerts/groups', 'foo'],
    ['/silences', 'a!!b'],
  ])('GET %s with filter=%s is 400 "bad matcher format"', async (path, filter) => {
    const r = await request('GET', api(`${path}?filter=${encodeURIComponent(filter)}`));
    expect(r.status).toBe(400);
    expect(r.text).toContain('bad matcher format');
  });

  it('GET /alerts with a braced filter is 400 (0.25 says "bad matcher format", later versions name the brace)', async () => {
    const r = await request('GET', api(`/alerts?filter=${encodeURIComponent('{foo=~"("}')}`));
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/bad matcher format|brace/);
  });

  it.each([['/alerts'], ['/alerts/groups']])('GET %s with an invalid regex (filter or receiver) is 400', async (path) => {
    const f = await request('GET', api(`${path}?filter=${encodeURIComponent('a=~"("')}`));
    expect(f.status).toBe(400);
    expect(f.text).toMatch(/regexp|regular expression|regex/i);
    const rcv = await request('GET', api(`${path}?receiver=${encodeURIComponent('(')}`));
    expect(rcv.status).toBe(400);
    expect(rcv.text).toMatch(/receiver/i);
  });

  it.each([
    ['endsAt in the past', silence({ a: 'b' }, { startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-01-02T00:00:00Z' }), "end time can't be in the past"],
    ['startsAt after endsAt', silence({ a: 'b' }, { startsAt: '2030-01-03T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }), 'start time must be before end time'],
    ['an invalid regex matcher', { ...silence({}), matchers: [{ name: 'a', value: '(', isRegex: true }] }, 'invalid'],
    ['only empty-matching matchers', { ...silence({}), matchers: [{ name: 'a', value: '', isRegex: false }] }, 'at least one matcher must not match the empty string'],
  ])('POST /silences with %s is 400 with a message', async (_what, body, message) => {
    const r = await request('POST', api('/silences'), { body });
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
  });

  it.each([
    ['no matchers', { ...silence({}), matchers: [] }],
    ['no createdBy', { matchers: [{ name: 'a', value: 'b', isRegex: false }], startsAt: '2029-01-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z', comment: 'c' }],
  ])('POST /silences with %s is refused by the schema', async (_what, body) => {
    const r = await request('POST', api('/silences'), { body });
    expect(SCHEMA_ERROR).toContain(r.status);
    expect(r.text.length).toBeGreaterThan(0);
  });

  it('unknown silence ids: update is 404, GET is 404, expire is an error', async () => {
    const id = '5f7a4b7c-0000-4000-8000-000000000000';
    const upd = await request('POST', api('/silences'), { body: { ...silence({ a: 'b' }), id } });
    expect(upd.status).toBe(404);
    expect(upd.text).toContain('not found');
    expect((await request('GET', api(`/silence/${id}`))).status).toBe(404);
    const del = await request('DELETE', api(`/silence/${id}`));
    // Alertmanager 0.25 answers 500 here; later versions (and Herald) 404.
    expect(target() === 'herald' ? [404] : [404, 500]).toContain(del.status);
  });

  it('a valid silence round-trips (the error tests above are not vacuous)', async () => {
    const r = await request('POST', api('/silences'), { body: silence({ alertname: 'Fine' }) });
    expect(r.status).toBe(200);
    const { silenceID } = r.json<{ silenceID: string }>();
    const got = (await request('GET', api(`/silence/${silenceID}`))).json<{ id: string; status: { state: string } }>();
    expect(got.id).toBe(silenceID);
    expect(got.status.state).toBe('active');
  });

  it.runIf(target() === 'herald').each([
    ['GET', '/api/v1/status'],
    ['GET', '/api/v1/receivers'],
    ['GET', '/api/v1/silences'],
    ['POST', '/api/v1/silences'],
  ])('%s %s (removed v1 API) is 410', async (method, path) => {
    const r = await request(method, `${server.url}${path}`, method === 'POST' ? { body: {} } : {});
    expect(r.status).toBe(410);
    expect(r.json<{ status: string; error: string }>()).toMatchObject({ status: 'deprecated' });
  });
});
