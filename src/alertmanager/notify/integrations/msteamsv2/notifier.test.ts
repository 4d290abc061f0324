import { describe, expect, it } from 'vitest';
import { alert, defaultTemplates, GOLDEN_ALERT, GOLDEN_TEXT, notifyCtx, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import { msteamsv2Config } from './config.js';
import { createMsteamsv2Notifier } from './notifier.js';

const serve = serverPool();
const cfg = (raw: Record<string, unknown>) => validated(msteamsv2Config, raw);

const card = (title: string, text: string, color: string): string =>
  '{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{' +
  '"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.2","body":[' +
  `{"type":"TextBlock","text":"${title}","weight":"Bolder","size":"Medium","wrap":true,"style":"heading","color":"${color}"},` +
  `{"type":"TextBlock","text":"${text}","wrap":true}],"msteams":{"width":"full"}}}]}\n`;

describe('msteamsv2', () => {
  it('posts an Adaptive Card for a firing group', async () => {
    const s = await serve();
    const n = createMsteamsv2Notifier(cfg({ webhook_url: `${s.url}/workflows/1/triggers/manual/paths/invoke?sig=abc` }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'X' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/workflows/1/triggers/manual/paths/invoke?sig=abc',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0' },
        body: card('[msteamsv2.default.title:firing]', '[msteamsv2.default.text:firing]', 'Attention'),
      },
    ]);
  });

  it('uses "Good" when resolved', async () => {
    const s = await serve();
    const n = createMsteamsv2Notifier(cfg({ webhook_url: `${s.url}/h`, title: 'T', text: '{{ .Status }}' }), testDeps());
    await n.notify(notifyCtx(), [resolved({ alertname: 'X' })]);
    expect(s.requests[0]?.body).toBe(card('T', 'resolved', 'Good'));
  });

  it.each([
    { status: 502, retryable: true, reason: 'serverError' },
    { status: 404, retryable: false, reason: 'clientError' },
    { status: 403, retryable: false, reason: 'authError' },
  ])('status $status', async ({ status, retryable, reason }) => {
    const s = await serve(() => ({ status, body: 'no' }));
    const r = await createMsteamsv2Notifier(cfg({ webhook_url: `${s.url}/h` }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable, reason, error: `unexpected status code ${status}: no` });
  });

  it('a template error fails for good', async () => {
    const s = await serve();
    const r = await createMsteamsv2Notifier(cfg({ webhook_url: `${s.url}/h`, title: '{{ bad }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(s.requests).toHaveLength(0);
  });

  it('webhook_url_file alone fails clearly', async () => {
    const r = await createMsteamsv2Notifier(cfg({ webhook_url_file: '/f' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable: false, error: 'reading webhook_url_file is not supported' });
  });
});

describe('msteamsv2 with the built-in default templates', () => {
  it('renders the default title and text', async () => {
    const s = await serve();
    await createMsteamsv2Notifier(cfg({ webhook_url: `${s.url}/h` }), testDeps({ templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const body = JSON.parse(s.requests[0]!.body);
    expect(body.attachments[0].content.body.map((b: { text: string }) => b.text)).toEqual(['[FIRING:1] HighLatency (critical)', GOLDEN_TEXT]);
  });
});
