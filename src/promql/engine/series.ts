/**
 * The engine's internal value shapes. Every node is evaluated over all steps of a grid at once
 * (Prometheus' rangeEval): an instant vector is a list of series, each with one value slot per
 * step and a presence flag; a scalar is one value per step.
 */
import { compareStrings, goQuote, isClassicLabelName } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { execError } from './errors.js';

/** The evaluation steps: start, end (inclusive) and interval in ms; `n` steps at `ts[i]`. */
export interface Grid {
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  readonly n: number;
  readonly ts: Float64Array;
}

/** Builds the grid of a range evaluation (interval > 0) or of one instant (start === end). */
export function makeGrid(start: number, end: number, interval: number): Grid {
  const n = end < start ? 0 : interval > 0 ? Math.floor((end - start) / interval) + 1 : 1;
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = start + i * interval;
  return { start, end, interval: interval > 0 ? interval : 1, n, ts };
}

/** One series of an instant vector over the grid. */
export interface StepSeries {
  readonly labels: Labels;
  readonly key: string;
  readonly v: Float64Array;
  readonly has: Uint8Array;
  /** Delayed name removal: __name__ is still present but goes at the end of the query. */
  dropName: boolean;
}

/** An instant vector over the grid, in evaluation order. */
export type StepVector = StepSeries[];

/** A scalar over the grid: always one value per step. */
export type StepScalar = Float64Array;

/**
 * Keys of frozen label sets (the sources' series labels and the name-dropped copies below).
 * Frozen objects cannot change, so their key is built once per series, not once per query.
 */
const frozenKeys = new WeakMap<Labels, string>();

/** Identity of a label set: sorted `name\xffvalue\xff` pairs (labels.Labels.Bytes). */
export function labelsKey(labels: Labels): string {
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const known = frozenKeys.get(labels);
    if (known !== undefined) return known;
  }
  const names = Object.keys(labels);
  // Sources usually hand out labels already in name order: skip the sort then.
  for (let i = 1; i < names.length; i++) {
    if (compareStrings(names[i - 1] as string, names[i] as string) > 0) {
      names.sort(compareStrings);
      break;
    }
  }
  let out = '';
  for (const n of names) out += n + '\xff' + (labels[n] as string) + '\xff';
  if (frozen) frozenKeys.set(labels, out);
  return out;
}

/**
 * Step arrays are cut from shared slabs: a typed array with its own buffer costs a separate
 * backing-store allocation (and GC tracking) each, which dominated queries over many series.
 * Slabs are fresh (zeroed) and each slot is handed out once, so views never overlap.
 */
const SLAB = 1 << 16;
let slabV = new Float64Array(0);
let slabVAt = 0;
let slabH = new Uint8Array(0);
let slabHAt = 0;

/** A zeroed Float64Array of `n` elements (a view into a slab when small). */
export function allocValues(n: number): Float64Array {
  if (n > SLAB / 4) return new Float64Array(n);
  if (slabVAt + n > slabV.length) {
    slabV = new Float64Array(SLAB);
    slabVAt = 0;
  }
  const out = new Float64Array(slabV.buffer, slabVAt * 8, n);
  slabVAt += n;
  return out;
}

/** A zeroed Uint8Array of `n` elements (a view into a slab when small). */
export function allocFlags(n: number): Uint8Array {
  if (n > SLAB / 4) return new Uint8Array(n);
  if (slabHAt + n > slabH.length) {
    slabH = new Uint8Array(SLAB);
    slabHAt = 0;
  }
  const out = new Uint8Array(slabH.buffer, slabHAt, n);
  slabHAt += n;
  return out;
}

/** An empty series (no step present). */
export function newSeries(labels: Labels, n: number, key: string = labelsKey(labels), dropName = false): StepSeries {
  return { labels, key, v: allocValues(n), has: allocFlags(n), dropName };
}

/**
 * The labels of a result whose metric name goes away: dropped now, or (delayed name removal)
 * kept and flagged for removal at the end of the query.
 */
export function withoutName(labels: Labels, key: string, delayed: boolean): { labels: Labels; key: string; dropName: boolean } {
  if (delayed) return { labels, key, dropName: true };
  const dropped = dropMetricName(labels);
  return { labels: dropped, key: dropped === labels ? key : labelsKey(dropped), dropName: false };
}

