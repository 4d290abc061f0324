import { LITERAL_TEMPLATES } from '../template/api.js';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { HttpRequest, HttpResponse } from '../../core/runtime.js';
import { ok } from '../../core/result.js';
import type { AlertmanagerConfig, IntegrationConfig, ReceiverConfig } from '../config/types.js';
import type { NflogEntry } from '../nflog/index.js';
import { createWebhookNotifier } from './integrations/webhook/notifier.js';
import { NotificationPipeline } from './pipeline.js';
import type { FlushContext } from './pipeline.js';
import { FakeHttp, ManualClock, recordingMetrics } from './test-fakes.js';
import type { IntegrationDefinition } from './types.js';
import type { NotificationAttempt, NotificationRecorder } from './history/types.js';
import { NotificationRateLimiter } from './rate-limit.js';
import type { NotificationRateLimits } from './rate-limit.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

class FakeNflog {
  readonly entries = new Map<string, NflogEntry>();
  readonly logs: Array<{ receiverKey: string; firing: readonly string[]; resolved: readonly string[]; expiryMs: number }> = [];
  constructor(private readonly clock: ManualClock) {}
  query(groupKey: string, receiverKey: string): NflogEntry | undefined {
    return this.entries.get(`${groupKey}:${receiverKey}`);
  }
  log(groupKey: string, receiverKey: string, firing: readonly string[], resolved: readonly string[], expiryMs: number): Promise<void> {
    const now = this.clock.now();
    this.logs.push({ receiverKey, firing, resolved, expiryMs });
    this.entries.set(`${groupKey}:${receiverKey}`, { groupKey, receiverKey, timestamp: now, firingAlerts: firing, resolvedAlerts: resolved, expiresAt: now + expiryMs });
    return Promise.resolve();
  }
}

const REGISTRY: ReadonlyMap<string, IntegrationDefinition> = new Map<string, IntegrationDefinition>([
  ['webhook', { name: 'webhook', sendResolvedDefault: true, validate: (raw) => ok(raw), create: createWebhookNotifier }],
  ['slack', { name: 'slack', sendResolvedDefault: false, validate: (raw) => ok(raw) }],
]);

function webhook(url: string, sendResolved = true, index = 0): IntegrationConfig {
  return { type: 'webhook', index, sendResolved, settings: { url } };
}

interface Setup {
  receivers?: ReceiverConfig[];
  http?: ConstructorParameters<typeof FakeHttp>[0];
  silenced?: (l: Labels) => boolean;
  inhibited?: (l: Labels) => boolean;
  intervals?: Record<string, boolean>;
  onGroupMuted?: (routeId: string, groupKey: string, mutedBy: readonly string[]) => void;
  history?: NotificationRecorder;
  rateLimits?: NotificationRateLimits;
}

function setup(s: Setup = {}) {
  const clock = new ManualClock(NOW);
  const http = new FakeHttp(s.http);
  const nflog = new FakeNflog(clock);
  const metrics = recordingMetrics();
  const receivers = s.receivers ?? [{ name: 'team', integrations: [webhook('http://hook/')] }];
  const config = { receivers, inhibitRules: [], templates: [], timeIntervals: new Map(), original: '' } as unknown as AlertmanagerConfig;
  const silenced = s.silenced ?? (() => false);
  const inhibited = s.inhibited ?? (() => false);
  const pipeline = new NotificationPipeline({
    tenant: 't1',
    config,
    silences: { mutes: (l) => (silenced(l) ? ['sil-1'] : []) },
    inhibitor: { mutes: (l) => (inhibited(l) ? 'ffff' : undefined) },
    nflog,
    timeIntervalContains: (name) => s.intervals?.[name] ?? false,
    integrations: REGISTRY,
    deps: { http, clock, logger: NOOP_LOGGER, version: '0.25.0', templates: LITERAL_TEMPLATES },
    metrics,
    logger: NOOP_LOGGER,
    clock,
    externalURL: 'http://herald/',
    retentionMs: 120 * HOUR,
    backoff: { random: () => 0.5 },
    ...(s.onGroupMuted ? { onGroupMuted: s.onGroupMuted } : {}),
    ...(s.history ? { history: s.history } : {}),
    ...(s.rateLimits ? { rateLimiter: new NotificationRateLimiter(() => s.rateLimits as NotificationRateLimits, clock), rateLimitedMetric: metrics.notificationsSuppressed } : {}),
  });
  const flush = (alerts: Alert[], over: Partial<FlushContext> = {}): Promise<boolean> =>
    clock.drive(pipeline.flush({ ...ctxBase(), now: clock.now(), ...over }, alerts));
  type Body = { status: string; alerts: Array<{ status: string; endsAt: string; labels: Labels }> };
  const bodies = (): Body[] => http.requests.map((r) => JSON.parse(r.body as string) as Body);
  return { clock, http, nflog, metrics, flush, bodies };
}

