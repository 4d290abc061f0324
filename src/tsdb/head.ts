/**
 * One tenant's store: Prometheus' Head without blocks. Series live in memory as compressed chunks,
 * found through the postings index; every accepted sample is in the WAL before append() resolves;
 * retention drops old chunks and then series left empty (churn), and a checkpoint compacts the WAL.
 */
import { compareStrings } from '../core/labels.js';
import type { Labels } from '../core/labels.js';
import type { Matcher } from '../core/matcher.js';
import type { Clock, Logger } from '../core/runtime.js';
import type { SelectHints, StoredSeries } from '../promql/value.js';
import type { AppendResult, AppendSeries, TenantTsdb, TsdbLimits, TsdbStats } from './api.js';
import { encodeCheckpoint, walRecords } from './head-wal.js';
import { labelsKey, stageBatch } from './head-append.js';
import type { StageContext } from './head-append.js';
import { ChunkArena } from './chunk-arena.js';
import { Postings } from './postings.js';
import { MemSeries, compareSeries } from './series.js';
import { wordsOf } from './float-bits.js';
import type { Wal } from './wal.js';

/** What a head needs from its owner. */
export interface HeadOptions {
  readonly tenant: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Samples older than now - retentionMs are refused and dropped; 0 keeps everything. */
  readonly retentionMs: number;
  /** Read on every append, so limit changes apply at once. */
  readonly limits: () => TsdbLimits;
  /** Checkpoint once the WAL has grown by this many bytes and twice the last checkpoint (default 64 MiB). */
  readonly checkpointBytes?: number;
  /**
   * Lets other work run between the steps of a long job (a checkpoint); the default waits for
   * the event loop's next turn (setImmediate), so I/O callbacks and timers run in between.
   */
  readonly pause?: () => Promise<void>;
}

/** Waits for the event loop's next turn. Not a timer: nothing here depends on the clock. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** AppendResult.rejected of a batch that refused nothing (frozen: shared by every such answer). */
const NOTHING_REJECTED: AppendResult['rejected'] = Object.freeze([]);

/** A counter of series changes (see Head.generation). */
interface Generation {
  n: number;
}

/** The metric name an equality matcher on `__name__` pins (only series of that name can match), if any. */
function pinnedName(matchers: readonly Matcher[]): string | undefined {
  for (const m of matchers) if (m.name === '__name__' && m.type === '=' && m.value !== '') return m.value;
  return undefined;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The series' samples in [startMs, endMs] when only the newest one is wanted (an instant
 * selector). The newest sample is kept beside the chunks: no decoding when it is in range, and
 * all of those answers share two buffers.
 */
function selectLatest(found: readonly MemSeries[], startMs: number, endMs: number): StoredSeries[] {
  let n = 0;
  for (const s of found) if (s.samples > 0 && s.lastT <= endMs && s.lastT >= startMs) n++;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const words = wordsOf(v);
  const out: StoredSeries[] = [];
  let k = 0;
  for (const s of found) {
    if (s.samples > 0 && s.lastT <= endMs) {
      if (s.lastT >= startMs) out.push(s.latestAt(t, v, words, k++));
      continue;
    }
    const r = s.range(startMs, endMs);
    if (r) out.push({ labels: s.labels, t: r.t, v: r.v });
  }
  return out;
}

/** The in-memory head of one tenant. Open with openHead (head-open.ts) to get WAL replay. */
export class Head implements TenantTsdb {
  readonly tenant: string;
  private readonly byKey = new Map<string, MemSeries>();
  private readonly byId = new Map<number, MemSeries>();
  /** Series by the frozen labels object they were appended with (ingestion reuses those objects). */
  private readonly byLabels = new WeakMap<Labels, MemSeries>();
  private readonly postings = new Postings();
  private nextId = 1;
  private rank: Map<number, number> | undefined;
  /** Bumped whenever series are added or removed: cached matches of older generations are stale. */
  private readonly generation: Generation = { n: 0 };
  /**
   * The same per metric name that has (had) series: a cached match of a selector that pins
   * `__name__` stays good while no series of that name came or went, so new ALERTS series do not
   * invalidate every other selector of the rule packs. A name without series uses `generation`.
   */
  private readonly nameGenerations = new Map<string, Generation>();
  /** Matches by matcher array (see matching()). */
  private readonly matched = new WeakMap<readonly Matcher[], { readonly counter: Generation; readonly generation: number; readonly series: readonly MemSeries[] }>();
  private samples = 0;
  private maxT = -Infinity;
  /** WAL records of deferred appends not yet written (appendDeferred). */
  private walPending: Uint8Array[] = [];
  private closed = false;
  /** The checkpoint being written, if any. */
  private checkpointing: Promise<void> | undefined;
  /** Where finished chunks live. */
  readonly arena = new ChunkArena();
  /** Attached after replay; undefined for a memory-only head. */
  wal: Wal | undefined;

