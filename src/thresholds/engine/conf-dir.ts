/**
 * The `conf.d` directory as files: top-level `*.yaml|*.yml` regular files only; hidden entries (the
 * `..data` of a Kubernetes ConfigMap mount) and subdirectories are skipped, as the upstream
 * threshold-exporter's loadDir does. Unlike upstream, which re-reads and hashes every file on every
 * tick, a file whose size and mtime did not change is not read again; one that did is read and
 * hashed, and reported changed only when its content hash differs (a ConfigMap swap touches
 * mtimes without changing content).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The fs functions used; node:fs/promises' readdir, readFile and stat fit. */
export interface ConfDirFs {
  readDir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; readonly mtimeMs: number; readonly size: number }>;
}

/** One file's content as last read. */
export interface ConfFile {
  /** File name, e.g. `db-a.yaml`. */
  readonly name: string;
  readonly path: string;
  readonly text: string;
  /** sha256 of the text: equal hashes mean nothing to re-parse. */
  readonly hash: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** A directory read: files by name (sorted), and files that could not be read (name -> error). */
export interface ConfDirSnapshot {
  readonly files: ReadonlyMap<string, ConfFile>;
  readonly unreadable: ReadonlyMap<string, string>;
}

const CONF_FILE = /^[^.].*\.ya?ml$/;

export class ConfDirectory {
  private known = new Map<string, ConfFile>();

  constructor(
    readonly root: string,
    private readonly fs: ConfDirFs,
  ) {}

  /** Reads the directory; throws when the directory itself cannot be listed. */
  async read(): Promise<ConfDirSnapshot> {
    const names = (await this.fs.readDir(this.root)).filter((n) => CONF_FILE.test(n)).sort();
    const files = new Map<string, ConfFile>();
    const unreadable = new Map<string, string>();
    for (const name of names) {
      const path = join(this.root, name);
      try {
        const st = await this.fs.stat(path);
        if (!st.isFile()) continue;
        const prev = this.known.get(name);
        if (prev && prev.mtimeMs === st.mtimeMs && prev.size === st.size) {
          files.set(name, prev);
          continue;
        }
        const text = await this.fs.readFile(path, 'utf8');
        const hash = createHash('sha256').update(text).digest('hex');
        files.set(name, prev && prev.hash === hash ? { ...prev, mtimeMs: st.mtimeMs, size: st.size } : { name, path, text, hash, mtimeMs: st.mtimeMs, size: st.size });
      } catch (e) {
        unreadable.set(name, e instanceof Error ? e.message : String(e));
      }
    }
    this.known = new Map(files);
    return { files, unreadable };
  }
}