function ctxBase(): FlushContext {
  return {
    tenant: 't1',
    groupKey: '{}:{alertname="A"}',
    groupLabels: { alertname: 'A' },
    receiver: 'team',
    repeatIntervalMs: 4 * HOUR,
    groupIntervalMs: 5 * MIN,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    routeId: '{}',
    now: NOW,
  };
}

function firing(name: string, endsAt = 0): Alert {
  return { labels: { alertname: 'A', i: name }, annotations: {}, startsAt: NOW - MIN, endsAt, generatorURL: '', updatedAt: NOW, timeout: false };
}

function resolved(name: string): Alert {
  return { ...firing(name), endsAt: NOW - 1000 };
}

const fp = (a: Alert): string => fingerprint(a.labels);
const res = (status: number): HttpResponse => ({ status, headers: {}, body: '' });

describe('dedup (nflog)', () => {
  it('sends the first notification and logs it with expiry 2 x repeat_interval', async () => {
    const t = setup();
    expect(await t.flush([firing('1')])).toBe(true);
    expect(t.http.requests).toHaveLength(1);
    expect(t.nflog.logs).toEqual([{ receiverKey: 'team/webhook/0', firing: [fp(firing('1'))], resolved: [], expiryMs: 8 * HOUR }]);
    expect(t.metrics.snapshot()).toMatchObject({
      'notificationsTotal{integration=webhook,tenant=t1}': 1,
      'notificationRequestsTotal{integration=webhook,tenant=t1}': 1,
    });
  });

  it.each([
    { name: 'unchanged within repeat_interval', advance: HOUR, second: [firing('1')], sends: 1 },
    { name: 'unchanged after repeat_interval', advance: 4 * HOUR + 1, second: [firing('1')], sends: 2 },
    { name: 'new alert added', advance: MIN, second: [firing('1'), firing('2')], sends: 2 },
    { name: 'one alert of two disappears (subset)', advance: MIN, second: [], sends: 1 },
  ])('$name', async ({ advance, second, sends }) => {
    const t = setup();
    await t.flush([firing('1'), ...(second.length === 0 ? [firing('2')] : [])]);
    t.clock.t += advance;
    await t.flush(second.length === 0 ? [firing('1')] : second);
    expect(t.http.requests).toHaveLength(sends);
  });

  it('resolved alerts are sent when send_resolved is true', async () => {
    const t = setup();
    await t.flush([firing('1'), firing('2')]);
    t.clock.t += MIN;
    await t.flush([firing('1'), { ...resolved('2'), endsAt: t.clock.t - 1 }]);
    expect(t.http.requests).toHaveLength(2);
    expect(t.bodies()[1]!.alerts.map((a) => a.status)).toEqual(['firing', 'resolved']);
  });

  it('send_resolved=false: some resolved is not a reason to notify', async () => {
    const t = setup({ receivers: [{ name: 'team', integrations: [webhook('http://hook/', false)] }] });
    await t.flush([firing('1'), firing('2')]);
    t.clock.t += MIN;
    await t.flush([firing('1'), { ...resolved('2'), endsAt: t.clock.t - 1 }]);
    expect(t.http.requests).toHaveLength(1);
  });

  it('send_resolved=false: all resolved is logged without sending', async () => {
    const t = setup({ receivers: [{ name: 'team', integrations: [webhook('http://hook/', false)] }] });
    await t.flush([firing('1')]);
    t.clock.t += MIN;
    expect(await t.flush([{ ...resolved('1'), endsAt: t.clock.t - 1 }])).toBe(true);
    expect(t.http.requests).toHaveLength(1);
    expect(t.nflog.logs[1]).toMatchObject({ firing: [], resolved: [fp(firing('1'))] });
  });

  it('send_resolved=false: a new firing alert is sent without the resolved ones', async () => {
    const t = setup({ receivers: [{ name: 'team', integrations: [webhook('http://hook/', false)] }] });
    expect(await t.flush([resolved('0'), firing('1')])).toBe(true);
    expect(t.bodies()[0]!.alerts.map((a) => a.labels['i'])).toEqual(['1']);
    expect(t.nflog.logs[0]).toMatchObject({ firing: [fp(firing('1'))], resolved: [fp(resolved('0'))] });
  });

  it('send_resolved=true: all resolved is sent once, then nothing', async () => {
    const t = setup();
    await t.flush([firing('1')]);
    t.clock.t += MIN;
    await t.flush([{ ...resolved('1'), endsAt: t.clock.t - 1 }]);
    t.clock.t += MIN;
    await t.flush([{ ...resolved('1'), endsAt: NOW }]);
    expect(t.http.requests).toHaveLength(2);
    expect(t.bodies()[1]!.status).toBe('resolved');
  });

  it('only resolved alerts and no log entry: nothing is sent', async () => {
    const t = setup();
    expect(await t.flush([resolved('1')])).toBe(true);
    expect(t.http.requests).toHaveLength(0);
    expect(t.nflog.logs).toHaveLength(0);
  });

  it('firing alerts are sent with endsAt zeroed', async () => {
    const t = setup();
    await t.flush([firing('1', NOW + HOUR)]);
    expect(t.bodies()[0]!.alerts[0]!.endsAt).toBe('0001-01-01T00:00:00Z');
  });
});

