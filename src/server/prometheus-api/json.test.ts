import { describe, expect, it } from 'vitest';
import { encodeQueryData, promFloat, promTimestamp } from './json.js';

describe('Prometheus API number formatting', () => {
  it.each([
    [1, '1'],
    [0, '0'],
    [-0.5, '-0.5'],
    [1e-7, '1e-07'],
    [1.5e-7, '1.5e-07'],
    [0.000001, '0.000001'],
    [123456789012, '123456789012'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [0.1 + 0.2, '0.30000000000000004'],
  ])('%s -> %s', (v, want) => {
    expect(promFloat(v)).toBe(want);
  });

  it.each([
    [1435781451781, '1435781451.781'],
    [1000, '1'],
    [1500, '1.500'],
    [1005, '1.005'],
    [-1500, '-1.500'],
    [0, '0'],
  ])('timestamp %s -> %s', (t, want) => {
    expect(promTimestamp(t)).toBe(want);
  });

  it('encodes each result type as Prometheus does', () => {
    expect(encodeQueryData({ type: 'scalar', t: 1000, v: 2 })).toBe('{"resultType":"scalar","result":[1,"2"]}');
    expect(encodeQueryData({ type: 'string', t: 1000, v: 'x"y' })).toBe('{"resultType":"string","result":[1,"x\\"y"]}');
    expect(encodeQueryData({ type: 'vector', samples: [{ labels: { job: 'a<b', __name__: 'up' }, t: 1500, v: 1 }] })).toBe(
      '{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a\\u003cb"},"value":[1.500,"1"]}]}',
    );
    expect(encodeQueryData({ type: 'matrix', series: [{ labels: {}, t: new Float64Array([0, 15000]), v: new Float64Array([1, NaN]) }] })).toBe(
      '{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"],[15,"NaN"]]}]}',
    );
  });
});
