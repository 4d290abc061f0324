import { describe, expect, it } from 'vitest';
import { mustMatcher } from '../core/matcher.js';
import { NOOP_LOGGER } from '../core/runtime.js';
import { STALE_NAN } from '../core/stale-nan.js';
import type { AppendSeries, TenantTsdb } from './api.js';
import type { Head } from './head.js';
import { MemoryWalStorage, ManualClock } from './test-fakes.js';
import { HeadSet } from './tsdb-set.js';
import type { HeadSetOptions } from './tsdb-set.js';
import { HI, LO, bitsOf } from './float-bits.js';
import { RecordBuffer, RecordType, crc32, crc32Js, readRecords } from './wal-records.js';
import { XorAppender } from './xor-chunk.test-util.js';
import type { WalDir } from './wal-storage.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const ABORT = new AbortController().signal;
const ALL = { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 };
/** 2 500 series: three checkpoint steps of 1 000. */
const SERIES = 2500;

function set(storage: MemoryWalStorage, over: Partial<HeadSetOptions> = {}): HeadSet {
  return new HeadSet({ clock: new ManualClock(NOW), logger: NOOP_LOGGER, storage, retentionMs: 0, maintenanceIntervalMs: 0, ...over });
}

async function dump(db: TenantTsdb): Promise<unknown[]> {
  const all = await db.select([mustMatcher('__name__', '=~', '.+')], ALL, ABORT);
  return all.map((s) => ({ labels: s.labels, t: Array.from(s.t), v: Array.from(new Uint32Array(s.v.buffer, s.v.byteOffset, s.v.length * 2)) }));
}

/** One sample at step `i` for series [from, to). */
function batch(i: number, from = 0, to = SERIES): AppendSeries[] {
  const out: AppendSeries[] = [];
  for (let k = from; k < to; k++) out.push({ labels: { __name__: `m${k % 7}`, k: String(k) }, t: [NOW - 1_000_000 + i * 1000], v: [i * k + 0.5] });
  return out;
}

describe('checkpoint in steps', () => {
  it('lets appends run between its steps and replays to the state after them', async () => {
    const storage = new MemoryWalStorage();
    let pauses = 0;
    let step = 130;
    const ref: { head?: Head } = {};
    // Every pause appends a new sample to every series and creates new series.
    const pause = async (): Promise<void> => {
      pauses++;
      step++;
      await ref.head!.append([...batch(step), ...batch(step, SERIES + pauses * 10, SERIES + pauses * 10 + 10)]);
    };
    const hs = set(storage, { pause });
    const head = (ref.head = await hs.head('t1'));
    for (let i = 0; i < 130; i++) await head.append(batch(i));
    await hs.maintain(true);
    expect(pauses).toBe(2);
    const dir = storage.dir('t1');
    expect(dir.checkpoint).toBeDefined();
    expect((await dir.listSegments()).every((i) => i > dir.checkpoint!.index)).toBe(true);
    await head.append(batch(300));
    const replayed = await set(storage).get('t1');
    expect(await dump(replayed)).toEqual(await dump(head));
    expect(replayed.stats()).toEqual(head.stats());
  });

  it('is given up when the head closes meanwhile, leaving the segments to replay', async () => {
    const storage = new MemoryWalStorage();
    const ref: { head?: Head } = {};
    const hs = set(storage, { pause: () => Promise.resolve(ref.head!.close()) });
    const head = (ref.head = await hs.head('t1'));
    for (let i = 0; i < 20; i++) await head.append(batch(i));
    const before = await dump(head);
    await hs.maintain(true);
    expect(storage.dir('t1').checkpoint).toBeUndefined();
    expect(await dump(await set(storage).get('t1'))).toEqual(before);
  });

  it('runs one at a time: a forced call waits for the running one, then takes its own', async () => {
    const storage = new MemoryWalStorage();
    let release: (() => void) | undefined;
    let waiting = 0;
    const pause = (): Promise<void> => {
      waiting++;
      return new Promise((r) => (release = r));
    };
    const hs = set(storage, { pause });
    const head = await hs.head('t1');
    for (let i = 0; i < 5; i++) await head.append(batch(i));
    const first = head.maintain(true);
    const second = head.maintain(true);
    const third = head.maintain(false);
    let settled = false;
    const all = Promise.all([first, second, third]).finally(() => (settled = true));
    await Promise.resolve();
    expect(waiting).toBe(1);
    while (!settled) {
      release?.();
      await new Promise((r) => setImmediate(r));
    }
    await all;
    // first (pauses twice), then second (twice more): third only waited.
    expect(waiting).toBe(4);
  });

  it('keeps the WAL due for a checkpoint when storing it failed', async () => {
    const storage = new MemoryWalStorage();
    const dir = storage.dir('t1');
    const hs = set(storage, { checkpointBytes: 1000 });
    const head = await hs.head('t1');
    for (let i = 0; i < 3; i++) await head.append(batch(i, 0, 50));
    const failing: WalDir = dir;
    failing.writeCheckpointParts = () => Promise.reject(new Error('ENOSPC'));
    await expect(head.maintain()).rejects.toThrow('ENOSPC');
    expect(head.wal!.checkpointDue(1000)).toBe(true);
    const segments = await dir.listSegments();
    expect(segments.length).toBeGreaterThan(1);
    expect(await dump(await set(storage).get('t1'))).toEqual(await dump(head));
  });
});