describe('retry', () => {
  it('retries 5xx with exponential backoff, then succeeds', async () => {
    const t = setup({ http: [res(500), res(503), res(200)] });
    expect(await t.flush([firing('1')])).toBe(true);
    expect(t.http.requests).toHaveLength(3);
    // 500ms then 750ms with the jitter pinned to the middle.
    expect(t.clock.now()).toBe(NOW + 1250);
    expect(t.metrics.snapshot()).toMatchObject({
      'notificationsTotal{integration=webhook,tenant=t1}': 1,
      'notificationRequestsTotal{integration=webhook,tenant=t1}': 3,
      'notificationRequestsFailed{integration=webhook,tenant=t1}': 2,
    });
    expect(t.metrics.snapshot()['notificationsFailed{integration=webhook,reason=serverError,tenant=t1}']).toBeUndefined();
    expect(t.nflog.logs).toHaveLength(1);
  });

  it('does not retry 4xx and does not log', async () => {
    const t = setup({ http: [res(400), res(200)] });
    expect(await t.flush([firing('1')])).toBe(false);
    expect(t.http.requests).toHaveLength(1);
    expect(t.nflog.logs).toHaveLength(0);
    expect(t.metrics.snapshot()['notificationsFailed{integration=webhook,reason=clientError,tenant=t1}']).toBe(1);
  });

  it.each([
    { groupIntervalMs: 5 * MIN, deadline: 5 * MIN },
    { groupIntervalMs: 1000, deadline: 10_000 },
  ])('gives up at the flush deadline max(group_interval, 10s): $deadline ms', async ({ groupIntervalMs, deadline }) => {
    const t = setup({ http: [res(502)] });
    expect(await t.flush([firing('1')], { groupIntervalMs })).toBe(false);
    expect(t.clock.now()).toBe(NOW + deadline);
    expect(t.http.requests.length).toBeGreaterThan(3);
    expect(t.metrics.snapshot()['notificationsFailed{integration=webhook,reason=serverError,tenant=t1}']).toBe(1);
    expect(t.clock.pending()).toBe(0);
  });

  it('one failing integration fails the flush; the other is still logged', async () => {
    const t = setup({
      receivers: [{ name: 'team', integrations: [webhook('http://ok/'), webhook('http://bad/', true, 1)] }],
      http: [(req) => Promise.resolve(res(req.url === 'http://bad/' ? 404 : 200))],
    });
    expect(await t.flush([firing('1')])).toBe(false);
    expect(t.nflog.logs.map((l) => l.receiverKey)).toEqual(['team/webhook/0']);
  });

  it('an integration that cannot deliver yet fails with reason other, without throwing', async () => {
    const t = setup({ receivers: [{ name: 'team', integrations: [{ type: 'slack', index: 0, sendResolved: false, settings: {} }] }] });
    expect(await t.flush([firing('1')])).toBe(false);
    expect(t.metrics.snapshot()['notificationsFailed{integration=slack,reason=other,tenant=t1}']).toBe(1);
  });

  it('an unknown receiver fails the flush', async () => {
    const t = setup();
    expect(await t.flush([firing('1')], { receiver: 'nope' })).toBe(false);
  });

  it('a receiver without integrations succeeds', async () => {
    const t = setup({ receivers: [{ name: 'team', integrations: [] }] });
    expect(await t.flush([firing('1')])).toBe(true);
  });
});

