import { LITERAL_TEMPLATES } from '../../../template/api.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../core/alert.js';
import { parseTime } from '../../../../core/alert.js';
import { NOOP_LOGGER } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { FakeHttp, ManualClock } from '../../test-fakes.js';
import type { NotifierDeps, NotifyContext } from '../../types.js';
import { createWebhookNotifier, truncateAlerts } from './notifier.js';

const t = (s: string): number => parseTime(s) as number;
const NOW = t('2024-01-01T12:05:00Z');

function alert(labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: t('2024-01-01T12:00:00Z'), endsAt: 0, generatorURL: '', updatedAt: NOW, timeout: false, ...extra };
}

function cfg(settings: Record<string, unknown>): IntegrationConfig {
  return { type: 'webhook', index: 0, sendResolved: true, settings };
}

function deps(http: FakeHttp, clock = new ManualClock(NOW)): NotifierDeps {
  return { http, clock, logger: NOOP_LOGGER, version: '0.25.0', templates: LITERAL_TEMPLATES };
}

function ctx(over: Partial<NotifyContext> = {}): NotifyContext {
  return {
    tenant: 't1',
    receiver: 'team-X.ops',
    groupKey: '{}:{alertname="HighLatency"}',
    groupLabels: { alertname: 'HighLatency' },
    externalURL: 'http://am.example:9093/x',
    signal: new AbortController().signal,
    now: NOW,
    ...over,
  };
}

// Captured from prometheus-alertmanager 0.25.0 (Debian) with the same alerts posted to its API.
const GOLDEN = readFileSync(new URL('./testdata/alertmanager-0.25-payload.json', import.meta.url), 'utf8');
const GOLDEN_ALERTS: Alert[] = [
  alert(
    { alertname: 'HighLatency', severity: 'critical', instance: 'a<b>&c', Zeta: '1', a_b: 'ünï' },
    {
      annotations: { summary: 'p99 > 1s', desc: 'line1\nline2 \u2028 "q" é' },
      startsAt: t('2024-01-01T12:00:00.123Z'),
      generatorURL: 'http://prom/graph?g0.expr=up&x=1',
    },
  ),
  alert(
    { alertname: 'HighLatency', severity: 'critical', instance: 'b' },
    { annotations: { summary: 'p99 > 1s', runbook: 'r' }, startsAt: t('2024-01-01T11:00:00Z'), endsAt: t('2024-01-01T12:04:00.5Z') },
  ),
];

describe('webhook payload', () => {
  it('is byte-identical to Alertmanager 0.25', async () => {
    const http = new FakeHttp();
    const n = createWebhookNotifier(cfg({ url: 'http://127.0.0.1:19111/hook', http_config: { basic_auth: { username: 'u', password: 'p' } } }), deps(http));
    expect(await n.notify(ctx(), GOLDEN_ALERTS)).toEqual({ ok: true });
    expect(http.requests).toHaveLength(1);
    const req = http.requests[0]!;
    expect(req.body).toBe(GOLDEN);
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://127.0.0.1:19111/hook');
    expect(req.headers).toEqual({ 'User-Agent': 'Alertmanager/0.25.0', 'Content-Type': 'application/json', Authorization: 'Basic dTpw' });
  });

  it('all alerts resolved gives status resolved; empty maps stay objects', async () => {
    const http = new FakeHttp();
    const n = createWebhookNotifier(cfg({ url: 'http://h/' }), deps(http));
    await n.notify(ctx({ receiver: 'r', groupLabels: {} }), [alert({ alertname: 'A' }, { endsAt: t('2024-01-01T12:01:00Z') })]);
    const body = JSON.parse(http.requests[0]!.body as string);
    expect(body.status).toBe('resolved');
    expect(body.alerts[0].status).toBe('resolved');
    expect(body.alerts[0].endsAt).toBe('2024-01-01T12:01:00Z');
    expect(http.requests[0]!.body).toContain('"groupLabels":{},"commonLabels":{"alertname":"A"},"commonAnnotations":{}');
  });

  it.each([
    { max: 0, n: 3, kept: 3, truncated: 0 },
    { max: 2, n: 3, kept: 2, truncated: 1 },
    { max: 3, n: 3, kept: 3, truncated: 0 },
    { max: 5, n: 3, kept: 3, truncated: 0 },
    { max: 1, n: 0, kept: 0, truncated: 0 },
  ])('max_alerts=$max with $n alerts keeps $kept', async ({ max, n, kept, truncated }) => {
    const alerts = Array.from({ length: n }, (_, i) => alert({ alertname: 'A', i: String(i) }));
    expect(truncateAlerts(max, alerts).truncated).toBe(truncated);
    const http = new FakeHttp();
    await createWebhookNotifier(cfg({ url: 'http://h/', max_alerts: max }), deps(http)).notify(ctx(), alerts);
    const body = JSON.parse(http.requests[0]!.body as string);
    expect(body.alerts).toHaveLength(kept);
    expect(body.truncatedAlerts).toBe(truncated);
    expect(body.alerts.map((a: { labels: { i: string } }) => a.labels.i)).toEqual(alerts.slice(0, kept).map((a) => a.labels['i']));
  });

  it.each([
    { name: 'authorization with default type', hc: { authorization: { credentials: 'tok' } }, want: 'Bearer tok' },
    { name: 'authorization with a type', hc: { authorization: { type: 'Token', credentials: 'x' } }, want: 'Token x' },
    { name: 'legacy bearer_token', hc: { bearer_token: 'abc' }, want: 'Bearer abc' },
    { name: 'basic auth, utf-8', hc: { basic_auth: { username: 'ü', password: 'p:w' } }, want: 'Basic ' + Buffer.from('ü:p:w').toString('base64') },
    { name: 'no http_config', hc: undefined, want: undefined },
  ])('$name', async ({ hc, want }) => {
    const http = new FakeHttp();
    const settings: Record<string, unknown> = { url: 'http://h/' };
    if (hc) settings['http_config'] = hc;
    await createWebhookNotifier(cfg(settings), deps(http)).notify(ctx(), [alert({ a: '1' })]);
    expect(http.requests[0]!.headers['Authorization']).toBe(want);
  });
});

