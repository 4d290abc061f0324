/**
 * histogram_quantile, histogram_quantiles and histogram_fraction over classic histograms (series
 * with an `le` label), plus the native-histogram-only functions, which yield nothing for floats.
 * Grouping mirrors EvalNodeHelper.resetHistograms in Prometheus' promql/engine.go: buckets are
 * grouped by all labels but `le`; a bucket whose `le` does not parse is skipped with a warning.
 */
import type { Labels } from '../../core/labels.js';
import { badBucketLabelWarning, formatG, forcedMonotonicityInfo, invalidQuantileWarning, metricName } from './annotations.js';
import type { Bucket } from './quantile.js';
import { bucketFraction, bucketQuantile } from './quantile.js';
import type { AnnotationSink, KernelSample, VectorKernel } from './types.js';
import { withoutName } from './name.js';
import { findDuplicate, labelsKey } from './vector-labels.js';

interface BucketGroup {
  /** Labels without `le`, name kept (for annotations). */
  readonly labels: Labels;
  readonly buckets: Bucket[];
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/;
const SPECIAL = /^[+-]?(?:inf|infinity)$/i;

/** Go's strconv.ParseFloat(s, 64), or undefined where Go returns an error (incl. overflow). */
export function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?nan$/i.test(s)) return NaN;
  if (SPECIAL.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  let v: number;
  if (DECIMAL.test(s)) {
    v = Number(s);
  } else {
    const m = HEX.exec(s);
    if (m === null || (m[2] === '' && m[3] === '')) return undefined;
    const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
    v = Number.parseInt(digits, 16) * 2 ** (Number(m[4]) - 4 * (m[3] ?? '').length);
    if (m[1] === '-') v = -v;
  }
  return Number.isFinite(v) ? v : undefined;
}

/** Parsed `le` values: the same few bucket bounds come back at every step (emptied when full). */
const leCache = new Map<string, number | undefined>();

function parseLe(le: string): number | undefined {
  if (leCache.has(le)) return leCache.get(le);
  const v = parseGoFloat(le);
  if (leCache.size >= 1024) leCache.clear();
  leCache.set(le, v);
  return v;
}

function withoutLe(labels: Labels): Labels {
  const out: Record<string, string> = { ...labels };
  delete out['le'];
  return out;
}

/** Groups classic buckets by their labels without `le`, warning about unparsable bounds. */
export function groupBuckets(input: readonly KernelSample[], sink: AnnotationSink): BucketGroup[] {
  const groups = new Map<string, BucketGroup>();
  for (const s of input) {
    const le = s.labels['le'] ?? '';
    const upperBound = parseLe(le);
    if (upperBound === undefined) {
      sink.add(badBucketLabelWarning(metricName(s.labels), le));
      continue;
    }
    const labels = withoutLe(s.labels);
    const key = labelsKey(labels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upperBound, count: s.v });
  }
  return [...groups.values()];
}

function checkQuantile(q: number, sink: AnnotationSink): void {
  if (Number.isNaN(q) || q < 0 || q > 1) sink.add(invalidQuantileWarning(q));
}

/** histogram_quantile(φ, buckets): φ out of [0, 1] warns and yields ±Inf. */
export const histogramQuantile: VectorKernel = (input, ctx) => {
  const q = ctx.scalars[0];
  if (q === undefined) return [];
  checkQuantile(q, ctx.annotations);
  return groupBuckets(input, ctx.annotations).map((g) => {
    const r = bucketQuantile(q, g.buckets);
    if (r.forcedMonotonicity) ctx.annotations.add(forcedMonotonicityInfo(metricName(g.labels)));
    return { labels: withoutName(g.labels), v: r.value };
  });
};

/** OpenMetrics float text for a quantile label: "+Inf", "NaN", "0.5", "1.0", "1e-05". */
export function formatOpenMetricsFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0.0';
  const s = formatG(v);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** histogram_quantiles(v, label, φ...): one output per φ and histogram, φ in the label `label`. */
export const histogramQuantiles: VectorKernel = (input, ctx) => {
  const label = ctx.strings[0] ?? 'quantile';
  for (const q of ctx.scalars) checkQuantile(q, ctx.annotations);
  const groups = groupBuckets(input, ctx.annotations);
  const out: KernelSample[] = [];
  for (const q of ctx.scalars) {
    const qs = formatOpenMetricsFloat(q);
    for (const g of groups) {
      const r = bucketQuantile(q, g.buckets);
      if (r.forcedMonotonicity) ctx.annotations.add(forcedMonotonicityInfo(metricName(g.labels)));
      out.push({ labels: { ...withoutName(g.labels), [label]: qs }, v: r.value });
    }
  }
  return findDuplicate(out) ?? out;
};

/** histogram_fraction(lower, upper, buckets). */
export const histogramFraction: VectorKernel = (input, ctx) => {
  const lower = ctx.scalars[0];
  const upper = ctx.scalars[1];
  if (lower === undefined || upper === undefined) return [];
  return groupBuckets(input, ctx.annotations).map((g) => ({
    labels: withoutName(g.labels),
    v: bucketFraction(lower, upper, g.buckets),
  }));
};

/** histogram_count/sum/avg/stddev/stdvar and start_timestamp: float samples yield no output. */
export const nothingForFloats: VectorKernel = () => [];
