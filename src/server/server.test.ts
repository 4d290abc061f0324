import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Limits } from '../tenancy/limits.js';
import { assertSchema } from './openapi-validator.test-util.js';
import { buildTestServer } from './test-fakes.js';
import type { TestServer } from './test-fakes.js';

let ts: TestServer;
beforeEach(async () => {
  ts = await buildTestServer();
});
afterEach(async () => {
  await ts.app.close();
});

const iso = (ms: number) => new Date(ms).toISOString();
const h = (tenant: string) => ({ 'x-scope-orgid': tenant });

describe('tenant header', () => {
  it.each([
    ['path traversal', '../x', /unsupported character '\/'/],
    ['dot', '.', /'\.' or '\.\.'/],
    ['dot dot', '..', /'\.' or '\.\.'/],
    ['space inside', 'a b', /unsupported character ' '/],
    ['151 chars', 'a'.repeat(151), /too long: max 150/],
    ['unicode', 'tenant-é', /unsupported character 'é'/],
    ['pipe', 'a|b', /unsupported character '\|'/],
  ])('refuses %s with 400', async (_n, tenant, msg) => {
    const r = await ts.app.inject({ url: '/api/v2/alerts', headers: { 'x-scope-orgid': encodeURI(tenant) === tenant ? tenant : Buffer.from(tenant, 'utf8').toString('latin1') } });
    expect(r.statusCode).toBe(400);
    if (tenant === 'tenant-é') expect(r.body).toMatch(/unsupported character/);
    else expect(r.body).toMatch(msg);
    expect(ts.created).toEqual([]);
  });

  it.each([['a'], ['a'.repeat(150)], ["Team_1.prod-(x)*!'"]])('accepts %s', async (tenant) => {
    const r = await ts.app.inject({ url: '/api/v2/alerts', headers: h(tenant) });
    expect(r.statusCode).toBe(200);
    expect(ts.created).toEqual([tenant]);
  });

  it('absent header means tenant anonymous', async () => {
    expect((await ts.app.inject({ url: '/api/v2/receivers' })).statusCode).toBe(200);
    expect(ts.created).toEqual(['anonymous']);
  });

  it.each(['/api/v2/alerts', '/alertmanager/api/v2/silences', '/api/v1/alerts'])('require_tenant: 401 "no org id" on %s', async (url) => {
    await ts.app.close();
    ts = await buildTestServer({ requireTenant: true });
    const r = await ts.app.inject({ url });
    expect(r.statusCode).toBe(401);
    expect(r.body).toBe('no org id');
    expect((await ts.app.inject({ url, headers: h('t1') })).statusCode).not.toBe(401);
  });

  it('concurrent first requests create the engine exactly once', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, () => ts.app.inject({ url: '/api/v2/status', headers: h('burst') })));
    expect(rs.every((r) => r.statusCode === 200)).toBe(true);
    expect(ts.created).toEqual(['burst']);
  });
});

