/**
 * Operational endpoints a drop-in Alertmanager must keep: health, readiness, metrics, status,
 * receivers, and /-/reload of the Alertmanager config file (a bad file keeps the running config).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeWithPeers } from './helpers/peers.js';
import { request, webhookConfig } from './helpers/http.js';
import { dumpLogsIfFailed, startServer, type ServerHandle } from './helpers/server.js';
import { WebhookReceiver } from './helpers/webhook.js';

describeWithPeers([], 'operational endpoints', () => {
  let server: ServerHandle;
  let hook: WebhookReceiver;

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    server = await startServer({ amConfig: webhookConfig(hook.url(), { receiver: 'first' }) });
  });
  afterEach((ctx) => dumpLogsIfFailed(ctx, server));
  afterAll(async () => {
    await server?.stop();
    await server?.cleanup();
    await hook?.close();
  });

  it.each([['/-/healthy'], ['/-/ready']])('GET %s is 200', async (path) => {
    const r = await request('GET', `${server.url}${path}`);
    expect(r.status).toBe(200);
  });

  it('GET /metrics is the Prometheus text format', async () => {
    const r = await request('GET', `${server.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^# HELP \w+ /m);
    expect(r.text).toMatch(/^# TYPE \w+ (counter|gauge|histogram|summary)/m);
  });

  it('counts each received alert once', async () => {
    const post = await request('POST', `${server.url}/api/v2/alerts`, { tenant: 'metrics-once', body: [{ labels: { alertname: 'Counted' } }] });
    expect(post.status, post.text).toBe(200);
    const m = (await request('GET', `${server.url}/metrics`)).text;
    expect(m).toContain('alertmanager_alerts_received_total{tenant="metrics-once",status="firing"} 1\n');
  });

  it('GET /api/v2/status has the v2 shape and the loaded config', async () => {
    const s = (await request('GET', `${server.url}/api/v2/status`)).json<{ cluster: { status: string }; versionInfo: Record<string, string>; config: { original: string }; uptime: string }>();
    expect(['ready', 'settling', 'disabled']).toContain(s.cluster.status);
    for (const k of ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion']) expect(typeof s.versionInfo[k]).toBe('string');
    expect(s.config.original).toContain('receiver: first');
    expect(Number.isNaN(Date.parse(s.uptime))).toBe(false);
    const rc = (await request('GET', `${server.url}/api/v2/receivers`)).json<Array<{ name: string }>>();
    expect(rc.map((x) => x.name)).toEqual(['first']);
  });

  it('POST /-/reload applies a changed config file; a broken file is refused and the old one kept', async () => {
    const file = join(server.storageDir, 'alertmanager.yml');
    await writeFile(file, webhookConfig(hook.url(), { receiver: 'second' }));
    const ok = await request('POST', `${server.url}/-/reload`);
    expect(ok.status, ok.text).toBe(200);
    const rc = (await request('GET', `${server.url}/api/v2/receivers`)).json<Array<{ name: string }>>();
    expect(rc.map((x) => x.name)).toEqual(['second']);

    await writeFile(file, 'route:\n  receiver: nowhere\nreceivers: []\n');
    const bad = await request('POST', `${server.url}/-/reload`);
    expect(bad.status).toBe(500);
    expect(bad.text).toContain('failed to reload config');
    const still = (await request('GET', `${server.url}/api/v2/status`)).json<{ config: { original: string } }>();
    expect(still.config.original).toContain('receiver: second');
  });
});
