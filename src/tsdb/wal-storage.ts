/**
 * Where the WAL's bytes live: one directory per tenant holding numbered segments and at most one
 * checkpoint. Implemented over node:fs in src/store/wal-fs.ts and in memory in test-fakes.ts.
 *
 * Durability contract: when SegmentWriter.append returns, the bytes survive a crash of this
 * process (kill -9), because they were handed to the kernel with a synchronous write. Surviving a
 * machine crash needs sync(), which the WAL calls on rotation and checkpoint only.
 */

/** An open segment, written append-only. */
export interface SegmentWriter {
  /** Appends all of `bytes` synchronously. Throws on an I/O error (nothing is retried). */
  append(bytes: Uint8Array): void;
  /** Bytes in the segment so far. */
  readonly size: number;
  /** Flushes the segment to stable storage (fsync). */
  sync(): void;
  close(): void;
}

/** A stored checkpoint: the head's state covering every segment up to `index`. */
export interface StoredCheckpoint {
  readonly index: number;
  readonly bytes: Uint8Array;
}

/** One tenant's WAL directory. */
export interface WalDir {
  /** Indexes of the segments present, ascending. */
  listSegments(): Promise<number[]>;
  readSegment(index: number): Promise<Uint8Array>;
  /** Opens segment `index` for appending, creating it when absent. */
  openSegmentWriter(index: number): SegmentWriter;
  /** The newest complete checkpoint, if any. */
  readCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /**
   * Stores a checkpoint atomically and durably (a reader sees the old one or the whole new one),
   * then removes older checkpoints. May return a promise, so that writing and syncing a large
   * checkpoint does not hold up the event loop (appends go on meanwhile).
   */
  writeCheckpoint(index: number, bytes: Uint8Array): void | Promise<void>;
  /**
   * The same for a checkpoint in pieces (their concatenation), so that a large one needs no
   * single buffer of its whole size. Optional: without it the WAL joins the pieces itself.
   */
  writeCheckpointParts?(index: number, parts: readonly Uint8Array[]): Promise<void>;
  /** Deletes every segment with an index <= `index` (synchronously or by the returned promise). */
  removeSegmentsUpTo(index: number): void | Promise<void>;
}

/** All tenants' WAL directories. */
export interface WalStorage {
  /** Tenants that have a directory. */
  tenants(): Promise<string[]>;
  /** The directory of `tenant`, created on first write. */
  dir(tenant: string): WalDir;
}
