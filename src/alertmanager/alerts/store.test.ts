import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alert.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import { tenantState } from '../../core/state-store.js';
import { MemoryStateStore } from '../../store/memory.js';
import { decodeAlert, encodeAlert } from './codec.js';
import { AlertStore, alertSize } from './store.js';

const T0 = 1_700_000_000_000;

function alert(labels: Labels, o: Partial<Alert> = {}): Alert {
  return { labels, annotations: {}, startsAt: T0, endsAt: T0 + 300_000, generatorURL: '', updatedAt: T0, timeout: true, ...o };
}

function setup(maxAlerts = 0, maxAlertSizeBytes = 0): { store: AlertStore; mem: MemoryStateStore; seen: string[] } {
  const mem = new MemoryStateStore({ now: () => T0 });
  const store = new AlertStore(tenantState(mem, 't1'), { maxAlerts, maxAlertSizeBytes }, NOOP_LOGGER);
  const seen: string[] = [];
  store.subscribe({ onAlert: (a, fp) => seen.push(`${fp}:${a.labels['alertname'] ?? ''}`) });
  return { store, mem, seen };
}

describe('AlertStore', () => {
  it('merges a re-posted alert: earliest start, newest update', async () => {
    const { store } = setup();
    await store.put([alert({ alertname: 'A' }, { startsAt: T0 - 1000 })], T0);
    await store.put([alert({ alertname: 'A' }, { startsAt: T0, updatedAt: T0 + 10, endsAt: T0 + 600_000 })], T0 + 10);
    const got = store.get(fingerprint({ alertname: 'A' }));
    expect(got?.startsAt).toBe(T0 - 1000);
    expect(got?.endsAt).toBe(T0 + 600_000);
    expect(got?.updatedAt).toBe(T0 + 10);
    expect(store.size).toBe(1);
  });

  it('tells listeners about each accepted alert, merged', async () => {
    const { store, seen } = setup(1);
    const errors = await store.put([alert({ alertname: 'A' }), alert({ alertname: 'B' })], T0);
    expect(errors).toEqual(['too many alerts, limit: 1']);
    expect(seen).toEqual([`${fingerprint({ alertname: 'A' })}:A`]);
  });

  it.each([
    ['count: new alert refused when full', 2, 0, [{ alertname: 'C' }], ['too many alerts, limit: 2']],
    ['count: existing alert still updatable', 2, 0, [{ alertname: 'A' }], []],
    ['size: total over the limit', 0, 20, [{ alertname: 'CCCCCCCCCCCCCCCCCCCC' }], ['alerts too big, total size limit: 20 bytes']],
    ['size: update of same size fits', 0, 20, [{ alertname: 'B' }], []],
  ])('limits: %s', async (_, maxAlerts, maxSize, extra, want) => {
    const { store } = setup(maxAlerts, maxSize);
    expect(await store.put([alert({ alertname: 'A' }), alert({ alertname: 'B' })], T0)).toEqual([]);
    expect(await store.put(extra.map((l) => alert(l, { updatedAt: T0 + 1 })), T0 + 1)).toEqual(want);
  });

  it('counts sizes from the moment a size limit is set at runtime', async () => {
    const { store } = setup();
    await store.put([alert({ alertname: 'AAAA' }), alert({ alertname: 'BBBB' })], T0);
    expect(store.sizeBytes).toBe(0); // not tracked without a limit
    store.setLimits({ maxAlerts: 0, maxAlertSizeBytes: 30 });
    expect(store.sizeBytes).toBe(26); // 2 x ("alertname" + 4)
    expect(await store.put([alert({ alertname: 'CCCC' })], T0)).toEqual(['alerts too big, total size limit: 30 bytes']);
    expect(await store.put([alert({ alertname: 'AAAA' }, { updatedAt: T0 + 1, annotations: { s: 'x' } })], T0 + 1)).toEqual([]);
    expect(store.sizeBytes).toBe(28);
    store.setLimits({ maxAlerts: 0, maxAlertSizeBytes: 0 });
    expect(await store.put([alert({ alertname: 'CCCC' })], T0)).toEqual([]);
    expect(store.size).toBe(3);
  });

  it('persists and restores alerts', async () => {
    const { store, mem } = setup();
    await store.put([alert({ alertname: 'A' }, { annotations: { summary: 'x' }, generatorURL: 'http://g' })], T0);
    const again = new AlertStore(tenantState(mem, 't1'), { maxAlerts: 0, maxAlertSizeBytes: 0 }, NOOP_LOGGER);
    await again.load();
    expect(again.get(fingerprint({ alertname: 'A' }))).toEqual(store.get(fingerprint({ alertname: 'A' })));
    const other = new AlertStore(tenantState(mem, 't2'), { maxAlerts: 0, maxAlertSizeBytes: 0 }, NOOP_LOGGER);
    await other.load();
    expect(other.size).toBe(0);
  });

  it('gc drops resolved alerts from memory and the store', async () => {
    const { store, mem } = setup();
    await store.put([alert({ alertname: 'A' }, { endsAt: T0 + 10 }), alert({ alertname: 'B' })], T0);
    expect(await store.gc(T0 + 5)).toEqual([]);
    expect(await store.gc(T0 + 10)).toEqual([fingerprint({ alertname: 'A' })]);
    expect(store.size).toBe(1);
    expect((await mem.load('alert', 't1')).map((r) => r.key)).toEqual([fingerprint({ alertname: 'B' })]);
  });
});

describe('alert codec and size', () => {
  it('round-trips', () => {
    const a = alert({ a: 'b' }, { annotations: { x: 'y' }, generatorURL: 'u', timeout: false });
    expect(decodeAlert(encodeAlert(a))).toEqual(a);
  });
  it.each(['', 'nope', '{}', '{"l":{"a":1},"a":{},"s":0,"e":0,"u":0,"g":"","t":false}', '[]'])('rejects %j', (text) => {
    expect(decodeAlert(text)).toBeUndefined();
  });
  it.each([
    [{ a: 'b' }, '', 2],
    [{ a: 'é' }, 'u', 4],
    [{ a: '😀' }, '', 5],
  ])('size of %j + %j = %i', (labels, url, n) => {
    expect(alertSize(alert(labels, { generatorURL: url }))).toBe(n);
  });
});
