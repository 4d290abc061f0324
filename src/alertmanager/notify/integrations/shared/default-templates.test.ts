/**
 * Full payloads of every batch-A integration rendered with Herald's real built-in templates
 * (loadTemplates([])). The expected texts are derived by hand from Alertmanager 0.34's
 * template/default.tmpl for one firing alert (and one resolved).
 */
import { describe, expect, it } from 'vitest';
import type { IntegrationDefinition, Notifier, NotifierDeps } from '../../types.js';
import type { Templates } from '../../../template/api.js';
import { loadTemplates } from '../../../template/index.js';
import { FakeHttp } from '../../test-fakes.js';
import { discordConfig } from '../discord/config.js';
import { opsgenieConfig } from '../opsgenie/config.js';
import { pagerdutyConfig } from '../pagerduty/config.js';
import { pushoverConfig } from '../pushover/config.js';
import { slackConfig } from '../slack/config.js';
import { telegramConfig } from '../telegram/config.js';
import { victoropsConfig } from '../victorops/config.js';
import { webexConfig } from '../webex/config.js';
import { alert, ctx, deps, GROUP_KEY_HASH, validated } from './test-kit.js';

function realDefaults(): Templates {
  const r = loadTemplates([]);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}
const templates = realDefaults();

const FIRING = alert(
  { alertname: 'HighLatency', job: 'api' },
  { annotations: { summary: 'p99 > 1s' }, generatorURL: 'http://prom/graph?g0.expr=up' },
);
const SUBJECT = '[FIRING:1] HighLatency (api)';
const AM_URL = 'http://am.example:9093/#/alerts?receiver=team-X';
const LIST = 'Labels:\n - alertname = HighLatency\n - job = api\nAnnotations:\n - summary = p99 > 1s\nSource: http://prom/graph?g0.expr=up\n';

function build(def: IntegrationDefinition, raw: Record<string, unknown>, http: FakeHttp): Notifier {
  const d: NotifierDeps = deps(http, templates);
  return def.create!(validated(def, raw), d);
}

async function body(def: IntegrationDefinition, raw: Record<string, unknown>, reply = ''): Promise<{ url: string; body: string }> {
  const http = new FakeHttp([{ status: 200, headers: reply.startsWith('{') ? { 'content-type': 'application/json' } : {}, body: reply }]);
  const r = await build(def, raw, http).notify(ctx(), [FIRING]);
  expect(r).toEqual({ ok: true });
  const req = http.requests[0]!;
  return { url: req.url, body: typeof req.body === 'string' ? req.body : '' };
}

describe('batch A payloads with the built-in default templates', () => {
  it('slack', async () => {
    const { body: b } = await body(slackConfig, { api_url: 'http://h/x' }, 'ok');
    expect(JSON.parse(b)).toEqual({
      username: 'Alertmanager',
      attachments: [{ title: SUBJECT, title_link: AM_URL, text: '', fallback: `${SUBJECT} | ${AM_URL}`, callback_id: '', footer: '', color: 'danger', mrkdwn_in: ['fallback', 'pretext', 'text'] }],
    });
  });

  it('pagerduty v2', async () => {
    const { url, body: b } = await body(pagerdutyConfig, { routing_key: 'rk' });
    expect(url).toBe('https://events.pagerduty.com/v2/enqueue');
    const fp = JSON.parse(b).payload.custom_details.firing[0].fingerprint as string;
    expect(b).toBe(
      `{"routing_key":"rk","dedup_key":"${GROUP_KEY_HASH}","event_action":"trigger","payload":{"summary":"${SUBJECT}","source":"Alertmanager","severity":"error",` +
        `"custom_details":{"firing":[{"annotations":{"summary":"p99 \\u003e 1s"},"endsAt":"0001-01-01T00:00:00Z","fingerprint":"${fp}","generatorURL":"http://prom/graph?g0.expr=up",` +
        `"labels":{"alertname":"HighLatency","job":"api"},"startsAt":"2024-01-01T12:00:00Z","status":"firing"}],"num_firing":1,"num_resolved":0,"resolved":[]}},` +
        `"client":"Alertmanager","client_url":"${AM_URL}"}\n`,
    );
  });

  it('opsgenie', async () => {
    const { body: b } = await body(opsgenieConfig, { api_key: 'k' });
    expect(JSON.parse(b)).toEqual({
      alias: GROUP_KEY_HASH,
      message: SUBJECT,
      description: `p99 > 1s\nAlerts Firing:\n${LIST}\n`,
      details: { alertname: 'HighLatency', job: 'api' },
      source: AM_URL,
    });
  });

  it('victorops', async () => {
    const { body: b } = await body(victoropsConfig, { api_key: 'k', routing_key: 'r' });
    expect(JSON.parse(b)).toEqual({
      entity_display_name: SUBJECT,
      entity_id: GROUP_KEY_HASH,
      message_type: 'CRITICAL',
      monitoring_tool: 'Alertmanager',
      state_message: `p99 > 1s\nAlerts Firing:\n${LIST}\n`,
    });
  });

  it('pushover', async () => {
    const http = new FakeHttp();
    await build(pushoverConfig, { user_key: 'u', token: 't' }, http).notify(ctx(), [FIRING]);
    const q = Object.fromEntries(new URL(http.requests[0]!.url).searchParams);
    expect(q).toEqual({
      device: '',
      expire: '3600',
      message: `p99 > 1s\n\nAlerts Firing:\n${LIST}`.trimEnd(),
      priority: '2',
      retry: '60',
      sound: '',
      title: SUBJECT,
      token: 't',
      url: AM_URL,
      url_title: '',
      user: 'u',
    });
  });

  it('discord', async () => {
    const { body: b } = await body(discordConfig, { webhook_url: 'http://h/x' });
    expect(JSON.parse(b)).toEqual({ content: '', embeds: [{ title: SUBJECT, description: `\n\nAlerts Firing:\n${LIST}\n\n\n`, color: 0x992d22 }] });
  });

  it('webex', async () => {
    const { body: b } = await body(webexConfig, { room_id: 'r', http_config: { authorization: { credentials: 'x' } } });
    expect(JSON.parse(b)).toEqual({ markdown: `p99 > 1s\n\nAlerts Firing:\n${LIST}\n\n\n`, roomId: 'r' });
  });

  it('telegram (HTML-escaped, parse_mode HTML)', async () => {
    const { body: b } = await body(telegramConfig, { bot_token: 'b', chat_id: 1 }, '{"ok":true,"result":{}}');
    expect(JSON.parse(b)).toEqual({
      chat_id: '1',
      disable_web_page_preview: 'true',
      parse_mode: 'HTML',
      text: `\n\nAlerts Firing:\n${LIST.replace('p99 > 1s', 'p99 &gt; 1s')}\n\n\n`,
    });
  });
});

