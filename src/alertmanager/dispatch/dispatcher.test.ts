import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { Clock, TimerHandle } from '../../core/runtime.js';
import type { RouteConfig } from '../config/types.js';
import type { FlushContext } from '../notify/index.js';
import { RecordingMetric } from '../notify/test-fakes.js';
import { RouteTree } from '../route/index.js';
import { Dispatcher } from './dispatcher.js';
import { compareAlerts } from './sort.js';

const T0 = 1_700_000_000_000;

class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; dead: boolean }[] = [];
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  schedule(ms: number, fn: () => void): TimerHandle {
    const x = { at: this.t + Math.max(0, ms), fn, dead: false };
    this.timers.push(x);
    return { cancel: () => void (x.dead = true) };
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      const next = this.timers.filter((x) => !x.dead && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      next.dead = true;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
    await new Promise<void>((r) => setImmediate(r));
  }
}

function route(r: Partial<RouteConfig>): RouteConfig {
  return { groupByAll: false, matchers: [], continue: false, routes: [], muteTimeIntervals: [], activeTimeIntervals: [], ...r };
}

function alert(labels: Labels, o: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: T0, endsAt: T0 + 3600_000, generatorURL: '', updatedAt: T0, timeout: false, ...o };
}

function setup(cfg: RouteConfig, maxAggregationGroups = 0, result = true) {
  const clock = new FakeClock(T0);
  const flushes: { ctx: FlushContext; alerts: readonly Alert[] }[] = [];
  const limitHit = new RecordingMetric('limit');
  const d = new Dispatcher({
    tenant: 't1',
    tree: new RouteTree(cfg),
    notifier: { flush: (ctx, alerts) => (flushes.push({ ctx, alerts }), Promise.resolve(result)) },
    clock,
    logger: NOOP_LOGGER,
    maxAggregationGroups,
    metrics: { aggregationGroups: new RecordingMetric('groups'), aggregationGroupLimitReached: limitHit },
  });
  const put = (a: Alert): void => d.onAlert(a, fingerprint(a.labels));
  return { clock, flushes, d, put, limitHit };
}

