import { describe, expect, it } from 'vitest';
import { formatOf, parseExposition, parseGoFloat } from './exposition.js';

const PROM = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

metric_without_timestamp_and_labels 12.47
something_weird{problem="division by zero"} +Inf -3982045
nan_metric NaN
neg_inf{a="b",} -Inf
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
`;

describe('parseExposition (Prometheus text)', () => {
  it('parses the format documentation example', () => {
    const r = parseExposition(PROM, 'prometheus');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(10);
    expect(r.value[0]).toEqual({ labels: { __name__: 'http_requests_total', method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 });
    expect(r.value[2]?.labels['path']).toBe('C:\\DIR\\FILE.TXT');
    expect(r.value[2]?.labels['error']).toBe('Cannot find file:\n"FILE.TXT"');
    expect(r.value[3]).toEqual({ labels: { __name__: 'metric_without_timestamp_and_labels' }, value: 12.47 });
    expect(r.value[4]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(Number.isNaN(r.value[5]?.value)).toBe(true);
    expect(r.value[6]).toEqual({ labels: { __name__: 'neg_inf', a: 'b' }, value: -Infinity });
    expect(r.value.map((s) => s.labels['__name__']).slice(7)).toEqual(['rpc_duration_seconds', 'rpc_duration_seconds_sum', 'rpc_duration_seconds_count']);
  });

  it('accepts CRLF line ends, empty input and quoted UTF-8 names', () => {
    expect(parseExposition('a 1\r\nb 2\r\n', 'prometheus')).toMatchObject({ ok: true, value: [{ value: 1 }, { value: 2 }] });
    expect(parseExposition('', 'prometheus')).toEqual({ ok: true, value: [] });
    expect(parseExposition('{"my.metric", a="1"} 3\n', 'prometheus')).toMatchObject({ ok: true, value: [{ labels: { __name__: 'my.metric', a: '1' }, value: 3 }] });
  });

  it.each([
    ['metric{a="b"} notanumber', 1, 'invalid value "notanumber"'],
    ['ok 1\nmetric{a=b} 1', 2, 'expected quoted label value for "a"'],
    ['ok 1\n\nmetric{a="b" 1', 3, 'expected "," or "}"'],
    ['metric{a="b",a="c"} 1', 1, 'duplicate label name "a"'],
    ['metric 1 1.5', 1, 'invalid timestamp "1.5"'],
    ['metric 1 2 3', 1, 'unexpected text after timestamp'],
    ['0metric 1', 1, 'invalid metric name'],
    ['metric{a="unterminated} 1', 1, 'unterminated quoted string'],
    ['# TYPE metric bogus', 1, 'invalid metric type "bogus"'],
    ['metric', 1, 'expected value after metric'],
    ['{a="b"} 1', 1, 'metric name missing'],
    ['\u0000\u0001garbage\uffff', 1, 'invalid metric name'],
  ])('%j fails on line %i', (text, line, msg) => {
    const r = parseExposition(text, 'prometheus');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]?.message).toContain(msg);
    expect(r.issues[0]?.range?.start.line).toBe(line);
  });
});

describe('parseExposition (OpenMetrics)', () => {
  const OM = `# TYPE foo counter
# HELP foo A counter.
foo_total{a="1"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
foo_created{a="1"} 1520430000.123
# TYPE bar gauge
# UNIT bar seconds
bar 1
# EOF
`;
  it('parses samples, seconds timestamps, skips exemplars and keeps _created', () => {
    const r = parseExposition(OM, 'openmetrics');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      { labels: { __name__: 'foo_total', a: '1' }, value: 17, timestampMs: 1520879607789 },
      { labels: { __name__: 'foo_created', a: '1' }, value: 1520430000.123 },
      { labels: { __name__: 'bar' }, value: 1 },
    ]);
  });

  it.each([
    ['a 1\n', 'data does not end with # EOF'],
    ['a 1\n# EOF\nb 2\n', 'unexpected data after # EOF'],
    ['a 1 NaN\n# EOF\n', 'invalid timestamp "NaN"'],
    ['a 1\n\n# EOF\n', 'unexpected empty line'],
    ['# TYPE a untyped\n# EOF\n', 'invalid metric type "untyped"'],
  ])('%j fails', (text, msg) => {
    const r = parseExposition(text, 'openmetrics');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain(msg);
  });
});

describe('helpers', () => {
  it.each([
    ['application/openmetrics-text; version=1.0.0; charset=utf-8', 'openmetrics'],
    ['text/plain; version=0.0.4', 'prometheus'],
    ['', 'prometheus'],
    [null, 'prometheus'],
  ])('formatOf(%j) = %s', (ct, want) => expect(formatOf(ct)).toBe(want));

  it.each([
    ['1', 1],
    ['-1.5e3', -1500],
    ['+Inf', Infinity],
    ['inf', Infinity],
    ['-Inf', -Infinity],
    ['.5', 0.5],
    ['0x1f', 31],
    ['1e', undefined],
    ['', undefined],
    ['abc', undefined],
  ])('parseGoFloat(%j)', (s, want) => expect(parseGoFloat(s)).toBe(want));
});
