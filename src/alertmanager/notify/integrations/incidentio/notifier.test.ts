import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../../core/labels.js';
import { FakeHttp, ManualClock } from '../../test-fakes.js';
import { alert, notifyCtx, NOW, resolved, serverPool, testDeps, validated } from '../../../../net/test-fakes.js';
import { incidentioConfig } from './config.js';
import { createIncidentioNotifier, incidentioErrorDetails, MAX_PAYLOAD_BYTES } from './notifier.js';

const serve = serverPool();
const cfg = (raw: Record<string, unknown>) => validated(incidentioConfig, raw);

describe('incidentio', () => {
  it('posts the alert source message with the token as Bearer', async () => {
    const s = await serve();
    const n = createIncidentioNotifier(cfg({ url: `${s.url}/v2/alert_events/http/01ABC`, alert_source_token: 'tok' }), testDeps());
    const alerts = [
      alert({ alertname: 'HighLatency', b: '2' }, { annotations: { summary: 's<1>' }, generatorURL: 'http://prom/g' }),
      resolved({ alertname: 'HighLatency', b: '1' }),
    ];
    expect(await n.notify(notifyCtx(), alerts)).toEqual({ ok: true });
    expect(s.requests).toHaveLength(1);
    const req = s.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v2/alert_events/http/01ABC');
    expect(req.headers).toEqual({ 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.34.0', authorization: 'Bearer tok' });
    expect(req.body).toBe(
      '{"receiver":"team-X","status":"firing","alerts":[' +
        '{"status":"firing","labels":{"alertname":"HighLatency","b":"2"},"annotations":{"summary":"s\\u003c1\\u003e"},"startsAt":"2024-01-01T12:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/g","fingerprint":"' +
        fingerprint({ alertname: 'HighLatency', b: '2' }) +
        '"},{"status":"resolved","labels":{"alertname":"HighLatency","b":"1"},"annotations":{},"startsAt":"2024-01-01T12:00:00Z","endsAt":"2024-01-01T12:01:00Z","generatorURL":"","fingerprint":"' +
        fingerprint({ alertname: 'HighLatency', b: '1' }) +
        '"}],"groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency"},"commonAnnotations":{},"externalURL":"http://am.example:9093",' +
        '"version":"1","groupKey":"{}:{alertname=\\"HighLatency\\"}","truncatedAlerts":0}\n',
    );
    expect(JSON.parse(req.body).alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('uses http_config authorization when no token is set; max_alerts cuts', async () => {
    const s = await serve();
    const n = createIncidentioNotifier(cfg({ url: `${s.url}/x`, max_alerts: 1, http_config: { authorization: { credentials: 'hc' } } }), testDeps());
    await n.notify(notifyCtx(), [alert({ a: '1' }), alert({ a: '2' }), alert({ a: '3' })]);
    const body = JSON.parse(s.requests[0]!.body);
    expect(s.requests[0]!.headers['authorization']).toBe('Bearer hc');
    expect(body.alerts).toHaveLength(1);
    expect(body.truncatedAlerts).toBe(2);
  });

  it('keeps only the first alert past 512 KiB', async () => {
    const s = await serve();
    const big = 'x'.repeat(200 * 1024);
    const alerts = [1, 2, 3].map((i) => alert({ a: String(i) }, { annotations: { big } }));
    await createIncidentioNotifier(cfg({ url: `${s.url}/x`, alert_source_token: 't' }), testDeps()).notify(notifyCtx(), alerts);
    const body = JSON.parse(s.requests[0]!.body);
    expect(s.requests[0]!.body.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    expect(body.alerts.map((a: { labels: { a: string } }) => a.labels.a)).toEqual(['1']);
    expect(body.truncatedAlerts).toBe(0);
  });

  it.each([
    { status: 429, body: '{"message":"slow down"}', want: { ok: false, retryable: true, reason: 'rateLimited', error: 'unexpected status code 429: slow down' } },
    { status: 500, body: 'not json', want: { ok: false, retryable: true, reason: 'serverError', error: 'unexpected status code 500' } },
    {
      status: 400,
      body: '{"message":"bad","error":"invalid","errors":["a","b"]}',
      want: { ok: false, retryable: false, reason: 'clientError', error: 'unexpected status code 400: bad: invalid: a, b' },
    },
    { status: 401, body: '{}', want: { ok: false, retryable: false, reason: 'authError', error: 'unexpected status code 401' } },
  ])('status $status', async ({ status, body, want }) => {
    const s = await serve(() => ({ status, body }));
    expect(await createIncidentioNotifier(cfg({ url: `${s.url}/x`, alert_source_token: 't' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('errDetails ignores non-object bodies', () => {
    expect(incidentioErrorDetails('[1]')).toBe('');
    expect(incidentioErrorDetails('')).toBe('');
  });

  it('_file settings alone fail clearly', async () => {
    const r1 = await createIncidentioNotifier(cfg({ url_file: '/u', alert_source_token: 't' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r1).toEqual({ ok: false, retryable: false, error: 'reading url_file is not supported' });
    const r2 = await createIncidentioNotifier(cfg({ url: 'http://127.0.0.1:1/x', alert_source_token_file: '/t' }), testDeps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r2).toEqual({ ok: false, retryable: false, error: 'reading alert_source_token_file is not supported' });
  });
});

describe('incidentio timeout', () => {
  it('the timeout setting aborts a hanging request with upstream text', async () => {
    const clock = new ManualClock(NOW);
    const http = new FakeHttp([
      (req) =>
        new Promise((_, reject) => {
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    ]);
    const p = createIncidentioNotifier(cfg({ url: 'http://inc.example/x', alert_source_token: 't', timeout: '5s' }), testDeps({ http, clock })).notify(notifyCtx(), [alert({ a: '1' })]);
    const r = await clock.drive(p);
    expect(clock.now()).toBe(NOW + 5000);
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).toContain('configured incident.io timeout reached (5s)');
  });
});