describe('checkpoints written before the dx chunk encoding', () => {
  it('replay their XOR chunk records into the same samples, and the next checkpoint writes dx chunks', async () => {
    // A checkpoint as the previous version wrote it: per series its record, XOR chunks of 120
    // samples (record type 3), then the head chunk's samples as a samples record.
    const storage = new MemoryWalStorage();
    const out = new RecordBuffer();
    const want: unknown[] = [];
    for (let k = 0; k < 3; k++) {
      const labels = { __name__: 'legacy', k: String(k) };
      out.series(k + 1, labels);
      const t: number[] = [];
      const words: number[] = [];
      const a = new XorAppender();
      for (let i = 0; i < 300; i++) {
        const ti = NOW - 10_000_000 + i * 15_000;
        const [hi, lo] = bitsOf(i === 150 ? STALE_NAN : k === 0 ? i * 7 : k === 1 ? i / 3 : 1.25);
        t.push(ti);
        const pair = [0, 0];
        pair[HI] = hi;
        pair[LO] = lo;
        words.push(...pair);
        if (i < 240) {
          a.append(ti, hi, lo);
          if (a.count === 120) {
            const c = a.freeze();
            out.chunk({ encoding: 'xor', id: k + 1, minT: c.minT, maxT: c.maxT, count: c.count, bitLength: c.bitLength, lastHi: c.lastHi, lastLo: c.lastLo, bytes: c.bytes });
            a.reset();
          }
        }
      }
      const headW = new Uint32Array(words.slice(480));
      out.seriesSamples(k + 1, Float64Array.from(t.slice(240)), headW);
      want.push({ labels, t, v: words });
    }
    storage.dir('t1').checkpoint = { index: 0, bytes: out.bytes().slice() };
    const hs = set(storage);
    const head = await hs.get('t1');
    expect(await dump(head)).toEqual(want);
    expect(head.stats().samplesInHead).toBe(900);
    await hs.maintain(true);
    const types = new Set<number>();
    readRecords(storage.dir('t1').checkpoint!.bytes, { series: () => undefined, sample: () => undefined, chunk: (c) => void types.add(c.encoding === 'xor' ? RecordType.chunk : RecordType.chunkDx) });
    expect([...types]).toEqual([RecordType.chunkDx]);
    expect(await dump(await set(storage).get('t1'))).toEqual(want);
  });
});

describe('crc32', () => {
  it('gives the same checksum natively and in JS, for short and long inputs', () => {
    const bytes = new Uint8Array(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
    for (const [from, to] of [[0, 0], [3, 40], [0, 64], [1, 4999], [0, 5000]] as const) {
      expect(crc32(bytes, from, to)).toBe(crc32Js(bytes, from, to));
    }
    expect(crc32Js(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
