import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test-fakes.js';
import { alert, defaultTemplates, GOLDEN_ALERT, notifyCtx, NOW, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import type { Reply, SeenRequest } from '../../../../net/test-fakes.js';
import { wechatConfig } from './config.js';
import { createWechatNotifier, TOKEN_TTL_MS } from './notifier.js';

const serve = serverPool();
const cfg = (url: string, raw: Record<string, unknown> = {}) => validated(wechatConfig, { api_url: `${url}/cgi-bin`, api_secret: 's3cr3t', corp_id: 'corp', ...raw });

/** A WeChat API: gettoken hands out tok1, tok2...; message/send answers from `send`. */
function api(send: (req: SeenRequest) => Reply = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' })) {
  let n = 0;
  return (req: SeenRequest): Reply => (req.url.startsWith('/cgi-bin/gettoken') ? { status: 200, body: `{"access_token":"tok${++n}"}` } : send(req));
}

describe('wechat', () => {
  it('fetches a token, then sends the text message', async () => {
    const s = await serve(api());
    const n = createWechatNotifier(cfg(s.url, { to_user: '@all', agent_id: '1000002', to_party: '', to_tag: '' }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'X' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      { method: 'GET', url: '/cgi-bin/gettoken?corpid=corp&corpsecret=s3cr3t', headers: { 'user-agent': 'Alertmanager/0.34.0' }, body: '' },
      {
        method: 'POST',
        url: '/cgi-bin/message/send?access_token=tok1',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0' },
        body: '{"text":{"content":"[wechat.default.message:firing]"},"touser":"@all","agentid":"1000002","safe":"0","msgtype":"text","markdown":{"content":""}}\n',
      },
    ]);
  });

  it('markdown messages and default recipients', async () => {
    const s = await serve(api());
    await createWechatNotifier(cfg(s.url, { message_type: 'markdown', message: '**{{ .Status }}**' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(s.requests[1]!.body).toBe(
      '{"text":{"content":""},"touser":"[wechat.default.to_user:firing]","toparty":"[wechat.default.to_party:firing]","totag":"[wechat.default.to_tag:firing]",' +
        '"agentid":"[wechat.default.agent_id:firing]","safe":"0","msgtype":"markdown","markdown":{"content":"**firing**"}}\n',
    );
  });

  it('caches the token for two hours', async () => {
    const s = await serve(api());
    const clock = new ManualClock(NOW);
    const n = createWechatNotifier(cfg(s.url), testDeps({ clock }));
    await n.notify(notifyCtx(), [alert({ a: '1' })]);
    clock.t += TOKEN_TTL_MS;
    await n.notify(notifyCtx(), [alert({ a: '1' })]);
    clock.t += 1;
    await n.notify(notifyCtx(), [alert({ a: '1' })]);
    expect(s.requests.map((r) => r.url.replace(/\?.*/, '') + ' ' + (r.url.match(/access_token=(\w+)/)?.[1] ?? ''))).toEqual([
      '/cgi-bin/gettoken ',
      '/cgi-bin/message/send tok1',
      '/cgi-bin/message/send tok1',
      '/cgi-bin/gettoken ',
      '/cgi-bin/message/send tok2',
    ]);
  });

  it('errcode 42001 drops the token and retries; other errcodes fail for good', async () => {
    let code = 42001;
    const s = await serve(api(() => ({ status: 200, body: `{"errcode":${code},"errmsg":"m${code}"}` })));
    const n = createWechatNotifier(cfg(s.url), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ a: '1' })])).toEqual({ ok: false, retryable: true, error: 'm42001' });
    code = 60020;
    expect(await n.notify(notifyCtx(), [alert({ a: '1' })])).toEqual({ ok: false, retryable: false, error: 'm60020' });
    expect(s.requests.filter((r) => r.url.startsWith('/cgi-bin/gettoken'))).toHaveLength(2);
  });

  it.each([
    { reply: { status: 500, body: '' }, want: { ok: false, retryable: true, reason: 'serverError', error: 'unexpected status code 500' } },
    { reply: { status: 400, body: '' }, want: { ok: false, retryable: true, reason: 'clientError', error: 'unexpected status code 400' } },
  ])('send status $reply.status is retried (as upstream)', async ({ reply, want }) => {
    const s = await serve(api(() => reply));
    expect(await createWechatNotifier(cfg(s.url), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('an empty token is an invalid secret; bad JSON fails', async () => {
    const s = await serve(() => ({ status: 200, body: '{"errcode":40001}' }));
    expect(await createWechatNotifier(cfg(s.url), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual({ ok: false, retryable: false, error: 'invalid APISecret for CorpID: corp' });
    const b = await serve(() => ({ status: 200, body: '<html>' }));
    expect(await createWechatNotifier(cfg(b.url), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toMatchObject({ ok: false, retryable: false });
  });

  it('template errors fail for good', async () => {
    const s = await serve(api());
    const r = await createWechatNotifier(cfg(s.url, { message: '{{ x }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toMatch(/^templating error: /);
    expect(s.requests.some((q) => q.url.includes('message/send'))).toBe(false);
  });
});

describe('wechat with the built-in default templates', () => {
  it('renders the default message', async () => {
    const s = await serve(api());
    await createWechatNotifier(cfg(s.url), testDeps({ templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const body = JSON.parse(s.requests[1]!.body);
    expect(body.text.content).toMatch(/^\[FIRING:1\] HighLatency \(critical\)\np99 high\n/);
    expect(Object.keys(body)).toEqual(['text', 'safe', 'msgtype', 'markdown']);
  });
});
