import { describe, expect, it } from 'vitest';
import { alertFailure, goDuration, goFloatE, goLabels, samplesFailure } from './report.js';

describe('promtool texts', () => {
  it.each([
    [1, '1E+00'],
    [10.5, '1.05E+01'],
    [-0.00035, '-3.5E-04'],
    [1e300, '1E+300'],
    [0, '0E+00'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('FormatFloat(%s, E, -1)', (v, want) => {
    expect(goFloatE(v)).toBe(want);
  });

  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [3_661_000, '1h1m1s'],
  ])('time.Duration(%s ms).String()', (ms, want) => {
    expect(goDuration(ms)).toBe(want);
  });

  it('prints labels as labels.Labels.String()', () => {
    expect(goLabels({ job: 'a"b', __name__: 'up' })).toBe('{__name__="up", job="a\\"b"}');
    expect(goLabels({})).toBe('{}');
  });

  it('prints an alert diff as promtool does', () => {
    const exp = [{ labels: { alertname: 'A', x: '1' }, annotations: {} }];
    expect(alertFailure('g', 'A', 90_000, exp, [])).toBe(
      '    name: g,\n    alertname: A, time: 1m30s, \n        exp:[\n            0:\n              Labels:{alertname="A", x="1"}\n              Annotations:{}\n            ], \n        got:[]',
    );
  });

  it('prints a sample diff as promtool does', () => {
    expect(samplesFailure('up{a="1"}', 60_000, [], [{ labels: { __name__: 'up' }, value: 2 }, { labels: {}, value: 1 }])).toBe(
      '    expr: "up{a=\\"1\\"}", time: 1m,\n        exp: nil\n        got: {__name__="up"} 2E+00, {} 1E+00',
    );
  });
});
