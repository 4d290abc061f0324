/**
 * Between the head and its WAL: the records an append writes, the records a checkpoint holds, and
 * replay of both into a head. Replay applies the append rules loosely (a sample not newer than
 * the series' last is skipped), because a checkpoint and the segments it did not yet remove may
 * both hold the same samples. Chunks of a checkpoint written before the dx encoding (XOR chunk
 * records) are decoded and appended again, so the head holds one encoding only.
 */
import type { Labels } from '../core/labels.js';
import type { Logger } from '../core/runtime.js';
import type { StagedBatch } from './head-append.js';
import type { Head } from './head.js';
import { RecordBuffer } from './wal-records.js';
import type { ChunkRecord, RecordVisitor } from './wal-records.js';
import { SAMPLES_PER_CHUNK } from './chunk.js';
import { decodeChunk as decodeXorChunk } from './xor-chunk.js';
import type { MemSeries } from './series.js';
import { HI, LO } from './float-bits.js';
import { Wal } from './wal.js';
import type { ReplayReport, WalOptions } from './wal.js';
import type { WalDir } from './wal-storage.js';

/**
 * One append's records: series records for the new series, then one samples record.
 * `target[ref]` is the series of staged entry `ref`.
 */
export function walRecords(created: readonly MemSeries[], target: readonly (MemSeries | undefined)[], b: StagedBatch): Uint8Array {
  const n = b.t.length;
  const out = new RecordBuffer(64 + created.length * 256 + n * 24);
  for (const s of created) out.series(s.id, s.labels);
  if (n > 0) {
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) ids[i] = (target[b.ref[i] as number] as MemSeries).id;
    out.samples(ids, b.t, b.hi, b.lo, n);
  }
  return out.bytes();
}

/** How a checkpoint is cut into steps that each hold the event loop only briefly. */
export interface CheckpointPacing {
  /** Lets other work run (appends, queries, rule evaluations) between steps. */
  pause(): Promise<void>;
  /** True once the head is closed: the checkpoint is given up. */
  aborted(): boolean;
  /** Series encoded per step. */
  readonly seriesPerStep?: number;
}

/** Default step size: about 10 ms of encoding on a slow core. */
export const CHECKPOINT_SERIES_PER_STEP = 1000;

/**
 * The head's state as checkpoint records: per series its labels, finished chunks and head
 * samples. Each series is encoded in one go (so it is self-consistent); between steps the head
 * may change, which the caller makes safe by starting the checkpoint with Wal.startCheckpoint.
 * `live` says whether a series is still in the head (retention may drop it meanwhile).
 * Returns the records in pieces (one per step), or undefined when aborted.
 */
export async function encodeCheckpoint(series: readonly MemSeries[], live: (s: MemSeries) => boolean, pacing: CheckpointPacing): Promise<Uint8Array[] | undefined> {
  const out = new RecordBuffer(1 << 20);
  const t = new Float64Array(SAMPLES_PER_CHUNK);
  const words = new Uint32Array(2 * SAMPLES_PER_CHUNK);
  const step = pacing.seriesPerStep ?? CHECKPOINT_SERIES_PER_STEP;
  const parts: Uint8Array[] = [];
  for (let from = 0; from < series.length; from += step) {
    if (from > 0) {
      await pacing.pause();
      if (pacing.aborted()) return undefined;
    }
    const to = Math.min(series.length, from + step);
    for (let i = from; i < to; i++) {
      const s = series[i] as MemSeries;
      if (live(s)) encodeSeriesState(out, s, t, words);
    }
    parts.push(out.take());
  }
  return parts;
}

/** The checkpoint records of every series at once (a head that is not changing). */
export function checkpointRecords(series: Iterable<MemSeries>): Uint8Array {
  const out = new RecordBuffer(1 << 20);
  const t = new Float64Array(SAMPLES_PER_CHUNK);
  const words = new Uint32Array(2 * SAMPLES_PER_CHUNK);
  for (const s of series) encodeSeriesState(out, s, t, words);
  return out.bytes();
}

function encodeSeriesState(out: RecordBuffer, s: MemSeries, t: Float64Array, words: Uint32Array): void {
  out.series(s.id, s.labels);
  for (const c of s.chunks) out.chunk({ encoding: 'dx', id: s.id, minT: c.minT, maxT: c.maxT, count: c.count, bitLength: c.bitLength, lastHi: c.lastHi, lastLo: c.lastLo, bytes: c.bytes });
  const n = s.headSamplesInto(t, words);
  if (n > 0) out.seriesSamples(s.id, t.subarray(0, n), words);
}

/** Replays `dir` into `head` and attaches a WAL that continues in a fresh segment. */
export async function replayInto(head: Head, dir: WalDir, opts: WalOptions, log: Logger): Promise<ReplayReport> {
  const byWalId = new Map<number, MemSeries>();
  let unknown = 0;
  const legacyT = new Float64Array(SAMPLES_PER_CHUNK);
  const legacyWords = new Uint32Array(2 * SAMPLES_PER_CHUNK);
  const visitor: RecordVisitor = {
    series(id: number, labels: Labels): void {
      byWalId.set(id, head.restoreSeries(id, labels));
    },
    sample(id: number, t: number, hi: number, lo: number): void {
      const s = byWalId.get(id);
      if (!s) unknown++;
      else if (t > s.lastT) s.append(t, hi, lo, head.arena);
    },
    chunk(c: ChunkRecord): void {
      const s = byWalId.get(c.id);
      if (!s) unknown++;
      else if (c.encoding === 'xor') appendLegacyChunk(s, c);
      else if (c.minT > s.lastT) {
        const { minT, maxT, count, bitLength, lastHi, lastLo } = c;
        s.restoreChunk({ bytes: head.arena.store(c.bytes), bitLength, count, minT, maxT, lastHi, lastLo });
      }
    },
  };
  /** Samples of an XOR chunk newer than the series' last, appended (re-encoded) one by one. */
  function appendLegacyChunk(s: MemSeries, c: ChunkRecord): void {
    if (c.count > legacyT.length) throw new RangeError(`XOR chunk of series ${c.id} holds ${c.count} samples, more than ${legacyT.length}`);
    decodeXorChunk(c.bytes, c.bitLength, c.count, legacyT, legacyWords, 0);
    for (let i = 0; i < c.count; i++) {
      const t = legacyT[i] as number;
      if (t > s.lastT) s.append(t, legacyWords[2 * i + HI] as number, legacyWords[2 * i + LO] as number, head.arena);
    }
  }
  const { wal, report } = await Wal.open(dir, opts, log, visitor);
  if (unknown > 0) log.warn({ records: unknown }, 'WAL holds samples of unknown series; skipped');
  head.wal = wal;
  head.recount();
  return report;
}