/** Applies delayed name removal at the end of a query (cleanupMetricLabels). */
export function finishNames(list: StepVector): StepVector {
  if (!list.some((s) => s.dropName)) return list;
  return mergeSameLabels(
    list.map((s) => {
      if (!s.dropName) return s;
      const labels = dropMetricName(s.labels);
      return { labels, key: labels === s.labels ? s.key : labelsKey(labels), v: s.v, has: s.has, dropName: false };
    }),
  );
}

/** Number of present points of a series. */
export function countPoints(s: StepSeries): number {
  let c = 0;
  for (let i = 0; i < s.has.length; i++) c += s.has[i] as number;
  return c;
}

/** Labels Prometheus drops when an operation changes a metric's meaning (schema.IsMetadataLabel). */
const METADATA_LABELS = ['__name__', '__type__', '__unit__'];

/** Name-dropped copies of frozen label sets, frozen in turn (so their keys are cached too). */
const droppedNames = new WeakMap<Labels, Labels>();

/** The labels without __name__ (and __type__/__unit__), or the same object when none is set. */
export function dropMetricName(labels: Labels): Labels {
  const frozen = Object.isFrozen(labels);
  if (frozen) {
    const known = droppedNames.get(labels);
    if (known !== undefined) return known;
  }
  let out: Record<string, string> | undefined;
  for (const n of Object.keys(labels)) {
    if (!METADATA_LABELS.includes(n)) continue;
    // Copy without the metadata labels (no `delete`, which would turn the object into a slow dictionary).
    out = {};
    for (const k of Object.keys(labels)) if (!METADATA_LABELS.includes(k)) out[k] = labels[k] as string;
    break;
  }
  if (!frozen) return out ?? labels;
  const result = out === undefined ? labels : Object.freeze(out);
  droppedNames.set(labels, result);
  return result;
}

/** Prometheus' labels.Labels.String(): `{a="1", b="2"}`, names quoted when not legacy-valid. */
export function labelsString(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort(compareStrings)
    .map((n) => `${isClassicLabelName(n) ? n : goQuote(n)}=${goQuote(labels[n] as string)}`);
  return `{${parts.join(', ')}}`;
}

/** Accumulates per-step outputs into series by label set; a label set twice in one step is an error. */
export class Collector {
  private readonly byKey = new Map<string, StepSeries>();
  readonly list: StepSeries[] = [];
  constructor(private readonly n: number) {}
  add(labels: Labels, key: string, step: number, v: number, dropName = false): void {
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = newSeries(labels, this.n, key, dropName);
      this.byKey.set(key, s);
      this.list.push(s);
    }
    if (s.has[step]) throw execError('vector cannot contain metrics with the same labelset');
    s.has[step] = 1;
    s.v[step] = v;
  }
}

/**
 * Merges series that ended up with the same labels (after dropping __name__); overlapping steps
 * are an error (mergeSeriesWithSameLabelset). With `strict`, any repeated label set is an error.
 */
export function mergeSameLabels(list: StepVector, strict = false): StepVector {
  if (list.length < 2) return list;
  const byKey = new Map<string, StepSeries>();
  let dup = false;
  for (const s of list) {
    if (byKey.has(s.key)) {
      dup = true;
      break;
    }
    byKey.set(s.key, s);
  }
  if (!dup) return list;
  if (strict) throw execError('vector cannot contain metrics with the same labelset');
  byKey.clear();
  const out: StepVector = [];
  for (const s of list) {
    const prev = byKey.get(s.key);
    if (prev === undefined) {
      const copy: StepSeries = { labels: s.labels, key: s.key, v: Float64Array.from(s.v), has: Uint8Array.from(s.has), dropName: s.dropName };
      byKey.set(s.key, copy);
      out.push(copy);
      continue;
    }
    for (let i = 0; i < s.has.length; i++) {
      if (!s.has[i]) continue;
      if (prev.has[i]) throw execError('vector cannot contain metrics with the same labelset');
      prev.has[i] = 1;
      prev.v[i] = s.v[i] as number;
    }
  }
  return out;
}
