import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { discordConfig } from './config.js';
import { createDiscordNotifier } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'discord.default.title': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency`,
    'discord.default.message': 'Alerts Firing:\nLabels:\n - alertname = HighLatency & <x>\n',
  }),
  '{{ long }}': 'd'.repeat(5000),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 204 }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createDiscordNotifier(validated(discordConfig, { webhook_url: `${srv.base}/api/webhooks/1/tok`, ...raw }), deps(FETCH_CLIENT, TEMPLATES, logger));

describe('discord', () => {
  it('firing: exact JSON, red embed', async () => {
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.headers['content-type'], r.headers['user-agent']]).toEqual(['POST', '/api/webhooks/1/tok', 'application/json', 'Alertmanager/0.34.0']);
    expect(r.body).toBe(
      '{"content":"","embeds":[{"title":"[FIRING:1] HighLatency","description":"Alerts Firing:\\nLabels:\\n - alertname = HighLatency \\u0026 \\u003cx\\u003e\\n","color":10038562}]}\n',
    );
  });

  it('resolved: green embed; content, username and avatar_url', async () => {
    await notifier({ content: 'hi', username: 'bot', avatar_url: 'http://a/x.png' }).notify(ctx(), [resolved({ a: '1' })]);
    expect(srv.requests[0]!.body).toBe(
      '{"content":"hi","embeds":[{"title":"[RESOLVED:1] HighLatency","description":"Alerts Firing:\\nLabels:\\n - alertname = HighLatency \\u0026 \\u003cx\\u003e\\n","color":3066993}],"username":"bot","avatar_url":"http://a/x.png"}\n',
    );
  });

  it('an avatar URL Go cannot parse is left out with a warning', async () => {
    await notifier({ avatar_url: 'http://a/%zz' }).notify(ctx(), [alert({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body).avatar_url).toBeUndefined();
    expect(logger.warnings).toContain('Bad avatar url');
  });

  it.each([
    { raw: { title: '{{ long }}' }, get: (b: { embeds: Array<{ title: string }> }) => b.embeds[0]!.title, want: 'd'.repeat(255) + '…' },
    { raw: { message: '{{ long }}' }, get: (b: { embeds: Array<{ description: string }> }) => b.embeds[0]!.description, want: 'd'.repeat(4095) + '…' },
    { raw: { content: '{{ long }}' }, get: (b: { content: string }) => b.content, want: 'd'.repeat(1999) + '…' },
  ])('limits %#', async ({ raw, get, want }) => {
    await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(get(JSON.parse(srv.requests[0]!.body))).toBe(want);
  });

  it.each([
    { status: 500, want: { ok: false, retryable: true, error: 'unexpected status code 500: e', reason: 'serverError' } },
    { status: 429, want: { ok: false, retryable: false, error: 'unexpected status code 429: e', reason: 'rateLimited' } },
    { status: 400, want: { ok: false, retryable: false, error: 'unexpected status code 400: e', reason: 'clientError' } },
  ])('answer $status', async ({ status, want }) => {
    srv.replies = [{ status, body: 'e' }];
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it.each([
    { raw: { content: '{{ fail }}' }, error: 'template: ' },
    { raw: { webhook_url: undefined, webhook_url_file: '/w' }, error: 'reading webhook_url_file is not supported' },
  ])('$error', async ({ raw, error }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });
});
