import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../ruler/api.js';
import { encodeAlert, formatFloatE } from './encode.js';

describe('formatFloatE (strconv.FormatFloat(v, \'e\', -1, 64))', () => {
  it.each([
    [1, '1e+00'],
    [0, '0e+00'],
    [-0, '-0e+00'],
    [1.5, '1.5e+00'],
    [-2.5, '-2.5e+00'],
    [10, '1e+01'],
    [123456, '1.23456e+05'],
    [0.1, '1e-01'],
    [1e-7, '1e-07'],
    [1.234e-10, '1.234e-10'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%s -> %s', (v, want) => {
    expect(formatFloatE(v)).toBe(want);
  });
});

describe('encodeAlert', () => {
  const base: AlertView = { labels: { b: '2', a: '<&>' }, annotations: { 'x"y': 'line\nbreak' }, state: 'pending', activeAt: 1_700_000_000_123, keepFiringSince: 0, value: 0.25, resolvedAt: 0 };

  it('labels sorted and escaped as Go does; no keepFiringSince when unset', () => {
    expect(encodeAlert(base)).toBe(
      '{"labels":{"a":"\\u003c\\u0026\\u003e","b":"2"},"annotations":{"x\\"y":"line\\nbreak"},"state":"pending","activeAt":"2023-11-14T22:13:20.123Z","value":"2.5e-01"}',
    );
  });

  it('keepFiringSince when set; whole seconds without a fraction', () => {
    expect(encodeAlert({ ...base, labels: {}, annotations: {}, state: 'firing', activeAt: 1_700_000_000_000, keepFiringSince: 1_700_000_060_100 })).toBe(
      '{"labels":{},"annotations":{},"state":"firing","activeAt":"2023-11-14T22:13:20Z","keepFiringSince":"2023-11-14T22:14:20.1Z","value":"2.5e-01"}',
    );
  });
});
