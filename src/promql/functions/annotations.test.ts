import { describe, expect, it } from 'vitest';
import { badBucketLabelWarning, forcedMonotonicityInfo, formatF, formatG, invalidQuantileWarning, possibleNonCounterInfo } from './annotations.js';

describe('Go %g', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1.5, '1.5'],
    [-0.1, '-0.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456, '123456'],
    [1234567, '1.234567e+06'],
    [1e21, '1e+21'],
    [-2.5e-300, '-2.5e-300'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%d -> %s', (v, want) => expect(formatG(v)).toBe(want));
});

describe('Go %f', () => {
  it.each([
    [0, '0.000000'],
    [1.5, '1.500000'],
    [-2, '-2.000000'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
  ])('%d -> %s', (v, want) => expect(formatF(v)).toBe(want));
});

// Texts as upstream promqltest scripts expect them (util/annotations, without position).
describe('annotation texts', () => {
  it.each([
    [invalidQuantileWarning(-0.5), 'warning', 'PromQL warning: quantile value should be between 0 and 1, got -0.5'],
    [badBucketLabelWarning('series', ''), 'warning', 'PromQL warning: bucket label "le" is missing or has a malformed value of "" for metric name "series"'],
    [badBucketLabelWarning('', 'x'), 'warning', 'PromQL warning: bucket label "le" is missing or has a malformed value of "x"'],
    [possibleNonCounterInfo('foo'), 'info', 'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "foo"'],
    [
      forcedMonotonicityInfo(''),
      'info',
      'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)',
    ],
  ])('%j', (a, level, message) => expect(a).toEqual({ level, message }));
});
