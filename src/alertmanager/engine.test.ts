import { describe, expect, it } from 'vitest';
import type { Alert } from '../core/alert.js';
import { fingerprint } from '../core/labels.js';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { tenantState } from '../core/state-store.js';
import { MemoryStateStore } from '../store/memory.js';
import type { AlertQuery, GroupQuery, TenantAlertmanager } from './api.js';
import { loadConfig } from './config/index.js';
import type { AlertmanagerConfig } from './config/types.js';
import { createAlertmanager, matchFilterLabels } from './engine.js';
import { FakeHttp, ManualClock, recordingMetrics } from './notify/test-fakes.js';
import { UNLIMITED } from './options.js';

const T0 = Date.parse('2026-01-05T10:00:00Z');
const YAML = `
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
  - matchers: ['team="b"']
    receiver: team-b
receivers:
- name: hook
  webhook_configs:
  - url: http://sink/hook
- name: team-b
  webhook_configs:
  - url: http://sink/b
`;

function config(text = YAML): AlertmanagerConfig {
  const r = loadConfig(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

const ALL_ALERTS: AlertQuery = { filter: [], active: true, silenced: true, inhibited: true, unprocessed: true };
const ALL_GROUPS: GroupQuery = { filter: [], active: true, silenced: true, inhibited: true, muted: true };

function alert(labels: Record<string, string>, now: number): Alert {
  return { labels, annotations: {}, startsAt: now, endsAt: now + 300_000, generatorURL: '', updatedAt: now, timeout: true };
}

async function engine(mem: MemoryStateStore, clock: Clock, http: FakeHttp): Promise<TenantAlertmanager> {
  return createAlertmanager({
    tenant: 't1',
    config: config(),
    state: tenantState(mem, 't1'),
    clock,
    logger: NOOP_LOGGER,
    http,
    metrics: recordingMetrics(),
    limits: UNLIMITED,
    externalURL: 'http://herald',
    version: '0.1.0',
    retentionMs: 120 * 3600_000,
  });
}

/** Lets timers and their promise chains run up to `t`. */
async function advanceTo(clock: Clock, t: number): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
  clock.runUntil(t);
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
}

class Clock extends ManualClock {
  private readonly due: { at: number; fn: () => void; dead: boolean }[] = [];
  override schedule(ms: number, fn: () => void): { cancel(): void } {
    const t = { at: this.t + Math.max(0, ms), fn, dead: false };
    this.due.push(t);
    return { cancel: () => void (t.dead = true) };
  }
  runUntil(t: number): void {
    for (;;) {
      const live = this.due.filter((d) => !d.dead && d.at <= t).sort((a, b) => a.at - b.at);
      const next = live[0];
      if (next === undefined) break;
      next.dead = true;
      if (next.at > this.t) this.t = next.at;
      next.fn();
    }
    this.t = Math.max(this.t, t);
  }
}

describe('createAlertmanager', () => {
  it('sends one grouped notification after group_wait, per receiver', async () => {
    const mem = new MemoryStateStore({ now: () => T0 });
    const clock = new Clock(T0);
    const http = new FakeHttp();
    const am = await engine(mem, clock, http);
    const res = await am.putAlerts([alert({ alertname: 'A', i: '1' }, T0), alert({ alertname: 'A', i: '2' }, T0), alert({ alertname: 'A', team: 'b' }, T0)]);
    expect(res.errors).toEqual([]);
    await advanceTo(clock, T0 + 29_000);
    expect(http.requests).toHaveLength(0);
    await advanceTo(clock, T0 + 30_000);
    expect(http.requests.map((r) => r.url).sort()).toEqual(['http://sink/b', 'http://sink/hook']);
    const body = JSON.parse(http.requests.find((r) => r.url === 'http://sink/hook')?.body as string) as { alerts: unknown[]; groupKey: string };
    expect(body.alerts).toHaveLength(2);
    expect(body.groupKey).toBe('{}:{alertname="A"}');

    const groups = am.groups(ALL_GROUPS);
    expect(groups.map((g) => [g.labels, g.receiver, g.alerts.length])).toEqual([
      [{ alertname: 'A' }, 'hook', 2],
      [{ alertname: 'A' }, 'team-b', 1],
    ]);
    const views = am.alerts(ALL_ALERTS);
    expect(views.map((v) => v.fingerprint)).toEqual([...views.map((v) => v.fingerprint)].sort());
    expect(views.find((v) => v.alert.labels['team'] === 'b')?.receivers).toEqual(['team-b']);
    expect(am.alerts({ ...ALL_ALERTS, receiver: (n) => n === 'team-b' })).toHaveLength(1);
    await am.stop();
  });

  it('a silence suppresses notification and shows in the status', async () => {
    const mem = new MemoryStateStore({ now: () => T0 });
    const clock = new Clock(T0);
    const http = new FakeHttp();
    const am = await engine(mem, clock, http);
    const id = await am.setSilence({ matchers: [mustMatcher('alertname', '=', 'A')], startsAt: T0, endsAt: T0 + 3600_000, createdBy: 'me', comment: 'x' });
    await am.putAlerts([alert({ alertname: 'A' }, T0)]);
    await advanceTo(clock, T0 + 60_000);
    expect(http.requests).toHaveLength(0);
    const [v] = am.alerts(ALL_ALERTS);
    expect(v?.status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [], mutedBy: [] });
    expect(am.alerts({ ...ALL_ALERTS, silenced: false })).toEqual([]);
    await am.stop();
  });

  it('restores alerts, silences and nflog on restart and does not resend before repeat_interval', async () => {
    const mem = new MemoryStateStore({ now: () => T0 });
    const clock = new Clock(T0);
    const http = new FakeHttp();
    const am = await engine(mem, clock, http);
    await am.setSilence({ matchers: [mustMatcher('alertname', '=', 'Quiet')], startsAt: T0, endsAt: T0 + 3600_000, createdBy: 'me', comment: 'x' });
    await am.putAlerts([{ ...alert({ alertname: 'A' }, T0), endsAt: T0 + 10 * 3600_000, timeout: false }]);
    await advanceTo(clock, T0 + 30_000);
    expect(http.requests).toHaveLength(1);
    await am.stop();

    const http2 = new FakeHttp();
    const am2 = await engine(mem, clock, http2);
    expect(am2.alerts(ALL_ALERTS).map((v) => v.fingerprint)).toEqual([fingerprint({ alertname: 'A' })]);
    expect(am2.silences([])).toHaveLength(1);
    await advanceTo(clock, T0 + 120_000);
    expect(http2.requests).toHaveLength(0);
    // Past repeat_interval (4h after the first send) the group is notified again.
    await advanceTo(clock, T0 + 4 * 3600_000 + 60_000);
    expect(http2.requests).toHaveLength(1);
    await am2.stop();
  });

  it('applyConfig regroups the held alerts under the new routes', async () => {
    const mem = new MemoryStateStore({ now: () => T0 });
    const clock = new Clock(T0);
    const am = await engine(mem, clock, new FakeHttp());
    await am.putAlerts([alert({ alertname: 'A', team: 'b' }, T0)]);
    await am.applyConfig(config(YAML.replace("- matchers: ['team=\"b\"']", "- matchers: ['team=\"c\"']")));
    expect(am.groups(ALL_GROUPS).map((g) => g.receiver)).toEqual(['hook']);
    expect(am.receivers()).toEqual(['hook', 'team-b']);
    await am.stop();
  });
});

describe('matchFilterLabels (api/v2)', () => {
  it.each([
    ['a=""', { b: '1' }, true],
    ['a=""', { a: '1' }, false],
    ['a!=""', { a: '1' }, true],
    ['a!=""', {}, false],
    ['a=~""', {}, true],
    ['a="1"', { a: '1' }, true],
    ['a="1"', { a: '2' }, false],
  ] as const)('%s on %j -> %s', (m, labels, want) => {
    const [, name, op, value] = /^(\w+)(=~|!=|!~|=)"(.*)"$/.exec(m) as unknown as [string, string, '=' | '!=' | '=~' | '!~', string];
    expect(matchFilterLabels([mustMatcher(name, op, value)], labels)).toBe(want);
  });
});
