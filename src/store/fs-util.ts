/** File helpers shared by the TSDB's WAL files (wal-fs.ts) and the alert journal (journal.ts). */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A file sequence number as eight digits, so names sort as numbers. */
export function pad8(n: number): string {
  return String(n).padStart(8, '0');
}

/** Makes a rename in `path` durable; a platform that cannot fsync a directory still renames atomically. */
export function fsyncDir(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `parts` to `path` so that a crash leaves either the old file or the whole new one: into
 * `<path>.tmp`, synced, renamed over `path`, and the rename made durable. A leftover `.tmp` from
 * a crash is the caller's to remove.
 */
export async function writeFileDurably(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    for (const part of parts) {
      let off = 0;
      while (off < part.length) off += (await file.write(part, off, part.length - off)).bytesWritten;
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  fsyncDir(dirname(path));
}
