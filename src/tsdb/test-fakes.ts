/**
 * An in-memory WalStorage for tests: segments are byte arrays that survive "crashes" (a second
 * HeadSet over the same storage), and tests may cut or corrupt them.
 */
import type { SegmentWriter, StoredCheckpoint, WalDir, WalStorage } from './wal-storage.js';

/** One tenant's directory in memory; fields are open for tests to tamper with. */
export class MemoryWalDir implements WalDir {
  readonly segments = new Map<number, Uint8Array>();
  checkpoint: StoredCheckpoint | undefined;
  syncs = 0;

  listSegments(): Promise<number[]> {
    return Promise.resolve([...this.segments.keys()].sort((a, b) => a - b));
  }

  readSegment(index: number): Promise<Uint8Array> {
    const s = this.segments.get(index);
    return s ? Promise.resolve(s.slice()) : Promise.reject(new Error(`segment ${index} not found`));
  }

  openSegmentWriter(index: number): SegmentWriter {
    if (!this.segments.has(index)) this.segments.set(index, new Uint8Array(0));
    const segments = this.segments;
    const dir = this as MemoryWalDir;
    return {
      append(bytes: Uint8Array): void {
        const old = segments.get(index) ?? new Uint8Array(0);
        const next = new Uint8Array(old.length + bytes.length);
        next.set(old);
        next.set(bytes, old.length);
        segments.set(index, next);
      },
      get size(): number {
        return segments.get(index)?.length ?? 0;
      },
      sync(): void {
        dir.syncs++;
      },
      close(): void {},
    };
  }

  readCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return Promise.resolve(this.checkpoint);
  }

  writeCheckpoint(index: number, bytes: Uint8Array): void {
    this.checkpoint = { index, bytes: bytes.slice() };
  }

  removeSegmentsUpTo(index: number): void {
    for (const k of [...this.segments.keys()]) if (k <= index) this.segments.delete(k);
  }

  /** Cuts segment `index` to `length` bytes (a write torn by a crash). */
  truncate(index: number, length: number): void {
    const s = this.segments.get(index);
    if (s) this.segments.set(index, s.slice(0, length));
  }
}

/** Tenant directories in memory. */
export class MemoryWalStorage implements WalStorage {
  readonly dirs = new Map<string, MemoryWalDir>();

  tenants(): Promise<string[]> {
    return Promise.resolve([...this.dirs.keys()].sort());
  }

  dir(tenant: string): MemoryWalDir {
    let d = this.dirs.get(tenant);
    if (!d) this.dirs.set(tenant, (d = new MemoryWalDir()));
    return d;
  }
}

/** A clock that moves only when told; scheduled callbacks run from advance(). */
export class ManualClock {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(public t = Date.parse('2026-01-01T00:00:00Z')) {}

  now(): number {
    return this.t;
  }

  schedule(ms: number, fn: () => void): { cancel(): void } {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  /** Moves time forward, running due callbacks in order. */
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.live && x.at <= this.t).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((x) => x.live && x.at > this.t);
    for (const x of due) x.fn();
  }

  /** Timers still pending. */
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }
}
