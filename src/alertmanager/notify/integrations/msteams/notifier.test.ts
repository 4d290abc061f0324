import { afterEach, describe, expect, it } from 'vitest';
import type { IntegrationConfig } from '../../../config/types.js';
import { alert, defaultTemplates, GOLDEN_ALERT, GOLDEN_TEXT, notifyCtx, resolved, startServer, testDeps } from '../../../../net/test-fakes.js';
import type { TestServer } from '../../../../net/test-fakes.js';
import { msteamsConfig } from './config.js';
import { createMsteamsNotifier } from './notifier.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(status = 200, body = '1'): Promise<TestServer> {
  const s = await startServer(() => ({ status, body }));
  servers.push(s);
  return s;
}

function cfg(raw: Record<string, unknown>): IntegrationConfig {
  const r = msteamsConfig.validate(raw, { settings: {} } as never);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { type: 'msteams', index: 0, sendResolved: true, settings: r.value };
}

describe('msteams', () => {
  it('posts the MessageCard for a firing group', async () => {
    const s = await server();
    const n = createMsteamsNotifier(cfg({ webhook_url: `${s.url}/webhookb2/x?y=1` }), testDeps());
    expect(await n.notify(notifyCtx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    expect(s.requests).toEqual([
      {
        method: 'POST',
        url: '/webhookb2/x?y=1',
        headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0' },
        body:
          '{"@context":"http://schema.org/extensions","type":"MessageCard","title":"[msteams.default.title:firing]",' +
          '"summary":"[msteams.default.summary:firing]","text":"[msteams.default.text:firing]","themeColor":"8C1A1A"}\n',
      },
    ]);
  });

  it('is green once everything resolved, and templates custom fields', async () => {
    const s = await server();
    const n = createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h`, title: 'T {{ .Status }} <&>', summary: 'S', text: '{{ .CommonLabels.alertname }}' }), testDeps());
    expect(await n.notify(notifyCtx(), [resolved({ alertname: 'A' })])).toEqual({ ok: true });
    expect(s.requests[0]?.body).toBe(
      '{"@context":"http://schema.org/extensions","type":"MessageCard","title":"T resolved \\u003c\\u0026\\u003e","summary":"S","text":"A","themeColor":"2DC72D"}\n',
    );
  });

  it('sends http_config credentials', async () => {
    const s = await server();
    const n = createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h`, http_config: { authorization: { credentials: 'tok' } } }), testDeps());
    await n.notify(notifyCtx(), [alert({ a: '1' })]);
    expect(s.requests[0]?.headers['authorization']).toBe('Bearer tok');
  });

  it.each([
    { status: 500, want: { ok: false, retryable: true, error: 'unexpected status code 500: oops', reason: 'serverError' } },
    { status: 400, want: { ok: false, retryable: false, error: 'unexpected status code 400: oops', reason: 'clientError' } },
    { status: 429, want: { ok: false, retryable: false, error: 'unexpected status code 429: oops', reason: 'rateLimited' } },
  ])('status $status', async ({ status, want }) => {
    const s = await server(status, 'oops');
    expect(await createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h` }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('a template error fails without a request and is not retried', async () => {
    const s = await server();
    const r = await createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h`, text: '{{ nope }}' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toContain('"nope" not defined');
    expect(s.requests).toHaveLength(0);
  });

  it('an unreachable server is retried', async () => {
    const s = await server();
    await s.close();
    const r = await createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h` }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: true });
  });

  it('webhook_url_file alone fails clearly', async () => {
    const r = await createMsteamsNotifier(cfg({ webhook_url_file: '/etc/teams' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable: false, error: 'reading webhook_url_file is not supported' });
  });
});

describe('msteams with the built-in default templates', () => {
  it('renders the default title, summary and text', async () => {
    const s = await server();
    const n = createMsteamsNotifier(cfg({ webhook_url: `${s.url}/h` }), testDeps({ templates: defaultTemplates() }));
    expect(await n.notify(notifyCtx(), [GOLDEN_ALERT])).toEqual({ ok: true });
    expect(JSON.parse(s.requests[0]!.body)).toEqual({
      '@context': 'http://schema.org/extensions',
      type: 'MessageCard',
      title: '[FIRING:1] HighLatency (critical)',
      summary: '[FIRING:1] HighLatency (critical)',
      text: GOLDEN_TEXT,
      themeColor: '8C1A1A',
    });
  });
});
