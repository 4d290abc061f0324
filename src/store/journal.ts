/**
 * A StateStore kept in memory and made durable by an append-only journal: each `write` is one
 * synchronous append of text lines to an open file, ended by a commit line, before it resolves, so
 * an acknowledged write survives kill -9 (like SQLite in WAL mode with synchronous=NORMAL, a crash
 * of the whole machine can lose the last writes). The journal is compacted into a snapshot once it
 * outgrows the live state.
 *
 * Why: alerts are the one kind written at the rate alerts arrive. As rows in SQLite each cost a
 * B-tree upsert on the writer thread, which on a two-core machine took the CPU the HTTP path
 * needed and made every POST /api/v2/alerts wait for a commit; a journal append is one write(2)
 * per request. Alertmanager itself keeps alerts in memory only.
 *
 * Files in `dir`, per generation g: `snapshot.g` (every live record when g began; absent for the
 * first generation) and `journal.g` (the writes since). Compaction starts generation g+1: appends
 * go to a new journal.(g+1) at once, the state of that moment is written to snapshot.(g+1).tmp,
 * synced and renamed, then the files of older generations are removed. Opening reads the newest
 * snapshot and replays every journal of its generation or later, so a crash at any step of a
 * compaction loses nothing. A write's lines are applied only with their commit line: a batch cut
 * by a crash is dropped whole, and the torn tail is cut off the journal before appending again.
 *
 * Line format (fields separated by tabs; tenant, kind and key percent-encoded when they hold `%`,
 * a tab or a line break; `-` for no expiry):
 *   p <tenant> <kind> <key> <expiresAt> <value>     put, value as is (it holds no line break)
 *   q <tenant> <kind> <key> <expiresAt> <json>      put, value as a JSON string
 *   d <tenant> <kind> <key>                         delete
 *   D <tenant> <kind>                               deleteAll
 *   C                                               commit: the lines since the previous C apply
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Millis } from '../core/alert.js';
import type { StateKind, StateOp, StateRecord, StateStore } from '../core/state-store.js';
import { pad8, writeFileDurably } from './fs-util.js';
import { MemoryStateStore } from './memory.js';
import { validateOp } from './ops.js';
import type { StoreOptions } from './ops.js';

export interface JournalStoreOptions extends StoreOptions {
  /** The journal is compacted when it is larger than this and than twice the last snapshot. Default 16 MiB. */
  readonly compactBytes?: number;
  /** Told about damaged files found when opening and about failed compactions (the journal keeps growing; the next write tries again). */
  readonly onError?: (e: Error) => void;
}

export const DEFAULT_COMPACT_BYTES = 16 * 1024 * 1024;

const FILE = /^(journal|snapshot)\.(\d{8})$/;
const NEEDS_ESCAPE = /[%\t\n\r]/;
const LINE_BREAK = /[\n\r]/;


function field(s: string): string {
  return NEEDS_ESCAPE.test(s) ? encodeURIComponent(s) : s;
}

function unfield(s: string): string {
  return s.includes('%') ? decodeURIComponent(s) : s;
}

/** One op as a journal line. */
function line(op: StateOp): string {
  if (op.op === 'put') {
    const head = `${field(op.tenant)}\t${op.kind}\t${field(op.key)}\t${op.expiresAt === undefined ? '-' : String(op.expiresAt)}\t`;
    return LINE_BREAK.test(op.value) ? `q\t${head}${JSON.stringify(op.value)}\n` : `p\t${head}${op.value}\n`;
  }
  if (op.op === 'delete') return `d\t${field(op.tenant)}\t${op.kind}\t${field(op.key)}\n`;
  return `D\t${field(op.tenant)}\t${op.kind}\n`;
}

/** The first n tab-separated fields of `s` and the rest of it (which may hold tabs); undefined when s has fewer tabs. */
function splitFields(s: string, n: number): string[] | undefined {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const tab = s.indexOf('\t', at);
    if (tab < 0) return undefined;
    out.push(s.slice(at, tab));
    at = tab + 1;
  }
  out.push(s.slice(at));
  return out;
}

