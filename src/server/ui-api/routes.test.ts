/**
 * The UI's API over the real server (buildServer) with real engines and config loader: answers in
 * the contract's shapes, bad input, and tenant isolation with auth off and required.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../auth/api.js';
import { DEFAULT_AUTH_CONFIG } from '../../auth/api.js';
import { loadConfig, marshalConfig } from '../../alertmanager/config/index.js';
import { createAlertmanager } from '../../alertmanager/engine.js';
import { parseMatcher } from '../../core/matchers/index.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { openMemoryStore } from '../../store/index.js';
import { DEFAULT_LIMITS, Limits } from '../../tenancy/limits.js';
import { BUILTIN_FALLBACK_CONFIG, TenantRegistry } from '../../tenancy/registry.js';
import type { ConfigSource } from '../../tenancy/registry.js';
import { versionInfo } from '../../version.js';
import { bearer, FakeAuthenticator, requiredConfig } from '../auth/test-fakes.js';
import { createMetrics } from '../metrics.js';
import { buildServer } from '../server.js';
import { fakeClock } from '../test-fakes.js';
import type { RouteNode, RouteTestResult } from './wire.js';

const CONFIG_A = `route:
  receiver: a-default
  group_by: [alertname]
  routes:
    - matchers: [severity="critical"]
      receiver: a-pager
receivers:
  - name: a-default
  - name: a-pager
    webhook_configs:
      - url: http://a-hook.example/secret-path
`;

const CONFIG_B = `route:
  receiver: b-default
  group_wait: 1m
  routes:
    - matchers: [severity="critical"]
      receiver: b-oncall
      continue: true
    - matchers: [team="b"]
      receiver: b-team
receivers:
  - name: b-default
  - name: b-oncall
  - name: b-team
`;

interface Setup {
  app: FastifyInstance;
  clock: ReturnType<typeof fakeClock>;
  registry: TenantRegistry;
}

let current: FastifyInstance | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

function load(text: string) {
  const r = loadConfig(text, { tenantMode: true });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

async function setup(o: { auth?: () => AuthConfig; requireTenant?: boolean; tenantSources?: (() => string[])[] } = {}): Promise<Setup> {
  const clock = fakeClock();
  const metrics = createMetrics(false);
  const registry = new TenantRegistry({
    store: openMemoryStore(),
    loadConfig,
    createEngine: createAlertmanager,
    clock,
    logger: NOOP_LOGGER,
    http: { request: () => Promise.reject(new Error('no http in tests')) },
    metrics: metrics.alertmanager,
    limits: new Limits(DEFAULT_LIMITS, new Map([['A', { max_alerts: 7 }]])),
    externalURL: 'http://localhost:9093',
    version: '0.1.0',
    retentionMs: 3600_000,
    fallback: load(BUILTIN_FALLBACK_CONFIG),
  });
  await registry.putUserConfig('A', { alertmanager_config: CONFIG_A, template_files: {} }, load(CONFIG_A));
  await registry.putUserConfig('B', { alertmanager_config: CONFIG_B, template_files: {} }, load(CONFIG_B));
  const sources: Record<string, ConfigSource> = { A: 'stored', B: 'stored' };
  const startedAt = clock.t;
  clock.t += 90_500;
  const app = await buildServer(
    {
      registry,
      loadConfig,
      marshalConfig,
      parseMatcher: (s) => parseMatcher(s),
      clock,
      logger: NOOP_LOGGER,
      metrics: metrics.alertmanager,
      promRegistry: metrics.registry,
      versionInfo: versionInfo('v20.0.0'),
      startedAt,
      requireTenant: () => o.requireTenant ?? false,
      reload: () => Promise.resolve(),
      ...(o.auth ? { auth: { authenticator: new FakeAuthenticator(), config: o.auth } } : {}),
      uiApi: {
        configSource: (t) => Promise.resolve(sources[t] ?? 'fallback'),
        tenantSources: o.tenantSources ?? [],
        usage: {
          activeSeries: (t) => Promise.resolve(t === 'A' ? 12 : 0),
          rules: (t) => Promise.resolve(t === 'A' ? { groups: 2, rules: 5 } : { groups: 0, rules: 0 }),
        },
      },
    },
  );
  current = app;
  return { app, clock, registry };
}

const H = (tenant: string) => ({ 'x-scope-orgid': tenant });

async function getJson<T>(app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await app.inject({ url, headers });
  return { status: r.statusCode, body: r.json<T>() };
}

async function routeTest(app: FastifyInstance, headers: Record<string, string>, payload: unknown) {
  const r = await app.inject({ method: 'POST', url: '/api/herald/v1/routes/test', headers, payload: payload as Record<string, unknown> });
  return { status: r.statusCode, body: r.json<RouteTestResult & { error?: string }>(), headers: r.headers };
}

describe('GET /whoami', () => {
  it('with auth off: anonymous admin on every tenant', async () => {
    const { app } = await setup();
    expect(await getJson(app, '/api/herald/v1/whoami')).toEqual({ status: 200, body: { auth: 'off', subject: 'anonymous', role: 'admin', tenants: '*' } });
  });

  it('with auth required: the principal of the credentials, and 401 without them', async () => {
    const { app } = await setup({ auth: () => requiredConfig() });
    expect(await getJson(app, '/api/herald/v1/whoami', bearer('viewer'))).toEqual({ status: 200, body: { auth: 'required', subject: 'viewer-a', role: 'viewer', tenants: ['A'] } });
    expect(await getJson(app, '/api/herald/v1/whoami', bearer('admin'))).toEqual({ status: 200, body: { auth: 'required', subject: 'root', role: 'admin', tenants: '*' } });
    const anon = await app.inject({ url: '/api/herald/v1/whoami' });
    expect([anon.statusCode, anon.json()]).toEqual([401, { error: 'invalid credentials' }]);
  });

  it('needs no tenant even when multi-tenancy requires one', async () => {
    const { app } = await setup({ requireTenant: true });
    expect((await app.inject({ url: '/api/herald/v1/whoami' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/herald/v1/routes' })).statusCode).toBe(401);
  });
});

describe('GET /tenants', () => {
  it('auth off: every known tenant, sorted, deduplicated, with anonymous; invalid ids left out', async () => {
    const { app } = await setup({ tenantSources: [() => ['zeta', 'B', '..'], () => ['alpha', 'zeta']] });
    expect(await getJson(app, '/api/herald/v1/tenants')).toEqual({ status: 200, body: { tenants: ['A', 'B', 'alpha', 'anonymous', 'zeta'] } });
  });

  it('no anonymous when multi-tenancy requires the header', async () => {
    const { app } = await setup({ requireTenant: true, tenantSources: [() => ['C']] });
    expect((await getJson<{ tenants: string[] }>(app, '/api/herald/v1/tenants')).body.tenants).toEqual(['A', 'B', 'C']);
  });

  it('a principal limited to some tenants sees exactly those; an admin sees all', async () => {
    const { app } = await setup({ auth: () => requiredConfig(), tenantSources: [() => ['C']] });
    expect(await getJson(app, '/api/herald/v1/tenants', bearer('viewer'))).toEqual({ status: 200, body: { tenants: ['A'] } });
    expect(await getJson(app, '/api/herald/v1/tenants', bearer('editorAB'))).toEqual({ status: 200, body: { tenants: ['A', 'B'] } });
    expect((await getJson<{ tenants: string[] }>(app, '/api/herald/v1/tenants', bearer('admin'))).body.tenants).toEqual(['A', 'B', 'C', 'anonymous']);
    // A header naming a tenant the credentials do not cover is refused even on this global route.
    expect((await app.inject({ url: '/api/herald/v1/tenants', headers: { ...bearer('viewer'), ...H('B') } })).statusCode).toBe(403);
  });
});

describe('GET /routes', () => {
  it("shows each tenant its own tree, with the config's source", async () => {
    const { app } = await setup();
    const a = await getJson<{ source: string; route: RouteNode }>(app, '/api/herald/v1/routes', H('A'));
    expect(a.status).toBe(200);
    expect(a.body.source).toBe('stored');
    expect(a.body.route).toMatchObject({ path: [], receiver: 'a-default', group_by: ['alertname'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
    expect(a.body.route.routes).toEqual([
      {
        path: [0],
        receiver: 'a-pager',
        matchers: ['severity="critical"'],
        continue: false,
        group_by: ['alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        mute_time_intervals: [],
        active_time_intervals: [],
        routes: [],
      },
    ]);
    const b = await getJson<{ source: string; route: RouteNode }>(app, '/api/herald/v1/routes', H('B'));
    expect(b.body.route.receiver).toBe('b-default');
    expect(b.body.route.routes.map((r) => r.receiver)).toEqual(['b-oncall', 'b-team']);
    expect(JSON.stringify(a.body)).not.toMatch(/b-/);
    expect(JSON.stringify(b.body)).not.toMatch(/a-/);
  });

  it('a tenant without a config gets the fallback tree; no header is anonymous', async () => {
    const { app } = await setup();
    expect((await getJson(app, '/api/herald/v1/routes', H('C'))).body).toMatchObject({ source: 'fallback', route: { receiver: 'empty-receiver', routes: [] } });
    expect((await getJson(app, '/api/herald/v1/routes')).body).toMatchObject({ source: 'fallback', route: { receiver: 'empty-receiver' } });
  });

  it('a malformed tenant id is refused with 400', async () => {
    const { app } = await setup();
    const r = await app.inject({ url: '/api/herald/v1/routes', headers: H('a/b') });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('unsupported character');
  });

  it('answers no-store', async () => {
    const { app } = await setup();
    expect((await app.inject({ url: '/api/herald/v1/routes', headers: H('A') })).headers['cache-control']).toBe('no-store');
  });
});

describe('POST /routes/test', () => {
  it("matches against the request tenant's tree only", async () => {
    const { app } = await setup();
    const labels = { labels: { severity: 'critical', team: 'b' } };
    expect((await routeTest(app, H('A'), labels)).body).toEqual({ receivers: ['a-pager'], routes: [{ path: [0], receiver: 'a-pager', group_by: ['alertname'] }] });
    expect((await routeTest(app, H('B'), labels)).body).toEqual({
      receivers: ['b-oncall', 'b-team'],
      routes: [
        { path: [0], receiver: 'b-oncall', group_by: [] },
        { path: [1], receiver: 'b-team', group_by: [] },
      ],
    });
    expect((await routeTest(app, H('C'), labels)).body).toEqual({ receivers: ['empty-receiver'], routes: [{ path: [], receiver: 'empty-receiver', group_by: [] }] });
  });

  it.each<[string, unknown, RegExp]>([
    ['an array', [], /^body: must be a JSON object/],
    ['no labels', {}, /^labels: required/],
    ['an unknown field', { labels: {}, receiver: 'x' }, /^"receiver": unknown field/],
    ['labels not a map', { labels: ['a'] }, /^labels: must be an object/],
    ['a non-string value', { labels: { a: 1 } }, /^labels\.a: value must be a string/],
    ['an invalid label name', { labels: { '': 'x' } }, /^labels\."": invalid label name/],
  ])('%s: 400 naming the field', async (_name, payload, message) => {
    const { app } = await setup();
    const r = await routeTest(app, H('A'), payload);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body.error).toMatch(message);
  });

  it('a body that is not JSON: 400 with {error}', async () => {
    const { app } = await setup();
    const bad = await app.inject({ method: 'POST', url: '/api/herald/v1/routes/test', headers: { ...H('A'), 'content-type': 'application/json' }, payload: '{"labels":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: string }>().error).toMatch(/^invalid JSON body/);
    const text = await app.inject({ method: 'POST', url: '/api/herald/v1/routes/test', headers: { ...H('A'), 'content-type': 'text/plain' }, payload: 'severity=critical' });
    expect(text.statusCode).toBe(400);
    expect(text.json<{ error: string }>().error).toMatch(/^body: must be a JSON object/);
  });

  it('changes nothing: the tenant has no alerts afterwards', async () => {
    const { app } = await setup();
    await routeTest(app, H('A'), { labels: { alertname: 'X' } });
    expect((await app.inject({ url: '/api/v2/alerts', headers: H('A') })).json()).toEqual([]);
  });
});

describe('GET /status', () => {
  interface Status {
    tenant: string;
    version: Record<string, string>;
    started_at: string;
    uptime_seconds: number;
    config: { source: string; original: string };
    limits: Record<string, number>;
    usage: Record<string, number>;
  }

  it("reports the tenant's own config, limits and usage", async () => {
    const { app, clock } = await setup();
    const start = new Date(clock.t).toISOString();
    const endsAt = new Date(clock.t + 3600_000).toISOString();
    const post = await app.inject({
      method: 'POST',
      url: '/api/v2/alerts',
      headers: H('A'),
      payload: [
        { labels: { alertname: 'One', severity: 'critical' }, startsAt: start, endsAt },
        { labels: { alertname: 'Two' }, startsAt: start, endsAt },
        { labels: { alertname: 'Three' }, startsAt: start, endsAt },
      ],
    });
    expect(post.statusCode).toBe(200);
    const sil = await app.inject({
      method: 'POST',
      url: '/api/v2/silences',
      headers: H('A'),
      payload: { matchers: [{ name: 'alertname', value: 'Two', isRegex: false, isEqual: true }], startsAt: start, endsAt, createdBy: 't', comment: 'c' },
    });
    expect(sil.statusCode).toBe(200);

    const a = await getJson<Status>(app, '/api/herald/v1/status', H('A'));
    expect(a.status).toBe(200);
    expect(a.body.tenant).toBe('A');
    expect(a.body.version).toEqual(versionInfo('v20.0.0'));
    expect(a.body.started_at).toBe('2026-01-01T00:00:00.000Z');
    expect(a.body.uptime_seconds).toBe(90);
    expect(a.body.config.source).toBe('stored');
    // The same text as GET /api/v2/status config.original: defaults filled in, secrets hidden.
    const v2 = (await app.inject({ url: '/api/v2/status', headers: H('A') })).json<{ config: { original: string } }>();
    expect(a.body.config.original).toBe(v2.config.original);
    expect(a.body.config.original).toContain('a-pager');
    expect(a.body.config.original).not.toContain('secret-path');
    expect(a.body.limits['max_alerts']).toBe(7);
    expect(a.body.limits['ingestion_rate']).toBe(DEFAULT_LIMITS.ingestion_rate);
    expect(Object.keys(a.body.limits).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort());
    expect(a.body.usage).toEqual({ alerts: 3, active_alerts: 2, silences: 1, aggregation_groups: 3, active_series: 12, rule_groups: 2, rules: 5 });

    const b = await getJson<Status>(app, '/api/herald/v1/status', H('B'));
    expect(b.body.tenant).toBe('B');
    expect(b.body.config.original).toContain('b-oncall');
    expect(b.body.config.original).not.toContain('a-pager');
    expect(b.body.limits['max_alerts']).toBe(0);
    expect(b.body.usage).toEqual({ alerts: 0, active_alerts: 0, silences: 0, aggregation_groups: 0, active_series: 0, rule_groups: 0, rules: 0 });
  });
});

describe('with auth required', () => {
  it('a viewer of A reads A, and is refused B (403) on every tenant route', async () => {
    const { app } = await setup({ auth: () => requiredConfig() });
    const viewerA = { ...bearer('viewer'), ...H('A') };
    expect((await app.inject({ url: '/api/herald/v1/routes', headers: viewerA })).statusCode).toBe(200);
    expect((await routeTest(app, viewerA, { labels: { severity: 'critical' } })).body.receivers).toEqual(['a-pager']);
    // Without a header, the credentials' only tenant.
    expect((await getJson<{ route: RouteNode }>(app, '/api/herald/v1/routes', bearer('viewer'))).body.route.receiver).toBe('a-default');
    for (const [method, url] of [['GET', '/routes'], ['POST', '/routes/test'], ['GET', '/status']] as const) {
      const r = await app.inject({ method, url: `/api/herald/v1${url}`, headers: { ...bearer('viewer'), ...H('B') }, ...(method === 'POST' ? { payload: { labels: {} } } : {}) });
      expect([url, r.statusCode]).toEqual([url, 403]);
      expect(r.body).not.toMatch(/b-/);
    }
  });

  it('a writer (Prometheus sender) may not read routes', async () => {
    const { app } = await setup({ auth: () => requiredConfig() });
    expect((await app.inject({ url: '/api/herald/v1/routes', headers: { ...bearer('writer'), ...H('A') } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/herald/v1/whoami', headers: bearer('writer') })).statusCode).toBe(403);
  });

  it('mode off in the config answers auth "off"', async () => {
    const { app } = await setup({ auth: () => DEFAULT_AUTH_CONFIG });
    expect((await getJson<{ auth: string }>(app, '/api/herald/v1/whoami', bearer('viewer'))).body.auth).toBe('off');
  });
});
