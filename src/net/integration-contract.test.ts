/**
 * The notifier contract (as integrations/shared/contract.test.ts states it for batch A) run over
 * the batch-B HTTP integrations: User-Agent on every request, transport errors retried and redacted
 * (Jira: final, as upstream), 5xx retried, an aborted flush ends the attempt, odd input never throws.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../core/runtime.js';
import { FakeHttp, ManualClock } from '../alertmanager/notify/test-fakes.js';
import type { IntegrationDefinition } from '../alertmanager/notify/types.js';
import { incidentioConfig } from '../alertmanager/notify/integrations/incidentio/config.js';
import { jiraConfig } from '../alertmanager/notify/integrations/jira/config.js';
import { mattermostConfig } from '../alertmanager/notify/integrations/mattermost/config.js';
import { msteamsConfig } from '../alertmanager/notify/integrations/msteams/config.js';
import { msteamsv2Config } from '../alertmanager/notify/integrations/msteamsv2/config.js';
import { rocketchatConfig } from '../alertmanager/notify/integrations/rocketchat/config.js';
import { snsConfig } from '../alertmanager/notify/integrations/sns/config.js';
import { wechatConfig } from '../alertmanager/notify/integrations/wechat/config.js';
import { alert, defaultTemplates, notifyCtx, NOW, testDeps, validated } from './test-fakes.js';

const SECRET = 'sekrit-7f3a';
const TEMPLATES = defaultTemplates();
const r200 = (body = ''): HttpResponse => ({ status: 200, headers: {}, body });

const CASES: ReadonlyArray<{ def: IntegrationDefinition; raw: Record<string, unknown>; ok: HttpResponse[]; transportRetry?: boolean; before503?: HttpResponse[] }> = [
  { def: msteamsConfig, raw: { webhook_url: `http://teams.example/webhookb2/${SECRET}` }, ok: [r200('1')] },
  { def: msteamsv2Config, raw: { webhook_url: `http://flow.example/invoke?sig=${SECRET}` }, ok: [r200()] },
  { def: mattermostConfig, raw: { webhook_url: `http://mm.example/hooks/${SECRET}` }, ok: [r200('ok')] },
  { def: rocketchatConfig, raw: { api_url: `http://rc.example/${SECRET}`, token: 't', token_id: 'i' }, ok: [r200('{"success":true}')] },
  { def: incidentioConfig, raw: { url: `http://inc.example/v2/alert_events/http/${SECRET}`, alert_source_token: 't' }, ok: [r200()] },
  { def: wechatConfig, raw: { api_url: `http://wx.example/${SECRET}/`, api_secret: 's', corp_id: 'c' }, ok: [r200('{"access_token":"tok"}'), r200('{"errcode":0}')], before503: [r200('{"access_token":"tok"}')] },
  { def: snsConfig, raw: { api_url: `http://sns.example/${SECRET}`, topic_arn: 'arn:t', sigv4: { region: 'r', access_key: 'a', secret_key: 'k' } }, ok: [r200('<PublishResponse/>')] },
  {
    def: jiraConfig,
    raw: { api_url: `http://jira.example/${SECRET}/rest/api/2`, project: 'P', issue_type: 'Bug' },
    ok: [r200('{"issues":[]}'), { status: 201, headers: {}, body: '{}' }],
    transportRetry: false,
  },
];

describe.each(CASES)('$def.name notifier contract', ({ def, raw, ok, transportRetry = true, before503 = [] }) => {
  const make = (http: FakeHttp) => def.create!(validated(def, raw), testDeps({ http, clock: new ManualClock(NOW), templates: TEMPLATES }));

  it('is registered with a factory', () => expect(def.create).toBeTypeOf('function'));

  it('succeeds on a good answer and sends the Alertmanager User-Agent', async () => {
    const http = new FakeHttp(ok);
    expect(await make(http).notify(notifyCtx(), [alert({ alertname: 'A' })])).toEqual({ ok: true });
    expect(http.requests.length).toBeGreaterThan(0);
    for (const r of http.requests) expect(r.headers['User-Agent']).toBe('Alertmanager/0.34.0');
  });

  it(`a transport error is ${transportRetry ? 'retried' : 'final'} and hides the URL`, async () => {
    const urlHttp = new FakeHttp(ok);
    await make(urlHttp).notify(notifyCtx(), [alert({ alertname: 'A' })]);
    const url = urlHttp.requests[0]!.url;
    const r = await make(new FakeHttp([new Error(`connect ECONNREFUSED ${url}`)])).notify(notifyCtx(), [alert({ alertname: 'A' })]);
    expect(r).toMatchObject({ ok: false, retryable: transportRetry });
    expect(r.ok ? '' : r.error).not.toContain(SECRET);
  });

  // WeChat's token fetch decodes any answer and gives up on a bad one (upstream); its send retries.
  it('retries a 503', async () => {
    const r = await make(new FakeHttp([...before503, { status: 503, headers: {}, body: 'busy' }])).notify(notifyCtx(), [alert({ alertname: 'A' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
  });

  it('ends at once when the flush is already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('flush deadline'));
    const http = new FakeHttp([
      (req) =>
        new Promise((_, reject) => {
          if (req.signal?.aborted) reject(new Error('aborted'));
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    ]);
    expect((await make(http).notify(notifyCtx({ signal: ac.signal }), [alert({ alertname: 'A' })])).ok).toBe(false);
  });

  it.each([
    { name: 'no alerts', alerts: [] },
    { name: 'empty labels and odd text', alerts: [alert({}, { annotations: { '': '\u0000<>&"\u2028' } })] },
  ])('does not throw on $name', async ({ alerts }) => {
    await expect(make(new FakeHttp(ok)).notify(notifyCtx({ groupLabels: {}, receiver: '' }), alerts)).resolves.toBeDefined();
  });

  it('does not throw on empty settings', async () => {
    const n = def.create!({ type: def.name, index: 0, sendResolved: true, settings: {} }, testDeps({ http: new FakeHttp(ok), templates: TEMPLATES }));
    await expect(n.notify(notifyCtx(), [alert({ a: '1' })])).resolves.toBeDefined();
  });
});
