import { describe, expect, it } from 'vitest';
import { STALE_NAN, isStaleNaN } from '../../core/stale-nan.js';
import type { OutgoingAlert, RuleSample } from '../../ruler/api.js';
import { SplittingAlertSink, SplittingBackend, TenantAppendError } from './splitting.js';
import { memoryTenants, seriesNames, TenantSink, valueAt } from './test-kit.test-util.js';
import { TenantRouter } from './tenants.js';
import { UnionSeriesSource } from './union-source.js';

function backendFor(ids: readonly string[]) {
  const mem = memoryTenants(ids, ['platform']);
  const router = new TenantRouter(mem.tenants);
  const backend = new SplittingBackend({ router, source: new UnionSeriesSource({ router }) });
  return { ...mem, router, backend };
}

const sample = (labels: Record<string, string>, t: number, v: number): RuleSample => ({ labels, t, v });

describe('SplittingBackend', () => {
  it('writes each sample into the store its tenant label names, label kept; others into the platform store', async () => {
    const { stores, backend } = backendFor(['a', 'b']);
    const r = await backend.append([
      sample({ __name__: 'tenant:x:max', tenant: 'a' }, 1000, 1),
      sample({ __name__: 'tenant:x:max', tenant: 'b' }, 1000, 2),
      sample({ __name__: 'platform:up' }, 1000, 3),
      sample({ __name__: 'tenant:x:max', tenant: 'nobody' }, 1000, 4),
      sample({ __name__: 'tenant:x:max', tenant: '' }, 1000, 5),
    ]);
    expect(r).toEqual({ rejected: 0 });
    expect(await seriesNames(stores.get('a')!)).toEqual(['tenant:x:max{tenant=a}']);
    expect(await seriesNames(stores.get('b')!)).toEqual(['tenant:x:max{tenant=b}']);
    expect(await seriesNames(stores.get('platform')!)).toEqual(['platform:up{tenant=}', 'tenant:x:max{tenant=nobody}', 'tenant:x:max{tenant=}']);
    expect(await valueAt(stores.get('b')!, { __name__: 'tenant:x:max', tenant: 'b' }, 1000)).toBe(2);
  });

  it('queries over every tenant, and reads back what it wrote', async () => {
    const { stores, backend } = backendFor(['a', 'b']);
    stores.get('a')!.source.add({ __name__: 'm', tenant: 'b' }, 1000, 10);
    stores.get('b')!.source.add({ __name__: 'm' }, 1000, 20);
    const got = await backend.queryVector('sum by (tenant) (m)', 1000);
    expect(got.map((s) => [s.labels['tenant'], s.v])).toEqual([
      ['a', 10],
      ['b', 20],
    ]);
    await backend.append(got.map((s) => ({ ...s, labels: { ...s.labels, __name__: 'tenant:m:sum' } })));
    const back = await backend.queryVector('tenant:m:sum', 1000);
    expect(back.map((s) => s.labels)).toEqual([
      { __name__: 'tenant:m:sum', tenant: 'a' },
      { __name__: 'tenant:m:sum', tenant: 'b' },
    ]);
  });

  it('adds up refused samples and names the tenant of the first error', async () => {
    const { backend } = backendFor(['a', 'b']);
    await backend.append([sample({ __name__: 'r', tenant: 'b' }, 2000, 1)]);
    const r = await backend.append([sample({ __name__: 'r', tenant: 'a' }, 1000, 1), sample({ __name__: 'r', tenant: 'b' }, 1000, 1), sample({ __name__: 'r', tenant: 'b' }, 2000, 7)]);
    expect(r.rejected).toBe(2);
    expect(r.firstError).toBe('tenant "b": out of order sample');
  });

  it('keeps stale markers bit-exact on their way to the tenant store', async () => {
    const { stores, backend } = backendFor(['a']);
    await backend.append([sample({ __name__: 's', tenant: 'a' }, 1000, 1)]);
    await backend.append([sample({ __name__: 's', tenant: 'a' }, 2000, STALE_NAN)]);
    expect(isStaleNaN((await valueAt(stores.get('a')!, { __name__: 's', tenant: 'a' }, 2000)) ?? 0)).toBe(true);
  });

  it('writes the other tenants when one store fails, then throws naming it', async () => {
    const { tenants, stores } = memoryTenants(['a', 'b']);
    const router = new TenantRouter({ ...tenants, append: (t, s) => (t === 'a' ? Promise.reject(new Error('WAL write failed')) : tenants.append(t, s)) });
    const backend = new SplittingBackend({ router, source: new UnionSeriesSource({ router }) });
    const err = await backend.append([sample({ __name__: 'x', tenant: 'a' }, 1, 1), sample({ __name__: 'x', tenant: 'b' }, 1, 1)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantAppendError);
    expect((err as Error).message).toBe('writing rule output failed for 1 tenant(s): tenant "a": WAL write failed');
    expect(await seriesNames(stores.get('b')!)).toEqual(['x{tenant=b}']);
  });
});

describe('SplittingAlertSink', () => {
  const alert = (labels: Record<string, string>): OutgoingAlert => ({ labels, annotations: {}, startsAt: 1, endsAt: 2, generatorURL: '' });

  it('sends each alert to the tenant its label names, unknown or missing tenants to the platform tenant', async () => {
    const { tenants } = memoryTenants(['a', 'b']);
    const router = new TenantRouter(tenants, 'ops');
    await router.list();
    const target = new TenantSink();
    new SplittingAlertSink(router, target).send('ops', [
      alert({ alertname: 'X', tenant: 'b' }),
      alert({ alertname: 'Y', tenant: 'a' }),
      alert({ alertname: 'Z', tenant: 'b' }),
      alert({ alertname: 'P' }),
      alert({ alertname: 'Q', tenant: 'stranger' }),
    ]);
    expect(target.sent.map((s) => [s.tenant, s.alerts.map((a) => a.labels['alertname'])])).toEqual([
      ['b', ['X', 'Z']],
      ['a', ['Y']],
      ['ops', ['P', 'Q']],
    ]);
  });

  it('routes everything to the platform tenant before any tenant was listed', () => {
    const { tenants } = memoryTenants(['a']);
    const target = new TenantSink();
    new SplittingAlertSink(new TenantRouter(tenants), target).send('platform', [alert({ alertname: 'X', tenant: 'a' })]);
    expect(target.sent.map((s) => s.tenant)).toEqual(['platform']);
  });
});
