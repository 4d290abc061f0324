import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { parseTime } from '../../core/alert.js';
import { InvalidInputError } from '../../core/result.js';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../../core/runtime.js';
import { createHttpClient } from '../../net/index.js';
import type { ClosableHttpClient } from '../../net/index.js';
import type { ExternalAlertmanager, OutgoingAlert } from '../api.js';
import { createNotifier } from './notifier.js';
import type { NotifierOptions } from './notifier.js';
import { RecordingMetrics, startServer } from './test-fakes.js';
import type { TestServer } from './test-fakes.js';

const t = (s: string): number => parseTime(s) as number;

function alert(name: string, extra: Partial<OutgoingAlert> = {}): OutgoingAlert {
  return {
    labels: { alertname: name },
    annotations: {},
    startsAt: t('2024-05-01T10:00:00Z'),
    endsAt: t('2024-05-01T10:04:00Z'),
    generatorURL: 'http://herald/graph?g0.expr=up',
    ...extra,
  };
}

let srv: TestServer;
let http: ClosableHttpClient;
let metrics: RecordingMetrics;

beforeEach(async () => {
  srv = await startServer(createServer);
  http = createHttpClient({ firewall: { blockPrivateAddresses: false } });
  metrics = new RecordingMetrics();
});
afterEach(async () => {
  http.close();
  await srv.close();
});

function am(over: Partial<ExternalAlertmanager> = {}): ExternalAlertmanager {
  return { url: `${srv.base}/am/`, tenantHeader: 'X-Scope-OrgID', timeoutMs: 5000, ...over };
}

function notifier(over: Partial<NotifierOptions['config']> = {}, extra: Partial<NotifierOptions> = {}) {
  return createNotifier({
    config: { externalLabels: {}, notifyLocal: false, alertmanagers: [am()], alertRelabelConfigs: [], ...over },
    http,
    clock: SYSTEM_CLOCK,
    logger: NOOP_LOGGER,
    userAgent: 'Herald/0.1.0',
    metrics,
    ...extra,
  });
}

const posted = (i = 0): Array<{ labels: Record<string, string> }> => JSON.parse(srv.requests[i]!.body) as Array<{ labels: Record<string, string> }>;