const RESOLVED = alert({ alertname: 'HighLatency', job: 'api' }, { endsAt: FIRING.startsAt + 60_000 });
const RESOLVED_LIST = 'Labels:\n - alertname = HighLatency\n - job = api\nAnnotations:\nSource: \n';

async function resolvedRequest(def: IntegrationDefinition, raw: Record<string, unknown>, reply = ''): Promise<{ url: string; body: string }> {
  const http = new FakeHttp([{ status: 200, headers: reply.startsWith('{') ? { 'content-type': 'application/json' } : {}, body: reply }]);
  expect(await build(def, raw, http).notify(ctx(), [RESOLVED])).toEqual({ ok: true });
  const req = http.requests[0]!;
  return { url: req.url, body: typeof req.body === 'string' ? req.body : '' };
}

describe('resolved notifications with the built-in default templates', () => {
  it('slack: good color, RESOLVED subject', async () => {
    const b = JSON.parse((await resolvedRequest(slackConfig, { api_url: 'http://h/x' }, 'ok')).body);
    expect(b.attachments[0]).toMatchObject({ title: '[RESOLVED] HighLatency (api)', color: 'good' });
  });

  it('pagerduty: resolve event with the resolved alert in details', async () => {
    const b = JSON.parse((await resolvedRequest(pagerdutyConfig, { routing_key: 'rk' })).body);
    expect(b).toMatchObject({ event_action: 'resolve', payload: { summary: '[RESOLVED] HighLatency (api)', custom_details: { num_firing: 0, num_resolved: 1, firing: [] } } });
    expect(b.payload.custom_details.resolved[0]).toMatchObject({ status: 'resolved', endsAt: '2024-01-01T12:01:00Z' });
  });

  it('opsgenie: close by alias', async () => {
    const r = await resolvedRequest(opsgenieConfig, { api_key: 'k' });
    expect(r).toEqual({ url: `https://api.opsgenie.com/v2/alerts/${GROUP_KEY_HASH}/close?identifierType=alias`, body: `{"source":"${AM_URL}"}\n` });
  });

  it('victorops: RECOVERY with the resolved list', async () => {
    const b = JSON.parse((await resolvedRequest(victoropsConfig, { api_key: 'k', routing_key: 'r' })).body);
    expect(b).toMatchObject({ message_type: 'RECOVERY', entity_display_name: '[RESOLVED] HighLatency (api)', state_message: `\n\nAlerts Resolved:\n${RESOLVED_LIST}` });
  });

  it('discord: green embed', async () => {
    const b = JSON.parse((await resolvedRequest(discordConfig, { webhook_url: 'http://h/x' })).body);
    expect(b.embeds[0]).toEqual({ title: '[RESOLVED] HighLatency (api)', description: `\n\n\nAlerts Resolved:\n${RESOLVED_LIST}\n\n`, color: 0x2ecc71 });
  });

  it('a template error from the real engine fails the notification, not retryable', async () => {
    const http = new FakeHttp();
    const r = await build(slackConfig, { api_url: 'http://h/x', title: '{{ template "nope" . }}' }, http).notify(ctx(), [FIRING]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toContain('nope');
    expect(http.requests).toHaveLength(0);
  });
});
