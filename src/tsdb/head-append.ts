/**
 * The append rules of Prometheus' headAppender (tsdb/head_append.go), applied to a whole batch
 * before anything is written, so the WAL records exactly what the head will hold:
 * - a sample older than the series' newest is `out of order sample`;
 * - one at the same time with different value bits is `duplicate sample for timestamp`, with the
 *   same bits it is accepted and ignored (a resent scrape or remote_write retry);
 * - one older than now - retention is `out of bounds` (the head's minimum valid time);
 * - a new series past the tenant's limit is refused with Mimir's `per-user series limit` text.
 */
import { compareStrings } from '../core/labels.js';
import type { Labels } from '../core/labels.js';
import type { AppendSeries, RejectReason } from './api.js';
import { floatFromBits, valueBits } from './float-bits.js';
import type { MemSeries } from './series.js';

/** One distinct series of a batch: the existing series, or what creating it needs. */
export interface StagedSeries {
  readonly key: string;
  /** Found through the labels object itself (ctx.known), so nothing to remember for it. */
  readonly known: boolean;
  readonly labels: Labels;
  series: MemSeries | undefined;
  lastT: number;
  lastHi: number;
  lastLo: number;
  /** Samples accepted for it in this batch. */
  count: number;
}

/** What the rules need from the head. */
export interface StageContext {
  find(key: string): MemSeries | undefined;
  /** The series last appended under this very (frozen) labels object, if still in the head. */
  known(labels: Labels): MemSeries | undefined;
  readonly seriesCount: number;
  /** 0 = unlimited. */
  readonly maxSeries: number;
  /** Oldest acceptable timestamp (-Infinity without retention). */
  readonly minValidT: number;
}

/** The outcome of staging one batch: accepted samples in arrival order, flat. */
export interface StagedBatch {
  /** In first-seen order, one entry per distinct series. */
  readonly staged: StagedSeries[];
  /** Per accepted sample: index into `staged`, time, value bits. */
  readonly ref: number[];
  readonly t: number[];
  readonly hi: number[];
  readonly lo: number[];
  readonly accepted: number;
  readonly rejected: Map<RejectReason, { count: number; example: string }>;
}

/** The identity of a label set: sorted `name\0value\1` pairs. */
export function labelsKey(labels: Labels): string {
  let names = Object.keys(labels);
  // Ingestion hands over sorted names; sort only when they are not.
  for (let i = 1; i < names.length; i++) {
    if (compareStrings(names[i - 1] as string, names[i] as string) >= 0) {
      names = names.sort(compareStrings);
      break;
    }
  }
  let key = '';
  for (const n of names) key += `${n}\u0000${labels[n] as string}\u0001`;
  return key;
}

const BITS = new Uint32Array(2);

