import { describe, expect, it } from 'vitest';
import { alert, defaultTemplates, GOLDEN_ALERT, notifyCtx, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import { rocketchatConfig } from './config.js';
import { createRocketchatNotifier, postMessageURL } from './notifier.js';

const serve = serverPool();
const OK = () => ({ status: 200, body: '{"success":true}' });
const cfg = (raw: Record<string, unknown>) => validated(rocketchatConfig, { token: 'tk', token_id: 'uid', ...raw });

describe('rocketchat', () => {
  it('posts chat.postMessage with the auth headers', async () => {
    const s = await serve(OK);
    const n = createRocketchatNotifier(cfg({ api_url: `${s.url}/base`, channel: '#ops' }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'X' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/base/api/v1/chat.postMessage',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0', 'x-auth-token': 'tk', 'x-user-id': 'uid' },
        body:
          '{"channel":"#ops","emoji":"[rocketchat.default.emoji:firing]","avatar":"[rocketchat.default.iconurl:firing]","attachments":[{' +
          '"title":"[rocketchat.default.title:firing]","title_link":"[rocketchat.default.titlelink:firing]","text":"[rocketchat.default.text:firing]","color":"red"}]}\n',
      },
    ]);
  });

  it('renders fields (short_fields default) and button actions; green when resolved; title cut to 1024 runes', async () => {
    const s = await serve(OK);
    const n = createRocketchatNotifier(
      cfg({
        api_url: `${s.url}/`,
        title: 'ü'.repeat(1030),
        emoji: '',
        icon_url: '',
        short_fields: true,
        fields: [{ title: 'a', value: '{{ .Status }}' }, { title: 'b', value: 'c', short: false }],
        actions: [{ text: 'Open', url: 'http://x/{{ .Receiver }}', msg: '' }],
      }),
      testDeps(),
    );
    await n.notify(notifyCtx(), [resolved({ alertname: 'X' })]);
    expect(s.requests[0]!.url).toBe('/api/v1/chat.postMessage');
    expect(s.requests[0]!.body).toBe(
      '{"attachments":[{"title":"' +
        'ü'.repeat(1023) +
        '…","title_link":"[rocketchat.default.titlelink:resolved]","text":"[rocketchat.default.text:resolved]","color":"green",' +
        '"fields":[{"short":true,"title":"a","value":"resolved"},{"short":false,"title":"b","value":"c"}],' +
        '"actions":[{"type":"button","text":"Open","url":"http://x/team-X","is_webview":false,"msg_in_chat_window":false}]}]}\n',
    );
  });

  it.each([
    { reply: { status: 200, body: '{"success":false,"error":"room not found"}' }, want: { ok: false, retryable: false, reason: 'clientError', error: 'channel "c": error response from Rocketchat: room not found' } },
    { reply: { status: 500, body: 'down' }, want: { ok: false, retryable: true, reason: 'serverError', error: 'channel "c": unexpected status code 500: down' } },
    { reply: { status: 401, body: '' }, want: { ok: false, retryable: false, reason: 'authError', error: 'channel "c": unexpected status code 401' } },
  ])('answer $reply.status $reply.body', async ({ reply, want }) => {
    const s = await serve(() => reply);
    expect(await createRocketchatNotifier(cfg({ api_url: s.url, channel: 'c' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('a 200 that is not JSON is retried', async () => {
    const s = await serve(() => ({ status: 200, body: 'ok' }));
    const r = await createRocketchatNotifier(cfg({ api_url: s.url, channel: 'c' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).toContain('channel "c": could not unmarshal JSON response "ok"');
  });

  it('template errors fail for good; token files are refused', async () => {
    const s = await serve(OK);
    const r = await createRocketchatNotifier(cfg({ api_url: s.url, text: '{{ x }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(s.requests).toHaveLength(0);
    const f = validated(rocketchatConfig, { api_url: s.url, token_file: '/t', token_id: 'u' });
    expect(await createRocketchatNotifier(f, testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual({ ok: false, retryable: false, error: 'reading token_file is not supported' });
  });

  it.each([
    ['http://r.example', 'http://r.example/api/v1/chat.postMessage'],
    ['http://r.example/sub', 'http://r.example/sub/api/v1/chat.postMessage'],
    ['http://r.example/sub/', 'http://r.example/sub/api/v1/chat.postMessage'],
  ])('JoinPath(%s)', (base, want) => expect(postMessageURL(base)).toBe(want));
});

describe('rocketchat with the built-in default templates', () => {
  it('renders the defaults', async () => {
    const s = await serve(OK);
    await createRocketchatNotifier(cfg({ api_url: s.url }), testDeps({ templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const body = JSON.parse(s.requests[0]!.body);
    expect(body.attachments[0]).toMatchObject({ title: '[FIRING:1] HighLatency (critical)', color: 'red', title_link: 'http://am.example:9093/#/alerts?receiver=team-X' });
  });
});
