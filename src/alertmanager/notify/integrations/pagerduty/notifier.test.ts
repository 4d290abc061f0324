import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, GROUP_KEY_HASH, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { FakeHttp } from '../../test-fakes.js';
import type { ManualClock } from '../../test-fakes.js';
import { tmpl } from '../shared/templating.js';
import { pagerdutyConfig } from './config.js';
import { renderDetails } from './details.js';
import { createPagerdutyNotifier, pagerdutyErrorDetails } from './notifier.js';

const subject = (d: TemplateData): string => `[${d.status.toUpperCase()}${d.status === 'firing' ? `:${d.alerts.filter((a) => a.status === 'firing').length}` : ''}] HighLatency`;
const alertsJson = (d: TemplateData, status: string): string =>
  JSON.stringify(d.alerts.filter((a) => a.status === status).map((a) => ({ status: a.status, labels: a.labels, fingerprint: a.fingerprint })));

// Stand-ins for upstream's default.tmpl (pagerduty.default.*) and the default details.
const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'pagerduty.default.client': 'Alertmanager',
    'pagerduty.default.clientURL': 'http://am.example:9093/#/alerts?receiver=team-X',
    'pagerduty.default.description': subject,
  }),
  '{{ .Alerts.Firing | toJson }}': (d) => alertsJson(d, 'firing'),
  '{{ .Alerts.Resolved | toJson }}': (d) => alertsJson(d, 'resolved'),
  '{{ .Alerts.Firing | len }}': (d) => String(d.alerts.filter((a) => a.status === 'firing').length),
  '{{ .Alerts.Resolved | len }}': (d) => String(d.alerts.filter((a) => a.status === 'resolved').length),
  '{{ .Status }}': (d) => d.status,
  '{{ empty }}': '',
  '{{ long }}': 'x'.repeat(2000),
  '{{ huge }}': 'y'.repeat(600_000),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 202, body: '{"status":"success"}' }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createPagerdutyNotifier(validated(pagerdutyConfig, raw, { pagerduty_url: `${srv.base}/v2/enqueue` }), deps(FETCH_CLIENT, TEMPLATES, logger), { v1Url: `${srv.base}/generic/2010-04-15/create_event.json` });

