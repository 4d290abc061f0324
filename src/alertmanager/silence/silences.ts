/**
 * One tenant's silences. Mirrors Alertmanager's silence/silence.go (Silences + Silencer):
 * validation, update-in-place versus expire-and-recreate, limits, expiry, GC after retention, and
 * a per-alert mute cache. Every change is written through the StateStore before the call resolves;
 * memory changes only after the write succeeded, and changes run one at a time.
 */
import { randomUUID } from 'node:crypto';
import { ZERO_TIME } from '../../core/alert.js';
import type { Millis } from '../../core/alert.js';
import { truncate } from '../../core/array.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';
import type { Clock, Logger } from '../../core/runtime.js';
import type { StateOp, TenantState } from '../../core/state-store.js';
import { AlertmanagerInputError } from '../api.js';
import type { SilenceView } from '../api.js';
import { decodeSilence, encodeSilence } from './codec.js';
import { SilenceIndex } from './matcher-index.js';
import type { IndexedSilence } from './matcher-index.js';
import { apiSilenceState, compareSilenceViews, silenceMatchesFilter, silenceState } from './state.js';
import type { Silence, SilenceInput, SilenceState } from './types.js';
import { validateSilence } from './validate.js';

/** Per-tenant silence limits; 0 means unlimited (upstream --silences.max-*). */
export interface SilenceLimits {
  /** Most silences held, expired ones included. */
  readonly maxSilences: number;
  /** Largest stored size of one silence, in bytes of its stored JSON. */
  readonly maxSilenceSizeBytes: number;
}

/** What a Silences instance needs from its tenant's engine. */
export interface SilencesOptions {
  readonly state: TenantState;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long an ended silence is kept (and shown as expired) before GC drops it. */
  readonly retentionMs: number;
  readonly limits: SilenceLimits;
}

/** Mute-cache entry for one alert fingerprint (upstream silence/cache.go, plus a validity time). */
interface MuteCacheEntry {
  /** Silences version the entry was computed against. */
  version: number;
  /** Silences that matched the labels and were active or pending when last evaluated. */
  matching: Silence[];
  /** Ids of the active ones among them. */
  active: readonly string[];
  /** The result stays right until one of `matching` starts or ends. */
  validUntil: Millis;
  evaluatedAt: Millis;
}

const NO_IDS: readonly string[] = Object.freeze([]);
const encoder = new TextEncoder();

/** The silences of one tenant, with the Silencer's `mutes` on top. */
export class Silences {
  private readonly byId = new Map<string, Silence>();
  private index = new SilenceIndex();
  private readonly cache = new Map<string, MuteCacheEntry>();
  /** Bumped on every change; cache entries of an older version are recomputed. */
  private version = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly scratch: IndexedSilence[] = [];
  private readonly logger: Logger;

  constructor(private readonly opts: SilencesOptions) {
    this.logger = opts.logger.child({ component: 'silences' });
  }

  /** Replaces the held silences with those in the store (kind 'silence'). */
  load(): Promise<void> {
    return this.serial(async () => {
      const records = await this.opts.state.load('silence');
      const now = this.opts.clock.now();
      this.byId.clear();
      this.index = new SilenceIndex();
      this.cache.clear();
      for (const r of records) {
        const s = decodeSilence(r);
        if (typeof s === 'string') {
          this.logger.warn({ silence_id: r.key, err: s }, 'dropping unreadable silence');
          continue;
        }
        this.byId.set(s.id, s);
        if (now <= s.endsAt) this.index.add(s);
      }
      this.version++;
      this.logger.debug({ silences: this.byId.size }, 'silences loaded');
    });
  }