describe('tenant isolation', () => {
  async function seedA(): Promise<string> {
    const now = ts.clock.t;
    await ts.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: h('A'), payload: [{ labels: { alertname: 'onlyA' } }] });
    const s = await ts.app.inject({
      method: 'POST',
      url: '/api/v2/silences',
      headers: h('A'),
      payload: { matchers: [{ name: 'alertname', value: 'onlyA', isRegex: false }], startsAt: iso(now), endsAt: iso(now + 60_000), createdBy: 'a', comment: 'a' },
    });
    await ts.app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: h('A'),
      payload: 'alertmanager_config: |\n  route:\n    receiver: a-team\n  receivers:\n    - name: a-team\n',
    });
    return s.json().silenceID as string;
  }

  it.each(['/api/v2', '/alertmanager/api/v2'])('tenant B sees none of A under %s', async (prefix) => {
    const id = await seedA();
    const a = await ts.app.inject({ url: `${prefix}/alerts`, headers: h('A') });
    expect(a.json()).toHaveLength(1);
    const checks: [string, unknown][] = [
      [`${prefix}/alerts`, []],
      [`${prefix}/alerts/groups`, []],
      [`${prefix}/silences`, []],
      [`${prefix}/receivers`, [{ name: 'empty-receiver' }]],
    ];
    for (const [url, want] of checks) {
      const r = await ts.app.inject({ url, headers: h('B') });
      expect(r.statusCode, url).toBe(200);
      expect(r.json(), url).toEqual(want);
    }
    expect((await ts.app.inject({ url: `${prefix}/silence/${id}`, headers: h('B') })).statusCode).toBe(404);
    expect((await ts.app.inject({ method: 'DELETE', url: `${prefix}/silence/${id}`, headers: h('B') })).statusCode).toBe(404);
    // B cannot update A's silence by id either.
    const now = ts.clock.t;
    const upd = await ts.app.inject({
      method: 'POST',
      url: `${prefix}/silences`,
      headers: h('B'),
      payload: { id, matchers: [{ name: 'x', value: 'y', isRegex: false }], startsAt: iso(now), endsAt: iso(now + 60_000), createdBy: 'b', comment: 'b' },
    });
    expect(upd.statusCode).toBe(404);
    // A's silence is untouched by B's attempts.
    const mine = (await ts.app.inject({ url: `${prefix}/silence/${id}`, headers: h('A') })).json();
    expect(mine.status.state).toBe('active');
    expect(mine.createdBy).toBe('a');
    const st = (await ts.app.inject({ url: `${prefix}/status`, headers: h('B') })).json();
    assertSchema('alertmanagerStatus', st);
    expect(st.config.original).not.toContain('a-team');
    expect((await ts.app.inject({ url: `${prefix}/status`, headers: h('A') })).json().config.original).toContain('a-team');
  });

  it('config API of A is invisible to B', async () => {
    await seedA();
    expect((await ts.app.inject({ url: '/api/v1/alerts', headers: h('A') })).statusCode).toBe(200);
    const b = await ts.app.inject({ url: '/api/v1/alerts', headers: h('B') });
    expect(b.statusCode).toBe(404);
    expect(b.body).toBe('alertmanager config not found');
    // B deleting its (absent) config leaves A's.
    expect((await ts.app.inject({ method: 'DELETE', url: '/api/v1/alerts', headers: h('B') })).statusCode).toBe(200);
    expect((await ts.app.inject({ url: '/api/v1/alerts', headers: h('A') })).statusCode).toBe(200);
  });
});

describe('tenant from basic auth', () => {
  const basic = (user: string): string => 'Basic ' + Buffer.from(`${user}:pw`).toString('base64');
  it('names the tenant when X-Scope-OrgID is absent; the header wins when both are sent', async () => {
    await ts.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { authorization: basic('bob') }, payload: [{ labels: { alertname: 'ViaBasic' } }] });
    const bob = await ts.app.inject({ url: '/api/v2/alerts', headers: h('bob') });
    expect(bob.json().map((a: { labels: { alertname: string } }) => a.labels.alertname)).toEqual(['ViaBasic']);
    const both = await ts.app.inject({ url: '/api/v2/alerts', headers: { ...h('carol'), authorization: basic('bob') } });
    expect(both.json()).toEqual([]);
    expect((await ts.app.inject({ url: '/api/v2/alerts' })).json()).toEqual([]);
  });
  it('refuses an invalid tenant id in the user name', async () => {
    const r = await ts.app.inject({ url: '/api/v2/alerts', headers: { authorization: basic('../etc') } });
    expect(r.statusCode).toBe(400);
  });
});