/** Parses one line (without its newline); undefined for a line this code did not write. */
function parseLine(s: string): StateOp | 'commit' | undefined {
  if (s === 'C') return 'commit';
  const tag = s.charAt(0);
  if (s.charAt(1) !== '\t') return undefined;
  const rest = s.slice(2);
  if (tag === 'p' || tag === 'q') {
    const f = splitFields(rest, 4);
    if (f === undefined) return undefined;
    const [tenant, kind, key, exp, raw] = f as [string, string, string, string, string];
    const expiresAt = exp === '-' ? undefined : Number(exp);
    if (expiresAt !== undefined && !Number.isFinite(expiresAt)) return undefined;
    const value = tag === 'p' ? raw : (JSON.parse(raw) as unknown);
    if (typeof value !== 'string') return undefined;
    const base = { op: 'put' as const, tenant: unfield(tenant), kind: kind as StateKind, key: unfield(key), value };
    return expiresAt === undefined ? base : { ...base, expiresAt };
  }
  if (tag === 'd') {
    const f = rest.split('\t');
    if (f.length !== 3) return undefined;
    return { op: 'delete', tenant: unfield(f[0] as string), kind: f[1] as StateKind, key: unfield(f[2] as string) };
  }
  if (tag === 'D') {
    const f = rest.split('\t');
    if (f.length !== 2) return undefined;
    return { op: 'deleteAll', tenant: unfield(f[0] as string), kind: f[1] as StateKind };
  }
  return undefined;
}

/**
 * Applies the committed batches of `text` to `into`. Returns the length (in characters) of the
 * committed prefix: what follows the last commit line is a write a crash cut short. A line this
 * code cannot read ends the replay there, with a problem to report: later batches are not guessed at.
 */
function replay(text: string, into: MemoryStateStore): { committed: number; problem?: string } {
  let batch: StateOp[] = [];
  let committed = 0;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    let parsed: StateOp | 'commit' | undefined;
    try {
      parsed = parseLine(text.slice(at, nl));
      if (parsed !== undefined && parsed !== 'commit') validateOp(parsed);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) return { committed, problem: `unreadable line at character ${at}; the records after it are not restored` };
    at = nl + 1;
    if (parsed === 'commit') {
      into.apply(batch);
      batch = [];
      committed = at;
    } else batch.push(parsed);
  }
  return { committed };
}

/** The journalled store; open it with openJournalStore. */
export class JournalStateStore implements StateStore {
  private readonly live: MemoryStateStore;
  private fd: number;
  private gen: number;
  private journalBytes: number;
  private snapshotBytes: number;
  private compacting: Promise<void> | undefined;
  private closed = false;
  private readonly compactBytes: number;

  /** Reads the directory (synchronously: it runs once, before anything is served). */
  constructor(
    private readonly dir: string,
    private readonly opts: JournalStoreOptions = {},
  ) {
    this.live = new MemoryStateStore(opts.now ? { now: opts.now } : {});
    this.compactBytes = opts.compactBytes ?? DEFAULT_COMPACT_BYTES;
    mkdirSync(dir, { recursive: true });
    const snapshots: number[] = [];
    const journals: number[] = [];
    for (const name of readdirSync(dir)) {
      const m = FILE.exec(name);
      if (m) (m[1] === 'snapshot' ? snapshots : journals).push(Number(m[2]));
      else if (name.endsWith('.tmp')) unlinkSync(join(dir, name));
    }
    const base = snapshots.length > 0 ? Math.max(...snapshots) : 0;
    const report = (file: string, problem: string): void => opts.onError?.(new Error(`state journal ${join(dir, file)}: ${problem}`));
    this.snapshotBytes = 0;
    if (snapshots.length > 0) {
      const name = `snapshot.${pad8(base)}`;
      const text = readFileSync(join(dir, name), 'utf8');
      const r = replay(text, this.live);
      if (r.problem !== undefined) report(name, r.problem);
      else if (r.committed !== text.length) report(name, 'the snapshot is incomplete');
      this.snapshotBytes = Buffer.byteLength(text);
    }
    const replayed = journals.filter((g) => g >= base).sort((a, b) => a - b);
    this.gen = replayed.length > 0 ? (replayed[replayed.length - 1] as number) : Math.max(base, 1);
    let lastCommitted = 0;
    for (const g of replayed) {
      const name = `journal.${pad8(g)}`;
      const text = readFileSync(join(dir, name), 'utf8');
      const r = replay(text, this.live);
      if (r.problem !== undefined) report(name, r.problem);
      lastCommitted = Buffer.byteLength(text.slice(0, r.committed));
    }
    // Appends continue the newest journal, cut back to its last commit (a torn write is dropped).
    this.fd = openSync(join(dir, `journal.${pad8(this.gen)}`), 'a');
    if (fstatSync(this.fd).size !== lastCommitted) ftruncateSync(this.fd, lastCommitted);
    this.journalBytes = lastCommitted;
    for (const g of [...snapshots, ...journals]) if (g < base) this.removeQuietly(g);
  }

