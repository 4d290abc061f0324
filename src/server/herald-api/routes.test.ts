import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantIssues } from '../../alertmanager/config/tenant.js';
import type { AlertmanagerConfig, IntegrationConfig, ReceiverConfig } from '../../alertmanager/config/types.js';
import { GLOBAL_DEFAULTS } from '../../alertmanager/config/global.js';
import { createNotificationTools, NotificationHistory } from '../../alertmanager/notify/history/index.js';
import type { NotificationAttempt, TenantNotificationState } from '../../alertmanager/notify/history/index.js';
import { webhookConfig } from '../../alertmanager/notify/integrations/webhook/config.js';
import { createWebhookNotifier } from '../../alertmanager/notify/integrations/webhook/notifier.js';
import { NotificationRateLimiter } from '../../alertmanager/notify/rate-limit.js';
import { FakeHttp, ManualClock } from '../../alertmanager/notify/test-fakes.js';
import type { IntegrationDefinition } from '../../alertmanager/notify/types.js';
import { TemplateExecError } from '../../alertmanager/template/api.js';
import type { LoadTemplates, TemplateSource } from '../../alertmanager/template/api.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { HttpRequest, HttpResponse } from '../../core/runtime.js';
import type { StateKind, StateOp, StateRecord, TenantState } from '../../core/state-store.js';
import { heraldApiRoutes } from './routes.js';

const NOW = Date.UTC(2024, 0, 1, 12);
const WEBHOOK: IntegrationDefinition = { ...webhookConfig, create: createWebhookNotifier };
const INTEGRATIONS = new Map<string, IntegrationDefinition>([
  ['webhook', WEBHOOK],
  ['slack', { name: 'slack', sendResolvedDefault: false, validate: (raw) => ok(raw) }],
]);

/** Loads `{ global?, route, receivers }` JSON with webhook_configs only (the real loader's contract). */
function fakeLoadConfig(text: string, opts: { tenantMode?: boolean } = {}): Result<AlertmanagerConfig> {
  const doc = JSON.parse(text) as { global?: Record<string, unknown>; receivers: Record<string, unknown>[] };
  const issues: Issue[] = opts.tenantMode ? tenantIssues(doc) : [];
  const global = { resolveTimeoutMs: 300_000, settings: { ...GLOBAL_DEFAULTS, ...doc.global } };
  const receivers: ReceiverConfig[] = doc.receivers.map((rc, ri) => {
    const integrations: IntegrationConfig[] = [];
    for (const [key, list] of Object.entries(rc)) {
      if (key === 'name') continue;
      const def = INTEGRATIONS.get(key.replace(/_configs$/, ''));
      if (!def || !key.endsWith('_configs')) {
        issues.push(issue('unknown_field', `field ${key} not found in type config.plain`, { path: ['receivers', ri, key] }));
        continue;
      }
      (list as Record<string, unknown>[]).forEach((entry, index) => {
        const v = def.validate(entry, global);
        if (!v.ok) issues.push(...v.issues.map((i) => ({ ...i, path: ['receivers', ri, key, index, ...(i.path ?? [])] })));
        else integrations.push({ type: def.name, index, sendResolved: v.value['send_resolved'] !== false, settings: v.value });
      });
    }
    return { name: String(rc['name']), integrations };
  });
  if (issues.length > 0) return fail(issues);
  return ok({ global, route: {} as AlertmanagerConfig['route'], inhibitRules: [], receivers, templates: [], timeIntervals: new Map(), original: text });
}