describe('createNotifier: external Alertmanagers', () => {
  it('POSTs <url>/api/v2/alerts with the headers and the exact body bytes', async () => {
    const n = notifier({ alertmanagers: [am({ headers: { 'X-Extra': 'yes', 'content-type': 'text/plain' }, basicAuth: { username: 'u', password: 'p:w' } })] });
    n.send('team-a', [alert('A', { labels: { alertname: 'A', sev: '<crit>' }, annotations: { summary: 'x' } })]);
    await n.idle();
    expect(srv.requests).toHaveLength(1);
    const r = srv.requests[0]!;
    expect([r.method, r.url]).toEqual(['POST', '/am/api/v2/alerts']);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe('Herald/0.1.0');
    expect(r.headers['x-scope-orgid']).toBe('team-a');
    expect(r.headers['x-extra']).toBe('yes');
    expect(r.headers['authorization']).toBe(`Basic ${Buffer.from('u:p:w').toString('base64')}`);
    expect(r.body).toBe(
      '[{"annotations":{"summary":"x"},"endsAt":"2024-05-01T10:04:00.000Z","startsAt":"2024-05-01T10:00:00.000Z","generatorURL":"http://herald/graph?g0.expr=up","labels":{"alertname":"A","sev":"\\u003ccrit\\u003e"}}]',
    );
    const dest = `${srv.base}/am/api/v2/alerts`;
    expect(metrics.get('sent', dest, 'team-a')).toBe(1);
    expect(metrics.latencies).toHaveLength(1);
  });

  it('bearer token; no tenant header when tenantHeader is empty', async () => {
    const n = notifier({ alertmanagers: [am({ tenantHeader: '', bearerToken: 's3cret', url: srv.base })] });
    n.send('team-a', [alert('A')]);
    await n.idle();
    const r = srv.requests[0]!;
    expect(r.url).toBe('/api/v2/alerts');
    expect(r.headers['authorization']).toBe('Bearer s3cret');
    expect(r.headers['x-scope-orgid']).toBeUndefined();
  });

  it('external labels are added where missing; the alert label wins', async () => {
    const n = notifier({ externalLabels: { cluster: 'eu1', env: 'prod' } });
    n.send('t1', [alert('A', { labels: { alertname: 'A', env: 'dev' } })]);
    await n.idle();
    expect(posted()[0]!.labels).toEqual({ alertname: 'A', cluster: 'eu1', env: 'dev' });
  });

  it('alert_relabel_configs: __tenant__ selects tenants, drop rules drop, __ labels never leave', async () => {
    const n = notifier({
      alertRelabelConfigs: [
        { source_labels: ['__tenant__'], regex: 'team-.*', target_label: 'alert_source', replacement: 'platform' },
        { action: 'drop', source_labels: ['alertname'], regex: 'Watchdog' },
      ],
    });
    n.send('team-a', [alert('A'), alert('Watchdog')]);
    n.send('ops', [alert('B')]);
    await n.idle();
    const all = srv.requests.flatMap((_, i) => posted(i).map((a) => a.labels));
    expect(all).toEqual(expect.arrayContaining([{ alertname: 'A', alert_source: 'platform' }, { alertname: 'B' }]));
    expect(all).toHaveLength(2);
    expect(srv.requests.map((r) => r.headers['x-scope-orgid']).sort()).toEqual(['ops', 'team-a']);
  });

  it('batches hold at most 256 alerts', async () => {
    const n = notifier();
    n.send('t1', Array.from({ length: 600 }, (_, i) => alert(`A${i}`)));
    await n.idle();
    expect(srv.requests.map((_, i) => posted(i).length)).toEqual([256, 256, 88]);
    expect(posted(2).at(-1)!.labels['alertname']).toBe('A599');
  });

  it('a 5xx is counted as errors and dropped, and not retried', async () => {
    srv.respond = () => 503;
    const n = notifier();
    n.send('t1', [alert('A'), alert('B')]);
    await n.idle();
    expect(srv.requests).toHaveLength(1);
    const dest = `${srv.base}/am/api/v2/alerts`;
    expect([metrics.get('errors', dest, 't1'), metrics.get('dropped', dest, 't1'), metrics.get('sent', dest, 't1')]).toEqual([2, 2, 0]);
  });

  it('a request past its timeout fails and is counted', async () => {
    srv.respond = () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 2000));
    const n = notifier({ alertmanagers: [am({ timeoutMs: 50 })] });
    n.send('t1', [alert('A')]);
    await n.idle();
    expect(metrics.get('errors', `${srv.base}/am/api/v2/alerts`, 't1')).toBe(1);
  });

  it('a refused connection is an error, never a crash', async () => {
    const n = notifier({ alertmanagers: [am({ url: 'http://127.0.0.1:1' })] });
    n.send('t1', [alert('A')]);
    await n.idle();
    expect(metrics.get('errors', 'http://127.0.0.1:1/api/v2/alerts', 't1')).toBe(1);
  });

  it("one tenant's flood does not delay another tenant's alerts", async () => {
    srv.respond = () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 20));
    const n = notifier({}, { concurrency: 1 });
    n.send('flood', Array.from({ length: 256 * 6 }, (_, i) => alert(`F${i}`)));
    n.send('quiet', [alert('Q')]);
    await n.idle();
    const tenants = srv.requests.map((r) => r.headers['x-scope-orgid']);
    expect(tenants).toHaveLength(7);
    expect(tenants.indexOf('quiet')).toBe(1);
  });

  it('every Alertmanager gets every alert, each on its own queue', async () => {
    const other = await startServer(createServer);
    try {
      srv.respond = () => 500;
      const n = notifier({ alertmanagers: [am(), am({ url: other.base })] });
      n.send('t1', [alert('A')]);
      await n.idle();
      expect(srv.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0]!.body).toBe(srv.requests[0]!.body);
      expect(metrics.get('sent', `${other.base}/api/v2/alerts`, 't1')).toBe(1);
      expect(metrics.get('errors', `${srv.base}/am/api/v2/alerts`, 't1')).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('stop() drains what is queued and refuses later alerts', async () => {
    srv.respond = () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 10));
    const n = notifier({}, { maxBatch: 1 });
    n.send('t1', [alert('A'), alert('B'), alert('C')]);
    await n.stop();
    expect(srv.requests).toHaveLength(3);
    n.send('t1', [alert('D')]);
    await n.idle();
    expect(srv.requests).toHaveLength(3);
  });

  it('stop() gives up at the drain deadline and counts the rest as dropped', async () => {
    srv.respond = () => new Promise<number>((resolve) => setTimeout(() => resolve(200), 5000));
    const n = notifier({}, { maxBatch: 1, drainTimeoutMs: 50 });
    n.send('t1', [alert('A'), alert('B'), alert('C')]);
    const begin = Date.now();
    await n.stop();
    expect(Date.now() - begin).toBeLessThan(2000);
    await n.idle();
    expect(metrics.get('dropped', `${srv.base}/am/api/v2/alerts`, 't1')).toBe(3);
  });
});

