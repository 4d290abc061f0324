import { describe, expect, it } from 'vitest';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { FakeAlertmanager, fakeClock, fakeLoadConfig } from '../server/test-fakes.js';
import { createMetrics } from '../server/metrics.js';
import { openMemoryStore } from '../store/index.js';
import { Limits } from './limits.js';
import { BUILTIN_FALLBACK_CONFIG, CONFIG_KEY, CONFIG_KIND, PinnedConfigError, TenantRegistry } from './registry.js';
import type { EngineFactory } from './registry.js';

function cfg(receiver: string): AlertmanagerConfig {
  const r = fakeLoadConfig(`route:\n  receiver: ${receiver}\nreceivers:\n  - name: ${receiver}\n`);
  if (!r.ok) throw new Error('bad');
  return r.value;
}

function setup(opts: { pinned?: Map<string, AlertmanagerConfig>; factory?: EngineFactory; onKubeBaseChange?: (tenant: string) => void } = {}) {
  const store = openMemoryStore();
  const created: string[] = [];
  const registry = new TenantRegistry({
    store,
    loadConfig: fakeLoadConfig,
    createEngine:
      opts.factory ??
      ((o) => {
        created.push(o.tenant);
        return Promise.resolve(new FakeAlertmanager(o));
      }),
    clock: fakeClock(),
    logger: NOOP_LOGGER,
    http: { request: () => Promise.reject(new Error('x')) },
    metrics: createMetrics(false).alertmanager,
    limits: new Limits(),
    externalURL: 'http://x',
    version: 'test',
    retentionMs: 1000,
    fallback: cfg('empty-receiver'),
    ...(opts.pinned ? { pinned: opts.pinned } : {}),
    ...(opts.onKubeBaseChange ? { onKubeBaseChange: opts.onKubeBaseChange } : {}),
  });
  return { store, registry, created };
}

describe('TenantRegistry', () => {
  it('BUILTIN_FALLBACK_CONFIG routes to empty-receiver', () => {
    const r = fakeLoadConfig(BUILTIN_FALLBACK_CONFIG);
    expect(r.ok && r.value.route.receiver).toBe('empty-receiver');
  });

  it('restores tenants with stored state and loads their stored config', async () => {
    const { store, registry, created } = setup();
    const uc = { alertmanager_config: 'route:\n  receiver: r1\nreceivers:\n  - name: r1\n', template_files: {} };
    await store.write([
      { op: 'put', tenant: 't1', kind: CONFIG_KIND, key: CONFIG_KEY, value: JSON.stringify(uc) },
      { op: 'put', tenant: 't2', kind: 'silence', key: 's', value: '{}' },
    ]);
    await registry.restore();
    expect(created.sort()).toEqual(['t1', 't2']);
    expect((await registry.get('t1')).receivers()).toEqual(['r1']);
    expect((await registry.get('t2')).receivers()).toEqual(['empty-receiver']);
  });

  it('a kube-rendered tenant keeps its config on upload and delete, and the kube sync is told', async () => {
    const told: string[] = [];
    const { registry } = setup({ onKubeBaseChange: (t) => told.push(t) });
    await registry.setKubeConfig('k', cfg('rendered'));
    const up = { alertmanager_config: 'route:\n  receiver: up\nreceivers:\n  - name: up\n', template_files: {} };
    await registry.putUserConfig('k', up, cfg('up'));
    expect((await registry.get('k')).receivers()).toEqual(['rendered']);
    expect(await registry.baseConfigText('k', 'fallback')).toBe(up.alertmanager_config);
    await registry.deleteUserConfig('k');
    expect((await registry.get('k')).receivers()).toEqual(['rendered']);
    expect(await registry.baseConfigText('k', 'fallback')).toBe('fallback');
    expect(told).toEqual(['k', 'k']);
    await registry.putUserConfig('plain', up, cfg('up'));
    await registry.deleteUserConfig('plain');
    expect(told).toEqual(['k', 'k']);
  });

  it('a failed creation is retried on the next request', async () => {
    let calls = 0;
    const { registry } = setup({
      factory: (o) => {
        calls++;
        if (calls === 1) return Promise.reject(new Error('boom'));
        return Promise.resolve(new FakeAlertmanager(o));
      },
    });
    await expect(registry.get('t')).rejects.toThrow('boom');
    await expect(registry.get('t')).resolves.toBeInstanceOf(FakeAlertmanager);
  });

  it('pinned tenants refuse config API writes and follow reloads', async () => {
    const { registry } = setup({ pinned: new Map([['anonymous', cfg('pinned')]]) });
    expect((await registry.get('anonymous')).receivers()).toEqual(['pinned']);
    await expect(registry.putUserConfig('anonymous', { alertmanager_config: 'x', template_files: {} }, cfg('x'))).rejects.toBeInstanceOf(PinnedConfigError);
    await expect(registry.deleteUserConfig('anonymous')).rejects.toBeInstanceOf(PinnedConfigError);
    await registry.get('other');
    await registry.reload({ fallback: cfg('fb2'), pinned: new Map([['anonymous', cfg('pinned2')]]), limits: new Limits() });
    expect((await registry.get('anonymous')).receivers()).toEqual(['pinned2']);
    expect((await registry.get('other')).receivers()).toEqual(['fb2']);
    await registry.reload({ fallback: cfg('fb3'), pinned: new Map(), limits: new Limits() });
    expect((await registry.get('anonymous')).receivers()).toEqual(['fb3']);
  });

  it('a tenant with its own config keeps it across fallback reloads; delete falls back', async () => {
    const { registry } = setup();
    await registry.putUserConfig('t', { alertmanager_config: 'route:\n  receiver: mine\nreceivers:\n  - name: mine\n', template_files: {} }, cfg('mine'));
    await registry.reload({ fallback: cfg('fb2'), pinned: new Map(), limits: new Limits() });
    expect((await registry.get('t')).receivers()).toEqual(['mine']);
    await registry.deleteUserConfig('t');
    expect((await registry.get('t')).receivers()).toEqual(['fb2']);
    expect(await registry.getUserConfig('t')).toBeUndefined();
  });

  it('stop stops every engine', async () => {
    const { registry } = setup();
    const a = (await registry.get('a')) as FakeAlertmanager;
    await registry.stop();
    expect(a.stopped).toBe(true);
  });
});
