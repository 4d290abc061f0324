/**
 * The TSDB's WalStorage over node:fs: `<root>/<tenant>/wal/00000012` segments and
 * `<root>/<tenant>/wal/checkpoint.00000011`. Appends are synchronous writes to an open fd, so an
 * acknowledged write survives kill -9; fsync happens on rotation and checkpoints. Checkpoints are
 * written, synced and renamed asynchronously, so a large one does not stall the event loop. Tenant ids are
 * percent-encoded into directory names, so no id can climb out of the root.
 */
import { closeSync, fsyncSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SegmentWriter, StoredCheckpoint, WalDir, WalStorage } from '../tsdb/wal-storage.js';
import { pad8, writeFileDurably } from './fs-util.js';

const SEGMENT = /^\d{8}$/;
const CHECKPOINT = /^checkpoint\.(\d{8})$/;

/** Directory name of a tenant id (and back). */
export function tenantDirName(tenant: string): string {
  return encodeURIComponent(tenant).replace(/^\./, '%2E').replace(/\*/g, '%2A');
}


function isMissing(e: unknown): boolean {
  return (e as { code?: string }).code === 'ENOENT';
}

/** Writes all of `bytes` to `fd` (writeSync may write less than asked). */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}


class FsWalDir implements WalDir {
  constructor(private readonly path: string) {}

  async listSegments(): Promise<number[]> {
    return (await this.names()).filter((n) => SEGMENT.test(n)).map(Number).sort((a, b) => a - b);
  }

  async readSegment(index: number): Promise<Uint8Array> {
    return new Uint8Array(await readFile(join(this.path, pad8(index))));
  }

  openSegmentWriter(index: number): SegmentWriter {
    mkdirSync(this.path, { recursive: true });
    const fd = openSync(join(this.path, pad8(index)), 'a');
    let size = fstatSync(fd).size;
    let open = true;
    return {
      append(bytes: Uint8Array): void {
        writeAll(fd, bytes);
        size += bytes.length;
      },
      get size(): number {
        return size;
      },
      sync(): void {
        if (open) fsyncSync(fd);
      },
      close(): void {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }

  async readCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const indexes = (await this.names()).map((n) => CHECKPOINT.exec(n)?.[1]).filter((x): x is string => x !== undefined).map(Number);
    if (indexes.length === 0) return undefined;
    const index = Math.max(...indexes);
    return { index, bytes: new Uint8Array(await readFile(join(this.path, `checkpoint.${pad8(index)}`))) };
  }

  writeCheckpoint(index: number, bytes: Uint8Array): Promise<void> {
    return this.writeCheckpointParts(index, [bytes]);
  }

  async writeCheckpointParts(index: number, parts: readonly Uint8Array[]): Promise<void> {
    mkdirSync(this.path, { recursive: true });
    await writeFileDurably(join(this.path, `checkpoint.${pad8(index)}`), parts);
    for (const n of await this.names()) {
      const m = CHECKPOINT.exec(n);
      if ((m && Number(m[1]) < index) || (n.startsWith('checkpoint.') && n.endsWith('.tmp'))) await unlink(join(this.path, n));
    }
  }

  async removeSegmentsUpTo(index: number): Promise<void> {
    for (const n of await this.names()) if (SEGMENT.test(n) && Number(n) <= index) await unlink(join(this.path, n));
  }

  private async names(): Promise<string[]> {
    try {
      return await readdir(this.path);
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }
}

/** WAL directories under `root`, one per tenant. */
export class FsWalStorage implements WalStorage {
  constructor(private readonly root: string) {}

  async tenants(): Promise<string[]> {
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      const out: string[] = [];
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        try {
          out.push(decodeURIComponent(e.name));
        } catch {
          // not a directory this storage made
        }
      }
      return out.sort();
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }

  dir(tenant: string): WalDir {
    return new FsWalDir(join(this.root, tenantDirName(tenant), 'wal'));
  }
}
