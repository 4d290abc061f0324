import { describe, expect, it } from 'vitest';
import { alert, defaultTemplates, GOLDEN_ALERT, GOLDEN_TEXT, notifyCtx, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import { mattermostConfig } from './config.js';
import { createMattermostNotifier, MAX_TEXT_RUNES } from './notifier.js';

const serve = serverPool();
const cfg = (raw: Record<string, unknown>) => validated(mattermostConfig, raw);

describe('mattermost', () => {
  it('posts one attachment built from the defaults', async () => {
    const s = await serve();
    const n = createMattermostNotifier(cfg({ webhook_url: `${s.url}/hooks/abc` }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'X' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/hooks/abc',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0' },
        body:
          '{"username":"[mattermost.default.username:firing]","attachments":[{"fallback":"[mattermost.default.fallback:firing]",' +
          '"color":"[mattermost.default.color:firing]","text":"[mattermost.default.text:firing]","title":"[mattermost.default.title:firing]",' +
          '"title_link":"[mattermost.default.titlelink:firing]"}]}\n',
      },
    ]);
  });

  it('uses configured attachments, top-level text (cut), props and a normalised priority', async () => {
    const s = await serve();
    const n = createMattermostNotifier(
      cfg({
        webhook_url: `${s.url}/h`,
        channel: 'ops',
        username: '',
        text: 'é'.repeat(MAX_TEXT_RUNES + 5),
        icon_emoji: ':fire:',
        attachments: [{ title: '{{ .Status }}', fields: [{ title: 'a', value: 'b', short: false }, { title: 'c', value: 'd' }] }],
        props: { card: 'card {{ .Receiver }}' },
        priority: { priority: 'IMPORTANT', requested_ack: true, persistent_notifications: true },
        type: 'custom_x',
      }),
      testDeps(),
    );
    await n.notify(notifyCtx(), [resolved({ alertname: 'X' })]);
    const body = s.requests[0]!.body;
    const text = 'é'.repeat(MAX_TEXT_RUNES - 1) + '…';
    expect(body).toBe(
      `{"text":"${text}","channel":"ops","icon_emoji":":fire:","attachments":[{"title":"resolved","fields":[{"title":"a","value":"b","short":false},{"title":"c","value":"d"}]}],` +
        '"type":"custom_x","props":{"card":"card team-X"},"priority":{"priority":"important","requested_ack":true}}\n',
    );
  });

  it.each([
    { p: 'urgent', ack: true, persistent: true, want: { priority: 'urgent', requested_ack: true, persistent_notifications: true } },
    { p: 'standard', ack: true, persistent: true, want: { priority: 'standard' } },
    { p: 'bogus', ack: true, persistent: false, want: { priority: 'standard' } },
  ])('priority $p', async ({ p, ack, persistent, want }) => {
    const s = await serve();
    await createMattermostNotifier(cfg({ webhook_url: `${s.url}/h`, priority: { priority: p, requested_ack: ack, persistent_notifications: persistent } }), testDeps()).notify(notifyCtx(), [
      alert({ a: '1' }),
    ]);
    expect(JSON.parse(s.requests[0]!.body).priority).toEqual(want);
  });

  it.each([
    { status: 500, want: { ok: false, retryable: true, reason: 'serverError', error: 'channel "ops": unexpected status code 500: x' } },
    { status: 400, want: { ok: false, retryable: false, reason: 'clientError', error: 'channel "ops": unexpected status code 400: x' } },
  ])('status $status names the channel', async ({ status, want }) => {
    const s = await serve(() => ({ status, body: 'x' }));
    expect(await createMattermostNotifier(cfg({ webhook_url: `${s.url}/h`, channel: 'ops' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('template errors and a missing url fail for good', async () => {
    const s = await serve();
    const r = await createMattermostNotifier(cfg({ webhook_url: `${s.url}/h`, title: '{{ x }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(s.requests).toHaveLength(0);
    const f = await createMattermostNotifier(cfg({ webhook_url_file: '/f' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(f).toEqual({ ok: false, retryable: false, error: 'reading webhook_url_file is not supported' });
  });

  it('takes the global webhook url', async () => {
    const s = await serve();
    const c = validated(mattermostConfig, {}, { mattermost_webhook_url: `${s.url}/g` });
    await createMattermostNotifier(c, testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(s.requests[0]?.url).toBe('/g');
  });
});

describe('mattermost with the built-in default templates', () => {
  it('renders the defaults', async () => {
    const s = await serve();
    await createMattermostNotifier(cfg({ webhook_url: `${s.url}/h` }), testDeps({ templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const body = JSON.parse(s.requests[0]!.body);
    expect(body.username).toBe('Alertmanager');
    expect(body.attachments[0]).toMatchObject({ color: 'danger', title: '[FIRING:1] HighLatency (critical)', text: GOLDEN_TEXT });
    expect(body.attachments[0].title_link).toBe('http://am.example:9093/#/alerts?receiver=team-X');
  });
});

describe('mattermost payloads of upstream TestMattermost_Notify', () => {
  const bare = { username: '', fallback: '', color: '', title: '', title_link: '' };
  it.each([
    { name: 'text only', raw: { text: 'Test Text' }, want: '{"attachments":[{"text":"Test Text"}]}\n' },
    { name: 'text and props', raw: { text: 'Test Text', props: { card: 'Test Card' } }, want: '{"attachments":[{"text":"Test Text"}],"props":{"card":"Test Card"}}\n' },
    {
      name: 'priority standard drops ack and persistence',
      raw: { text: 'Test Text', priority: { priority: 'standard', requested_ack: true, persistent_notifications: true } },
      want: '{"attachments":[{"text":"Test Text"}],"priority":{"priority":"standard"}}\n',
    },
    {
      name: 'props and priority',
      raw: { text: 'Test Text', props: { card: 'Test Card' }, priority: { priority: 'urgent' } },
      want: '{"attachments":[{"text":"Test Text"}],"props":{"card":"Test Card"},"priority":{"priority":"urgent"}}\n',
    },
    { name: 'empty text', raw: { text: '' }, want: '{"attachments":[{}]}\n' },
    { name: 'empty text and attachments', raw: { text: '', attachments: [{ title: 'Test Attachment', text: 'Attachment Text' }] }, want: '{"attachments":[{"text":"Attachment Text","title":"Test Attachment"}]}\n' },
    {
      name: 'text and attachments',
      raw: { text: 'Test Text', attachments: [{ title: 'Test Attachment', text: 'Attachment Text' }] },
      want: '{"text":"Test Text","attachments":[{"text":"Attachment Text","title":"Test Attachment"}]}\n',
    },
  ])('$name', async ({ raw, want }) => {
    const s = await serve();
    await createMattermostNotifier(cfg({ webhook_url: `${s.url}/h`, ...bare, ...raw }), testDeps()).notify(notifyCtx(), [alert({ lbl1: 'val1' })]);
    expect(s.requests[0]!.body).toBe(want);
  });
});
