import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../../core/stale-nan.js';
import type { IngestLimits } from './limits.js';
import { DEFAULT_INGEST_LIMITS } from './limits.js';
import type { DecodedSeries } from './protobuf.js';
import { validateSeries } from './validate.js';

const NOW = 1_700_000_000_000;

function series(pairs: Array<[string, string]>, samples: Array<[number, number]> = [[1, NOW]], invalidUtf8?: string): DecodedSeries {
  const s: DecodedSeries = {
    names: pairs.map((p) => p[0]),
    values: pairs.map((p) => p[1]),
    t: Float64Array.from(samples.map((x) => x[1])),
    v: Float64Array.from(samples.map((x) => x[0])),
    histograms: 0,
  };
  return invalidUtf8 === undefined ? s : { ...s, invalidUtf8 };
}

const limits = (over: Partial<IngestLimits> = {}): IngestLimits => ({ ...DEFAULT_INGEST_LIMITS, ...over });

describe('validateSeries', () => {
  it('accepts a valid series and builds its label set', () => {
    const r = validateSeries(series([['__name__', 'up'], ['job', 'a']]), limits(), NOW);
    expect(r.ok).toBe(true);
    if (r.ok === true) expect({ ...r.labels }).toEqual({ __name__: 'up', job: 'a' });
  });

  it('sorts unsorted labels and drops empty-valued ones, as Mimir does', () => {
    const r = validateSeries(series([['job', 'a'], ['__name__', 'up'], ['env', '']]), limits(), NOW);
    expect(r.ok).toBe(true);
    if (r.ok === true) expect(Object.keys(r.labels)).toEqual(['__name__', 'job']);
  });

  it('drops a series whose labels are all empty', () => {
    expect(validateSeries(series([['a', '']]), limits(), NOW)).toEqual({ ok: 'empty' });
  });

  it('stores a label named __proto__ as data, not as a prototype', () => {
    const r = validateSeries(series([['__name__', 'up'], ['__proto__', 'x']]), limits(), NOW);
    expect(r.ok).toBe(true);
    if (r.ok === true) expect(Object.keys(r.labels)).toEqual(['__name__', '__proto__']);
  });

  const many = Array.from({ length: 31 }, (_, i): [string, string] => [`l${String(i).padStart(2, '0')}`, 'v']);
  const TOO_MANY = `{__name__="m", ${many.map(([n, v]) => `${n}="${v}"`).join(', ')}}`;
  it.each<[string, DecodedSeries, Partial<IngestLimits>, string, string]>([
    ['no metric name', series([['job', 'a']]), {}, 'missing_metric_name', 'received series has no metric name (err-herald-missing-metric-name)'],
    ['invalid metric name', series([['__name__', '1up']]), {}, 'metric_name_invalid', "received a series with invalid metric name: '1up' (err-herald-metric-name-invalid)"],
    [
      'too many labels',
      series([['__name__', 'm'], ...many]),
      {},
      'max_label_names_per_series',
      `received a series whose number of labels exceeds the limit (actual: 32, limit: 30) series: '${TOO_MANY.slice(0, 200)}…' (err-herald-max-label-names-per-series). To adjust the related per-tenant limit, configure max_label_names_per_series, or contact your service administrator.`,
    ],
    ['invalid label name', series([['__name__', 'm'], ['a-b', 'x']]), {}, 'label_invalid', "received a series with an invalid label: 'a-b' series: '{__name__=\"m\", a-b=\"x\"}' (err-herald-label-invalid)"],
    [
      'label name too long',
      series([['__name__', 'm'], ['abcdefghi', 'x']]),
      { max_label_name_length: 8 },
      'label_name_too_long',
      "received a series whose label name length exceeds the limit, label: 'abcdefghi' series: '{__name__=\"m\", abcdefghi=\"x\"}' (err-herald-label-name-too-long). To adjust the related per-tenant limit, configure max_label_name_length, or contact your service administrator.",
    ],
    [
      'label value too long (bytes, not characters)',
      series([['__name__', 'm'], ['a', 'üü']]),
      { max_label_value_length: 3 },
      'label_value_too_long',
      "received a series whose label value length exceeds the limit, label: 'a', value: 'üü' (truncated) series: '{__name__=\"m\", a=\"üü\"}' (err-herald-label-value-too-long). To adjust the related per-tenant limit, configure max_label_value_length, or contact your service administrator.",
    ],
    ['duplicate label', series([['__name__', 'm'], ['b', '2'], ['a', '1'], ['b', '3']]), {}, 'duplicate_label_names', "received a series with duplicate label name, label: 'b' series: '{__name__=\"m\", a=\"1\", b=\"2\", b=\"3\"}' (err-herald-duplicate-label-names)"],
    ['duplicate __name__', series([['__name__', 'm'], ['__name__', 'n']]), {}, 'duplicate_label_names', "received a series with duplicate label name, label: '__name__' series: '{__name__=\"m\", __name__=\"n\"}' (err-herald-duplicate-label-names)"],
    ['value not UTF-8', series([['__name__', 'm'], ['a', 'f\uFFFD']], undefined, 'a'), {}, 'label_value_invalid', "received a series with invalid value in label 'a': 'f\uFFFD' metric: 'm' (err-herald-label-value-invalid)"],
    ['UTF-8 label name under the legacy scheme', series([['__name__', 'm'], ['städte', 'x']]), {}, 'label_invalid', "received a series with an invalid label: 'städte' series: '{__name__=\"m\", städte=\"x\"}' (err-herald-label-invalid)"],
  ])('refuses %s', (_n, s, over, reason, message) => {
    const r = validateSeries(s, limits(over), NOW);
    expect(r).toEqual({ ok: false, problem: { reason, message } });
  });

  it.each([
    ['metric name with colons', [['__name__', 'job:rate5m']]],
    ['name at the length limit', [['__name__', 'm'], ['abcdefgh', 'x']]],
  ] as Array<[string, Array<[string, string]>]>)('accepts %s', (_n, pairs) => {
    expect(validateSeries(series(pairs), limits({ max_label_name_length: 8 }), NOW).ok).toBe(true);
  });

  it('accepts UTF-8 names under the utf8 scheme (Prometheus 3.x)', () => {
    const r = validateSeries(series([['__name__', 'http.requests'], ['städte', 'x']]), limits({ name_validation_scheme: 'utf8' }), NOW);
    expect(r.ok).toBe(true);
  });

  it('treats 0 as unlimited', () => {
    const r = validateSeries(series([['__name__', 'm'], ...many]), limits({ max_label_names_per_series: 0, max_label_value_length: 0 }), NOW);
    expect(r.ok).toBe(true);
  });

  it('drops samples beyond the creation grace period and keeps the rest bit-exact', () => {
    const s = series([['__name__', 'm']], [[STALE_NAN, NOW], [2, NOW + 11 * 60_000], [3, NOW + 60_000]]);
    const r = validateSeries(s, limits(), NOW);
    expect(r.ok).toBe(true);
    if (r.ok !== true) return;
    expect([...r.t]).toEqual([NOW, NOW + 60_000]);
    expect(new Uint32Array(r.v.buffer)[0]).toBe(2);
    expect(r.v[1]).toBe(3);
    expect(r.future?.count).toBe(1);
    expect(r.future?.message).toMatch(/^received a sample whose timestamp is too far in the future, timestamp: 1700000660000 series: 'm'/);
  });
});