describe('muting', () => {
  it.each([
    { name: 'silence drops one alert', s: { silenced: (l: Labels) => l['i'] === '1' }, sent: ['2'], reason: 'silence', n: 1 },
    { name: 'inhibition drops one alert', s: { inhibited: (l: Labels) => l['i'] === '2' }, sent: ['1'], reason: 'inhibition', n: 1 },
    { name: 'silence drops all', s: { silenced: () => true }, sent: [], reason: 'silence', n: 2 },
    { name: 'nothing muted', s: {}, sent: ['1', '2'], reason: undefined, n: 0 },
  ])('$name', async ({ s, sent, reason, n }) => {
    const t = setup(s);
    expect(await t.flush([firing('1'), firing('2')])).toBe(true);
    expect(t.bodies().flatMap((b) => b.alerts.map((a) => a.labels['i']))).toEqual(sent);
    if (reason) expect(t.metrics.snapshot()[`notificationsSuppressed{reason=${reason},tenant=t1}`]).toBe(n);
  });

  it.each([
    { name: 'inside a mute interval', mute: ['night', 'lunch'], active: [], intervals: { night: true }, sends: false, reason: 'mute_time_interval', mutedBy: [[], ['night']] },
    { name: 'outside the mute interval', mute: ['night'], active: [], intervals: { night: false }, sends: true, reason: undefined, mutedBy: [[], []] },
    { name: 'outside every active interval', mute: ['night'], active: ['day', 'weekend'], intervals: { night: true }, sends: false, reason: 'active_time_interval', mutedBy: [['day', 'weekend']] },
    { name: 'inside one active interval', mute: [], active: ['day', 'weekend'], intervals: { weekend: true }, sends: true, reason: undefined, mutedBy: [[], []] },
  ])('$name', async ({ mute, active, intervals, sends, reason, mutedBy }) => {
    const marks: Array<readonly string[]> = [];
    const t = setup({ intervals, onGroupMuted: (routeId, groupKey, by) => {
      expect([routeId, groupKey]).toEqual(['{}', '{}:{alertname="A"}']);
      marks.push(by);
    } });
    expect(await t.flush([firing('1')], { muteTimeIntervals: mute, activeTimeIntervals: active })).toBe(true);
    expect(t.http.requests.length > 0).toBe(sends);
    expect(marks).toEqual(mutedBy);
    if (reason) expect(t.metrics.snapshot()[`notificationsSuppressed{reason=${reason},tenant=t1}`]).toBe(1);
  });

  it('muted alerts are not logged, so they are sent once unmuted', async () => {
    let muted = true;
    const t = setup({ silenced: () => muted });
    await t.flush([firing('1')]);
    expect(t.nflog.logs).toHaveLength(0);
    muted = false;
    await t.flush([firing('1')]);
    expect(t.http.requests).toHaveLength(1);
  });
});

describe('deadline during a request', () => {
  it('reports contextDeadlineExceeded when the only attempt is cut by the flush deadline', async () => {
    const t = setup({
      http: [
        (req) =>
          new Promise((_, reject) => {
            req.signal?.addEventListener('abort', () => reject(new Error('aborted')));
          }),
      ],
    });
    expect(await t.flush([firing('1')], { groupIntervalMs: 1000 })).toBe(false);
    expect(t.clock.now()).toBe(NOW + 10_000);
    expect(t.http.requests).toHaveLength(1);
    expect(t.metrics.snapshot()['notificationsFailed{integration=webhook,reason=contextDeadlineExceeded,tenant=t1}']).toBe(1);
  });
});

