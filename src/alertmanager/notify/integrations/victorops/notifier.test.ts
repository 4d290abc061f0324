import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, ctx, deps, FETCH_CLIENT, fixedTemplates, GROUP_KEY_HASH, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { victoropsConfig } from './config.js';
import { createVictoropsNotifier } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'victorops.default.state_message': 'Alerts Firing:\n<b>x</b>',
    'victorops.default.entity_display_name': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency`,
    'victorops.default.monitoring_tool': 'Alertmanager 0.34.0',
  }),
  '{{ .Status }}': (d) => d.status,
  '{{ type }}': 'WARNING',
  '{{ bogus }}': 'BOGUS',
  '{{ long }}': 's'.repeat(20500),
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 200, body: '{"result":"success"}' }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createVictoropsNotifier(validated(victoropsConfig, { api_key: 'key1', routing_key: 'team a', api_url: `${srv.base}/integrations/alert`, ...raw }), deps(FETCH_CLIENT, TEMPLATES, logger));

describe('victorops', () => {
  it('firing: URL with key and routing key, exact JSON (keys sorted)', async () => {
    expect(await notifier({ custom_fields: { zz: '{{ .Status }}', aa: 'x' } }).notify(ctx(), [alert({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.headers['content-type'], r.headers['user-agent']]).toEqual(['POST', '/integrations/alert/key1/team%20a', 'application/json', 'Alertmanager/0.34.0']);
    expect(r.body).toBe(
      `{"aa":"x","entity_display_name":"[FIRING:1] HighLatency","entity_id":"${GROUP_KEY_HASH}","message_type":"CRITICAL",` +
        `"monitoring_tool":"Alertmanager 0.34.0","state_message":"Alerts Firing:\\n\\u003cb\\u003ex\\u003c/b\\u003e","zz":"firing"}\n`,
    );
  });

  it.each([
    { type: '{{ type }}', alerts: [alert({ a: '1' })], want: 'WARNING' },
    { type: '{{ bogus }}', alerts: [alert({ a: '1' })], want: 'CRITICAL' },
    { type: 'INFO', alerts: [alert({ a: '1' })], want: 'INFO' },
    { type: 'INFO', alerts: [resolved({ a: '1' })], want: 'RECOVERY' },
    { type: 'CRITICAL', alerts: [resolved({ a: '1' }), alert({ a: '2' })], want: 'CRITICAL' },
  ])('message_type $type -> $want', async ({ type, alerts, want }) => {
    await notifier({ message_type: type }).notify(ctx(), alerts);
    expect(JSON.parse(srv.requests[0]!.body).message_type).toBe(want);
  });

  it('state_message is cut to 20480 runes', async () => {
    await notifier({ state_message: '{{ long }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body).state_message).toBe('s'.repeat(20479) + '…');
    expect(logger.warnings).toContain('Truncated state_message');
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
    { raw: { routing_key: '{{ fail }}' }, retryable: false, error: 'templating error: template: ' },
    // Upstream hands payload template errors back as retryable.
    { raw: { entity_display_name: '{{ fail }}' }, retryable: true, error: 'templating error: template: ' },
    { raw: { custom_fields: { x: '{{ fail }}' } }, retryable: true, error: 'templating error: template: ' },
    { raw: { api_key: '', api_key_file: '/k' }, retryable: false, error: 'reading api_key_file is not supported' },
  ])('$raw', async ({ raw, retryable, error }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });
});