  /**
   * Creates or updates a silence and returns its id (upstream Silences.Set). An update keeps the id
   * when only the comment, creator, annotations or allowed times change (canUpdate); otherwise the
   * old silence is expired, keeping history, and a new one with a fresh id replaces it.
   */
  set(input: SilenceInput): Promise<string> {
    return this.serial(async () => {
      const now = this.opts.clock.now();
      const startsAt = input.startsAt === ZERO_TIME ? now : input.startsAt;
      const v = validateSilence({ matchers: input.matchers, startsAt, endsAt: input.endsAt });
      if (!v.ok) throw new AlertmanagerInputError('invalid', `invalid silence: ${v.issues[0]?.message ?? 'invalid'}`);
      const hasId = input.id !== undefined && input.id !== '';
      const prev = hasId ? this.byId.get(input.id) : undefined;
      if (hasId && prev === undefined) throw new AlertmanagerInputError('not_found', 'silence not found');

      const body: Omit<Silence, 'id'> = {
        matchers: v.value,
        startsAt,
        endsAt: input.endsAt,
        updatedAt: now,
        createdBy: input.createdBy,
        comment: input.comment,
        ...(input.annotations === undefined ? {} : { annotations: { ...input.annotations } }),
      };

      if (prev !== undefined && canUpdate(prev, body, now)) {
        const sil: Silence = { id: prev.id, ...body };
        const value = this.checkSize(encodeSilence(sil));
        await this.opts.state.write([this.putOp(sil, value)]);
        this.apply(sil, now);
        this.logger.debug({ silence_id: sil.id }, 'update silence');
        return sil.id;
      }

      // A new silence, or one replacing `prev`: both need room for one more (expired ones count).
      const max = this.opts.limits.maxSilences;
      if (max > 0 && this.byId.size + 1 > max) {
        throw new AlertmanagerInputError('limit', `exceeded maximum number of silences: ${this.byId.size} (limit: ${max})`, 'maxSilences');
      }
      const sil: Silence = { id: randomUUID(), ...body, startsAt: startsAt < now ? now : startsAt };
      const ops: StateOp[] = [];
      let expired: Silence | undefined;
      if (prev !== undefined && silenceState(prev, now) !== 'expired') {
        expired = expireAt(prev, now);
        ops.push(this.putOp(expired, encodeSilence(expired)));
      }
      ops.push(this.putOp(sil, this.checkSize(encodeSilence(sil))));
      await this.opts.state.write(ops);
      if (expired !== undefined) this.apply(expired, now);
      this.apply(sil, now);
      this.logger.debug({ silence_id: sil.id, replaces: prev?.id }, 'create silence');
      return sil.id;
    });
  }

  /**
   * Ends a silence now (upstream Expire): an active one gets endsAt = now, a pending one
   * startsAt = endsAt = now; an expired one is left as is. Unknown id: AlertmanagerInputError('not_found').
   */
  expire(id: string): Promise<void> {
    return this.serial(async () => {
      const prev = this.byId.get(id);
      if (prev === undefined) throw new AlertmanagerInputError('not_found', 'silence not found');
      const now = this.opts.clock.now();
      if (silenceState(prev, now) === 'expired') return;
      const sil = expireAt(prev, now);
      await this.opts.state.write([this.putOp(sil, encodeSilence(sil))]);
      this.apply(sil, now);
      this.logger.debug({ silence_id: id }, 'expire silence');
    });
  }

  /** One silence with its API state, or undefined. */
  get(id: string): SilenceView | undefined {
    const s = this.byId.get(id);
    return s === undefined ? undefined : { silence: s, state: apiSilenceState(s, this.opts.clock.now()) };
  }

  /**
   * Silences holding every filter matcher (upstream CheckSilenceMatchesFilterLabels), sorted as
   * upstream SortSilences, each with its API state.
   */
  query(filter: readonly Matcher[]): SilenceView[] {
    const now = this.opts.clock.now();
    const out: SilenceView[] = [];
    for (const s of this.byId.values()) {
      if (filter.length > 0 && !silenceMatchesFilter(s, filter)) continue;
      out.push({ silence: s, state: apiSilenceState(s, now) });
    }
    return out.sort(compareSilenceViews);
  }

  /**
   * Ids of the active silences that match `labels` (upstream Silencer.Mutes). Cached per
   * fingerprint: the entry keeps the matching active and pending silences, so a pending silence
   * that starts or an active one that ends is noticed by time alone; any change to the silences
   * bumps the version and the entry is rebuilt from the equality index.
   */
  mutes(labels: Labels, fingerprint: string): readonly string[] {
    // No silences: nothing to match and nothing worth a cache entry per alert.
    if (this.byId.size === 0) return NO_IDS;
    const now = this.opts.clock.now();
    let c = this.cache.get(fingerprint);
    if (c !== undefined && c.version === this.version) {
      if (now < c.validUntil && now >= c.evaluatedAt) return c.active;
      evaluate(c, now);
      return c.active;
    }
    const candidates = this.scratch;
    this.index.collect(labels, candidates);
    const matching: Silence[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const { silence: s, plan } = candidates[i] as IndexedSilence;
      // Ended silences never mute again unless changed (which re-files them): unfile them now.
      if (now > s.endsAt) this.index.remove(s.id);
      else if (plan.matches(labels)) matching.push(s);
    }
    truncate(candidates);
    if (c === undefined) {
      c = { version: this.version, matching, active: NO_IDS, validUntil: 0, evaluatedAt: now };
      this.cache.set(fingerprint, c);
    } else {
      c.version = this.version;
      c.matching = matching;
    }
    evaluate(c, now);
    return c.active;
  }

