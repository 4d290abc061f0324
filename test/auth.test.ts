/**
 * Authentication, authorization and audit end to end with the real herald process: amtool with
 * Basic-auth credentials in its URL, bearer tokens per role, a Prometheus 2.42 remote-writing as a
 * `writer`, tenant pinning (credentials for A, header for B -> 403), brute-force limiting, and the
 * audit log of a change, visible only to its tenant.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { hashPassword, sha256Hex } from '../src/auth/index.js';
import { amtool, amtoolOk } from './helpers/amtool.js';
import { request } from './helpers/http.js';
import { describeHeraldOnly } from './helpers/peers.js';
import { startPrometheus, type PrometheusHandle } from './helpers/prometheus.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';

const ADMIN_TOKEN = 'admin-token-for-e2e-0123456789';
const WRITER_TOKEN = 'writer-token-for-e2e-0123456789';
const VIEWER_TOKEN = 'viewer-token-for-e2e-0123456789';

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describeHeraldOnly(['amtool', 'prometheus'], 'authentication, authorization and audit', () => {
  let server: ServerHandle;
  let prom: PrometheusHandle | undefined;

  beforeAll(async () => {
    const editorHash = await hashPassword('s3cret-a');
    const writerHash = await hashPassword('push-a');
    server = await startServer({
      heraldConfig: [
        'auth:',
        '  mode: required',
        '  max_failures_per_minute: 5',
        '  users:',
        '  - username: team-a',
        `    password_hash: '${editorHash}'`,
        '    tenants: [team-a]',
        '    role: editor',
        '  - username: prom-a',
        `    password_hash: '${writerHash}'`,
        '    tenants: [team-a]',
        '    role: writer',
        '  tokens:',
        '  - name: ops',
        `    token_sha256: ${sha256Hex(ADMIN_TOKEN)}`,
        "    tenants: '*'",
        '    role: admin',
        '  - name: pusher-b',
        `    token_sha256: ${sha256Hex(WRITER_TOKEN)}`,
        '    tenants: [team-b]',
        '    role: writer',
        '  - name: dashboards-a',
        `    token_sha256: ${sha256Hex(VIEWER_TOKEN)}`,
        '    tenants: [team-a]',
        '    role: viewer',
        '',
      ].join('\n'),
    });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await prom?.stop();
    await server?.stop();
    await server?.cleanup();
  });

  it('refuses requests without credentials but keeps health checks open', async () => {
    expect((await request('GET', `${server.url}/api/v2/alerts`)).status).toBe(401);
    expect((await request('GET', `${server.url}/prometheus/api/v1/query?query=up`)).status).toBe(401);
    expect((await request('GET', `${server.url}/-/healthy`)).status).toBe(200);
    expect((await request('GET', `${server.url}/metrics`)).status).toBe(401);
    expect((await request('GET', `${server.url}/metrics`, { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });

  it('lets amtool reach its tenant with Basic-auth credentials, and only with the right password', async () => {
    const url = server.url.replace('http://', 'http://team-a:s3cret-a@');
    const id = (await amtoolOk(url, ['silence', 'add', 'alertname=Disk', '--comment=e2e', '--author=team-a', '--duration=1h'])).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await amtoolOk(url, ['silence', 'query', '-q'])).toContain(id);
    // The silence is team-a's: the admin sees it there, not in team-b.
    const inA = await request('GET', `${server.url}/api/v2/silences`, { tenant: 'team-a', headers: bearer(ADMIN_TOKEN) });
    expect(inA.json<Array<{ id: string }>>().map((s) => s.id)).toContain(id);
    const inB = await request('GET', `${server.url}/api/v2/silences`, { tenant: 'team-b', headers: bearer(ADMIN_TOKEN) });
    expect(inB.json<unknown[]>()).toEqual([]);
    const wrong = await amtool(server.url.replace('http://', 'http://team-a:nope@'), ['silence', 'query']);
    expect(wrong.code).not.toBe(0);
  });

  it('refuses credentials for one tenant with a header naming another', async () => {
    const r = await request('GET', `${server.url}/api/v2/alerts`, { tenant: 'team-b', headers: basic('team-a', 's3cret-a') });
    expect(r.status).toBe(403);
    const own = await request('GET', `${server.url}/api/v2/alerts`, { tenant: 'team-a', headers: basic('team-a', 's3cret-a') });
    expect(own.status).toBe(200);
  });

  it('enforces roles: a viewer reads but cannot change, a writer only pushes', async () => {
    expect((await request('GET', `${server.url}/api/v2/silences`, { headers: bearer(VIEWER_TOKEN) })).status).toBe(200);
    const silence = { matchers: [{ name: 'a', value: 'b', isRegex: false, isEqual: true }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), createdBy: 'v', comment: 'c' };
    expect((await request('POST', `${server.url}/api/v2/silences`, { headers: bearer(VIEWER_TOKEN), body: silence })).status).toBe(403);
    const alert = [{ labels: { alertname: 'Pushed' } }];
    expect((await request('POST', `${server.url}/api/v2/alerts`, { headers: bearer(WRITER_TOKEN), body: alert })).status).toBe(200);
    expect((await request('GET', `${server.url}/api/v2/alerts`, { headers: bearer(WRITER_TOKEN) })).status).toBe(403);
    // The writer's alert landed in its own tenant.
    const inB = await request('GET', `${server.url}/api/v2/alerts`, { tenant: 'team-b', headers: bearer(ADMIN_TOKEN) });
    expect(inB.json<Array<{ labels: Record<string, string> }>>().map((a) => a.labels['alertname'])).toEqual(['Pushed']);
    // Only an admin reloads.
    expect((await request('POST', `${server.url}/-/reload`, { headers: basic('team-a', 's3cret-a') })).status).toBe(403);
  });

  it('audits changes per tenant with the actor', async () => {
    const items = (await request('GET', `${server.url}/api/herald/v1/audit`, { headers: basic('team-a', 's3cret-a') })).json<{ items: Array<{ actor: string; action: string; tenant: string; after: string }> }>().items;
    const created = items.find((i) => i.action.startsWith('silence.'));
    expect(created).toMatchObject({ actor: 'team-a', tenant: 'team-a' });
    expect(created?.after).toMatch(/^[0-9a-f]{64}$/);
    const b = (await request('GET', `${server.url}/api/herald/v1/audit`, { tenant: 'team-b', headers: bearer(ADMIN_TOKEN) })).json<{ items: unknown[] }>().items;
    expect(b).toEqual([]);
  });

  it('takes remote_write from Prometheus 2.42 authenticated as a writer', async () => {
    prom = await startPrometheus(
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '- job_name: self',
        '  static_configs:',
        "  - targets: ['127.0.0.1:9']",
        'remote_write:',
        `- url: ${server.url}/api/v1/push`,
        '  basic_auth:',
        '    username: prom-a',
        '    password: push-a',
        '  queue_config:',
        '    batch_send_deadline: 1s',
        '',
      ].join('\n'),
      {},
      [],
    );
    const deadline = Date.now() + 30_000;
    let got: Array<{ metric: Record<string, string> }> = [];
    while (Date.now() < deadline && got.length === 0) {
      const r = await request('GET', `${server.url}/prometheus/api/v1/query?query=${encodeURIComponent('up{job="self"}')}`, { headers: basic('team-a', 's3cret-a') });
      got = r.json<{ data: { result: Array<{ metric: Record<string, string> }> } }>().data.result;
      if (got.length === 0) await new Promise((res) => setTimeout(res, 500));
    }
    expect(got.map((x) => x.metric['job'])).toEqual(['self']);
  });

  it('limits failed attempts per source address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await request('GET', `${server.url}/api/v2/status`, { headers: basic('team-a', `guess-${i}`) })).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
  });
});
