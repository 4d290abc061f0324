/**
 * The UI end to end (issue 10) on the built herald: GET / serves the built index.html whose
 * script asset is then served, and /api/herald/v1/{routes,routes/test,status} show each tenant only
 * its own config. Route tests answer what the real amtool answers for the same config.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { amtool } from './helpers/amtool.js';
import { request } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

const CONFIG_A = `route:
  receiver: alpha-default
  group_by: [alertname]
  routes:
    - matchers: ['severity="critical"', 'team=~"db|api"']
      receiver: alpha-pager
      continue: true
      group_by: ['...']
    - matchers: [team="db"]
      receiver: alpha-db
      group_interval: 2m
      routes:
        - matchers: [env!="prod"]
          receiver: alpha-db-dev
receivers:
  - name: alpha-default
  - name: alpha-pager
  - name: alpha-db
  - name: alpha-db-dev
`;

const CONFIG_B = `route:
  receiver: bravo-default
  group_wait: 1m
  routes:
    - matchers: [severity="critical"]
      receiver: bravo-oncall
receivers:
  - name: bravo-default
  - name: bravo-oncall
`;

/** Mimir's upload body. */
function mimirBody(amConfig: string): string {
  return `alertmanager_config: |\n${amConfig.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')}\ntemplate_files: {}\n`;
}

const LABEL_SETS: readonly Record<string, string>[] = [
  { severity: 'critical', team: 'db' },
  { team: 'db', env: 'prod' },
  { team: 'db' },
  { severity: 'critical', team: 'api' },
  { severity: 'critical' },
  { foo: 'bar' },
];

interface RouteTest {
  receivers: string[];
  routes: { path: number[]; receiver: string; group_by: string[] }[];
}

describeHeraldOnly(['amtool'], 'the UI and its API', () => {
  let server: ServerHandle;
  let dir: string;
  const A = 'ui-team-a';
  const B = 'ui-team-b';
  const api = (p: string): string => `${server.url}/api/herald/v1${p}`;

  beforeAll(async () => {
    server = await startServer();
    dir = await mkdtemp(join(tmpdir(), 'herald-ui-api-'));
    for (const [tenant, cfg] of [[A, CONFIG_A], [B, CONFIG_B]] as const) {
      const r = await request('POST', `${server.url}/api/v1/alerts`, { tenant, raw: mimirBody(cfg), contentType: 'application/yaml' });
      expect(r.status, r.text).toBe(201);
    }
  });

  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach((ctx) => dumpLogsIfFailed(ctx, server));

  it('GET / serves the built UI, and the script it names is served', async () => {
    const page = await request('GET', `${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const src = /<script[^>]+src="\.?\/?(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(src, page.text).toBeDefined();
    const js = await request('GET', `${server.url}/${src}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.text.length).toBeGreaterThan(1000);
    const css = /<link[^>]+href="\.?\/?(assets\/[^"]+\.css)"/.exec(page.text)?.[1];
    if (css !== undefined) expect((await request('GET', `${server.url}/${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('no path escapes assets/', async () => {
    for (const url of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/..%2findex.html']) {
      const r = await request('GET', `${server.url}${url}`);
      expect([url, r.status]).toEqual([url, 404]);
      expect(r.text).not.toContain('"name": "herald"');
    }
  });

  it('whoami and tenants with auth off', async () => {
    expect((await request('GET', api('/whoami'))).json()).toEqual({ auth: 'off', subject: 'anonymous', role: 'admin', tenants: '*' });
    const t = (await request('GET', api('/tenants'))).json<{ tenants: string[] }>().tenants;
    expect(t).toEqual(expect.arrayContaining([A, B, 'anonymous']));
    expect(t).toEqual([...t].sort());
  });

  it("GET /routes shows each tenant its own tree", async () => {
    const a = await request('GET', api('/routes'), { tenant: A });
    expect(a.status).toBe(200);
    const ta = a.json<{ source: string; route: { receiver: string; group_wait: string; routes: { receiver: string; matchers: string[]; group_by: string[]; routes: { receiver: string; group_interval: string }[] }[] } }>();
    expect(ta.source).toBe('stored');
    expect(ta.route.receiver).toBe('alpha-default');
    expect(ta.route.routes.map((r) => r.receiver)).toEqual(['alpha-pager', 'alpha-db']);
    expect(ta.route.routes[0]).toMatchObject({ matchers: ['severity="critical"', 'team=~"db|api"'], group_by: ['...'] });
    expect(ta.route.routes[1]?.routes[0]).toMatchObject({ receiver: 'alpha-db-dev', group_interval: '2m' });
    const b = await request('GET', api('/routes'), { tenant: B });
    expect(b.json()).toMatchObject({ source: 'stored', route: { receiver: 'bravo-default', group_wait: '1m', routes: [{ receiver: 'bravo-oncall' }] } });
    expect(a.text).not.toContain('bravo-');
    expect(b.text).not.toContain('alpha-');
    const other = await request('GET', api('/routes'), { tenant: 'ui-team-c' });
    expect(other.json()).toMatchObject({ source: 'fallback' });
    expect(other.text).not.toMatch(/alpha-|bravo-/);
  });

  it("POST /routes/test answers as amtool does for the tenant's own config", async () => {
    for (const [tenant, cfg] of [[A, CONFIG_A], [B, CONFIG_B]] as const) {
      const file = join(dir, `${tenant}.yml`);
      await writeFile(file, cfg);
      for (const labels of LABEL_SETS) {
        const r = await request('POST', api('/routes/test'), { tenant, body: { labels } });
        expect(r.status, r.text).toBe(200);
        const got = r.json<RouteTest>();
        const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)];
        const am = await amtool(server.url, args);
        expect(am.code, am.stderr).toBe(0);
        expect([tenant, labels, got.receivers.join(',')]).toEqual([tenant, labels, am.stdout.trim()]);
        for (const name of got.receivers) expect(name.startsWith(tenant === A ? 'alpha-' : 'bravo-')).toBe(true);
      }
    }
  });

  it('POST /routes/test refuses a bad body with 400 naming the field', async () => {
    const r = await request('POST', api('/routes/test'), { tenant: A, body: { labels: { severity: 5 } } });
    expect(r.status).toBe(400);
    expect(r.json<{ error: string }>().error).toMatch(/^labels\.severity: /);
  });

  it("GET /status shows the tenant's own config and usage", async () => {
    const post = await request('POST', `${server.url}/api/v2/alerts`, { tenant: A, body: [{ labels: { alertname: 'UiApiE2E', severity: 'critical', team: 'db' } }] });
    expect(post.status).toBe(200);
    const a = (await request('GET', api('/status'), { tenant: A })).json<{ tenant: string; config: { source: string; original: string }; usage: Record<string, number>; limits: Record<string, unknown>; version: { version: string } }>();
    expect(a.tenant).toBe(A);
    expect(a.config.source).toBe('stored');
    expect(a.config.original).toContain('alpha-pager');
    expect(a.config.original).not.toContain('bravo-oncall');
    expect(a.usage.alerts).toBe(1);
    expect(a.limits).toHaveProperty('max_alerts');
    const v2 = (await request('GET', `${server.url}/api/v2/status`, { tenant: A })).json<{ versionInfo: { version: string } }>();
    expect(a.version.version).toBe(v2.versionInfo.version);
    const b = (await request('GET', api('/status'), { tenant: B })).json<{ config: { original: string }; usage: Record<string, number> }>();
    expect(b.config.original).toContain('bravo-oncall');
    expect(b.config.original).not.toContain('alpha-pager');
    expect(b.usage.alerts).toBe(0);
  });
});