/** A template set understanding `{{ define }}`, `{{ template "x" . }}`, `{{ .Status }}`; anything else fails with a position. */
const fakeLoadTemplates: LoadTemplates = (sources: readonly TemplateSource[]) => {
  const defs = new Map<string, string>([['default.title', '[{{ .Status }}] default']]);
  for (const s of sources) {
    const opened = (s.text.match(/\{\{ define/g) ?? []).length;
    const closed = (s.text.match(/\{\{ end \}\}/g) ?? []).length;
    if (opened !== closed) return fail([issue('template', `template: ${s.name}:1: unexpected EOF`, { path: [s.name] })]);
    for (const m of s.text.matchAll(/\{\{ define "([^"]+)" \}\}([\s\S]*?)\{\{ end \}\}/g)) defs.set(m[1] as string, m[2] as string);
  }
  const exec = (text: string, status: string, depth = 0): string =>
    text.replace(/\{\{(.*?)\}\}/g, (all, inner: string, col: number) => {
      const t = /^ template "([^"]+)" \. $/.exec(inner);
      if (t) {
        const d = defs.get(t[1] as string);
        if (d === undefined || depth > 5) throw new TemplateExecError(`template: preview:1:${col + 3}: executing "preview" at <{{template "${t[1]}" .}}>: template "${t[1]}" not defined`);
        return exec(d, status, depth + 1);
      }
      if (inner === ' .Status ') return status;
      throw new TemplateExecError(`template: preview:1:${col + 3}: function "${inner.trim().split(' ')[0]}" not defined`);
    });
  return ok({ executeText: (text, data) => exec(text, data.status), executeHtml: (text, data) => exec(text, data.status), definedNames: () => [...defs.keys()].sort() });
};

class MapState implements TenantState {
  readonly rows = new Map<string, string>();
  constructor(readonly tenant: string) {}
  put(kind: StateKind, key: string, value: string): StateOp {
    return { op: 'put', tenant: this.tenant, kind, key, value };
  }
  del(kind: StateKind, key: string): StateOp {
    return { op: 'delete', tenant: this.tenant, kind, key };
  }
  write(ops: readonly StateOp[]): Promise<void> {
    for (const op of ops) if (op.op === 'put') this.rows.set(op.key, op.value);
    return Promise.resolve();
  }
  load(kind: StateKind): Promise<StateRecord[]> {
    return Promise.resolve([...this.rows].map(([key, value]) => ({ tenant: this.tenant, kind, key, value })));
  }
}

const RUNNING_YAML = JSON.stringify({
  route: { receiver: 'team' },
  receivers: [
    { name: 'team', webhook_configs: [{ url: 'http://ok.example/' }, { url: 'http://broken.example/' }], slack_configs: [{}] },
    { name: 'quiet', webhook_configs: [] },
  ],
});

interface Setup {
  requireTenant?: boolean;
  rateLimit?: number;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function setup(s: Setup = {}) {
  const clock = new ManualClock(NOW);
  const http = new FakeHttp([
    (req: HttpRequest): Promise<HttpResponse> => Promise.resolve(req.url.includes('broken') ? { status: 500, headers: {}, body: 'boom' } : { status: 200, headers: {}, body: '' }),
  ]);
  const states = new Map<string, TenantNotificationState>();
  const stateOf = (tenant: string): TenantNotificationState => {
    let st = states.get(tenant);
    if (!st) {
      const rl = s.rateLimit ?? 0;
      st = { history: new NotificationHistory({ state: new MapState(tenant), clock, logger: NOOP_LOGGER }), rateLimiter: new NotificationRateLimiter(() => ({ total: rl, perIntegration: 0 }), clock) };
      states.set(tenant, st);
    }
    return st;
  };
  const running = fakeLoadConfig(RUNNING_YAML);
  if (!running.ok) throw new Error('fixture');
  const tools = createNotificationTools({
    config: () => Promise.resolve(running.value),
    notificationState: (t) => Promise.resolve(stateOf(t)),
    templateSources: (t) => Promise.resolve(t === 'tmpl' ? [{ name: 'mine.tmpl', text: '{{ define "mine" }}tenant says {{ .Status }}{{ end }}' }] : []),
    tenantMode: () => true,
    loadConfig: fakeLoadConfig,
    loadTemplates: fakeLoadTemplates,
    integrations: INTEGRATIONS,
    deps: { http, clock, logger: NOOP_LOGGER, version: '0.1.0' },
    externalURL: 'http://herald/',
    clock,
  });
  app = Fastify();
  await app.register(heraldApiRoutes({ logger: NOOP_LOGGER, requireTenant: () => s.requireTenant ?? false }, tools), { prefix: '/api/herald/v1' });
  const a = app;
  const get = (url: string, tenant = 'a') => a.inject({ method: 'GET', url, headers: { 'x-scope-orgid': tenant } });
  const post = (url: string, body: unknown, tenant = 'a') =>
    a.inject({ method: 'POST', url, headers: { 'x-scope-orgid': tenant, 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  return { clock, http, stateOf, get, post };
}

function attempt(over: Partial<NotificationAttempt> = {}): NotificationAttempt {
  return { time: NOW, receiver: 'team', integration: 'webhook', integrationIndex: 0, groupKey: '{}:{alertname="A"}', firing: ['f1'], resolved: [], firingCount: 1, resolvedCount: 0, outcome: 'success', retry: 0, latencyMs: 3, ...over };
}

describe('GET /api/herald/v1/notifications', () => {
  it('answers the tenant its own history only, newest first, with wire fields', async () => {
    const t = await setup();
    t.stateOf('a').history.record(attempt());
    t.stateOf('a').history.record(attempt({ time: NOW + 1000, outcome: 'failed', status: 500, error: 'unexpected status code 500: boom', retry: 1 }));
    t.stateOf('b').history.record(attempt({ receiver: 'secret' }));
    const res = await t.get('/api/herald/v1/notifications');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Array<Record<string, unknown>>; nextCursor?: string }>();
    expect(body.nextCursor).toBeUndefined();
    expect(body.items).toEqual([
      { id: '001704110401000-000000', time: '2024-01-01T12:00:01.000Z', receiver: 'team', integration: 'webhook', integrationIndex: 0, groupKey: '{}:{alertname="A"}', outcome: 'failed', status: 500, error: 'unexpected status code 500: boom', retry: 1, latencyMs: 3, firingCount: 1, resolvedCount: 0, firing: ['f1'], resolved: [] },
      { id: '001704110400000-000000', time: '2024-01-01T12:00:00.000Z', receiver: 'team', integration: 'webhook', integrationIndex: 0, groupKey: '{}:{alertname="A"}', outcome: 'success', retry: 0, latencyMs: 3, firingCount: 1, resolvedCount: 0, firing: ['f1'], resolved: [] },
    ]);
    const b = (await t.get('/api/herald/v1/notifications', 'b')).json<{ items: Array<{ receiver: string }> }>();
    expect(b.items.map((i) => i.receiver)).toEqual(['secret']);
    expect((await t.get('/api/herald/v1/notifications', 'c')).json()).toEqual({ items: [] });
  });

  it('filters and pages with the cursor', async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) t.stateOf('a').history.record(attempt({ time: NOW + i, retry: i, outcome: i % 2 === 0 ? 'success' : 'failed' }));
    const p1 = (await t.get('/api/herald/v1/notifications?outcome=success&limit=2')).json<{ items: Array<{ retry: number }>; nextCursor: string }>();
    expect(p1.items.map((i) => i.retry)).toEqual([4, 2]);
    const p2 = (await t.get(`/api/herald/v1/notifications?outcome=success&limit=2&cursor=${p1.nextCursor}`)).json<{ items: Array<{ retry: number }>; nextCursor?: string }>();
    expect(p2).toEqual({ items: [expect.objectContaining({ retry: 0 })] });
    const since = (await t.get(`/api/herald/v1/notifications?since=${new Date(NOW + 3).toISOString()}`)).json<{ items: Array<{ retry: number }> }>();
    expect(since.items.map((i) => i.retry)).toEqual([4, 3]);
  });

  it.each([
    ['?limit=0', 'invalid parameter limit: must be an integer between 1 and 1000'],
    ['?outcome=maybe&limt=3', 'invalid parameter outcome: "maybe" is not one of success, failed, rate_limited; unknown parameter "limt"'],
    ['?cursor=zzz', 'invalid parameter cursor: invalid cursor "zzz"'],
  ])('400 for %s', async (qs, error) => {
    const t = await setup();
    const res = await t.get(`/api/herald/v1/notifications${qs}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error });
  });

  it('401 without a tenant when one is required', async () => {
    const t = await setup({ requireTenant: true });
    const res = await app?.inject({ method: 'GET', url: '/api/herald/v1/notifications' });
    expect(res?.statusCode).toBe(401);
    expect((await t.get('/api/herald/v1/notifications')).statusCode).toBe(200);
  });
});

describe('POST /api/herald/v1/receivers/test', () => {
  it('sends one test notification per integration of a running receiver and reports each', async () => {
    const t = await setup();
    const res = await t.post('/api/herald/v1/receivers/test', { receiver: 'team' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      receiver: 'team',
      integrations: [
        { type: 'webhook', index: 0, ok: true, latencyMs: 0 },
        { type: 'webhook', index: 1, ok: false, retryable: true, error: 'unexpected status code 500: boom', status: 500, latencyMs: 0 },
        { type: 'slack', index: 0, ok: false, retryable: false, error: 'integration "slack" cannot deliver notifications in this version', latencyMs: 0 },
      ],
    });
    const sent = JSON.parse(t.http.requests[0]?.body as string) as { receiver: string; status: string; alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>; groupKey: string };
    expect(sent.receiver).toBe('team');
    expect(sent.status).toBe('firing');
    expect(sent.groupKey).toBe('{}/{herald_test="true"}:{alertname="TestAlert"}');
    expect(sent.alerts[0]?.labels).toEqual({ alertname: 'TestAlert', instance: 'Herald' });
    expect(sent.alerts[0]?.annotations['summary']).toBe('Notification test');
  });

  it('uses the posted alerts', async () => {
    const t = await setup();
    await t.post('/api/herald/v1/receivers/test', { receiver: 'team', alerts: [{ labels: { alertname: 'Disk', severity: 'critical' }, status: 'resolved' }] });
    const sent = JSON.parse(t.http.requests[0]?.body as string) as { status: string; alerts: Array<{ labels: Record<string, string> }> };
    expect(sent.status).toBe('resolved');
    expect(sent.alerts[0]?.labels).toEqual({ alertname: 'Disk', instance: 'Herald', severity: 'critical' });
  });

  it('validates and tests a posted receiver_config', async () => {
    const t = await setup();
    const res = await t.post('/api/herald/v1/receivers/test', { receiver_config: { name: 'new', webhook_configs: [{ url: 'http://ok.example/new' }] } });
    expect(res.json()).toEqual({ receiver: 'new', integrations: [{ type: 'webhook', index: 0, ok: true, latencyMs: 0 }] });
    expect(t.http.requests.map((r) => r.url)).toEqual(['http://ok.example/new']);
  });

  it('test notifications take rate-limit tokens', async () => {
    const t = await setup({ rateLimit: 1 });
    const res = await t.post('/api/herald/v1/receivers/test', { receiver: 'team' });
    const results = res.json<{ integrations: Array<{ ok: boolean; error?: string }> }>().integrations;
    expect(results.filter((r) => r.error === 'failed to notify due to rate limits')).toHaveLength(1);
  });

  it.each([
    [{ receiver: 'nobody' }, 404, 'receiver "nobody" not found'],
    [{}, 400, 'exactly one of receiver or receiver_config is required'],
    [{ receiver: 'team', receiver_config: { name: 'x' } }, 400, 'exactly one of receiver or receiver_config is required'],
    [{ receiver: 7, alerts: [{ labels: { 'bad-name': 'x', ok: 1 } }], extra: true }, 400, 'extra: unknown field; receiver: must be a string; alerts[0].labels.ok: must be a string; alerts[0].labels: invalid label name "bad-name"'],
    [{ receiver_config: { webhook_configs: [] } }, 400, 'receiver_config: missing name'],
    [{ receiver_config: { name: 'x', webhook_configs: [{}] } }, 400, 'invalid receiver_config: receiver_config.webhook_configs.0: one of url or url_file must be configured'],
    [{ receiver_config: { name: 'x', webhook_configs: [{ url_file: '/etc/passwd' }] } }, 400, 'invalid receiver_config: receiver_config.webhook_configs.0.url_file: setting url_file is not allowed in tenant configurations: file-based secrets and local files cannot be used'],
    [{ receiver_config: { name: 'x', bogus_configs: [] } }, 400, 'invalid receiver_config: receiver_config.bogus_configs: field bogus_configs not found in type config.plain'],
    ['[1]', 400, 'body must be a JSON object'],
    ['{"receiver":', 400, 'invalid JSON body: Body is not valid JSON'],
  ])('%j -> %i', async (body, status, error) => {
    const t = await setup();
    const res = await t.post('/api/herald/v1/receivers/test', body);
    expect(res.statusCode).toBe(status);
    expect(res.json<{ error: string }>().error).toContain(error);
    expect(t.http.requests).toHaveLength(0);
  });
});

describe('POST /api/herald/v1/templates/preview', () => {
  it.each([
    [{ template: 'status: {{ .Status }}' }, 'a', 'status: firing'],
    [{ template: '{{ template "default.title" . }}', alerts: [{ status: 'resolved' }] }, 'a', '[resolved] default'],
    [{ template: '{{ template "mine" . }}' }, 'tmpl', 'tenant says firing'],
    [{ template: '{{ template "given" . }}', template_files: { 'x.tmpl': '{{ define "given" }}posted{{ end }}' } }, 'tmpl', 'posted'],
  ])('%j as %s', async (body, tenant, output) => {
    const t = await setup();
    const res = await t.post('/api/herald/v1/templates/preview', body, tenant);
    expect(res.json()).toEqual({ output });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    [{ template: 'x {{ .Nope }}' }, 'template: preview:1:5: function ".Nope" not defined'],
    [{ template: '{{ template "mine" . }}' }, 'template: preview:1:3: executing "preview" at <{{template "mine" .}}>: template "mine" not defined'],
    [{ template: 'x', template_files: { 'bad.tmpl': '{{ define "a" }}' } }, 'template: bad.tmpl:1: unexpected EOF'],
    [{}, 'template: required string'],
    [{ template: 'x', template_files: { a: 1 } }, 'template_files.a: must be a string'],
  ])('400 for %j', async (body, error) => {
    const t = await setup();
    const res = await t.post('/api/herald/v1/templates/preview', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error });
  });
});
