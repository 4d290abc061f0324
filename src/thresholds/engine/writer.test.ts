import { describe, expect, it } from 'vitest';
import { isStaleNaN } from '../../core/stale-nan.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { AppendResult, AppendSeries } from '../../tsdb/api.js';
import { ManualClock } from '../../tsdb/test-fakes.js';
import { ThresholdEngine } from './engine.js';
import { MemoryConfDir } from './test-fakes.js';
import { ThresholdSeriesWriter } from './writer.js';

/** Appends per tenant, as `labels@t=value` lines (`stale` for a staleness marker). */
class FakeStores {
  readonly appends = new Map<string, string[][]>();
  failing = new Set<string>();

  store = (tenant: string): Promise<{ append(batch: readonly AppendSeries[]): Promise<AppendResult> }> =>
    Promise.resolve({
      append: (batch: readonly AppendSeries[]): Promise<AppendResult> => {
        if (this.failing.has(tenant)) return Promise.reject(new Error('disk full'));
        const lines = batch.map((s) => {
          const v = s.v[0] as number;
          const { __name__, ...rest } = s.labels;
          const ls = Object.entries(rest).map(([k, x]) => `${k}=${x}`).join(',');
          expect(s.v).toBeInstanceOf(Float64Array);
          return `${__name__ ?? ''}{${ls}}@${s.t[0] ?? ''}=${isStaleNaN(v) ? 'stale' : v}`;
        });
        const list = this.appends.get(tenant) ?? [];
        list.push(lines);
        this.appends.set(tenant, list);
        return Promise.resolve({ accepted: batch.length, rejected: [] });
      },
    });

  last(tenant: string): string[] | undefined {
    const list = this.appends.get(tenant);
    return list?.[list.length - 1];
  }
}

async function setup(): Promise<{ fs: MemoryConfDir; engine: ThresholdEngine; stores: FakeStores; writer: ThresholdSeriesWriter; clock: ManualClock }> {
  const clock = new ManualClock(1_000_000);
  const fs = new MemoryConfDir();
  fs.write('_defaults.yaml', 'defaults:\n  mysql_cpu: 90\nstate_filters:\n  maintenance: {severity: info, default_state: disable}\n');
  fs.write('db-a.yaml', 'mysql_cpu: 50\n_state_maintenance: enable\n');
  const engine = new ThresholdEngine({ directory: fs.root, fs, clock, logger: NOOP_LOGGER, pollIntervalMs: 3_600_000 });
  await engine.start();
  const stores = new FakeStores();
  const writer = new ThresholdSeriesWriter({ service: engine, store: stores.store, clock, logger: NOOP_LOGGER, refreshIntervalMs: 30_000 });
  return { fs, engine, stores, writer, clock };
}

describe('ThresholdSeriesWriter', () => {
  it('writes each tenant its own series at now, again every refresh interval', async () => {
    const { stores, writer, clock, engine } = await setup();
    await writer.start();
    expect(stores.last('db-a')).toEqual([
      'user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1000000=50',
      'user_state_filter{filter=maintenance,severity=info,tenant=db-a}@1000000=1',
    ]);
    expect([...stores.appends.keys()]).toEqual(['db-a']);
    clock.advance(30_000);
    await writer.write();
    expect(stores.appends.get('db-a')?.map((b) => b[0])).toEqual([
      'user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1000000=50',
      'user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1030000=50',
      'user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1030001=50',
    ]);
    writer.stop();
    engine.stop();
  });

  it('writes right after a change, with stale markers for series that went away', async () => {
    const { fs, engine, stores, writer, clock } = await setup();
    await writer.start();
    clock.t += 1000;
    fs.write('db-a.yaml', 'mysql_cpu: disable\n');
    fs.write('db-b.yaml', 'mysql_cpu: 70\n');
    await engine.poll();
    await writer.write(); // the change already started a pass: this waits for it (and runs one more)
    const batches = stores.appends.get('db-a') ?? [];
    expect(batches[1]).toEqual([
      'user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1001000=stale',
      'user_state_filter{filter=maintenance,severity=info,tenant=db-a}@1001000=stale',
    ]);
    // Nothing left to write for db-a afterwards: no more stale markers.
    expect(batches).toHaveLength(2);
    expect(stores.last('db-b')).toEqual(['user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-b}@1001001=70']);

    fs.remove('db-b.yaml');
    await engine.poll();
    await writer.write();
    expect(stores.appends.get('db-b')?.some((b) => b[0]?.endsWith('=stale'))).toBe(true);
    writer.stop();
    engine.stop();
  });

  it('writes the defaults of tenants without a document when asked to', async () => {
    const { engine, stores, clock } = await setup();
    let others: readonly string[] = ['db-a', 'no-doc'];
    const writer = new ThresholdSeriesWriter({ service: engine, store: stores.store, clock, logger: NOOP_LOGGER, defaultTenants: () => Promise.resolve(others) });
    await writer.write();
    expect(stores.last('no-doc')).toEqual(['user_threshold{component=mysql,metric=cpu,severity=warning,tenant=no-doc}@1000000=90']);
    others = [];
    await writer.write();
    expect(stores.last('no-doc')).toEqual(['user_threshold{component=mysql,metric=cpu,severity=warning,tenant=no-doc}@1000001=stale']);
    expect(stores.last('db-a')?.[0]).toBe('user_threshold{component=mysql,metric=cpu,severity=warning,tenant=db-a}@1000001=50');
    engine.stop();
  });

  it('retries a tenant whose store failed, stale markers included, without stopping the others', async () => {
    const { fs, engine, stores, writer } = await setup();
    fs.write('db-b.yaml', 'mysql_cpu: 70\n');
    await engine.poll();
    await writer.write();
    stores.failing.add('db-a');
    fs.write('db-a.yaml', 'mysql_cpu: 50\n');
    await engine.poll();
    await writer.write();
    expect(stores.appends.get('db-a')).toHaveLength(1);
    stores.failing.clear();
    await writer.write();
    expect(stores.last('db-a')?.filter((l) => l.endsWith('=stale'))).toEqual(['user_state_filter{filter=maintenance,severity=info,tenant=db-a}@1000002=stale']);
    expect(stores.appends.get('db-b')?.length).toBeGreaterThanOrEqual(3);
    writer.stop();
    engine.stop();
  });
});