  constructor(private readonly opts: HeadOptions) {
    this.tenant = opts.tenant;
  }

  /** Oldest time a new sample may have. */
  minValidTime(): number {
    return this.opts.retentionMs > 0 ? this.opts.clock.now() - this.opts.retentionMs : -Infinity;
  }

  append(batch: readonly AppendSeries[]): Promise<AppendResult> {
    try {
      return Promise.resolve(this.appendSync(batch));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** append() without the promise: staged, written to the WAL, then applied. */
  appendSync(batch: readonly AppendSeries[]): AppendResult {
    return this.appendNow(batch, false);
  }

  /**
   * appendSync() whose WAL records are written at the end of the event loop's turn, together
   * with those of every other deferred append of the turn: one write instead of one per append.
   * For output that is computed again if lost (rule packs write each rule's output into up to
   * thousands of tenant stores, a few samples each): a crash within the turn loses those samples
   * from the WAL, not from queries. A WAL write failing later is logged.
   */
  appendDeferred(batch: readonly AppendSeries[]): AppendResult {
    return this.appendNow(batch, true);
  }

  private appendNow(batch: readonly AppendSeries[], deferWal: boolean): AppendResult {
    if (this.closed) throw new Error(`the TSDB of tenant ${this.tenant} is closed`);
    const ctx = this.stageContext;
    ctx.seriesCount = this.byKey.size;
    ctx.maxSeries = this.opts.limits().maxSeries;
    ctx.minValidT = this.minValidTime();
    const b = stageBatch(batch, ctx);
    const created: MemSeries[] = [];
    const target: MemSeries[] = [];
    for (const st of b.staged) {
      if (!st.series && st.count > 0) {
        st.series = MemSeries.create(this.nextId++, st.labels, st.key);
        created.push(st.series);
      }
      target.push(st.series as MemSeries);
      if (st.series && !st.known && Object.isFrozen(st.labels)) this.byLabels.set(st.labels, st.series);
    }
    if (this.wal) {
      const records = walRecords(created, target, b);
      if (records.length > 0 && deferWal) this.deferWal(records);
      else if (records.length > 0) {
        // Deferred records go first: they may hold the series records these samples refer to.
        this.flushWal();
        this.wal.write(records);
      }
    }
    for (const s of created) this.addSeries(s);
    const n = b.t.length;
    for (let i = 0; i < n; i++) {
      const s = target[b.ref[i] as number] as MemSeries;
      const t = b.t[i] as number;
      s.append(t, b.hi[i] as number, b.lo[i] as number, this.arena);
      if (t > this.maxT) this.maxT = t;
    }
    this.samples += n;
    if (b.rejected.size === 0) return { accepted: b.accepted, rejected: NOTHING_REJECTED };
    return { accepted: b.accepted, rejected: [...b.rejected].map(([reason, r]) => ({ reason, count: r.count, example: r.example })) };
  }

  /** What stageBatch asks the head, one object per head (appendNow sets the figures per batch). */
  private readonly stageContext: { -readonly [K in keyof StageContext]: StageContext[K] } = {
    find: (key) => this.byKey.get(key),
    known: (labels) => {
      const s = this.byLabels.get(labels);
      return s && !s.removed ? s : undefined;
    },
    seriesCount: 0,
    maxSeries: 0,
    minValidT: -Infinity,
  };

  select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    const found = this.matching([matchers]);
    if (hints.latestOnly === true) return Promise.resolve(selectLatest(found, hints.startMs, hints.endMs));
    const out: StoredSeries[] = [];
    for (const s of found) {
      const r = s.range(hints.startMs, hints.endMs);
      if (r) out.push({ labels: s.labels, t: r.t, v: r.v });
    }
    return Promise.resolve(out);
  }

  labelNames(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]> {
    const names = new Set<string>();
    for (const s of this.inRange(matcherSets, startMs, endMs)) for (const [n] of s.pairs) names.add(n);
    return Promise.resolve([...names].sort(compareStrings));
  }

  labelValues(name: string, matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<string[]> {
    const values = new Set<string>();
    for (const s of this.inRange(matcherSets, startMs, endMs)) {
      const v = s.labels[name];
      if (v !== undefined) values.add(v);
    }
    return Promise.resolve([...values].sort(compareStrings));
  }

  series(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): Promise<Labels[]> {
    return Promise.resolve(this.inRange(matcherSets, startMs, endMs).map((s) => s.labels));
  }

  stats(): TsdbStats {
    let minT = Infinity;
    for (const s of this.byId.values()) if (s.minT < minT) minT = s.minT;
    return { activeSeries: this.byId.size, samplesInHead: this.samples, minTimeMs: minT, maxTimeMs: this.maxT };
  }

  /**
   * Drops chunks older than now - retention and the series left without samples. Returns the
   * number of series removed. Called by the owner's maintenance timer.
   */
  applyRetention(): number {
    const mint = this.minValidTime();
    if (mint === -Infinity) return 0;
    const gone: MemSeries[] = [];
    for (const s of this.byId.values()) {
      this.samples -= s.dropBefore(mint);
      if (s.samples === 0) gone.push(s);
    }
    for (const s of gone) {
      s.removed = true;
      this.byId.delete(s.id);
      this.byKey.delete(s.key);
      this.bumpName(s.labels['__name__']);
    }
    this.postings.removeMany(gone);
    if (gone.length > 0) {
      this.rank = undefined;
      this.generation.n++;
    }
    if (this.byId.size === 0) this.maxT = -Infinity;
    return gone.length;
  }

  /**
   * Retention, then a checkpoint when the WAL has grown enough (or when `force`). The checkpoint
   * is written in steps while appends and queries go on; the promise settles when it is stored.
   * With one already running, a forced call waits for it and takes another; otherwise it waits only.
   */
  async maintain(force = false): Promise<void> {
    const removed = this.applyRetention();
    if (this.checkpointing) {
      await this.checkpointing.catch(() => undefined);
      if (!force) return;
    }
    const wal = this.wal;
    if (!wal || this.closed) return;
    if (!force && !wal.checkpointDue(this.opts.checkpointBytes ?? 64 * 1024 * 1024)) return;
    const run = this.checkpoint(wal);
    this.checkpointing = run;
    try {
      await run;
      this.opts.logger.debug({ tenant: this.tenant, series: this.byId.size, removed }, 'TSDB checkpoint');
    } finally {
      if (this.checkpointing === run) this.checkpointing = undefined;
    }
  }

  private deferWal(records: Uint8Array): void {
    this.walPending.push(records);
    if (this.walPending.length > 1) return;
    void (this.opts.pause ?? nextTurn)().then(() => this.flushWal());
  }

  /** Writes the records of deferred appends, in order, in one WAL write. */
  private flushWal(): void {
    const parts = this.walPending;
    if (parts.length === 0) return;
    this.walPending = [];
    if (!this.wal) return;
    try {
      this.wal.write(parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(parts));
    } catch (e) {
      this.opts.logger.error({ tenant: this.tenant, err: e instanceof Error ? e.message : String(e) }, 'TSDB: writing deferred samples to the WAL failed; they are kept in memory only');
    }
  }

  /** Settles once no checkpoint is running (a failed one included). */
  async idle(): Promise<void> {
    await this.checkpointing?.catch(() => undefined);
  }

  /** Closes the WAL (further appends fail). */
  close(): void {
    this.flushWal();
    this.closed = true;
    this.wal?.close();
    this.wal = undefined;
  }

  /** Adds a series read from the WAL. */
  restoreSeries(id: number, labels: Labels): MemSeries {
    // Ids stay unique across the whole log, even when one label set appears under two ids.
    if (id >= this.nextId) this.nextId = id + 1;
    const key = labelsKey(labels);
    const known = this.byKey.get(key);
    if (known) return known;
    const s = MemSeries.create(id, labels, key);
    this.addSeries(s);
    return s;
  }

  /** The series with WAL id `id`, if any. */
  seriesById(id: number): MemSeries | undefined {
    return this.byId.get(id);
  }

  /** Recomputes sample totals after replay. */
  recount(): void {
    this.samples = 0;
    this.maxT = -Infinity;
    for (const s of this.byId.values()) {
      this.samples += s.samples;
      if (s.samples > 0 && s.lastT > this.maxT) this.maxT = s.lastT;
    }
  }

  /** Compressed bytes, samples and head-chunk buffer bytes of the series matching `matchers` (all by default), for figures. */
  chunkBytes(matchers: readonly Matcher[] = []): { bytes: number; samples: number; headBuffers: number } {
    let bytes = 0;
    let samples = 0;
    let headBuffers = 0;
    for (const s of this.matching([matchers])) {
      bytes += s.chunkBytes();
      samples += s.samples;
      headBuffers += s.headCapacity();
    }
    return { bytes, samples, headBuffers };
  }

  private async checkpoint(wal: Wal): Promise<void> {
    // Deferred records belong in the segments the checkpoint covers (samples it already holds).
    this.flushWal();
    const covered = wal.startCheckpoint();
    const series = [...this.byId.values()];
    const parts = await encodeCheckpoint(series, (s) => this.byId.get(s.id) === s, {
      pause: this.opts.pause ?? nextTurn,
      aborted: () => this.closed,
    });
    if (parts) await wal.finishCheckpoint(covered, parts);
  }

  private addSeries(s: MemSeries): void {
    this.byId.set(s.id, s);
    this.byKey.set(s.key, s);
    this.postings.add(s.id, s.pairs);
    this.rank = undefined;
    this.generation.n++;
    this.bumpName(s.labels['__name__']);
  }

  private bumpName(name: string | undefined): void {
    if (name === undefined) return;
    const g = this.nameGenerations.get(name);
    if (g) g.n++;
    else this.nameGenerations.set(name, { n: 0 });
  }

  private inRange(matcherSets: readonly (readonly Matcher[])[], startMs: number, endMs: number): MemSeries[] {
    const sets = matcherSets.length === 0 ? [[]] : matcherSets;
    return this.matching(sets).filter((s) => s.samples > 0 && s.minT <= endMs && s.lastT >= startMs);
  }

  /**
   * Series matching any of the sets, in label order (callers must not modify the array). The
   * answer for one matcher set is kept until the series change: the ruler and dashboards ask the
   * same selectors (the same parsed matcher arrays) again and again.
   */
  private matching(sets: readonly (readonly Matcher[])[]): readonly MemSeries[] {
    const only = sets.length === 1 ? sets[0] : undefined;
    if (only === undefined) return this.matchingUncached(sets);
    const hit = this.matched.get(only);
    if (hit !== undefined && hit.generation === hit.counter.n) return hit.series;
    const name = pinnedName(only);
    const counter = (name !== undefined ? this.nameGenerations.get(name) : undefined) ?? this.generation;
    const series = this.matchingUncached(sets);
    this.matched.set(only, { counter, generation: counter.n, series });
    return series;
  }

  private matchingUncached(sets: readonly (readonly Matcher[])[]): MemSeries[] {
    let ids: number[];
    if (sets.length === 1) ids = this.postings.select(sets[0] as readonly Matcher[]);
    else {
      const all = new Set<number>();
      for (const ms of sets) for (const id of this.postings.select(ms)) all.add(id);
      ids = [...all];
    }
    const found = ids.map((id) => this.byId.get(id) as MemSeries);
    // A small result is cheaper to sort on its own than to rebuild the rank of every series.
    if (!this.rank && found.length * 4 < this.byId.size) return found.sort((a, b) => compareSeries(a, b));
    const rank = this.rankOf();
    return found.sort((a, b) => (rank.get(a.id) as number) - (rank.get(b.id) as number));
  }

  private rankOf(): Map<number, number> {
    if (!this.rank) {
      const all = [...this.byId.values()].sort((a, b) => compareSeries(a, b));
      this.rank = new Map(all.map((s, i) => [s.id, i]));
    }
    return this.rank;
  }
}