describe('webhook response classification (notify.Retrier)', () => {
  it.each([
    { status: 200, body: '', want: { ok: true } },
    { status: 204, body: '', want: { ok: true } },
    { status: 500, body: 'boom', want: { ok: false, retryable: true, error: 'unexpected status code 500: boom', reason: 'serverError' } },
    { status: 503, body: '', want: { ok: false, retryable: true, error: 'unexpected status code 503', reason: 'serverError' } },
    { status: 400, body: 'bad', want: { ok: false, retryable: false, error: 'unexpected status code 400: bad', reason: 'clientError' } },
    { status: 401, body: '', want: { ok: false, retryable: false, error: 'unexpected status code 401', reason: 'authError' } },
    { status: 403, body: '', want: { ok: false, retryable: false, error: 'unexpected status code 403', reason: 'authError' } },
    { status: 429, body: '', want: { ok: false, retryable: false, error: 'unexpected status code 429', reason: 'rateLimited' } },
    { status: 302, body: '', want: { ok: false, retryable: false, error: 'unexpected status code 302', reason: 'other' } },
  ])('$status', async ({ status, body, want }) => {
    const http = new FakeHttp([{ status, headers: {}, body }]);
    expect(await createWebhookNotifier(cfg({ url: 'http://h/' }), deps(http)).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('transport errors are retryable and redact the URL', async () => {
    const http = new FakeHttp([new Error('connect ECONNREFUSED http://secret.example/hook?token=1')]);
    const r = await createWebhookNotifier(cfg({ url: 'http://secret.example/hook?token=1' }), deps(http)).notify(ctx(), [alert({ a: '1' })]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.retryable).toBe(true);
    expect(r.error).not.toContain('secret');
  });

  it('the timeout setting aborts a hanging request', async () => {
    const clock = new ManualClock(NOW);
    let seen: AbortSignal | undefined;
    const http = new FakeHttp([
      (req) =>
        new Promise((_, reject) => {
          seen = req.signal;
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    ]);
    const p = createWebhookNotifier(cfg({ url: 'http://h/', timeout: '3s' }), deps(http, clock)).notify(ctx(), [alert({ a: '1' })]);
    const r = await clock.drive(p);
    expect(seen?.aborted).toBe(true);
    expect(clock.now()).toBe(NOW + 3000);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).toContain('configured webhook timeout reached (3s)');
  });

  it('an empty url fails without a request', async () => {
    const http = new FakeHttp();
    const r = await createWebhookNotifier(cfg({}), deps(http)).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(http.requests).toHaveLength(0);
  });
});
