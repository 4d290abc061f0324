import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { FakeApiServer } from './fake-apiserver.test-util.js';
import type { KubeSnapshot, KubeSource } from './kube-source.js';
import { createKubeSource } from './kube-source.js';
import type { KubeKind } from './resources.js';
import { StepClock } from './test-clock.test-util.js';

const ALL: KubeKind[] = ['namespaces', 'secrets', 'alertmanagerconfigs/v1alpha1', 'prometheusrules'];

function amc(ns: string, name: string, receiver = 'team'): Record<string, unknown> {
  return { metadata: { namespace: ns, name, labels: { team: ns } }, spec: { route: { receiver }, receivers: [{ name: receiver }] } };
}

function names(s: KubeSnapshot | undefined): string[] {
  return (s?.objects ?? []).map((o) => `${o.kind}:${o.metadata.namespace}/${o.metadata.name}`);
}

describe('createKubeSource against the fake API server', () => {
  let server: FakeApiServer;
  let clock: StepClock;
  let source: KubeSource | undefined;
  let snapshots: KubeSnapshot[];

  beforeEach(async () => {
    server = await new FakeApiServer().start();
    clock = new StepClock();
    snapshots = [];
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await server.close();
  });

  function start(kinds: KubeKind[] = ALL): KubeSource {
    source = createKubeSource({ kubeconfig: server.kubeConfig(), kinds, onChange: (s) => snapshots.push(s), clock, logger: NOOP_LOGGER, debounceMs: 100 });
    source.start();
    return source;
  }

  /** Fires the debounce timer until the latest snapshot satisfies `check`. */
  async function until(check: (s: KubeSnapshot | undefined) => void): Promise<KubeSnapshot> {
    await vi.waitFor(
      () => {
        clock.advance(100);
        check(snapshots.at(-1));
      },
      { timeout: 5000, interval: 10 },
    );
    return snapshots.at(-1) as KubeSnapshot;
  }

  async function watching(n: number): Promise<void> {
    await vi.waitFor(() => expect(server.watcherCount()).toBe(n), { timeout: 5000, interval: 5 });
  }

  it('lists every kind, then reports one snapshot with objects, namespaces and secrets', async () => {
    server.apply('namespaces', { metadata: { name: 'team-a', labels: { tenant: 'prod' } } });
    server.apply('secrets', { metadata: { namespace: 'team-a', name: 'slack' }, data: { url: Buffer.from('https://hooks/x').toString('base64') } });
    server.apply('alertmanagerconfigs', amc('team-a', 'routing'));
    server.apply('prometheusrules', { metadata: { namespace: 'team-a', name: 'rules' }, spec: { groups: [] } });
    const s = start();
    await s.waitForSync();
    const snap = await until((x) => expect(names(x)).toEqual(['AlertmanagerConfig:team-a/routing', 'PrometheusRule:team-a/rules']));
    expect(snapshots).toHaveLength(1);
    expect(snap.namespaces).toEqual([{ name: 'team-a', labels: { tenant: 'prod' } }]);
    expect(snap.objects[0]?.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(snap.objects[0]?.metadata.labels).toEqual({ team: 'team-a' });
    expect(await snap.secrets('team-a', 'slack', 'url')).toBe('https://hooks/x');
    expect(await snap.secrets('team-a', 'slack', 'nope')).toBeUndefined();
    expect(await snap.secrets('team-b', 'slack', 'url')).toBeUndefined();
    const lists = server.requests.filter((r) => r.query['watch'] === undefined).map((r) => r.path);
    expect(lists.sort()).toEqual(['/api/v1/namespaces', '/api/v1/secrets', '/apis/monitoring.coreos.com/v1/prometheusrules', '/apis/monitoring.coreos.com/v1alpha1/alertmanagerconfigs']);
    expect(server.requests.every((r) => r.authorization === 'Bearer fake-token')).toBe(true);
  });

  it('watches from the listed version with bookmarks, and applies ADDED, MODIFIED and DELETED', async () => {
    server.apply('alertmanagerconfigs', amc('a', 'one'));
    const listedAt = server.resourceVersion;
    start(['alertmanagerconfigs/v1alpha1']);
    await until((x) => expect(names(x)).toEqual(['AlertmanagerConfig:a/one']));
    await watching(1);
    const w = server.requests.find((r) => r.query['watch'] === 'true');
    expect(w?.query).toMatchObject({ resourceVersion: listedAt, allowWatchBookmarks: 'true' });

    server.apply('alertmanagerconfigs', amc('b', 'two'));
    await until((x) => expect(names(x)).toEqual(['AlertmanagerConfig:a/one', 'AlertmanagerConfig:b/two']));
    server.apply('alertmanagerconfigs', amc('a', 'one', 'changed'));
    await until((x) => expect(x?.objects[0]?.spec).toMatchObject({ route: { receiver: 'changed' } }));
    server.delete('alertmanagerconfigs', 'b', 'two');
    await until((x) => expect(names(x)).toEqual(['AlertmanagerConfig:a/one']));
  });

  it('does not report status-only updates', async () => {
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: { groups: [] } });
    const s = start(['prometheusrules']);
    await until((x) => expect(names(x)).toHaveLength(1));
    await watching(1);
    const obj = s.snapshot().objects[0]!;
    await s.writeStatus(obj, { accepted: true, reason: '', tenant: 't' });
    await vi.waitFor(() => expect(server.get('prometheusrules', 'a', 'r')?.['status']).toBeDefined());
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(1000);
    expect(snapshots).toHaveLength(1);
  });

  it('advances the resourceVersion on bookmarks, so a reconnect resumes there', async () => {
    start(['prometheusrules']);
    await until((x) => expect(x).toBeDefined());
    await watching(1);
    // Changes elsewhere move the global version; the bookmark tells our watcher about it.
    server.apply('alertmanagerconfigs', amc('x', 'elsewhere'));
    server.apply('alertmanagerconfigs', amc('x', 'elsewhere2'));
    const at = server.resourceVersion;
    server.bookmark();
    await new Promise((r) => setTimeout(r, 50));
    server.endWatches();
    await watching(1);
    const watches = server.requests.filter((r) => r.query['watch'] === 'true');
    expect(watches.at(-1)?.query['resourceVersion']).toBe(at);
    expect(server.requests.filter((r) => r.query['watch'] === undefined)).toHaveLength(1);
  });

  it('re-lists after 410 Gone without losing or duplicating objects', async () => {
    for (const n of ['a', 'b', 'c']) server.apply('alertmanagerconfigs', amc('ns', n));
    start(['alertmanagerconfigs/v1alpha1']);
    await until((x) => expect(names(x)).toHaveLength(3));
    await watching(1);
    server.dropConnections();
    // While we are away: one deleted, one changed, one added; then the history is compacted.
    server.delete('alertmanagerconfigs', 'ns', 'b');
    server.apply('alertmanagerconfigs', amc('ns', 'c', 'new-receiver'));
    server.apply('alertmanagerconfigs', amc('ns', 'd'));
    server.expireHistory();
    clock.advance(1000);
    const snap = await until((x) => expect(names(x)).toEqual(['AlertmanagerConfig:ns/a', 'AlertmanagerConfig:ns/c', 'AlertmanagerConfig:ns/d']));
    expect(snap.objects.find((o) => o.metadata.name === 'c')?.spec).toMatchObject({ route: { receiver: 'new-receiver' } });
    await watching(1);
    const paths = server.requests.map((r) => (r.query['watch'] === 'true' ? 'watch' : 'list'));
    // list, watch, (drop) watch -> ERROR 410, list, watch
    expect(paths).toEqual(['list', 'watch', 'watch', 'list', 'watch']);
  });

  it('reconnects after a dropped connection with exponential back-off capped at 30s', async () => {
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: { groups: [] } });
    start(['prometheusrules']);
    await until((x) => expect(names(x)).toHaveLength(1));
    await watching(1);
    server.failNext(6);
    server.dropConnections();
    for (let i = 0; i < 7; i++) {
      await vi.waitFor(() => expect(clock.sleeps).toHaveLength(i + 1), { timeout: 5000, interval: 5 });
      clock.advance(clock.sleeps[i]!);
    }
    await watching(1);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r2' }, spec: { groups: [] } });
    await until((x) => expect(names(x)).toHaveLength(2));
    // A good answer resets the back-off.
    server.dropConnections();
    await vi.waitFor(() => expect(clock.sleeps).toHaveLength(8), { timeout: 5000, interval: 5 });
    expect(clock.sleeps[7]).toBe(1000);
    expect(server.requests.filter((r) => r.query['watch'] === undefined)).toHaveLength(1);
  });

  it('retries a failing first list with back-off and reports only after every kind synced', async () => {
    server.failNext(1);
    start(['namespaces', 'prometheusrules']);
    await vi.waitFor(() => expect(clock.sleeps).toEqual([1000]), { timeout: 5000, interval: 5 });
    clock.advance(100);
    await new Promise((r) => setTimeout(r, 30));
    clock.advance(100);
    expect(snapshots).toHaveLength(0);
    clock.advance(1000);
    await until((x) => expect(x).toBeDefined());
  });

  it('backs off when watches end at once without events, and re-watches at once after events', async () => {
    start(['prometheusrules']);
    await until((x) => expect(x).toBeDefined());
    await watching(1);
    server.endWatches();
    await vi.waitFor(() => expect(clock.sleeps).toEqual([1000]), { timeout: 5000, interval: 5 });
    clock.advance(1000);
    await watching(1);
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: {} });
    await until((x) => expect(names(x)).toHaveLength(1));
    server.endWatches();
    await watching(1);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('reports a steady stream of changes at least every ten debounce periods', async () => {
    start(['prometheusrules']);
    await until((x) => expect(x).toBeDefined());
    await watching(1);
    for (let i = 0; i < 12; i++) {
      server.apply('prometheusrules', { metadata: { namespace: 'a', name: `r${i}` }, spec: {} });
      await vi.waitFor(() => expect(server.requests.length).toBeGreaterThan(0));
      await new Promise((r) => setTimeout(r, 20));
      clock.advance(99);
    }
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    expect(snapshots.length).toBeLessThan(12);
  });

    it.each([
    [500, ['list', 'watch', 'watch'], [1000]],
    [410, ['list', 'watch', 'list', 'watch'], []],
  ])('after an ERROR event with code %i: requests %j, back-off %j', async (code, requests, sleeps) => {
    start(['prometheusrules']);
    await until((x) => expect(x).toBeDefined());
    await watching(1);
    server.errorWatches(code, 'boom');
    if (sleeps.length > 0) {
      await vi.waitFor(() => expect(clock.sleeps).toEqual(sleeps), { timeout: 5000, interval: 5 });
      clock.advance(1000);
    }
    await watching(1);
    expect(server.requests.map((r) => (r.query['watch'] === 'true' ? 'watch' : 'list'))).toEqual(requests);
    expect(clock.sleeps).toEqual(sleeps);
  });

    it('watches AlertmanagerConfig v1beta1', async () => {
    server.apply('alertmanagerconfigs', amc('a', 'one'));
    start(['alertmanagerconfigs/v1beta1']);
    const snap = await until((x) => expect(names(x)).toHaveLength(1));
    expect(snap.objects[0]?.apiVersion).toBe('monitoring.coreos.com/v1beta1');
    expect(server.requests[0]?.path).toBe('/apis/monitoring.coreos.com/v1beta1/alertmanagerconfigs');
  });

  it('stops cleanly and sends nothing after stop', async () => {
    const s = start(['prometheusrules']);
    await until((x) => expect(x).toBeDefined());
    await watching(1);
    await s.stop();
    source = undefined;
    await vi.waitFor(() => expect(server.watcherCount()).toBe(0));
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'late' }, spec: {} });
    clock.advance(10_000);
    expect(snapshots).toHaveLength(1);
  });
});

describe('createKubeSource options', () => {
  const base = { onChange: () => undefined, clock: new StepClock(), logger: NOOP_LOGGER };

  it('rejects watching both AlertmanagerConfig versions', async () => {
    const server = await new FakeApiServer().start();
    try {
      expect(() => createKubeSource({ ...base, kubeconfig: server.kubeConfig(), kinds: ['alertmanagerconfigs/v1alpha1', 'alertmanagerconfigs/v1beta1'] })).toThrow(/one AlertmanagerConfig version/);
      expect(() => createKubeSource({ ...base, kubeconfig: server.kubeConfig(), kinds: ['pods' as KubeKind] })).toThrow(/unknown kind "pods"/);
    } finally {
      await server.close();
    }
  });

  it('rejects a kubeconfig without a current cluster', async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    expect(() => createKubeSource({ ...base, kubeconfig: new KubeConfig(), kinds: ['namespaces'] })).toThrow(/no current cluster/);
  });
});
