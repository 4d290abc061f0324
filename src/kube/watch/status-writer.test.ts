import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitoringObject } from '../api.js';
import type { Logger } from '../../core/runtime.js';
import { FakeApiServer } from './fake-apiserver.test-util.js';
import type { KubeSource } from './kube-source.js';
import { createKubeSource } from './kube-source.js';
import { buildConditions, createStatusWriter } from './status-writer.js';
import { StepClock } from './test-clock.test-util.js';
import type { KubeTransport } from './transport.js';

const NOW = '2026-11-21T10:00:00Z';

function recordingLogger(lines: string[]): Logger {
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (o, m) => void lines.push(`${typeof o === 'string' ? o : (m ?? '')} ${JSON.stringify(o)}`),
    error: (o, m) => void lines.push(`${typeof o === 'string' ? o : (m ?? '')} ${JSON.stringify(o)}`),
    child: () => log,
  };
  return log;
}

const OBJ: MonitoringObject = {
  apiVersion: 'monitoring.coreos.com/v1alpha1',
  kind: 'AlertmanagerConfig',
  metadata: { namespace: 'team-a', name: 'routing', generation: 3, uid: 'u1', resourceVersion: '7' },
  spec: {},
};

describe('buildConditions', () => {
  it.each([
    [{ accepted: true, reason: '', tenant: 'prod' }, ['True', 'Accepted'], ['True', 'Reconciled', 'live in the configuration of tenant "prod"']],
    [{ accepted: false, reason: 'route: receiver "x" is not defined', tenant: 'prod' }, ['False', 'Invalid'], ['False', 'Rejected', 'the object is not part of any configuration because it was rejected']],
    [{ accepted: true, reason: '', tenant: '' }, ['True', 'Accepted'], ['False', 'NoTenant', 'no tenant mapping rule selects this object']],
  ])('%j', (status, [aStatus, aReason], [rStatus, rReason, rMessage]) => {
    const [a, r] = buildConditions(OBJ, status, NOW);
    expect(a).toMatchObject({ type: 'Accepted', status: aStatus, reason: aReason, observedGeneration: 3, lastTransitionTime: NOW });
    expect(r).toEqual({ type: 'Reconciled', status: rStatus, reason: rReason, message: rMessage, observedGeneration: 3, lastTransitionTime: NOW });
    if (!status.accepted) expect(a?.message).toBe(status.reason);
  });

  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const previous = [
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'x', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'Reconciled', status: 'False', reason: 'NoTenant', message: 'y', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ];
    const [a, r] = buildConditions(OBJ, { accepted: true, reason: '', tenant: 'prod' }, NOW, previous);
    expect(a?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(r?.lastTransitionTime).toBe(NOW);
  });

  it('truncates very long rejection messages', () => {
    const [a] = buildConditions(OBJ, { accepted: false, reason: 'x'.repeat(40_000), tenant: '' }, NOW);
    expect(Buffer.byteLength(a!.message)).toBeLessThanOrEqual(32_768);
    expect(a!.message.endsWith('...')).toBe(true);
  });
});

