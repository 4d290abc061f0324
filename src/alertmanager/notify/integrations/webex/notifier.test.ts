import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { webexConfig } from './config.js';
import { createWebexNotifier } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({ 'webex.default.message': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] <b>HighLatency</b>` }),
  '{{ room }}': 'room-2',
  '{{ long }}': 'a' + '€'.repeat(3000),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 200, body: '{"id":"m1"}' }]);
});
afterEach(() => srv.close());

const notifier = (raw: Record<string, unknown>) =>
  createWebexNotifier(
    validated(webexConfig, { api_url: `${srv.base}/v1/messages`, room_id: 'room-1', http_config: { authorization: { credentials: 'bot-token' } }, ...raw }),
    deps(FETCH_CLIENT, TEMPLATES),
  );

describe('webex', () => {
  it('firing: exact JSON with the bearer from http_config', async () => {
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.headers['authorization'], r.headers['content-type'], r.headers['user-agent']]).toEqual([
      'POST',
      '/v1/messages',
      'Bearer bot-token',
      'application/json',
      'Alertmanager/0.34.0',
    ]);
    expect(r.body).toBe('{"markdown":"[FIRING:1] \\u003cb\\u003eHighLatency\\u003c/b\\u003e","roomId":"room-1"}\n');
  });

  it('resolved, templated room id', async () => {
    await notifier({ room_id: '{{ room }}' }).notify(ctx(), [resolved({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({ markdown: '[RESOLVED:1] <b>HighLatency</b>', roomId: 'room-2' });
  });

  it('the message is cut to 7439 bytes without splitting a character', async () => {
    await notifier({ message: '{{ long }}' }).notify(ctx(), [alert({ a: '1' })]);
    const md: string = JSON.parse(srv.requests[0]!.body).markdown;
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(7439);
    expect(md).toBe('a' + '€'.repeat(2478) + '…');
  });

  it('a failing room_id template is sent as absent (upstream does not check it)', async () => {
    expect(await notifier({ room_id: '{{ fail }}' }).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
    expect(JSON.parse(srv.requests[0]!.body).roomId).toBeUndefined();
  });

  it('a failing message template fails', async () => {
    const r = await notifier({ message: '{{ fail }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(srv.requests).toHaveLength(0);
  });

  it.each([
    { status: 503, want: { ok: false, retryable: true, error: 'unexpected status code 503: e', reason: 'serverError' } },
    { status: 429, want: { ok: false, retryable: false, error: 'unexpected status code 429: e', reason: 'rateLimited' } },
    { status: 401, want: { ok: false, retryable: false, error: 'unexpected status code 401: e', reason: 'authError' } },
  ])('answer $status', async ({ status, want }) => {
    srv.replies = [{ status, body: 'e' }];
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });
});
