import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import type { Logger } from '../core/runtime.js';
import { STALE_NAN, isStaleNaN } from '../core/stale-nan.js';
import type { AppendSeries, TenantTsdb } from './api.js';
import { MemoryWalStorage, ManualClock } from './test-fakes.js';
import { HeadSet } from './tsdb-set.js';
import type { HeadSetOptions } from './tsdb-set.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ABORT = new AbortController().signal;
const ALL = { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 };

function set(storage: MemoryWalStorage, over: Partial<HeadSetOptions> = {}): HeadSet {
  return new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, storage, retentionMs: 0, maintenanceIntervalMs: 0, ...over });
}

/** Everything a head holds, values as raw bits so NaN payloads compare. */
async function dump(db: TenantTsdb): Promise<unknown[]> {
  const all = await db.select([mustMatcher('__name__', '=~', '.+')], ALL, ABORT);
  return all.map((s) => ({ labels: s.labels, t: Array.from(s.t), v: Array.from(new Uint32Array(s.v.buffer, s.v.byteOffset, s.v.length * 2)) }));
}

/** 30 series x `n` samples starting at `from`, one batch per step. */
async function load(db: TenantTsdb, from: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const batch: AppendSeries[] = [];
    for (let k = 0; k < 30; k++) {
      const t = NOW - 1_000_000 + (from + i) * 1000;
      const v = (from + i) % 50 === 49 ? STALE_NAN : (from + i) * k + 0.25;
      batch.push({ labels: { __name__: `m${k % 3}`, k: String(k) }, t: [t], v: Float64Array.of(v) });
    }
    const res = await db.append(batch);
    expect(res.accepted).toBe(30);
  }
}

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (o: object | string, msg?: string): void => void lines.push(`${msg ?? ''} ${JSON.stringify(o)}`);
  const l: Logger & { lines: string[] } = { lines, debug: () => undefined, info: () => undefined, warn: log, error: log, child: () => l };
  return l;
}

describe('WAL replay', () => {
  it('recovers every acknowledged sample after a crash (set never closed)', async () => {
    const storage = new MemoryWalStorage();
    const a = await set(storage).get('t1');
    await load(a, 0, 200);
    const b = await set(storage).get('t1');
    expect(await dump(b)).toEqual(await dump(a));
    expect(b.stats()).toEqual(a.stats());
    const [m0] = await b.select([mustMatcher('k', '=', '0')], ALL, ABORT);
    expect(isStaleNaN(m0!.v[49]!)).toBe(true);
  });

  it('drops a torn last record and keeps everything before it', async () => {
    const storage = new MemoryWalStorage();
    const a = await set(storage).get('t1');
    await load(a, 0, 10);
    const before = await dump(a);
    await load(a, 10, 1);
    const dir = storage.dir('t1');
    const [seg] = await dir.listSegments();
    dir.truncate(seg!, dir.segments.get(seg!)!.length - 7);
    const log = capture();
    const b = await set(storage, { logger: log }).get('t1');
    expect(await dump(b)).toEqual(before);
    expect(log.lines.join('\n')).toContain('torn record');
    // Writing resumes in a fresh segment, so the torn tail never precedes good records.
    await load(b, 10, 1);
    const c = await set(storage).get('t1');
    expect(await dump(c)).toEqual(await dump(b));
  });

  it('stops at a corrupt record (checksum) and says where', async () => {
    const storage = new MemoryWalStorage();
    const a = await set(storage).get('t1');
    await load(a, 0, 3);
    const dir = storage.dir('t1');
    const [seg] = await dir.listSegments();
    const bytes = dir.segments.get(seg!)!;
    bytes[20] = bytes[20]! ^ 0xff;
    const log = capture();
    const b = await set(storage, { logger: log }).get('t1');
    expect(b.stats().samplesInHead).toBe(0);
    expect(log.lines.join('\n')).toContain('"offset":0,"reason":"checksum mismatch"');
  });

  it('replays across rotated segments', async () => {
    const storage = new MemoryWalStorage();
    const a = await set(storage, { segmentBytes: 2048 }).get('t1');
    await load(a, 0, 100);
    expect((await storage.dir('t1').listSegments()).length).toBeGreaterThan(10);
    expect(await dump(await set(storage).get('t1'))).toEqual(await dump(a));
  });
});

describe('WAL checkpoint', () => {
  it('compacts segments and replays to the same state, with appends after it', async () => {
    const storage = new MemoryWalStorage();
    const sa = set(storage, { segmentBytes: 4096 });
    const a = await sa.head('t1');
    await load(a, 0, 300);
    await sa.maintain(true);
    const dir = storage.dir('t1');
    expect(dir.checkpoint).toBeDefined();
    expect((await dir.listSegments()).every((i) => i > dir.checkpoint!.index)).toBe(true);
    await load(a, 300, 5);
    const b = await set(storage).get('t1');
    expect(await dump(b)).toEqual(await dump(a));
    expect(b.stats()).toEqual(a.stats());
    // A second set appends where the first left off, without out-of-order rejections.
    await load(b, 305, 1);
  });

  it('tolerates a crash between writing the checkpoint and removing segments', async () => {
    const storage = new MemoryWalStorage();
    const sa = set(storage);
    const a = await sa.head('t1');
    await load(a, 0, 50);
    const dir = storage.dir('t1');
    const saved = new Map(dir.segments);
    await sa.maintain(true);
    for (const [i, bytes] of saved) dir.segments.set(i, bytes);
    expect(await dump(await set(storage).get('t1'))).toEqual(await dump(a));
  });

  it('forgets churned series once retention and a checkpoint have run', async () => {
    const storage = new MemoryWalStorage();
    const clock = new ManualClock(NOW);
    const sa = set(storage, { clock, retentionMs: 60_000 });
    const a = await sa.head('t1');
    await a.append([{ labels: { __name__: 'gone' }, t: [NOW - 1000], v: [1] }, { labels: { __name__: 'stays' }, t: [NOW], v: [1] }]);
    clock.advance(59_500);
    await a.append([{ labels: { __name__: 'stays' }, t: [clock.now()], v: [2] }]);
    await sa.maintain(true);
    expect(a.stats().activeSeries).toBe(1);
    const b = await set(storage, { clock, retentionMs: 60_000 }).get('t1');
    expect(await b.labelValues('__name__', [], -Infinity, Infinity)).toEqual(['stays']);
  });

  it('applies retention on replay to data written before a long outage', async () => {
    const storage = new MemoryWalStorage();
    const a = await set(storage, { retentionMs: 60_000 }).get('t1');
    await a.append([{ labels: { __name__: 'm' }, t: [NOW], v: [1] }]);
    const b = await set(storage, { clock: new ManualClock(NOW + 3_600_000), retentionMs: 60_000 }).get('t1');
    expect(b.stats().activeSeries).toBe(0);
  });
});

