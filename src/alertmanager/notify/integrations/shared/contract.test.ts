/**
 * One contract for every batch-A notifier: what the pipeline relies on whatever the integration
 * (User-Agent, transport errors retried and redacted, 5xx retried, an aborted flush ends the
 * attempt, odd input never throws).
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../../core/runtime.js';
import { loadTemplates } from '../../../template/index.js';
import { FakeHttp } from '../../test-fakes.js';
import type { IntegrationDefinition } from '../../types.js';
import { discordConfig } from '../discord/config.js';
import { opsgenieConfig } from '../opsgenie/config.js';
import { pagerdutyConfig } from '../pagerduty/config.js';
import { pushoverConfig } from '../pushover/config.js';
import { slackConfig } from '../slack/config.js';
import { telegramConfig } from '../telegram/config.js';
import { victoropsConfig } from '../victorops/config.js';
import { webexConfig } from '../webex/config.js';
import { alert, ctx, deps, validated } from './test-kit.js';

const loaded = loadTemplates([]);
if (!loaded.ok) throw new Error('default templates do not load');
const TEMPLATES = loaded.value;
const SECRET = 'sekrit-7f3a';

const CASES: ReadonlyArray<{ def: IntegrationDefinition; raw: Record<string, unknown>; ok: HttpResponse }> = [
  { def: slackConfig, raw: { api_url: `http://slack.example/services/${SECRET}` }, ok: { status: 200, headers: {}, body: 'ok' } },
  { def: pagerdutyConfig, raw: { routing_key: SECRET, url: `http://pd.example/${SECRET}` }, ok: { status: 202, headers: {}, body: '' } },
  { def: opsgenieConfig, raw: { api_key: SECRET, api_url: `http://og.example/${SECRET}/` }, ok: { status: 202, headers: {}, body: '' } },
  { def: victoropsConfig, raw: { api_key: SECRET, routing_key: 'r' }, ok: { status: 200, headers: {}, body: '' } },
  { def: pushoverConfig, raw: { user_key: 'u', token: SECRET }, ok: { status: 200, headers: {}, body: '{"status":1}' } },
  { def: discordConfig, raw: { webhook_url: `http://discord.example/api/webhooks/${SECRET}` }, ok: { status: 204, headers: {}, body: '' } },
  { def: webexConfig, raw: { room_id: 'r', http_config: { authorization: { credentials: 'x' } }, api_url: `http://webex.example/${SECRET}` }, ok: { status: 200, headers: {}, body: '' } },
  { def: telegramConfig, raw: { bot_token: SECRET, chat_id: 5 }, ok: { status: 200, headers: {}, body: '{"ok":true,"result":{}}' } },
];

describe.each(CASES)('$def.name notifier contract', ({ def, raw, ok }) => {
  const make = (http: FakeHttp) => def.create!(validated(def, raw), deps(http, TEMPLATES));

  it('succeeds on a good answer and sends the Alertmanager User-Agent', async () => {
    const http = new FakeHttp([ok]);
    expect(await make(http).notify(ctx(), [alert({ alertname: 'A' })])).toEqual({ ok: true });
    expect(http.requests.length).toBeGreaterThan(0);
    for (const r of http.requests) expect(r.headers['User-Agent']).toBe('Alertmanager/0.34.0');
  });

  it('retries a transport error without showing secrets of the URL', async () => {
    const urlHttp = new FakeHttp([ok]);
    await make(urlHttp).notify(ctx(), [alert({ alertname: 'A' })]);
    const url = urlHttp.requests[0]!.url;
    const failing = new FakeHttp([new Error(`connect ECONNREFUSED ${url}`)]);
    const r = await make(failing).notify(ctx(), [alert({ alertname: 'A' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).not.toContain(SECRET);
  });

  it('retries a 503', async () => {
    const r = await make(new FakeHttp([{ status: 503, headers: {}, body: 'busy' }])).notify(ctx(), [alert({ alertname: 'A' })]);
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
    const r = await make(http).notify(ctx({ signal: ac.signal }), [alert({ alertname: 'A' })]);
    expect(r.ok).toBe(false);
  });

  it.each([
    { name: 'no alerts', alerts: [] },
    { name: 'empty labels and odd text', alerts: [alert({}, { annotations: { '': '\u0000<>&"\u2028' } })] },
  ])('does not throw on $name', async ({ alerts }) => {
    await expect(make(new FakeHttp([ok])).notify(ctx({ groupLabels: {}, receiver: '' }), alerts)).resolves.toBeDefined();
  });
});
