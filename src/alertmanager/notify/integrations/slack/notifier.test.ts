import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, FETCH_CLIENT, deps, fixedTemplates, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { slackConfig } from './config.js';
import { createSlackNotifier } from './notifier.js';

// What upstream's default.tmpl renders for these (slack.default.*), fixed per status.
const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'slack.default.username': 'Alertmanager',
    'slack.default.color': (d: TemplateData) => (d.status === 'firing' ? 'danger' : 'good'),
    'slack.default.title': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency (a<b>)`,
    'slack.default.titlelink': 'http://am.example:9093/#/alerts?receiver=team-X',
    'slack.default.pretext': '',
    'slack.default.text': '',
    'slack.default.fallback': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency (a<b>) | http://am.example:9093/#/alerts?receiver=team-X`,
    'slack.default.callbackid': '',
    'slack.default.iconemoji': '',
    'slack.default.iconurl': '',
    'slack.default.footer': '',
  }),
  '{{ .Status }}': (d: TemplateData) => d.status,
  '{{ long }}': 'é'.repeat(1030),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 200, body: 'ok' }]);
});
afterEach(() => srv.close());

const notifier = (raw: Record<string, unknown>, global: Record<string, unknown> = {}, logger = recordingLogger()) =>
  createSlackNotifier(validated(slackConfig, raw, global), deps(FETCH_CLIENT, TEMPLATES, logger));

describe('slack request', () => {
  it('incoming webhook, firing: the exact JSON of Alertmanager 0.34', async () => {
    const n = notifier({ api_url: `${srv.base}/services/T/B/X`, channel: '#ops' });
    expect(await n.notify(ctx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(srv.requests).toHaveLength(1);
    const r = srv.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/services/T/B/X');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe('Alertmanager/0.34.0');
    expect(r.headers['authorization']).toBeUndefined();
    expect(r.body).toBe(
      '{"channel":"#ops","username":"Alertmanager","attachments":[{"title":"[FIRING:1] HighLatency (a\\u003cb\\u003e)",' +
        '"title_link":"http://am.example:9093/#/alerts?receiver=team-X","text":"",' +
        '"fallback":"[FIRING:1] HighLatency (a\\u003cb\\u003e) | http://am.example:9093/#/alerts?receiver=team-X","callback_id":"","footer":"",' +
        '"color":"danger","mrkdwn_in":["fallback","pretext","text"]}]}\n',
    );
  });

  it('resolved: color good; fields, actions, link_names and message_text as configured', async () => {
    const n = notifier({
      api_url: `${srv.base}/hook`,
      color: '{{ template "slack.default.color" . }}',
      link_names: true,
      message_text: '{{ .Status }}',
      short_fields: true,
      mrkdwn_in: ['text'],
      image_url: 'http://img/',
      fields: [{ title: 'S', value: '{{ .Status }}' }, { title: 'L', value: 'v', short: false }],
      actions: [
        { type: 'button', text: 'Runbook', url: 'http://rb/', name: 'dropped' },
        { type: 'button', text: 'Ack', name: 'ack', value: 'x', confirm: { text: 'Sure?', ok_text: 'Yes' } },
      ],
    });
    expect(await n.notify(ctx(), [resolved({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    const body = JSON.parse(srv.requests[0]!.body);
    expect(body).toEqual({
      username: 'Alertmanager',
      link_names: true,
      text: 'resolved',
      attachments: [
        {
          title: '[RESOLVED:1] HighLatency (a<b>)',
          title_link: 'http://am.example:9093/#/alerts?receiver=team-X',
          text: '',
          fallback: '[RESOLVED:1] HighLatency (a<b>) | http://am.example:9093/#/alerts?receiver=team-X',
          callback_id: '',
          fields: [
            { title: 'S', value: 'resolved', short: true },
            { title: 'L', value: 'v', short: false },
          ],
          actions: [
            { type: 'button', text: 'Runbook', url: 'http://rb/' },
            { type: 'button', text: 'Ack', name: 'ack', value: 'x', confirm: { text: 'Sure?', ok_text: 'Yes' } },
          ],
          image_url: 'http://img/',
          footer: '',
          color: 'good',
          mrkdwn_in: ['text'],
        },
      ],
    });
  });

  it('an app token posts to the app URL with a bearer token', async () => {
    srv.replies = [{ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"ok":true,"channel":"C1","ts":"1.2"}' }];
    const n = notifier({ app_token: 'xoxb-1', channel: '#c' }, { slack_app_url: `${srv.base}/api/chat.postMessage` });
    expect(await n.notify(ctx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(srv.requests[0]!.url).toBe('/api/chat.postMessage');
    expect(srv.requests[0]!.headers['authorization']).toBe('Bearer xoxb-1');
  });

  it('the title is cut to 1024 runes with a warning', async () => {
    const logger = recordingLogger();
    const n = notifier({ api_url: `${srv.base}/h`, title: '{{ long }}' }, {}, logger);
    await n.notify(ctx(), [alert({ a: '1' })]);
    const title: string = JSON.parse(srv.requests[0]!.body).attachments[0].title;
    expect(Array.from(title)).toHaveLength(1024);
    expect(title.endsWith('é…')).toBe(true);
    expect(logger.warnings).toContain('Truncated title');
  });
});

describe('slack answers', () => {
  const JSON_CT = { 'content-type': 'application/json' };
  it.each([
    { reply: { status: 200, body: 'ok' }, want: { ok: true } },
    { reply: { status: 200, headers: JSON_CT, body: '{"ok":true}' }, want: { ok: true } },
    {
      reply: { status: 200, headers: JSON_CT, body: '{"ok":false,"error":"channel_not_found"}' },
      want: { ok: false, retryable: false, error: 'channel "#c": error response from Slack: channel_not_found', reason: 'clientError' },
    },
    {
      reply: { status: 200, body: 'invalid_token' },
      want: { ok: false, retryable: false, error: 'channel "#c": received an error response from Slack: invalid_token', reason: 'clientError' },
    },
    { reply: { status: 500, body: 'oops' }, want: { ok: false, retryable: true, error: 'channel "#c": unexpected status code 500: oops', reason: 'serverError' } },
    { reply: { status: 400, body: 'no_text' }, want: { ok: false, retryable: false, error: 'channel "#c": unexpected status code 400: no_text', reason: 'clientError' } },
    { reply: { status: 429, body: '' }, want: { ok: false, retryable: false, error: 'channel "#c": unexpected status code 429', reason: 'rateLimited' } },
  ])('$reply.status $reply.body', async ({ reply, want }) => {
    srv.replies = [reply];
    expect(await notifier({ api_url: `${srv.base}/h`, channel: '#c' }).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('a 200 with broken JSON is retried', async () => {
    srv.replies = [{ status: 200, headers: JSON_CT, body: '{' }];
    const r = await notifier({ api_url: `${srv.base}/h` }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).toContain('could not unmarshal JSON response "{"');
  });

  it('a template error fails without a request', async () => {
    const r = await notifier({ api_url: `${srv.base}/h`, text: '{{ fail }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toContain('{{ fail }}');
    expect(srv.requests).toHaveLength(0);
  });

  it('api_url_file is refused at send time', async () => {
    const r = await notifier({ api_url_file: '/etc/slack' }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable: false, error: 'reading api_url_file is not supported', reason: 'other' });
  });

  it('a refused connection is retryable', async () => {
    await srv.close();
    const r = await notifier({ api_url: `${srv.base}/h` }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
  });
});
