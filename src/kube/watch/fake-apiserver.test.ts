import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake-apiserver.test-util.js';
import type { KubeTransport } from './transport.js';
import { createKubeTransport } from './transport.js';

/** The fake must behave as the real API server does, or the watcher tests prove nothing. */
describe('FakeApiServer protocol', () => {
  let server: FakeApiServer;
  let t: KubeTransport;

  beforeEach(async () => {
    server = await new FakeApiServer().start();
    t = createKubeTransport(server.kubeConfig());
  });
  afterEach(() => server.close());

  async function watchLines(path: string, untilLines: number): Promise<{ type: string; object: Record<string, unknown> }[]> {
    const lines: string[] = [];
    const ac = new AbortController();
    const done = t.watch(path, (l) => {
      lines.push(l);
      if (lines.length >= untilLines) ac.abort();
    }, ac.signal);
    await done.catch(() => undefined);
    return lines.map((l) => JSON.parse(l) as { type: string; object: Record<string, unknown> });
  }

  it('lists with a resourceVersion; core list items carry no apiVersion/kind', async () => {
    server.apply('namespaces', { metadata: { name: 'a' } });
    const res = await t.request('GET', '/api/v1/namespaces');
    const body = JSON.parse(res.body) as { kind: string; metadata: { resourceVersion: string }; items: Record<string, unknown>[] };
    expect(res.status).toBe(200);
    expect(body.kind).toBe('NamespaceList');
    expect(body.metadata.resourceVersion).toBe(server.resourceVersion);
    expect(body.items[0]).not.toHaveProperty('kind');
  });

  it('filters namespaced lists and serves both AlertmanagerConfig versions from one storage', async () => {
    server.apply('alertmanagerconfigs', { metadata: { namespace: 'a', name: 'x' }, spec: {} });
    server.apply('alertmanagerconfigs', { metadata: { namespace: 'b', name: 'y' }, spec: {} });
    const res = await t.request('GET', '/apis/monitoring.coreos.com/v1beta1/namespaces/b/alertmanagerconfigs');
    const items = (JSON.parse(res.body) as { items: { apiVersion: string; metadata: { name: string } }[] }).items;
    expect(items.map((i) => [i.apiVersion, i.metadata.name])).toEqual([['monitoring.coreos.com/v1beta1', 'y']]);
  });

  it('answers a LIST at an expired exact version with a 410 Status', async () => {
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: {} });
    server.expireHistory();
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r2' }, spec: {} });
    const res = await t.request('GET', '/apis/monitoring.coreos.com/v1/prometheusrules?resourceVersion=5');
    expect(res.status).toBe(410);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('replays history after the version, and sends an ERROR 410 event for an expired one', async () => {
    const first = server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: {} });
    const from = (first['metadata'] as { resourceVersion: string }).resourceVersion;
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: { groups: [] } });
    server.delete('prometheusrules', 'a', 'r');
    const evs = await watchLines(`/apis/monitoring.coreos.com/v1/prometheusrules?watch=true&resourceVersion=${from}`, 2);
    expect(evs.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect((evs[0]?.object['metadata'] as { generation: number }).generation).toBe(2);

    server.expireHistory();
    const expired = await watchLines(`/apis/monitoring.coreos.com/v1/prometheusrules?watch=true&resourceVersion=${from}`, 1);
    expect(expired).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
  });

  it('rejects requests without the token, unknown resources and unsupported methods', async () => {
    const other = createKubeTransport(server.kubeConfig('wrong'));
    expect((await other.request('GET', '/api/v1/namespaces')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/pods')).status).toBe(404);
    expect((await t.request('POST', '/api/v1/namespaces', { contentType: 'application/json', text: '{}' })).status).toBe(405);
    expect((await t.request('PATCH', '/apis/monitoring.coreos.com/v1/namespaces/a/prometheusrules/nope/status', { contentType: 'application/merge-patch+json', text: '{}' })).status).toBe(404);
  });

  it('works with a kubeconfig file, as `loadFromFile` reads it', async () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "' + server.url + '", insecure-skip-tls-verify: true}}]',
        'users: [{name: u, user: {token: fake-token}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
    expect((await createKubeTransport(kc).request('GET', '/api/v1/namespaces')).status).toBe(200);
  });

    it('merges a status PATCH without moving the generation', async () => {
    server.apply('prometheusrules', { metadata: { namespace: 'a', name: 'r' }, spec: { groups: [] }, status: { other: 1 } });
    const res = await t.request('PATCH', '/apis/monitoring.coreos.com/v1/namespaces/a/prometheusrules/r/status', { contentType: 'application/merge-patch+json', text: '{"status":{"conditions":[]},"spec":{"ignored":true}}' });
    expect(res.status).toBe(200);
    const stored = server.get('prometheusrules', 'a', 'r')!;
    expect(stored['status']).toEqual({ other: 1, conditions: [] });
    expect(stored['spec']).toEqual({ groups: [] });
    expect((stored['metadata'] as { generation: number }).generation).toBe(1);
  });
});
