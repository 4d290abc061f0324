/** File helpers shared by the TSDB's WAL files (wal-fs.ts) and the alert journal (journal.ts). */
import { closeSync, fsyncSync, openSync } from 'node:fs';

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