describe('HeadSet', () => {
  it('keeps tenants apart, lists them, and runs maintenance on its clock', async () => {
    const storage = new MemoryWalStorage();
    const clock = new ManualClock(NOW);
    const hs = set(storage, { clock, retentionMs: 60_000, maintenanceIntervalMs: 10_000, limits: (t) => ({ maxSeries: t === 'small' ? 1 : 0 }) });
    const a = await hs.get('a');
    const small = await hs.get('small');
    expect(await hs.get('a')).toBe(a);
    await a.append([{ labels: { __name__: 'x' }, t: [NOW], v: [1] }, { labels: { __name__: 'y' }, t: [NOW], v: [1] }]);
    const res = await small.append([{ labels: { __name__: 'x' }, t: [NOW], v: [1] }, { labels: { __name__: 'y' }, t: [NOW], v: [1] }]);
    expect(res.rejected[0]?.reason).toBe('max_series');
    expect(await small.labelValues('__name__', [], -Infinity, Infinity)).toEqual(['x']);
    expect(await hs.tenants()).toEqual(['a', 'small']);
    clock.advance(70_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(a.stats().activeSeries).toBe(0);
    await hs.close();
    expect(clock.pending).toBe(0);
    await expect(hs.get('a')).rejects.toThrow('closed');
    await expect(a.append([{ labels: { __name__: 'x' }, t: [NOW + 80_000], v: [1] }])).rejects.toThrow('closed');
    expect(await set(storage).tenants()).toEqual(['a', 'small']);
  });

  it('retries opening a tenant whose WAL could not be read', async () => {
    const storage = new MemoryWalStorage();
    const dir = storage.dir('t1');
    const read = dir.readCheckpoint.bind(dir);
    dir.readCheckpoint = () => Promise.reject(new Error('EIO: disk unreadable'));
    const hs = set(storage);
    await expect(hs.get('t1')).rejects.toThrow('EIO');
    dir.readCheckpoint = read;
    await expect(hs.get('t1')).resolves.toBeDefined();
  });

  it('checkpoints on its own once the WAL has grown past the threshold and twice the last checkpoint', async () => {
    const storage = new MemoryWalStorage();
    const hs = set(storage, { checkpointBytes: 10_000 });
    const db = await hs.head('t1');
    await load(db, 0, 5);
    await hs.maintain();
    const dir = storage.dir('t1');
    expect(dir.checkpoint).toBeUndefined();
    await load(db, 5, 30);
    await hs.maintain();
    const first = dir.checkpoint!;
    expect(first).toBeDefined();
    await load(db, 35, 5);
    await hs.maintain();
    expect(dir.checkpoint).toBe(first); // grown past 10 kB but not past twice the checkpoint
    await load(db, 40, 100);
    await hs.maintain();
    expect(dir.checkpoint!.index).toBeGreaterThan(first.index);
  });

  it('works without storage (memory only)', async () => {
    const hs = new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, retentionMs: 0, maintenanceIntervalMs: 0 });
    const db = await hs.get('x');
    await db.append([{ labels: { __name__: 'm' }, t: [1], v: [1] }]);
    expect(await hs.tenants()).toEqual(['x']);
    await hs.close();
  });
});

describe('WAL write failures', () => {
  it('refuses the append, keeps memory unchanged and continues in a new segment', async () => {
    const storage = new MemoryWalStorage();
    const db = await set(storage).get('t1');
    await load(db, 0, 2);
    const dir = storage.dir('t1');
    const open = dir.openSegmentWriter.bind(dir);
    let fail = true;
    // The next append writes part of its record, then fails (disk full).
    dir.openSegmentWriter = (i: number) => {
      const inner = open(i);
      return {
        append(b: Uint8Array): void {
          if (!fail) return inner.append(b);
          fail = false;
          inner.append(b.subarray(0, 5));
          throw new Error('ENOSPC');
        },
        get size() {
          return inner.size;
        },
        sync: () => inner.sync(),
        close: () => inner.close(),
      };
    };
    const fresh = await set(storage).get('t1');
    const before = await dump(fresh);
    await expect(fresh.append([{ labels: { __name__: 'm0', k: '0' }, t: [NOW], v: [1] }])).rejects.toThrow('ENOSPC');
    expect(await dump(fresh)).toEqual(before);
    await fresh.append([{ labels: { __name__: 'm0', k: '0' }, t: [NOW], v: [2] }]);
    dir.openSegmentWriter = open;
    const replayed = await set(storage).get('t1');
    expect(await dump(replayed)).toEqual(await dump(fresh));
    expect(replayed.stats().samplesInHead).toBe(61);
  });
});
