import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { sample, vctx } from './test-helpers.js';
import type { KernelSample } from './types.js';
import { formatOpenMetricsFloat, histogramFraction, histogramQuantile, histogramQuantiles, parseGoFloat } from './vector-histogram.js';

function buckets(name: string, extra: Labels, rows: ReadonlyArray<readonly [string, number]>): KernelSample[] {
  return rows.map(([le, v]) => sample({ __name__: name, ...extra, le }, v));
}

// testhistogram_bucket at 50m (upstream histograms.test: 0+5x10 ... evaluated at the 10th step).
const TEST_HISTOGRAM = [
  ...buckets('testhistogram_bucket', { start: 'positive' }, [['0.1', 50], ['.2', 70], ['1e0', 110], ['+Inf', 120]]),
  ...buckets('testhistogram_bucket', { start: 'negative' }, [['-.2', 10], ['-0.1', 20], ['0.3', 20], ['+Inf', 30]]),
];

function run(q: number, input: readonly KernelSample[]): Record<string, number> {
  const { ctx } = vctx([q]);
  const out = histogramQuantile(input, ctx);
  if (out instanceof Error) throw out;
  return Object.fromEntries(out.map((s) => [s.labels['start'] ?? '', s.v]));
}

describe('histogram_quantile (classic)', () => {
  it.each([
    [0, 0, -0.2],
    [1, 1, 0.3],
    [0.2, 0.048, -0.2],
    [0.5, 0.15, -0.15],
    [0.8, 0.72, 0.3],
    [-0.1, -Infinity, -Infinity],
    [1.01, Infinity, Infinity],
  ])('φ=%d', (q, positive, negative) => {
    const got = run(q, TEST_HISTOGRAM);
    expect(got['positive']).toBeCloseTo(positive, 12);
    expect(got['negative']).toBeCloseTo(negative, 12);
  });

  it('drops the name and le', () => {
    const { ctx } = vctx([0.5]);
    const out = histogramQuantile(TEST_HISTOGRAM, ctx) as KernelSample[];
    expect(out[0]?.labels).toEqual({ start: 'positive' });
    expect(out[0]?.keepName).toBeUndefined();
  });

  it.each([
    [0.01, 0.0045],
    [0.5, 8.5],
    [0.99, 979.75],
  ])('non-monotonic buckets φ=%d, with an info', (q, want) => {
    const input = buckets('nonmonotonic_bucket', {}, [['0.1', 20], ['1', 10], ['10', 50], ['100', 40], ['1000', 90], ['+Inf', 80]]);
    const { ctx, annotations } = vctx([q]);
    const out = histogramQuantile(input, ctx) as KernelSample[];
    expect(out[0]?.v).toBeCloseTo(want, 12);
    expect(annotations).toEqual([
      {
        level: 'info',
        message:
          'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "nonmonotonic_bucket"',
      },
    ]);
  });

  it('coalesces equal bounds written differently', () => {
    const input = buckets('mixed_bucket', {}, [['0.1', 1], ['0.2', 1], ['2e-1', 1], ['2.0e-1', 1], ['+Inf', 4]]);
    expect(run(0.5, input)['']).toBeCloseTo(0.15, 12);
  });

  it.each([
    ['no +Inf bucket', [['1', 1], ['2', 2]], NaN],
    ['no observations', [['1', 0], ['+Inf', 0]], NaN],
    ['only +Inf', [['+Inf', 5]], NaN],
    ['lowest bound <= 0 returned as is', [['-1', 10], ['+Inf', 10]], -1],
    ['rank in +Inf returns the second-highest bound', [['1', 1], ['+Inf', 10]], 1],
  ] as const)('%s', (_n, rows, want) => {
    const got = run(0.5, buckets('h_bucket', {}, rows))[''];
    if (Number.isNaN(want)) expect(got).toBeNaN();
    else expect(got).toBe(want);
  });

  it('warns about malformed le labels and skips them', () => {
    const input = [sample({ __name__: 'series', le: 'Hello World' }, 1), sample({ __name__: 'series' }, 1)];
    const { ctx, annotations } = vctx([0.5]);
    expect(histogramQuantile(input, ctx)).toEqual([]);
    expect(annotations.map((a) => a.message)).toEqual([
      'PromQL warning: bucket label "le" is missing or has a malformed value of "Hello World" for metric name "series"',
      'PromQL warning: bucket label "le" is missing or has a malformed value of "" for metric name "series"',
    ]);
  });

  it('warns about φ even without input', () => {
    const { ctx, annotations } = vctx([NaN]);
    expect(histogramQuantile([], ctx)).toEqual([]);
    expect(annotations[0]?.message).toBe('PromQL warning: quantile value should be between 0 and 1, got NaN');
  });
});

describe('histogram_quantiles', () => {
  it('adds the quantile label per φ', () => {
    const input = buckets('nonmonotonic_bucket', {}, [['0.1', 20], ['1', 10], ['10', 50], ['100', 40], ['1000', 90], ['+Inf', 80]]);
    const { ctx } = vctx([0.01, 0.5, 1], ['q']);
    const out = histogramQuantiles(input, ctx) as KernelSample[];
    expect(out.map((s) => [s.labels['q'], s.v])).toEqual([
      ['0.01', 0.0045],
      ['0.5', 8.5],
      ['1.0', 1000],
    ]);
  });

  it('fails when the quantile label makes series collide', () => {
    const { ctx } = vctx([0.5], ['start']);
    expect(histogramQuantiles(TEST_HISTOGRAM, ctx)).toEqual(new Error('vector cannot contain metrics with the same labelset'));
  });
});

describe('histogram_fraction (classic)', () => {
  const H2 = buckets('testhistogram2_bucket', {}, [['0', 0], ['2', 10], ['4', 20], ['6', 30], ['+Inf', 30]]);
  it.each([
    [0, 4, 0.6666666666666666],
    [0, 6, 1],
    [0, 3.5, 0.5833333333333334],
    [3, 3, 0],
    [4, 1, 0],
    [NaN, 1, NaN],
    [-Infinity, Infinity, 1],
  ])('[%d, %d]', (lower, upper, want) => {
    const { ctx } = vctx([lower, upper]);
    const out = histogramFraction(H2, ctx) as KernelSample[];
    if (Number.isNaN(want)) expect(out[0]?.v).toBeNaN();
    else expect(out[0]?.v).toBeCloseTo(want, 12);
  });
});

describe('parseGoFloat', () => {
  it.each([
    ['0.1', 0.1],
    ['.2', 0.2],
    ['1e0', 1],
    ['+Inf', Infinity],
    ['+inf', Infinity],
    ['-Infinity', -Infinity],
    ['0x1p-2', 0.25],
    ['1e400', undefined],
    ['', undefined],
    [' 1', undefined],
    ['0x10', undefined],
    ['abc', undefined],
  ])('%j', (s, want) => expect(parseGoFloat(s)).toBe(want));

  it('NaN', () => expect(parseGoFloat('NaN')).toBeNaN());
});

describe('formatOpenMetricsFloat', () => {
  it.each([
    [1, '1.0'],
    [0, '0.0'],
    [0.5, '0.5'],
    [-0.1, '-0.1'],
    [1e-5, '1e-05'],
    [1234567, '1.234567e+06'],
    [100, '100.0'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
  ])('%d', (v, want) => expect(formatOpenMetricsFloat(v)).toBe(want));
});