describe('config API templates', () => {
  const upload = (tenant: string, body: string) => ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h(tenant), payload: body });
  const cfg = (templates: string, files: string): string =>
    `template_files:\n${files}alertmanager_config: |\n  templates: ${templates}\n  route:\n    receiver: r\n  receivers:\n    - name: r\n`;

  it('refuses a selected template that does not parse, naming file and line; keeps the old config', async () => {
    expect((await upload('T', cfg("['ok.tmpl']", '  ok.tmpl: \'{{ define "x" }}fine{{ end }}\'\n'))).statusCode).toBe(201);
    const bad = await upload('T', cfg("['*.tmpl']", '  bad.tmpl: |\n    line one\n    {{ if }}\n'));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/^error validating Alertmanager config: template: bad\.tmpl:2:/);
    const kept = await ts.app.inject({ url: '/api/v1/alerts', headers: h('T') });
    expect(kept.body).toContain('ok.tmpl');
  });

  it('ignores broken files no `templates:` entry selects, as Mimir loads only the listed ones', async () => {
    const r = await upload('U', cfg("['ok.tmpl']", '  ok.tmpl: fine\n  unused.tmpl: "{{ if }}"\n'));
    expect(r.statusCode, r.body).toBe(201);
  });

  it('refuses template names that leave the tenant directory', async () => {
    const r = await upload('V', cfg("['../other/x.tmpl']", '  a.tmpl: a\n'));
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('the template filepath is escaping the per-tenant local directory');
  });
});

describe('v1 API', () => {
  it.each([
    ['GET', '/api/v1/status'],
    ['GET', '/api/v1/receivers'],
    ['GET', '/api/v1/silences'],
    ['POST', '/api/v1/silences'],
    ['GET', '/api/v1/silence/x'],
    ['DELETE', '/api/v1/silence/x'],
    ['GET', '/alertmanager/api/v1/alerts'],
    ['POST', '/alertmanager/api/v1/alerts'],
    ['GET', '/alertmanager/api/v1/status'],
  ] as const)('%s %s answers 410', async (method, url) => {
    const r = await ts.app.inject({ method, url });
    expect(r.statusCode).toBe(410);
    expect(r.json()).toEqual({
      status: 'deprecated',
      error: 'The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API',
    });
  });
});

describe('config API', () => {
  const good = 'template_files:\n  t.tmpl: "{{ define \\"x\\" }}x{{ end }}"\nalertmanager_config: |\n  route:\n    receiver: team\n  receivers:\n    - name: team\n';

  it('stores, returns, applies and deletes a config', async () => {
    const p = await ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h('t'), payload: good });
    expect(p.statusCode).toBe(201);
    const g = await ts.app.inject({ url: '/api/v1/alerts', headers: h('t') });
    expect(g.statusCode).toBe(200);
    expect(g.body).toContain('alertmanager_config:');
    expect(g.body).toContain('t.tmpl');
    expect((await ts.app.inject({ url: '/api/v2/receivers', headers: h('t') })).json()).toEqual([{ name: 'team' }]);
    expect((await ts.app.inject({ method: 'DELETE', url: '/api/v1/alerts', headers: h('t') })).statusCode).toBe(200);
    expect((await ts.app.inject({ url: '/api/v2/receivers', headers: h('t') })).json()).toEqual([{ name: 'empty-receiver' }]);
    expect((await ts.app.inject({ url: '/api/v1/alerts', headers: h('t') })).statusCode).toBe(404);
  });

  it.each([
    ['empty', '', /configuration provided is empty/],
    ['yaml error', 'alertmanager_config: [', /line 1, column \d+/],
    ['unknown field', 'alertmanager_config: x\nfoo: 1\n', /line 2, column 1: field foo not found/],
    ['invalid am config', 'alertmanager_config: |\n  route:\n    receiver: nope\n  receivers:\n    - name: team\n  bogus: 1\n', /error validating Alertmanager config: line 1, column 1: undefined receiver "nope" used in route\nline 5, column 1: field bogus not found/],
    ['template path', 'template_files:\n  ../x.tmpl: x\nalertmanager_config: |\n  route:\n    receiver: team\n  receivers:\n    - name: team\n', /the template name cannot contain any path/],
  ])('refuses %s with 400 and keeps the previous config', async (_n, body, msg) => {
    await ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h('t'), payload: good });
    const r = await ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h('t', ), payload: body });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(msg);
    expect((await ts.app.inject({ url: '/api/v2/receivers', headers: h('t') })).json()).toEqual([{ name: 'team' }]);
  });

  it.each([
    [{ max_config_size_bytes: 20 }, /configuration is too big, limit: 20 bytes/],
    [{ max_template_files: 1 }, /too many templates in the configuration: 2 \(limit: 1/],
    [{ max_template_size_bytes: 3 }, /template a.tmpl is too big: 4 bytes \(limit: 3 bytes/],
  ])('enforces config limits %o', async (limit, msg) => {
    await ts.app.close();
    ts = await buildTestServer({ limits: new Limits(DEFAULT_LIMITS, new Map([['t', limit]])) });
    const body = 'template_files:\n  a.tmpl: abcd\n  b.tmpl: ab\nalertmanager_config: |\n  route:\n    receiver: team\n  receivers:\n    - name: team\n';
    const r = await ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h('t'), payload: body });
    expect(r.statusCode).toBe(400);
    expect(r.body).toMatch(msg);
    expect((await ts.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: h('other'), payload: body })).statusCode).toBe(201);
  });
});

