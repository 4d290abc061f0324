/**
 * The write-ahead log of one tenant's head, after Prometheus' tsdb/wlog: numbered segments
 * written append-only, rotated at a size, and a checkpoint that replaces every segment up to an
 * index with the head's compacted state (live series, finished chunks, head-chunk samples).
 * Replay reads the checkpoint, then the later segments; a torn or corrupt record ends its segment
 * (the tail of a write cut short by a crash), and writing always resumes in a fresh segment.
 */
import type { Logger } from '../core/runtime.js';
import { readRecords } from './wal-records.js';
import type { RecordVisitor } from './wal-records.js';
import type { SegmentWriter, WalDir } from './wal-storage.js';

/** WAL tuning. */
export interface WalOptions {
  /** A segment is closed and a new one started past this size. */
  readonly segmentBytes: number;
}

/** Default segment size (Prometheus uses 128 MiB; smaller suits many small tenants). */
export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/** What replay found, for logs and tests. */
export interface ReplayReport {
  readonly checkpoint: number | undefined;
  readonly segments: number;
  /** Segments whose tail was dropped, with where and why. */
  readonly torn: ReadonlyArray<{ readonly segment: number; readonly offset: number; readonly reason: string }>;
}

/** One tenant's log. Create with Wal.open, which replays before any write. */
export class Wal {
  private writer: SegmentWriter;
  private index: number;
  /** Bytes written since the last checkpoint (what a checkpoint would reclaim). */
  bytesSinceCheckpoint = 0;
  /** Size of the last checkpoint written by this process. */
  lastCheckpointBytes = 0;
  /** bytesSinceCheckpoint when the running checkpoint started, restored if it fails. */
  private pendingSinceCheckpoint = 0;

  private constructor(private readonly dir: WalDir, private readonly opts: WalOptions, index: number, private readonly log: Logger) {
    this.index = index;
    this.writer = dir.openSegmentWriter(index);
  }

  /** Replays the stored state into `visit`, then opens a new segment for writing. */
  static async open(dir: WalDir, opts: WalOptions, log: Logger, visit: RecordVisitor): Promise<{ wal: Wal; report: ReplayReport }> {
    const cp = await dir.readCheckpoint();
    const torn: { segment: number; offset: number; reason: string }[] = [];
    if (cp) {
      const stop = readRecords(cp.bytes, visit);
      // A checkpoint is written atomically, so damage here is not a torn write: say so loudly.
      if (stop) log.error({ checkpoint: cp.index, offset: stop.offset, reason: stop.reason }, 'WAL checkpoint is damaged; state after this point is lost');
    }
    const after = cp ? cp.index : -1;
    const segments = (await dir.listSegments()).filter((i) => i > after);
    for (const seg of segments) {
      const stop = readRecords(await dir.readSegment(seg), visit);
      if (stop) {
        torn.push({ segment: seg, offset: stop.offset, reason: stop.reason });
        log.warn({ segment: seg, offset: stop.offset, reason: stop.reason }, 'WAL segment ends in a torn or corrupt record; dropped its tail');
      }
    }
    const last = Math.max(after, ...segments);
    const wal = new Wal(dir, opts, last + 1, log);
    return { wal, report: { checkpoint: cp?.index, segments: segments.length, torn } };
  }

  /** Appends encoded records in one write; durable against a process crash on return. */
  write(records: Uint8Array): void {
    try {
      this.writer.append(records);
    } catch (e) {
      // Part of the record may be on disk: continue in a new segment so that replay, which stops
      // at the damaged record, does not also lose the records written after it.
      try {
        this.rotate();
      } catch (again) {
        this.log.error({ err: again instanceof Error ? again.message : String(again) }, 'WAL rotation after a failed write failed too');
      }
      throw e;
    }
    this.bytesSinceCheckpoint += records.length;
    if (this.writer.size >= this.opts.segmentBytes) this.rotate();
  }

  /**
   * First step of a checkpoint: closes the current segment and returns its index. A checkpoint
   * built from the head's state from now on covers every segment up to that index, whatever is
   * appended meanwhile: later appends land in later segments, and replay skips a sample that is
   * not newer than what the checkpoint restored.
   */
  startCheckpoint(): number {
    const covered = this.index;
    this.rotate();
    this.pendingSinceCheckpoint = this.bytesSinceCheckpoint;
    this.bytesSinceCheckpoint = 0;
    return covered;
  }

  /** Stores `parts` (concatenated) as the checkpoint covering segments up to `covered`, then deletes those segments. */
  async finishCheckpoint(covered: number, parts: readonly Uint8Array[]): Promise<void> {
    let size = 0;
    for (const p of parts) size += p.length;
    try {
      if (this.dir.writeCheckpointParts) await this.dir.writeCheckpointParts(covered, parts);
      else await this.dir.writeCheckpoint(covered, parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, size));
    } catch (e) {
      // The segments are still there; count them again so that the next checkpoint is due.
      this.bytesSinceCheckpoint += this.pendingSinceCheckpoint;
      throw e;
    }
    await this.dir.removeSegmentsUpTo(covered);
    this.lastCheckpointBytes = size;
    this.log.debug({ segment: covered, bytes: size }, 'WAL checkpoint written');
  }

  /** Both steps at once, for a head that cannot change in between. */
  async checkpoint(bytes: Uint8Array): Promise<void> {
    await this.finishCheckpoint(this.startCheckpoint(), [bytes]);
  }

  /**
   * True once the log has grown past `minBytes` and twice the last checkpoint: a checkpoint costs
   * time in proportion to the head, so it is taken when it reclaims a multiple of that.
   */
  checkpointDue(minBytes: number): boolean {
    return this.bytesSinceCheckpoint >= Math.max(minBytes, 2 * this.lastCheckpointBytes);
  }

  /** Syncs and closes the current segment. */
  close(): void {
    this.writer.sync();
    this.writer.close();
  }

  private rotate(): void {
    this.writer.sync();
    this.writer.close();
    this.index++;
    this.writer = this.dir.openSegmentWriter(this.index);
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}