describe('writeStatus against the fake API server', () => {
  let server: FakeApiServer;
  let clock: StepClock;
  let source: KubeSource;
  let warnings: string[];

  beforeEach(async () => {
    server = await new FakeApiServer().start();
    clock = new StepClock(Date.parse(NOW));
    warnings = [];
    server.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'routing' }, spec: { route: {} } });
    source = createKubeSource({ kubeconfig: server.kubeConfig(), kinds: ['alertmanagerconfigs/v1alpha1'], onChange: () => undefined, clock, logger: recordingLogger(warnings), instance: 'herald-0' });
    source.start();
    await source.waitForSync();
    await vi.waitFor(() => expect(server.watcherCount()).toBe(1));
  });
  afterEach(async () => {
    await source.stop();
    await server.close();
  });

  const obj = (): MonitoringObject => source.snapshot().objects[0]!;
  const writes = (): { method: string; path: string; contentType: string | undefined; body: unknown }[] =>
    server.requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, contentType: r.contentType, body: JSON.parse(r.body) }));

  it('PATCHes the status subresource with the exact merge patch', async () => {
    await source.writeStatus(obj(), { accepted: true, reason: '', tenant: 'prod' });
    expect(writes()).toEqual([
      {
        method: 'PATCH',
        path: '/apis/monitoring.coreos.com/v1alpha1/namespaces/team-a/alertmanagerconfigs/routing/status',
        contentType: 'application/merge-patch+json',
        body: {
          status: {
            conditions: [
              { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'the object is valid', observedGeneration: 1, lastTransitionTime: NOW },
              { type: 'Reconciled', status: 'True', reason: 'Reconciled', message: 'live in the configuration of tenant "prod"', observedGeneration: 1, lastTransitionTime: NOW },
            ],
          },
        },
      },
    ]);
    expect(server.get('alertmanagerconfigs', 'team-a', 'routing')?.['status']).toEqual((writes()[0]!.body as { status: unknown }).status);
    expect(warnings).toEqual([]);
  });

  it('posts a Warning event on rejection, once, and skips unchanged statuses', async () => {
    const rejected = { accepted: false, reason: 'receivers[0]: unknown field "slack_confgs"', tenant: 'prod' };
    const o = obj();
    await source.writeStatus(o, rejected);
    const [patch, event] = writes();
    expect(patch?.method).toBe('PATCH');
    expect(event).toEqual({
      method: 'POST',
      path: '/apis/events.k8s.io/v1/namespaces/team-a/events',
      contentType: 'application/json',
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { generateName: 'routing.', namespace: 'team-a' },
        eventTime: '2026-11-21T10:00:00.000000Z',
        reportingController: 'herald.dev/kube-source',
        reportingInstance: 'herald-0',
        action: 'Reconcile',
        reason: 'Rejected',
        type: 'Warning',
        note: 'receivers[0]: unknown field "slack_confgs"',
        regarding: { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', namespace: 'team-a', name: 'routing', uid: 'uid-1', resourceVersion: o.metadata.resourceVersion },
      },
    });
    // Our own PATCH comes back as a MODIFIED event; the same outcome again writes nothing.
    await vi.waitFor(() => expect(source.snapshot().objects[0]?.['status' as keyof MonitoringObject]).toBeDefined());
    const before = server.requests.length;
    clock.advance(60_000);
    await source.writeStatus(obj(), rejected);
    expect(server.requests.length).toBe(before);
    // Fixed: conditions flip, the Accepted transition time moves, no event.
    await source.writeStatus(obj(), { accepted: true, reason: '', tenant: 'prod' });
    const last = writes().slice(2);
    expect(last.map((w) => w.method)).toEqual(['PATCH']);
    expect(JSON.stringify(last[0]?.body)).toContain('"lastTransitionTime":"2026-11-21T10:01:00Z"');
  });

  it('logs instead of throwing when the object is gone or the server fails', async () => {
    const o = obj();
    server.delete('alertmanagerconfigs', 'team-a', 'routing');
    await expect(source.writeStatus(o, { accepted: true, reason: '', tenant: 'p' })).resolves.toBeUndefined();
    expect(warnings).toEqual([]);
    server.apply('alertmanagerconfigs', { metadata: { namespace: 'team-a', name: 'other' }, spec: {} });
    const other: MonitoringObject = { ...o, metadata: { ...o.metadata, name: 'other' } };
    server.failNext(2);
    await source.writeStatus(other, { accepted: false, reason: 'bad', tenant: '' });
    expect(warnings.some((w) => w.includes('status PATCH failed') && w.includes('503'))).toBe(true);
    expect(warnings.some((w) => w.includes('event POST failed'))).toBe(true);
  });

  it('logs transport errors and objects of kinds it does not know', async () => {
    const broken: KubeTransport = {
      request: () => Promise.reject(new Error('connect ECONNREFUSED')),
      watch: () => Promise.reject(new Error('unused')),
    };
    const write = createStatusWriter({ transport: broken, clock, logger: recordingLogger(warnings), currentConditions: () => undefined });
    await write(OBJ, { accepted: true, reason: '', tenant: 'p' });
    await write({ ...OBJ, apiVersion: 'monitoring.coreos.com/v9' as 'monitoring.coreos.com/v1alpha1' }, { accepted: true, reason: '', tenant: 'p' });
    expect(warnings.map((w) => w.split(' {')[0])).toEqual(['status write failed', 'cannot write status: monitoring.coreos.com/v9 AlertmanagerConfig is not a watched resource']);
  });
});