describe('history and rate limits', () => {
  class Recorder implements NotificationRecorder {
    readonly attempts: NotificationAttempt[] = [];
    record(a: NotificationAttempt): void {
      this.attempts.push(a);
    }
  }

  it('records every attempt with outcome, status, retry number and latency', async () => {
    const history = new Recorder();
    const t = setup({ history, http: [res(503), res(200)] });
    await t.flush([firing('1'), resolved('2')]);
    expect(history.attempts).toEqual([
      { time: NOW, receiver: 'team', integration: 'webhook', integrationIndex: 0, groupKey: '{}:{alertname="A"}', firing: [fp(firing('1'))], resolved: [fp(resolved('2'))], firingCount: 1, resolvedCount: 1, outcome: 'failed', status: 503, error: 'unexpected status code 503', retry: 0, latencyMs: 0 },
      { time: NOW + 500, receiver: 'team', integration: 'webhook', integrationIndex: 0, groupKey: '{}:{alertname="A"}', firing: [fp(firing('1'))], resolved: [fp(resolved('2'))], firingCount: 1, resolvedCount: 1, outcome: 'success', retry: 1, latencyMs: 0 },
    ]);
  });

  it('cuts the recorded fingerprints of huge groups but keeps exact counts', async () => {
    const history = new Recorder();
    const t = setup({ history });
    await t.flush(Array.from({ length: 1001 }, (_, i) => firing(String(i))));
    expect(history.attempts.map((a) => [a.firing.length, a.firingCount])).toEqual([[1000, 1001]]);
  });

  it('send_resolved=false records no resolved fingerprints', async () => {
    const history = new Recorder();
    const t = setup({ history, receivers: [{ name: 'team', integrations: [webhook('http://hook/', false)] }] });
    await t.flush([firing('1'), resolved('2')]);
    expect(history.attempts.map((a) => [a.firing.length, a.resolved.length])).toEqual([[1, 0]]);
  });

  it('an integration that cannot deliver is recorded as failed', async () => {
    const history = new Recorder();
    const t = setup({ history, receivers: [{ name: 'team', integrations: [{ type: 'slack', index: 0, sendResolved: true, settings: {} }] }] });
    await t.flush([firing('1')]);
    expect(history.attempts.map((a) => [a.outcome, a.error])).toEqual([['failed', 'integration "slack" cannot deliver notifications in this version']]);
  });

  it('a rate-limited attempt fails without retry, is counted and recorded, and is sent on the next flush', async () => {
    const history = new Recorder();
    const receivers = [{ name: 'team', integrations: [webhook('http://a/'), webhook('http://b/', true, 1)] }];
    const t = setup({ history, receivers, rateLimits: { total: 0, perIntegration: 1 } });
    expect(await t.flush([firing('1')])).toBe(false);
    expect(t.http.requests).toHaveLength(1);
    expect(history.attempts.map((a) => [a.integrationIndex, a.outcome, a.error]).sort()).toEqual([
      [0, 'success', undefined],
      [1, 'rate_limited', 'failed to notify due to rate limits'],
    ]);
    expect(t.nflog.logs.map((l) => l.receiverKey)).toEqual(['team/webhook/0']);
    expect(t.metrics.snapshot()).toMatchObject({
      'notificationsFailed{integration=webhook,reason=rateLimited,tenant=t1}': 1,
      'notificationsSuppressed{integration=webhook,tenant=t1}': 1,
    });
    t.clock.t += 5 * MIN;
    expect(await t.flush([firing('1')])).toBe(true);
    expect(t.http.requests.map((r) => r.url)).toEqual(['http://a/', 'http://b/']);
  });

  it('applies http_config oauth2 and tls_config around the notifier', async () => {
    const tokenCalls: string[] = [];
    const http = [
      (req: HttpRequest): Promise<HttpResponse> => {
        tokenCalls.push(String(req.body));
        return Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"tok","token_type":"bearer","expires_in":3600}' });
      },
      res(200),
    ];
    const hook: IntegrationConfig = {
      type: 'webhook',
      index: 0,
      sendResolved: true,
      settings: { url: 'http://hook/', http_config: { oauth2: { client_id: 'id', client_secret: 's', token_url: 'http://idp/token', scopes: ['a', 'b'] }, tls_config: { insecure_skip_verify: true }, follow_redirects: false } },
    };
    const t = setup({ http, receivers: [{ name: 'team', integrations: [hook] }] });
    expect(await t.flush([firing('1')])).toBe(true);
    expect(tokenCalls).toEqual(['grant_type=client_credentials&scope=a+b']);
    const sent = t.http.requests[1] as HttpRequest & { followRedirects?: boolean };
    expect(sent.headers['Authorization']).toBe('Bearer tok');
    expect(sent.tls).toEqual({ insecureSkipVerify: true });
    expect(sent.followRedirects).toBe(false);
  });
});
