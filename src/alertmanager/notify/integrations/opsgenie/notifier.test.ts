import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import type { TestServer } from '../shared/test-kit.js';
import { alert, cfg, ctx, deps, FETCH_CLIENT, fixedTemplates, GROUP_KEY_HASH, recordingLogger, resolved, startServer, templateRefs, validated } from '../shared/test-kit.js';
import { opsgenieConfig } from './config.js';
import { createOpsgenieNotifier, safeSplit } from './notifier.js';

const TEMPLATES = fixedTemplates({
  ...templateRefs({
    'opsgenie.default.message': (d: TemplateData) => `[${d.status.toUpperCase()}:${d.alerts.length}] HighLatency`,
    'opsgenie.default.description': 'Alerts Firing:\nLabels:\n - alertname = HighLatency\n',
    'opsgenie.default.source': 'http://prom/graph',
  }),
  '{{ .Status }}': (d) => d.status,
  '{{ long }}': 'm'.repeat(200),
  '{{ key }}': 'templated-key',
});

let srv: TestServer;
beforeEach(async () => {
  srv = await startServer(createServer, [{ status: 202, body: '{"result":"Request will be processed"}' }]);
});
afterEach(() => srv.close());

const logger = recordingLogger();
const notifier = (raw: Record<string, unknown>) =>
  createOpsgenieNotifier(validated(opsgenieConfig, { api_key: 'k1', api_url: `${srv.base}/`, ...raw }), deps(FETCH_CLIENT, TEMPLATES, logger));

describe('opsgenie', () => {
  it('firing: create request, exact JSON and headers', async () => {
    const n = notifier({
      details: { team: '{{ .Status }}', job: 'override' },
      responders: [
        { name: 'ops', type: 'team' },
        { name: 'a, b,,', type: 'teams' },
        { id: 'u1', type: 'user' },
      ],
      tags: ' t1,t2,, ',
      note: 'n',
      priority: 'P1',
      entity: 'e',
      actions: 'restart',
    });
    expect(await n.notify(ctx(), [alert({ alertname: 'HighLatency', job: 'api' })])).toEqual({ ok: true });
    expect(srv.requests).toHaveLength(1);
    const r = srv.requests[0]!;
    expect([r.method, r.url]).toEqual(['POST', '/v2/alerts']);
    expect(r.headers['authorization']).toBe('GenieKey k1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe('Alertmanager/0.34.0');
    expect(r.body).toBe(
      `{"alias":"${GROUP_KEY_HASH}","message":"[FIRING:1] HighLatency","description":"Alerts Firing:\\nLabels:\\n - alertname = HighLatency\\n",` +
        `"details":{"alertname":"HighLatency","job":"override","team":"firing"},"source":"http://prom/graph",` +
        `"responders":[{"name":"ops","type":"team"},{"name":"a","type":"team"},{"name":" b","type":"team"},{"id":"u1","type":"user"}],` +
        `"tags":["t1","t2"],"note":"n","priority":"P1","entity":"e","actions":["restart"]}\n`,
    );
  });

  it('empty fields are left out as upstream (its expectedEmptyAlertBody)', async () => {
    await notifier({ message: '', description: '', source: '' }).notify(ctx({ groupKey: '1' }), [alert({})]);
    expect(srv.requests[0]!.body).toBe('{"alias":"6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b","message":"","details":{},"source":""}\n');
  });

  it('resolved: close by alias', async () => {
    expect(await notifier({}).notify(ctx(), [resolved({ alertname: 'HighLatency' })])).toEqual({ ok: true });
    const r = srv.requests[0]!;
    expect([r.method, r.url, r.body]).toEqual(['POST', `/v2/alerts/${GROUP_KEY_HASH}/close?identifierType=alias`, '{"source":"http://prom/graph"}\n']);
    expect(r.headers['authorization']).toBe('GenieKey k1');
  });

  it('update_alerts: create, then PUT message and description', async () => {
    await notifier({ update_alerts: true }).notify(ctx(), [alert({ alertname: 'HighLatency' })]);
    expect(srv.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/v2/alerts', expect.any(String)],
      ['PUT', `/v2/alerts/${GROUP_KEY_HASH}/message?identifierType=alias`, '{"message":"[FIRING:1] HighLatency"}\n'],
      ['PUT', `/v2/alerts/${GROUP_KEY_HASH}/description?identifierType=alias`, '{"description":"Alerts Firing:\\nLabels:\\n - alertname = HighLatency\\n"}\n'],
    ]);
  });

  it('an api_url with a path keeps it', async () => {
    const n = createOpsgenieNotifier(validated(opsgenieConfig, { api_key: 'k', api_url: `${srv.base}/eu` }), deps(FETCH_CLIENT, TEMPLATES));
    await n.notify(ctx(), [alert({ a: '1' })]);
    expect(srv.requests[0]!.url).toBe('/eu/v2/alerts');
  });

  it('the api key is templated', async () => {
    await notifier({ api_key: '{{ key }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(srv.requests[0]!.headers['authorization']).toBe('GenieKey templated-key');
  });

  it('the message is cut to 130 runes', async () => {
    await notifier({ message: '{{ long }}' }).notify(ctx(), [alert({ a: '1' })]);
    expect(JSON.parse(srv.requests[0]!.body).message).toBe('m'.repeat(129) + '…');
    expect(logger.warnings).toContain('Truncated message');
  });

  it.each([
    { status: 500, want: { ok: false, retryable: true, error: 'unexpected status code 500: e', reason: 'serverError' } },
    { status: 429, want: { ok: false, retryable: true, error: 'unexpected status code 429: e', reason: 'rateLimited' } },
    { status: 422, want: { ok: false, retryable: false, error: 'unexpected status code 422: e', reason: 'clientError' } },
  ])('answer $status', async ({ status, want }) => {
    srv.replies = [{ status, body: 'e' }];
    expect(await notifier({}).notify(ctx(), [alert({ a: '1' })])).toEqual(want);
  });

  it('stops at the first failing request', async () => {
    srv.replies = [{ status: 202 }, { status: 400, body: 'bad' }, { status: 202 }];
    const r = await notifier({ update_alerts: true }).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false, error: 'unexpected status code 400: bad' });
    expect(srv.requests).toHaveLength(2);
  });

  it.each([
    { raw: { note: '{{ fail }}' }, error: 'templating error: template: ' },
    { raw: { api_key: '', api_key_file: '/k' }, error: 'reading api_key_file is not supported' },
  ])('$error', async ({ raw, error }) => {
    const r = await notifier(raw).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error.startsWith(error)).toBe(true);
    expect(srv.requests).toHaveLength(0);
  });

  it('a broken api_url fails without a crash', async () => {
    const r = await createOpsgenieNotifier(cfg('opsgenie', { api_key: 'k', api_url: 'nope' }), deps(FETCH_CLIENT, TEMPLATES)).notify(ctx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false, error: 'invalid OpsGenie API URL "nope"' });
  });

  it.each([
    ['a,b', ['a', 'b']],
    [' a,,b, ', ['a', 'b']],
    ['', []],
  ])('safeSplit(%j)', (s, want) => {
    expect(safeSplit(s, ',')).toEqual(want);
  });
});