describe('pagerduty Events API v2', () => {
  it('firing: the exact JSON', async () => {
    const a = alert({ alertname: 'HighLatency', job: 'api' });
    expect(await notifier({ routing_key: 'rk<1>' }).notify(ctx(), [a])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.headers['content-type'], r.headers['user-agent']]).toEqual(['POST', '/v2/enqueue', 'application/json', 'Alertmanager/0.34.0']);
    const fp = JSON.parse(r.body).payload.custom_details.firing[0].fingerprint as string;
    expect(r.body).toBe(
      `{"routing_key":"rk\\u003c1\\u003e","dedup_key":"${GROUP_KEY_HASH}","event_action":"trigger","payload":{"summary":"[FIRING:1] HighLatency",` +
        `"source":"Alertmanager","severity":"error","custom_details":{"firing":[{"fingerprint":"${fp}","labels":{"alertname":"HighLatency","job":"api"},"status":"firing"}],` +
        `"num_firing":1,"num_resolved":0,"resolved":[]}},"client":"Alertmanager","client_url":"http://am.example:9093/#/alerts?receiver=team-X"}\n`,
    );
  });

  it('resolved: event_action resolve; severity, class, component, group, images and links templated', async () => {
    const n = notifier({
      routing_key: 'rk',
      severity: '{{ .Status }}',
      class: 'c',
      component: 'db',
      group: 'g',
      details: { s: '{{ .Status }}' },
      images: [{ src: 'http://i/1.png', alt: 'a', href: '' }, { src: '{{ empty }}' }],
      links: [{ href: 'http://l/', text: '{{ .Status }}' }, { href: '', text: 'dropped' }],
    });
    expect(await n.notify(ctx(), [resolved({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    const body = JSON.parse(srv.requests[0]!.body);
    expect(body).toMatchObject({
      routing_key: 'rk',
      dedup_key: GROUP_KEY_HASH,
      event_action: 'resolve',
      payload: { summary: '[RESOLVED] HighLatency', source: 'Alertmanager', severity: 'resolved', class: 'c', component: 'db', group: 'g' },
      images: [{ src: 'http://i/1.png', alt: 'a', href: '' }],
      links: [{ href: 'http://l/', text: 'resolved' }],
    });
    expect(body.payload.custom_details).toMatchObject({ s: 'resolved', num_firing: 0, num_resolved: 1, firing: [] });
  });

  it.each([
    { status: 500, body: 'x', want: { ok: false, retryable: true, error: 'unexpected status code 500', reason: 'serverError' } },
    { status: 429, body: '', want: { ok: false, retryable: true, error: 'unexpected status code 429', reason: 'rateLimited' } },
    { status: 403, body: '', want: { ok: false, retryable: false, error: 'unexpected status code 403', reason: 'authError' } },
    {
      status: 400,
      body: '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}',
      want: { ok: false, retryable: false, error: "unexpected status code 400: Event object is invalid: Length of 'routing_key' is incorrect", reason: 'clientError' },
    },
    { status: 400, body: 'not json', want: { ok: false, retryable: false, error: 'unexpected status code 400', reason: 'clientError' } },
  ])('answer $status', async ({ status, body, want }) => {
    srv.replies = [{ status, body }];
    expect(await notifier({ routing_key: 'rk' }).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('the summary is cut to 1024 runes', async () => {
    await notifier({ routing_key: 'rk', description: '{{ long }}' }).notify(ctx(), [alert({ a: '1' })]);
    const summary: string = JSON.parse(srv.requests[0]!.body).payload.summary;
    expect(summary).toBe('x'.repeat(1023) + '…');
    expect(logger.warnings).toContain('Truncated summary');
  });

  it('details over 512 KB are replaced by a note', async () => {
    await notifier({ routing_key: 'rk', details: { big: '{{ huge }}' } }).notify(ctx(), [alert({ a: '1' })]);
    expect(srv.requests[0]!.body).toContain(
      '"custom_details":{"error":"Custom details have been removed because the original event exceeds the maximum size of 512KB"}',
    );
  });

  it.each([
    { raw: { routing_key: 'rk', details: { x: '{{ fail }}' } }, prefix: 'failed to render details: template: ' },
    { raw: { routing_key: 'rk', description: '{{ fail }}' }, prefix: 'failed to template PagerDuty v2 message: template: ' },
    { raw: { service_key: 'sk', client: '{{ fail }}' }, prefix: 'failed to template PagerDuty v1 message: template: ' },
    { raw: { routing_key: '{{ empty }}' }, prefix: 'routing key cannot be empty' },
    { raw: { service_key: '{{ empty }}' }, prefix: 'service key cannot be empty' },
    { raw: { routing_key_file: '/k' }, prefix: 'reading routing_key_file is not supported' },
  ])('$prefix', async ({ raw, prefix }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error.startsWith(prefix)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });
});

describe('pagerduty Events API v1 (service_key)', () => {
  it('firing: the exact JSON, at the v1 endpoint', async () => {
    expect(await notifier({ service_key: 'sk', details: { d: 'v' } }).notify(ctx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect(r.url).toBe('/generic/2010-04-15/create_event.json');
    const fp = JSON.parse(r.body).details.firing[0].fingerprint as string;
    expect(r.body).toBe(
      `{"service_key":"sk","incident_key":"${GROUP_KEY_HASH}","event_type":"trigger","description":"[FIRING:1] HighLatency","event_action":"","payload":null,` +
        `"client":"Alertmanager","client_url":"http://am.example:9093/#/alerts?receiver=team-X",` +
        `"details":{"d":"v","firing":[{"fingerprint":"${fp}","labels":{"alertname":"HighLatency"},"status":"firing"}],"num_firing":1,"num_resolved":0,"resolved":[]}}\n`,
    );
  });

  it('resolved: no client fields', async () => {
    await notifier({ service_key: 'sk' }).notify(ctx(), [resolved({ alertname: 'HighLatency' })]);
    const body = JSON.parse(srv.requests[0]!.body);
    expect(body.event_type).toBe('resolve');
    expect(body.client).toBeUndefined();
    expect(body.client_url).toBeUndefined();
  });

  it.each([
    { status: 403, want: { ok: false, retryable: true, error: 'unexpected status code 403' } },
    { status: 429, want: { ok: false, retryable: false, error: 'unexpected status code 429' } },
    { status: 502, want: { ok: false, retryable: true, error: 'unexpected status code 502' } },
  ])('answer $status (no failure reason on v1, as upstream)', async ({ status, want }) => {
    srv.replies = [{ status }];
    expect(await notifier({ service_key: 'sk' }).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });
});

describe('pagerduty details rendering (DeepCopyWithTemplate)', () => {
  const t = () => tmpl(fixedTemplates({ '{{ n }}': '3', '{{ ts }}': '2001-01-01T00:00:00Z', '{{ m }}': '{a: 1, 2: b}', '{{ q }}': "'quoted'", '{{ k }}': 'key', '{{ inf }}': '.inf' }), {} as TemplateData);
  it.each([
    { in: { a: 'plain' }, out: { a: 'plain' } },
    { in: { a: '{{ n }}' }, out: { a: 3 } },
    { in: { a: '{{ ts }}' }, out: { a: '2001-01-01T00:00:00Z' } },
    { in: { a: '{{ m }}' }, out: { a: { a: 1 } } },
    { in: { a: '{{ q }}' }, out: { a: "'quoted'" } },
    { in: { a: '' }, out: { a: null } },
    { in: { a: 'yes' }, out: { a: true } },
    { in: { a: 'value1:' }, out: { a: { value1: null } } },
    { in: { '{{ k }}': { b: ['{{ n }}', 2, false] } }, out: { '{{ k }}': { b: [3, 2, false] } } },
    { in: { a: { '{{ k }}': 'v' } }, out: { a: { key: 'v' } } },
    { in: { a: 'a: b: c' }, out: { a: 'a: b: c' } },
  ])('%j', ({ in: details, out }) => {
    expect(renderDetails(details, t())).toEqual({ value: out });
  });

  it('the first template error stops rendering', () => {
    expect(renderDetails({ a: { b: '{{ nope }}' } }, t())).toMatchObject({ error: expect.stringContaining('{{ nope }}') });
  });

  it('an infinite number cannot be encoded', async () => {
    const n = createPagerdutyNotifier(validated(pagerdutyConfig, { routing_key: 'k', details: { x: '.inf' } }), deps(FETCH_CLIENT, TEMPLATES));
    const r = await n.notify(ctx(), [alert({ a: '1' })]);
    expect(r).toEqual({ ok: false, retryable: false, error: 'failed to encode PagerDuty message: json: unsupported value: +Inf' });
  });
});

describe('errDetails', () => {
  it.each([
    { status: 400, body: '{"message":"m","errors":["a","b"]}', want: 'm: a,b' },
    { status: 400, body: '{"message":"m"}', want: 'm: ' },
    { status: 400, body: '{"errors":[1]}', want: '' },
    { status: 500, body: '{"message":"m","errors":["a"]}', want: '' },
  ])('$status $body', ({ status, body, want }) => {
    expect(pagerdutyErrorDetails(status, body)).toBe(want);
  });
});

describe('pagerduty timeout', () => {
  it('the timeout setting aborts a hanging request (retryable)', async () => {
    const http = new FakeHttp([
      (req) =>
        new Promise((_, reject) => {
          req.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    ]);
    const d = deps(http, TEMPLATES);
    const clock = d.clock as ManualClock;
    const n = createPagerdutyNotifier(validated(pagerdutyConfig, { routing_key: 'rk', timeout: '10s' }), d);
    const r = await clock.drive(n.notify(ctx(), [alert({ a: '1' })]));
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(r.ok ? '' : r.error).toMatch(/^failed to post message to PagerDuty: .*configured pagerduty timeout reached \(10s\)$/);
  });
});