/** Applies the rules to every sample of `batch`. Throws RangeError on malformed input. */
export function stageBatch(batch: readonly AppendSeries[], ctx: StageContext): StagedBatch {
  // Most batches name a few series (a rule's output for one tenant): they are found in `staged` by a
  // scan; the maps exist only once a batch has more series than that (allocation is most of the cost).
  let byKey: Map<string, number> | undefined;
  let bySeries: Map<MemSeries, number> | undefined;
  const refOfKey = (key: string): number | undefined => {
    if (byKey) return byKey.get(key);
    for (let k = 0; k < staged.length; k++) if (!(staged[k] as StagedSeries).series && (staged[k] as StagedSeries).key === key) return k;
    return undefined;
  };
  const refOfSeries = (series: MemSeries): number | undefined => {
    if (bySeries) return bySeries.get(series);
    for (let k = 0; k < staged.length; k++) if ((staged[k] as StagedSeries).series === series) return k;
    return undefined;
  };
  const out: StagedBatch = { staged: [], ref: [], t: [], hi: [], lo: [], accepted: 0, rejected: NO_REJECTS };
  const staged = out.staged;
  let accepted = 0;
  let newSeries = 0;
  for (let at = 0; at < batch.length; at++) {
    const { t, v, labels } = batch[at] as AppendSeries;
    if (t.length !== v.length) throw new RangeError(`series ${at}: ${t.length} timestamps but ${v.length} values`);
    let ref: number | undefined;
    for (let i = 0; i < t.length; i++) {
      const ts = t[i] as number;
      if (!Number.isSafeInteger(ts)) throw new RangeError(`series ${at}, sample ${i}: timestamp ${ts} is not an integer number of milliseconds`);
      if (ts < ctx.minValidT) {
        reject(out, 'too_old', 1, () => 'out of bounds');
        continue;
      }
      if (ref === undefined) {
        // A labels object seen before finds its series without building the key string.
        let existing = ctx.known(labels);
        const known = existing !== undefined;
        let key: string;
        if (existing) {
          key = existing.key;
          ref = refOfSeries(existing);
        } else {
          key = labelsKey(labels);
          ref = refOfKey(key);
          if (ref === undefined) {
            existing = ctx.find(key);
            if (existing) ref = refOfSeries(existing);
          }
        }
        if (ref === undefined) {
          if (!existing && ctx.maxSeries > 0 && ctx.seriesCount + newSeries >= ctx.maxSeries) {
            reject(out, 'max_series', t.length - i, () => `per-user series limit of ${ctx.maxSeries} exceeded`);
            break;
          }
          if (!existing) newSeries++;
          ref = staged.length;
          if (!byKey && ref >= SCAN_LIMIT) {
            byKey = new Map();
            bySeries = new Map();
            for (let k = 0; k < staged.length; k++) {
              const x = staged[k] as StagedSeries;
              if (x.series) bySeries.set(x.series, k);
              else byKey.set(x.key, k);
            }
          }
          if (existing) bySeries?.set(existing, ref);
          else byKey?.set(key, ref);
          staged.push({
            key, known, labels, series: existing, lastT: existing ? existing.lastT : -Infinity,
            lastHi: existing ? existing.lastHi : 0, lastLo: existing ? existing.lastLo : 0, count: 0,
          });
        }
      }
      const st = staged[ref] as StagedSeries;
      // Plain arrays may already have lost NaN payloads (V8 canonicalises them); typed arrays have not.
      valueBits(v, i, BITS);
      const hi = BITS[0] as number;
      const lo = BITS[1] as number;
      if (ts < st.lastT) {
        reject(out, 'out_of_order', 1, () => 'out of order sample');
      } else if (ts === st.lastT) {
        if (hi === st.lastHi && lo === st.lastLo) accepted++;
        else {
          const old = floatFromBits(st.lastHi, st.lastLo);
          reject(out, 'duplicate_timestamp', 1, () => `duplicate sample for timestamp ${ts}; overrides not allowed: existing ${goG(old)}, new value ${goG(floatFromBits(hi, lo))}`);
        }
      } else {
        out.ref.push(ref);
        out.t.push(ts);
        out.hi.push(hi);
        out.lo.push(lo);
        st.lastT = ts;
        st.lastHi = hi;
        st.lastLo = lo;
        st.count++;
        accepted++;
      }
    }
  }
  (out as { accepted: number }).accepted = accepted;
  return out;
}

/** Series a batch stages before it indexes them in maps instead of scanning. */
const SCAN_LIMIT = 8;

/** The `rejected` of a batch that refused nothing (never written: reject() replaces it). */
const NO_REJECTS: StagedBatch['rejected'] = new Map();

function reject(out: StagedBatch, reason: RejectReason, count: number, example: () => string): void {
  if (out.rejected === NO_REJECTS) (out as { rejected: StagedBatch['rejected'] }).rejected = new Map();
  const r = out.rejected.get(reason);
  if (r) r.count += count;
  else out.rejected.set(reason, { count, example: example() });
}

/** Go's %g for the values in error texts (exponent form below 1e-4 and from 1e6 up). */
export function goG(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(x);
  const sign = e < 0 ? '-' : '+';
  return `${mant}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}
