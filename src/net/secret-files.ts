/**
 * Reads the `*_file` secrets of the operator's own Alertmanager configs at send time, as
 * Alertmanager does (a rotated secret is picked up by the next notification). Tenant configs never
 * get a reader: the loader refuses `*_file` keys for them and engines fail without one.
 */
import { readFileSync, statSync } from 'node:fs';
import type { SecretFileReader } from '../alertmanager/notify/types.js';

/** Go's error texts for the usual failures (`open /x: no such file or directory`). */
const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
};

export interface SecretFileReaderOptions {
  /** Entries kept in the path+mtime cache; default 256. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly value: string;
}

/**
 * A SecretFileReader over node:fs. Content is returned with surrounding whitespace trimmed
 * (strings.TrimSpace, as every upstream `*_file` reader does). A file is re-read when its mtime
 * or size changes, so rotation works without re-reading unchanged files on every notification.
 */
export function createSecretFileReader(options: SecretFileReaderOptions = {}): SecretFileReader {
  const max = options.maxEntries ?? 256;
  const cache = new Map<string, Entry>();
  return {
    read(path: string): string {
      if (path === '') throw new Error('open : no such file or directory');
      try {
        const st = statSync(path);
        const hit = cache.get(path);
        if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'read' });
        const value = readFileSync(path, 'utf8').trim();
        cache.delete(path);
        if (cache.size >= max) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        cache.set(path, { mtimeMs: st.mtimeMs, size: st.size, value });
        return value;
      } catch (e) {
        cache.delete(path);
        throw new Error(goFileError(path, e));
      }
    },
  };
}

/** `open <path>: <reason>` (or `read <path>: ...`), from a Node fs error. */
function goFileError(path: string, e: unknown): string {
  const err = e as { code?: unknown; syscall?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : '';
  const op = err.syscall === 'read' ? 'read' : 'open';
  const reason = ERRNO_TEXT[code] ?? (typeof err.message === 'string' ? err.message : String(e));
  return `${op} ${path}: ${reason}`;
}
