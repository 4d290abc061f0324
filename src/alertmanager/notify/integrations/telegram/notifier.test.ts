import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { telegramConfig } from './config.js';
import { createTelegramNotifier, TELEGRAM_TOO_LONG } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({ 'telegram.default.message': (d: TemplateData) => `<b>${d.status}</b> & "q"` }),
  '{{ long }}': 'z'.repeat(5000),
});
const OK = '{"ok":true,"result":{"message_id":7,"chat":{"id":-100}}}';

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 200, headers: { 'content-type': 'application/json' }, body: OK }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createTelegramNotifier(validated(telegramConfig, { api_url: srv.base, bot_token: '123:abc', chat_id: -100, ...raw }), deps(FETCH_CLIENT, TEMPLATES, logger));

describe('telegram', () => {
  it('firing: sendMessage with the exact JSON (parse_mode HTML by default)', async () => {
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.headers['content-type'], r.headers['user-agent']]).toEqual(['POST', '/bot123:abc/sendMessage', 'application/json', 'Alertmanager/0.34.0']);
    expect(r.body).toBe('{"chat_id":"-100","disable_web_page_preview":"true","parse_mode":"HTML","text":"\\u003cb\\u003efiring\\u003c/b\\u003e \\u0026 \\"q\\""}\n');
  });

  it('resolved; thread, silent, no parse mode', async () => {
    await notifier({ message_thread_id: 42, disable_notifications: true, parse_mode: '' }).notify(ctx(), [resolved({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({
      chat_id: '-100',
      disable_notification: 'true',
      disable_web_page_preview: 'true',
      message_thread_id: '42',
      text: '<b>resolved</b> & "q"',
    });
  });

  it('an HTML message over 4096 runes is replaced by a notice', async () => {
    await notifier({ message: '{{ long }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body).text).toBe(TELEGRAM_TOO_LONG);
  });

  it('other modes cut the message to 4096 runes', async () => {
    await notifier({ message: '{{ long }}', parse_mode: 'MarkdownV2' }).notify(ctx(), [alert({ a: '1' })]);
    const body = JSON.parse(srv.requests[0]!.body);
    expect(body.text).toBe('z'.repeat(4095) + '…');
    expect(body.parse_mode).toBe('MarkdownV2');
    expect(logger.warnings).toContain('Truncated message');
  });

  it.each([
    { reply: { status: 400, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' }, error: 'telegram: Bad Request: chat not found (400)' },
    { reply: { status: 429, body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}' }, error: 'telegram: Too Many Requests: retry after 5 (429)' },
    { reply: { status: 502, body: '<html>bad gateway</html>' }, error: 'telebot: ' },
    { reply: { status: 401, body: '{"ok":false,"error_code":401,"description":"Unauthorized 123:abc"}' }, error: 'telegram: Unauthorized <redacted> (401)' },
  ])('every failed send is retried, as upstream: $error', async ({ reply, error }) => {
    srv.replies = [reply];
    const r = await notifier({}).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
  });

  it('the status code alone does not decide: a 500 with ok:true is a success', async () => {
    srv.replies = [{ status: 500, body: OK }];
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
  });

  it('a refused connection is retryable and does not show the token', async () => {
    await srv.close();
    const r = await notifier({}).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).not.toContain('123:abc');
  });

  it.each([
    { raw: { message: '{{ fail }}' }, error: 'template: ' },
    { raw: { message: '{{ fail }}', parse_mode: 'Markdown' }, error: 'template: ' },
    { raw: { bot_token: undefined, bot_token_file: '/t' }, error: 'reading bot_token_file is not supported' },
    { raw: { chat_id: undefined, chat_id_file: '/c' }, error: 'reading chat_id_file is not supported' },
  ])('$error', async ({ raw, error }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });
});
