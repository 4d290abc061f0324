/**
 * Quantiles over plain values and classic histogram buckets. Mirrors Prometheus' promql/quantile.go
 * (quantile, BucketQuantile, BucketFraction, coalesceBuckets, ensureMonotonicAndIgnoreSmallDeltas)
 * with the same operation order, so results match bit for bit.
 */

/** One classic histogram bucket: cumulative count of observations <= upperBound. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Relative difference below which neighbouring bucket counts are treated as equal. */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** Ascending with NaN first, as Go's sort over vectorByValueHeap orders them. */
function byValueNaNFirst(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The φ-quantile of `values` (sorted in place), interpolating between neighbours.
 * NaN for no values or φ = NaN, -Inf for φ < 0, +Inf for φ > 1.
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(byValueNaNFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return (values[lowerIndex] as number) * (1 - weight) + (values[upperIndex] as number) * weight;
}

/** Go's almost.Equal (stale markers do not occur here). */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

function sortBuckets(buckets: Bucket[]): void {
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
}

/** Merges buckets with equal upper bounds (input sorted). */
function coalesce(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  let last = { ...(buckets[0] as Bucket) };
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.upperBound === last.upperBound) {
      last.count += b.count;
    } else {
      out.push(last);
      last = { ...b };
    }
  }
  out.push(last);
  return out;
}

/** Whether monotonicity had to be forced (small float deltas are fixed silently). */
function ensureMonotonic(buckets: Bucket[]): boolean {
  let forced = false;
  let prev = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    const curr = b.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      b.count = prev;
      continue;
    }
    if (curr < prev) {
      b.count = prev;
      forced = true;
      continue;
    }
    prev = curr;
  }
  return forced;
}

/** Result of a classic histogram quantile: the value and whether bucket counts needed fixing. */
export interface BucketQuantileResult {
  readonly value: number;
  readonly forcedMonotonicity: boolean;
}

/**
 * histogram_quantile over classic buckets (sorted and coalesced here). Linear interpolation within
 * a bucket, a lower bound of 0 for the first bucket when its bound is positive, the second-highest
 * bound when the rank falls into +Inf; NaN without a +Inf bucket, fewer than two buckets or no
 * observations.
 */
export function bucketQuantile(q: number, input: readonly Bucket[]): BucketQuantileResult {
  if (Number.isNaN(q)) return { value: NaN, forcedMonotonicity: false };
  if (q < 0) return { value: -Infinity, forcedMonotonicity: false };
  if (q > 1) return { value: Infinity, forcedMonotonicity: false };
  let buckets = input.map((b) => ({ ...b }));
  sortBuckets(buckets);
  if ((buckets[buckets.length - 1] as Bucket).upperBound !== Infinity) return { value: NaN, forcedMonotonicity: false };
  buckets = coalesce(buckets);
  const forcedMonotonicity = ensureMonotonic(buckets);
  if (buckets.length < 2) return { value: NaN, forcedMonotonicity };
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return { value: NaN, forcedMonotonicity };
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket: first bucket with count >= rank.
  let b = 0;
  let j = buckets.length - 1;
  while (b < j) {
    const h = (b + j) >>> 1;
    if (!((buckets[h] as Bucket).count >= rank)) b = h + 1;
    else j = h;
  }
  let value: number;
  if (b === buckets.length - 1) {
    value = (buckets[buckets.length - 2] as Bucket).upperBound;
  } else if (b === 0 && (buckets[0] as Bucket).upperBound <= 0) {
    value = (buckets[0] as Bucket).upperBound;
  } else {
    let bucketStart = 0;
    const bucketEnd = (buckets[b] as Bucket).upperBound;
    let count = (buckets[b] as Bucket).count;
    if (b > 0) {
      const prev = buckets[b - 1] as Bucket;
      bucketStart = prev.upperBound;
      count -= prev.count;
      rank -= prev.count;
    }
    value = bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }
  return { value, forcedMonotonicity };
}

/**
 * histogram_fraction over classic buckets: the estimated share of observations in [lower, upper],
 * interpolating linearly inside buckets and never inside an infinite-width one.
 */
export function bucketFraction(lower: number, upper: number, input: readonly Bucket[]): number {
  let buckets = input.map((b) => ({ ...b }));
  sortBuckets(buckets);
  if ((buckets[buckets.length - 1] as Bucket).upperBound !== Infinity) return NaN;
  buckets = coalesce(buckets);
  const count = (buckets[buckets.length - 1] as Bucket).count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = (buckets[0] as Bucket).upperBound <= 0 ? -Infinity : 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (i > 0) lowerBound = (buckets[i - 1] as Bucket).upperBound;
    const upperBound = b.upperBound;
    const lb = lowerBound;
    const r = rank;
    const interpolate = (v: number): number => (lb === -Infinity ? b.count : r + ((b.count - r) * (v - lb)) / (upperBound - lb));
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}