describe('ops', () => {
  it.each(['/-/healthy', '/-/ready'])('%s answers OK to GET and HEAD', async (url) => {
    const g = await ts.app.inject({ url });
    expect(g.statusCode).toBe(200);
    expect(g.body).toBe('OK');
    expect((await ts.app.inject({ method: 'HEAD', url })).statusCode).toBe(200);
  });

  it('/-/ready is 503 with the reason while not ready; /-/healthy stays 200', async () => {
    await ts.app.close();
    let why: string | undefined = 'the kube source (kubernetes) has not been reconciled yet';
    ts = await buildTestServer({ notReady: () => why });
    const r = await ts.app.inject({ url: '/-/ready' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toBe('Not ready: the kube source (kubernetes) has not been reconciled yet\n');
    expect((await ts.app.inject({ url: '/-/healthy' })).statusCode).toBe(200);
    why = undefined;
    expect((await ts.app.inject({ url: '/-/ready' })).body).toBe('OK');
  });

  it('POST /-/reload reloads; a failure is a 500 with the reason', async () => {
    expect((await ts.app.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(200);
    expect(ts.reloads).toBe(1);
    await ts.app.close();
    ts = await buildTestServer({ reload: () => Promise.reject(new Error('bad file')) });
    const r = await ts.app.inject({ method: 'POST', url: '/-/reload' });
    expect(r.statusCode).toBe(500);
    expect(r.body).toBe('failed to reload config: bad file');
  });

  it('GET /metrics exposes alertmanager_* with a tenant label', async () => {
    await ts.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: h('m1'), payload: [{ labels: { a: 'b' } }, { labels: {} }] });
    const r = await ts.app.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('alertmanager_alerts_received_total{tenant="m1",status="firing"} 2');
    expect(r.body).toContain('alertmanager_alerts_invalid_total{tenant="m1"} 1');
    // Counted once per alert at the API edge, not again by the engine.
    await ts.app.inject({ method: 'POST', url: '/api/v2/alerts', headers: h('m2'), payload: [{ labels: { a: 'b' } }] });
    expect((await ts.app.inject({ url: '/metrics' })).body).toContain('alertmanager_alerts_received_total{tenant="m2",status="firing"} 1\n');
  });

  it('/ answers a placeholder and unknown paths 404', async () => {
    expect((await ts.app.inject({ url: '/' })).statusCode).toBe(200);
    expect((await ts.app.inject({ url: '/nope' })).statusCode).toBe(404);
  });
});