const TREE = route({
  receiver: 'default',
  groupBy: ['alertname'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  routes: [
    route({ matchers: [mustMatcher('env', '=', 'prod')], receiver: 'prod', groupBy: ['alertname', 'service'], continue: true }),
    route({ matchers: [mustMatcher('kafka', '=', 'yes')], receiver: 'kafka', groupByAll: true }),
  ],
});

describe('Dispatcher grouping (dispatch_test.go TestGroups shapes)', () => {
  it.each<[string, Labels[], string[]]>([
    ['one group per alertname on the root', [{ alertname: 'A' }, { alertname: 'A', x: '1' }, { alertname: 'B' }], ['{}:{alertname="A"}', '{}:{alertname="B"}']],
    [
      'continue fans out to the next sibling',
      [{ alertname: 'A', env: 'prod', service: 's', kafka: 'yes' }],
      ['{}/{env="prod"}:{alertname="A", service="s"}', '{}/{kafka="yes"}:{alertname="A", env="prod", kafka="yes", service="s"}'],
    ],
    ['group_by ... groups by all labels', [{ kafka: 'yes', a: '1' }, { kafka: 'yes', a: '2' }], ['{}/{kafka="yes"}:{a="1", kafka="yes"}', '{}/{kafka="yes"}:{a="2", kafka="yes"}']],
    ['absent group-by label leaves it out', [{ env: 'prod', alertname: 'A' }], ['{}/{env="prod"}:{alertname="A"}']],
    ['no label at all groups on the root', [{ other: 'x' }], ['{}:{}']],
  ])('%s', (_, inputs, keys) => {
    const { d, put } = setup(TREE);
    for (const l of inputs) put(alert(l));
    expect(d.groups().map((g) => g.groupKey).sort()).toEqual([...keys].sort());
  });

  it('flushes after group_wait, then every group_interval, with the group context', async () => {
    const { clock, flushes, put } = setup(TREE);
    put(alert({ alertname: 'A', instance: '2' }));
    put(alert({ alertname: 'A', instance: '1' }));
    await clock.advance(29_999);
    expect(flushes).toHaveLength(0);
    await clock.advance(1);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]?.ctx).toMatchObject({ groupKey: '{}:{alertname="A"}', receiver: 'default', groupIntervalMs: 300_000, routeId: '{}' });
    expect(flushes[0]?.alerts.map((a) => a.labels['instance'])).toEqual(['1', '2']);
    expect(flushes[0]?.alerts.every((a) => a.endsAt === 0)).toBe(true);
    await clock.advance(300_000);
    expect(flushes).toHaveLength(2);
  });

  it('flushes at once when the alert started more than group_wait ago', async () => {
    const { clock, flushes, put } = setup(TREE);
    put(alert({ alertname: 'A' }, { startsAt: T0 - 60_000 }));
    await clock.advance(0);
    expect(flushes).toHaveLength(1);
  });

  it('drops resolved alerts after a successful flush, and the group when empty', async () => {
    const { clock, flushes, put, d } = setup(TREE);
    put(alert({ alertname: 'A' }, { endsAt: T0 + 10 }));
    put(alert({ alertname: 'A', x: '1' }));
    await clock.advance(30_000);
    expect(flushes[0]?.alerts.map((a) => a.endsAt)).toEqual([T0 + 10, 0]);
    expect(d.groups()[0]?.alerts.size).toBe(1);
    put(alert({ alertname: 'A', x: '1' }, { endsAt: T0 + 40_000, updatedAt: T0 + 35_000 }));
    await clock.advance(300_000);
    expect(d.size).toBe(0);
  });

  it('keeps resolved alerts when the flush failed', async () => {
    const { clock, put, d } = setup(TREE, 0, false);
    put(alert({ alertname: 'A' }, { endsAt: T0 + 10 }));
    await clock.advance(30_000);
    expect(d.groups()[0]?.alerts.size).toBe(1);
  });

  it('refuses new groups past the aggregation group limit', () => {
    const { put, d, limitHit } = setup(TREE, 2);
    put(alert({ alertname: 'A' }));
    put(alert({ alertname: 'B' }));
    put(alert({ alertname: 'C' }));
    put(alert({ alertname: 'A', x: '1' }));
    expect(d.size).toBe(2);
    expect(limitHit.values.get('limit{tenant=t1}')).toBe(1);
  });

  it('stop cancels every timer', async () => {
    const { clock, flushes, put, d } = setup(TREE);
    put(alert({ alertname: 'A' }));
    await d.stop();
    await clock.advance(60_000);
    expect(flushes).toHaveLength(0);
  });

  it('stop resolves only after a flush under way has finished', async () => {
    const clock = new FakeClock(T0);
    let release: (ok: boolean) => void = () => undefined;
    const d = new Dispatcher({
      tenant: 't1',
      tree: new RouteTree(TREE),
      notifier: { flush: () => new Promise<boolean>((r) => (release = r)) },
      clock,
      logger: NOOP_LOGGER,
      maxAggregationGroups: 0,
      metrics: { aggregationGroups: new RecordingMetric('groups'), aggregationGroupLimitReached: new RecordingMetric('limit') },
    });
    const a = alert({ alertname: 'A' });
    d.onAlert(a, fingerprint(a.labels));
    await clock.advance(60_000);
    let stopped = false;
    const done = d.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release(true);
    await done;
    expect(stopped).toBe(true);
  });
});

describe('compareAlerts (AlertSlice.Less)', () => {
  it.each<[Labels, Labels, number]>([
    [{ job: 'a' }, { job: 'b' }, -1],
    [{ job: 'a' }, { x: 'a' }, -1],
    [{ x: 'a' }, { job: 'a' }, 1],
    [{ job: 'a', instance: '2' }, { job: 'a', instance: '1' }, 1],
    [{ a: '1' }, { a: '2' }, -1],
  ])('%j vs %j', (a, b, want) => {
    expect(Math.sign(compareAlerts({ labels: a }, { labels: b }))).toBe(want);
  });
});