  write(ops: readonly StateOp[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    if (ops.length === 0) return Promise.resolve();
    // Validated before a byte is written, so a bad op changes nothing.
    try {
      for (let i = 0; i < ops.length; i++) validateOp(ops[i] as StateOp);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    let text = '';
    for (let i = 0; i < ops.length; i++) text += line(ops[i] as StateOp);
    text += 'C\n';
    const length = Buffer.byteLength(text, 'utf8');
    try {
      // The text as is (no Buffer made per batch); a short write continues from the bytes.
      let off = writeSync(this.fd, text);
      if (off < length) {
        const bytes = Buffer.from(text, 'utf8');
        while (off < length) off += writeSync(this.fd, bytes, off, length - off);
      }
    } catch (e) {
      // A short write leaves a torn batch: cut it off so the next append starts clean.
      try {
        ftruncateSync(this.fd, this.journalBytes);
      } catch {
        // the next open cuts it at the last commit
      }
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    this.journalBytes += length;
    this.live.apply(ops);
    if (this.compacting === undefined && this.journalBytes > this.compactBytes && this.journalBytes > 2 * this.snapshotBytes) this.compact();
    return Promise.resolve();
  }

  load(kind: StateKind, tenant?: string): Promise<StateRecord[]> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    return this.live.load(kind, tenant);
  }

  tenants(): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    return this.live.tenants();
  }

  /** Forgets expired records; the journal drops them at its next compaction (load hides them until then). */
  gc(now: Millis): Promise<number> {
    if (this.closed) return Promise.reject(new Error('state store is closed'));
    return this.live.gc(now);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting;
    closeSync(this.fd);
  }

  /** Resolves when no compaction is under way (tests). */
  settled(): Promise<void> {
    return this.compacting ?? Promise.resolve();
  }

  /** The current generation (tests). */
  get generation(): number {
    return this.gen;
  }

  /**
   * Starts generation gen+1: new appends go to its journal at once; the live state of this moment
   * becomes its snapshot in the background.
   */
  compact(): void {
    if (this.compacting !== undefined || this.closed) return;
    const old = this.gen;
    const next = old + 1;
    const fd = openSync(join(this.dir, `journal.${pad8(next)}`), 'a');
    closeSync(this.fd);
    this.fd = fd;
    this.gen = next;
    this.journalBytes = 0;
    const parts: string[] = [];
    for (const r of this.live.records()) parts.push(line({ op: 'put', ...r }));
    parts.push('C\n');
    const snapshot = Buffer.from(parts.join(''), 'utf8');
    this.compacting = writeFileDurably(join(this.dir, `snapshot.${pad8(next)}`), [snapshot])
      .then(() => {
        this.snapshotBytes = snapshot.length;
        for (let g = old; g >= 1; g--) if (!this.removeQuietly(g)) break;
      })
      .catch((e: unknown) => this.opts.onError?.(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        this.compacting = undefined;
      });
  }

  /** Removes generation g's files; false when there were none. */
  private removeQuietly(g: number): boolean {
    let any = false;
    for (const name of [`journal.${pad8(g)}`, `snapshot.${pad8(g)}`]) {
      try {
        unlinkSync(join(this.dir, name));
        any = true;
      } catch {
        // already gone
      }
    }
    return any;
  }
}


/** Opens (and replays) the journal in `dir`; damage beyond a torn last write goes to onError. */
export function openJournalStore(dir: string, opts: JournalStoreOptions = {}): JournalStateStore {
  return new JournalStateStore(dir, opts);
}
