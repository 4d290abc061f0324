import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { pushoverConfig } from './config.js';
import { createPushoverNotifier, goQueryEscape } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'pushover.default.title': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency`,
    'pushover.default.message': '\n  Labels: a=b & c~d*  \n',
    'pushover.default.url': 'http://am.example:9093/#/alerts?receiver=team-X',
  }),
  '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}': (d) => (d.status === 'firing' ? '2' : '0'),
  '{{ blank }}': '   ',
  '{{ long }}': 'l'.repeat(1100),
  '{{ longtitle }}': 't'.repeat(300),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 200, body: '{"status":1}' }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createPushoverNotifier(validated(pushoverConfig, { user_key: 'u1', token: 't1', ...raw }), deps(FETCH_CLIENT, TEMPLATES, logger), { apiUrl: `${srv.base}/1/messages.json` });

describe('pushover', () => {
  it('firing: every parameter in the sorted query of a body-less POST', async () => {
    expect(await notifier({ sound: 'siren', device: 'phone', url_title: 'AM' }).notify(ctx(), [alert({ a: '1' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.body).toBe('');
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.headers['user-agent']).toBe('Alertmanager/0.34.0');
    expect(r.url).toBe(
      '/1/messages.json?device=phone&expire=3600&message=Labels%3A+a%3Db+%26+c~d%2A&priority=2&retry=60&sound=siren' +
        '&title=%5BFIRING%3A1%5D+HighLatency&token=t1&url=http%3A%2F%2Fam.example%3A9093%2F%23%2Falerts%3Freceiver%3Dteam-X&url_title=AM&user=u1',
    );
  });

  it('resolved: priority 0; html, ttl and custom durations', async () => {
    await notifier({ html: true, ttl: '1h30m', retry: '90s', expire: '2h' }).notify(ctx(), [resolved({ a: '1' })]);
    const q = new URL(srv.requests[0]!.url, srv.base).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({ priority: '0', html: '1', ttl: '5400', retry: '90', expire: '7200', title: '[RESOLVED:1] HighLatency' });
    expect(q.has('monospace')).toBe(false);
  });

  it('monospace', async () => {
    await notifier({ monospace: true }).notify(ctx(), [alert({ a: '1' })]);
    expect(new URL(srv.requests[0]!.url, srv.base).searchParams.get('monospace')).toBe('1');
  });

  it.each([
    { raw: { message: '{{ blank }}' }, key: 'message', want: '(no details)' },
    { raw: { message: '{{ long }}' }, key: 'message', want: 'l'.repeat(1023) + '…' },
    { raw: { title: '{{ longtitle }}' }, key: 'title', want: 't'.repeat(249) + '…' },
    { raw: { url: '{{ long }}' }, key: 'url', want: 'l'.repeat(511) + '…' },
  ])('$key limit/empty rule', async ({ raw, key, want }) => {
    await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(new URL(srv.requests[0]!.url, srv.base).searchParams.get(key)).toBe(want);
  });

  it.each([
    { status: 500, want: { ok: false, retryable: true, error: 'unexpected status code 500: e', reason: 'serverError' } },
    { status: 429, want: { ok: false, retryable: false, error: 'unexpected status code 429: e', reason: 'rateLimited' } },
    { status: 400, want: { ok: false, retryable: false, error: 'unexpected status code 400: e', reason: 'clientError' } },
  ])('answer $status', async ({ status, want }) => {
    srv.replies = [{ status, body: 'e' }];
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it.each([
    { raw: { sound: '{{ fail }}' }, error: 'template: ' },
    { raw: { token: '', token_file: '/t' }, error: 'reading token_file is not supported' },
    { raw: { user_key: '', user_key_file: '/u' }, error: 'reading user_key_file is not supported' },
  ])('$error', async ({ raw, error }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });

  it.each([
    ["a b!'()*~-_.", "a+b%21%27%28%29%2A~-_."],
    ['é/?&=', '%C3%A9%2F%3F%26%3D'],
  ])('QueryEscape(%j)', (s, want) => {
    expect(goQueryEscape(s)).toBe(want);
  });
});