describe('createNotifier: in-process Alertmanager', () => {
  it('delivers each tenant its own alerts with updatedAt = now and timeout false, after send() returned', async () => {
    const got: Array<[string, Alert[]]> = [];
    const n = notifier({ notifyLocal: true, alertmanagers: [], externalLabels: { cluster: 'eu1' } }, {
      clock: { ...SYSTEM_CLOCK, now: () => 1234 },
      local: (tenant, alerts) => {
        got.push([tenant, alerts]);
        return Promise.resolve();
      },
    });
    n.send('t1', [alert('A')]);
    n.send('t2', [alert('B'), alert('C')]);
    expect(got).toHaveLength(0);
    await n.idle();
    expect(got.map(([tenant, a]) => [tenant, a.map((x) => x.labels['alertname'])])).toEqual([
      ['t1', ['A']],
      ['t2', ['B', 'C']],
    ]);
    expect(got[0]![1][0]).toEqual({ ...alert('A'), labels: { alertname: 'A', cluster: 'eu1' }, updatedAt: 1234, timeout: false });
    expect(metrics.get('sent', 'local', 't2')).toBe(2);
  });

  it('a failing or refusing local Alertmanager is logged and counted', async () => {
    let calls = 0;
    const n = notifier({ notifyLocal: true, alertmanagers: [] }, {
      local: (tenant) => {
        calls++;
        if (tenant === 'bad') return Promise.reject(new Error('tenant store down'));
        return Promise.resolve({ errors: ['start time missing'] });
      },
    });
    n.send('bad', [alert('A')]);
    n.send('picky', [alert('A'), alert('B')]);
    await n.idle();
    expect(calls).toBe(2);
    expect([metrics.get('errors', 'local', 'bad'), metrics.get('dropped', 'local', 'bad')]).toEqual([1, 1]);
    expect([metrics.get('errors', 'local', 'picky'), metrics.get('sent', 'local', 'picky')]).toEqual([1, 1]);
  });

  it('local and external delivery both happen; notifyLocal false skips local', async () => {
    const got: string[] = [];
    const local = (tenant: string): Promise<void> => {
      got.push(tenant);
      return Promise.resolve();
    };
    const both = notifier({ notifyLocal: true }, { local });
    both.send('t1', [alert('A')]);
    await both.idle();
    const off = notifier({ notifyLocal: false }, { local });
    off.send('t2', [alert('A')]);
    await off.idle();
    expect(got).toEqual(['t1']);
    expect(srv.requests.map((r) => r.headers['x-scope-orgid'])).toEqual(['t1', 't2']);
  });
});

describe('createNotifier: configuration', () => {
  it('refuses bad relabel configs and Alertmanagers with every problem and where it is', () => {
    let err: unknown;
    try {
      notifier({
        alertRelabelConfigs: [{ action: 'nope' }],
        alertmanagers: [am({ url: 'not a url' }), am({ url: 'ftp://x', timeoutMs: 0 }), am({ basicAuth: { username: 'u', password: 'p' }, bearerToken: 't' }), am({ url: `${srv.base}/x` }), am({ url: `${srv.base}/x/` })],
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).issues.map((i) => `${(i.path ?? []).join('.')}: ${i.message}`)).toEqual([
      'alert_relabel_configs.0.action: unknown relabel action "nope"',
      'alertmanagers.0.url: invalid Alertmanager URL "not a url"',
      'alertmanagers.1.url: Alertmanager URL "ftp://x" must use http or https',
      'alertmanagers.1.timeout: Alertmanager timeout must be positive, got 0ms',
      'alertmanagers.2: at most one of basic_auth and bearer_token must be configured',
      `alertmanagers.4.url: duplicate Alertmanager URL "${srv.base}/x/"`,
    ]);
  });
});