  /** Drops the mute-cache entry of an alert that is gone (upstream Silencer.PostGC); the alert store calls it. */
  forget(fingerprint: string): void {
    this.cache.delete(fingerprint);
  }

  /**
   * Deletes silences that ended more than the retention ago; returns how many (upstream GC). Also
   * drops mute-cache entries untouched since the last change, so entries of alerts that are gone
   * (and were never `forget`-ed) do not pile up.
   */
  gc(): Promise<number> {
    return this.serial(async () => {
      for (const [fp, c] of this.cache) if (c.version !== this.version) this.cache.delete(fp);
      const now = this.opts.clock.now();
      const doomed: string[] = [];
      for (const s of this.byId.values()) if (s.endsAt + this.opts.retentionMs <= now) doomed.push(s.id);
      if (doomed.length === 0) return 0;
      const st = this.opts.state;
      await st.write(doomed.map((id) => st.del('silence', id)));
      for (const id of doomed) {
        this.byId.delete(id);
        this.index.remove(id);
      }
      this.version++;
      return doomed.length;
    });
  }

  /** Silences by state at now (upstream CountState, the alertmanager_silences gauge). */
  counts(): Record<SilenceState, number> {
    const now = this.opts.clock.now();
    const n = { active: 0, pending: 0, expired: 0 };
    for (const s of this.byId.values()) n[silenceState(s, now)]++;
    return n;
  }

  /** Number of silences held, expired ones included. */
  get size(): number {
    return this.byId.size;
  }

  /** Number of fingerprints in the mute cache (for metrics and tests). */
  get cacheSize(): number {
    return this.cache.size;
  }

  private apply(s: Silence, now: Millis): void {
    this.byId.set(s.id, s);
    if (now <= s.endsAt) this.index.add(s);
    else this.index.remove(s.id);
    this.version++;
  }

  private putOp(s: Silence, value: string): StateOp {
    return this.opts.state.put('silence', s.id, value, s.endsAt + this.opts.retentionMs);
  }

  /** Upstream checkSizeLimits, measured on the stored JSON. Returns the value for chaining. */
  private checkSize(value: string): string {
    const max = this.opts.limits.maxSilenceSizeBytes;
    if (max > 0) {
      const n = encoder.encode(value).length;
      if (n > max) {
        throw new AlertmanagerInputError('limit', `silence exceeded maximum size: ${n} bytes (limit: ${max} bytes)`, 'maxSilenceSizeBytes');
      }
    }
    return value;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

/**
 * Upstream canUpdate: same matchers (in order); an active silence keeps its start (to the second)
 * and may not end in the past; a pending one may not start in the past; an expired one never.
 */
export function canUpdate(a: Silence, b: Pick<Silence, 'matchers' | 'startsAt' | 'endsAt'>, now: Millis): boolean {
  if (a.matchers.length !== b.matchers.length) return false;
  for (let i = 0; i < a.matchers.length; i++) {
    const x = a.matchers[i] as Matcher;
    const y = b.matchers[i] as Matcher;
    if (x.name !== y.name || x.type !== y.type || x.value !== y.value) return false;
  }
  switch (silenceState(a, now)) {
    case 'active':
      return Math.floor(a.startsAt / 1000) === Math.floor(b.startsAt / 1000) && b.endsAt >= now;
    case 'pending':
      return b.startsAt >= now;
    case 'expired':
      return false;
  }
}

/** The silence ended at `now` (upstream expire). */
function expireAt(s: Silence, now: Millis): Silence {
  return silenceState(s, now) === 'pending'
    ? { ...s, startsAt: now, endsAt: now, updatedAt: now }
    : { ...s, endsAt: now, updatedAt: now };
}

/** Re-derives the active ids and the validity time of a cache entry at `now`. */
function evaluate(c: MuteCacheEntry, now: Millis): void {
  const m = c.matching;
  let active: string[] | undefined;
  let validUntil = Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < m.length; i++) {
    const s = m[i] as Silence;
    if (now > s.endsAt) continue;
    m[w++] = s;
    if (now < s.startsAt) {
      if (s.startsAt < validUntil) validUntil = s.startsAt;
    } else {
      (active ??= []).push(s.id);
      if (s.endsAt + 1 < validUntil) validUntil = s.endsAt + 1;
    }
  }
  if (w !== m.length) m.length = w;
  c.active = active === undefined ? NO_IDS : active.length > 1 ? active.sort() : active;
  c.validUntil = validUntil;
  c.evaluatedAt = now;
}
