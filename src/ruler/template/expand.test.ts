import { describe, expect, it } from 'vitest';
import { GoSlice } from '../../alertmanager/template/values.js';
import type { GoValue } from '../../alertmanager/template/values.js';
import { RuleQueryError } from '../api.js';
import type { RuleSample } from '../api.js';
import { expandText } from './expand.js';
import type { TemplateEnv } from './expand.js';

// Expectations follow upstream template/template_test.go (TestTemplateExpansion): template "test",
// eval time 1353755652000, external URL http://testhost:9090/path/prefix.
const EVAL_MS = 1353755652000;
const EXTERNAL_URL = 'http://testhost:9090/path/prefix';

const floats = (...v: number[]): GoSlice => new GoSlice('[]float64', v);
const strings = (...v: string[]): GoSlice => new GoSlice('[]string', v);
const ints = (...v: bigint[]): GoSlice => new GoSlice('[]int64', v);
const sample = (labels: Record<string, string>, v: number): RuleSample => ({ labels, t: 0, v });

function envWith(result: RuleSample[] = []): TemplateEnv & { readonly calls: string[] } {
  const calls: string[] = [];
  return { evalTimeMs: EVAL_MS, externalURL: EXTERNAL_URL, calls, query: (expr) => {
    calls.push(expr);
    return Promise.resolve(result.map((s) => ({ ...s })));
  } };
}

async function expand(text: string, input?: GoValue, result?: RuleSample[]): Promise<string> {
  const r = await expandText('test', text, input, envWith(result));
  if (!r.ok) throw new Error(r.error);
  return r.text;
}

async function failure(text: string, input?: GoValue, result?: RuleSample[]): Promise<string> {
  const r = await expandText('test', text, input, envWith(result));
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.text)}`);
  return r.error;
}

const M = { __name__: 'metric', instance: 'a' };

describe('expandText: language and data', () => {
  it.each([
    ['plain text', 'plain text'],
    ['{{ 1 }}', '1'],
    ['{{ "<b>" }}', '<b>'],
    ['{{ "<b>" | safeHtml }}', '<b>'],
    ['{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}', '1 2'],
    ['{{ (args 1).arg5 }}', '<no value>'],
    ['{{ .Foo }}', '<no value>'],
  ])('%s', async (text, want) => {
    expect(await expand(text)).toBe(want);
  });

  it('reports parse errors with Go\'s wrapper', async () => {
    expect(await failure('{{')).toBe('error parsing template test: template: test:1: unclosed action');
    expect(await failure('{{ # }}')).toBe("error parsing template test: template: test:1: unrecognized character in action: U+0023 '#'");
    expect(await failure('{{ nosuch }}')).toBe('error parsing template test: template: test:1: function "nosuch" not defined');
  });
});

describe('expandText: query and sample functions', () => {
  it('query | first | value / label / strvalue', async () => {
    expect(await expand('{{ query "1.5" | first | value }}', undefined, [sample({}, 1.5)])).toBe('1.5');
    expect(await expand('{{ query "metric{instance=\'a\'}" | first | value }}', undefined, [sample(M, 11)])).toBe('11');
    expect(await expand('{{ query "metric{instance=\'a\'}" | first | label "instance" }}', undefined, [sample(M, 11)])).toBe('a');
    expect(await expand('{{ query "metric" | first | strvalue }}', undefined, [sample({ ...M, __value__: 'a' }, 11)])).toBe('a');
    expect(await expand('{{ query "metric" | first | label "foo" }}', undefined, [sample(M, 11)])).toBe('');
    expect(await expand('{{ $x := query "metric" | first }}{{ $x.Labels.foo }}', undefined, [sample(M, 11)])).toBe('');
    expect(await expand('{{ query "metric" | first }}', undefined, [sample(M, 11)])).toBe('&{map[__name__:metric instance:a] 11}');
  });

  it('ranges over a result sorted by label (stable, in place)', async () => {
    const res = [sample({ ...M, instance: 'b' }, 21), sample(M, 11), sample({ ...M, instance: 'b', x: '2' }, 22)];
    expect(await expand('{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}', undefined, res))
      .toBe('a:11: b:21: b:22: ');
    expect(await expand('{{ $r := query "metric" }}{{ $_ := sortByLabel "instance" $r }}{{ range $r }}{{ .Value }} {{ end }}', undefined, res))
      .toBe('11 21 22 ');
  });

  it('fails on first() of an empty vector and on fields of a query result', async () => {
    expect(await failure('{{ query "missing" | first }}')).toBe(
      'error executing template test: template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements');
    // Go reports this at <"missing"> (1:10), the last node it visited; the engine names the chain.
    expect(await failure('{{ (query "missing").banana }}')).toMatch(
      /^error executing template test: template: test:1:\d+: executing "test" at <.*"missing".*>: can't evaluate field banana in type template.queryResult$/);
  });

  it('rejects values of the wrong type for sample functions', async () => {
    expect(await failure('{{ "x" | first }}')).toMatch(/error calling first: wrong type for value; expected template.queryResult; got string$/);
    expect(await failure('{{ value 1 }}')).toMatch(/error calling value: wrong type for value; expected \*template.sample; got int$/);
    expect(await failure('{{ label "a" nil }}')).toMatch(/error calling label: runtime error: invalid memory address or nil pointer dereference$/);
  });

  it('runs each distinct query once per expansion, in template order, and reports query errors', async () => {
    const env = envWith([sample(M, 3)]);
    const r = await expandText('test', '{{ query "a" | len }}{{ query "b" | len }}{{ query "a" | len }}', undefined, env);
    expect(r).toEqual({ ok: true, text: '111' });
    expect(env.calls).toEqual(['a', 'b']);

    const failing: TemplateEnv = { evalTimeMs: EVAL_MS, externalURL: '', query: () => Promise.reject(new RuleQueryError('parse error: unexpected end of input')) };
    expect(await expandText('test', 'x{{ query "up(" }}', undefined, failing)).toEqual({ ok: false, error:
      'error executing template test: template: test:1:4: executing "test" at <query "up(">: error calling query: parse error: unexpected end of input' });
  });

  it('queries built from earlier query results', async () => {
    const env: TemplateEnv = { evalTimeMs: EVAL_MS, externalURL: '', query: (expr) =>
      Promise.resolve(expr === 'up' ? [sample({ instance: 'x' }, 1), sample({ instance: 'y' }, 1)] : [sample({}, expr.length)]) };
    const r = await expandText('test', '{{ range query "up" }}{{ with query (printf "load{instance=%q}" .Labels.instance) }}{{ . | first | value }} {{ end }}{{ end }}', undefined, env);
    expect(r).toEqual({ ok: true, text: '18 18 ' });
  });

  it('caps the number of distinct queries', async () => {
    const r = await expandText('test', '{{ range $i := 200 }}{{ query (printf "q%d" $i) | len }}{{ end }}', undefined, envWith());
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/at <query \(printf "q%d" \$i\)>: error calling query: too many distinct queries in one template expansion \(limit 100\)$/);
  });
});

describe('expandText: strings, regexps and links', () => {
  it.each([
    ['{{ reReplaceAll "(a)b" "x$1" "ab" }}', 'xa'],
    ['{{ reReplaceAll "a*" "-" "baaac" }}', '-b-c-'],
    ['{{ reReplaceAll "(?P<n>a)" "${n}${n}" "xa" }}', 'xaa'],
    ['{{ reReplaceAll "(a)" "$1x|$10|$$" "a" }}', '||$'],
    ['{{ reReplaceAll "^" "x" "aa" }}', 'xaa'],
    ['{{ reReplaceAll "b" "X" "abcb" }}', 'aXcX'],
    ['{{ match "a+" "aa" }} {{ match "a+" "b" }} {{ match "^b$" "ab" }}', 'true false false'],
    ['{{ "aa bb CC" | title }}', 'Aa Bb CC'],
    ['{{ "aa bb CC" | toUpper }}', 'AA BB CC'],
    ['{{ "aA bB CC" | toLower }}', 'aa bb cc'],
    ['{{ "straße" | toUpper }}', 'STRAßE'],
    ['{{ graphLink "up" }}', '/graph?g0.expr=up&g0.tab=0'],
    ['{{ tableLink "rate(x[5m]) > 1" }}', '/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+1&g0.tab=1'],
    ['{{ pathPrefix }}', '/path/prefix'],
    ['{{ externalURL }}', 'http://testhost:9090/path/prefix'],
    ['{{ urlQueryEscape "a b&c=d/é" }}', 'a+b%26c%3Dd%2F%C3%A9'],
    ['{{ printf "%0.2f" (parseDuration "1h2m10ms") }}', '3720.01'],
    ['{{ printf "%0.2f" (parseDuration "-1h2m10ms") }}', '-3720.01'],
    ['{{ parseDuration "1y" }}', '3.1536e+07'],
  ])('%s', async (text, want) => {
    expect(await expand(text)).toBe(want);
  });

  it.each([
    ['foo.example.com', 'foo.example.com', 'foo'],
    ['foo.example.com:12345', 'foo.example.com', 'foo:12345'],
    ['192.0.2.1', '192.0.2.1', '192.0.2.1'],
    ['192.0.2.1:12345', '192.0.2.1', '192.0.2.1:12345'],
    ['2001:0DB8::1', '2001:0DB8::1', '2001:0DB8::1'],
    ['[2001:0DB8::1]:12345', '2001:0DB8::1', '[2001:0DB8::1]:12345'],
    ['[2001:0DB8::1]::12345', '[2001:0DB8::1]::12345', '[2001:0DB8::1]::12345'],
    ['[::ffff:192.0.2.1]:80', '::ffff:192.0.2.1', '[::ffff:192.0.2.1]:80'],
  ])('stripPort/stripDomain %s', async (hp, port, domain) => {
    expect(await expand('{{ . | stripPort }}|{{ . | stripDomain }}', hp)).toBe(`${port}|${domain}`);
  });

  it('reports bad regexps and durations with Go\'s texts', async () => {
    expect(await failure('{{ reReplaceAll "(" "" "" }}')).toMatch(/error calling reReplaceAll: regexp: Compile\(`\(`\): error parsing regexp: missing closing \): `\(`$/);
    expect(await failure('{{ match "(" "" }}')).toMatch(/error calling match: error parsing regexp: missing closing \): `\(`$/);
    expect(await failure('{{ parseDuration "1x" }}')).toMatch(/error calling parseDuration: unknown unit "x" in duration "1x"$/);
    expect(await failure('{{ parseDuration "5m1h" }}')).toMatch(/error calling parseDuration: not a valid duration string: "5m1h"$/);
    expect(await failure('{{ parseDuration "" }}')).toMatch(/error calling parseDuration: empty duration string$/);
    expect(await failure('{{ parseDuration "300y" }}')).toMatch(/error calling parseDuration: duration out of range$/);
  });
});

describe('expandText: humanize*', () => {
  const each = (fn: string): string => `{{ range . }}{{ ${fn} . }}:{{ end }}`;
  it.each([
    ['humanize', floats(0, 1, 1234567, 0.12), '0:1:1.235M:120m:'],
    ['humanize', strings('0.0', '1.0', '1234567.0', '.12'), '0:1:1.235M:120m:'],
    ['humanize', ints(0n, -1n, 1n, 1234567n, 9223372036854775807n), '0:-1:1:1.235M:9.223E:'],
    ['humanize', ints(18446744073709551615n), '18.45E:'],
    ['humanize', floats(-1234, 0.000001234, -0.0005, 1e-30, 1e30, 5e27), '-1.234k:1.234u:-500u:1e-06y:1e+06Y:5000Y:'],
    ['humanize1024', floats(0, 1, 1048576, 0.12, -2048), '0:1:1Mi:0.12:-2ki:'],
    ['humanize1024', strings('0.0', '1.0', '1048576.0', '.12'), '0:1:1Mi:0.12:'],
    ['humanize1024', ints(0n, -1n, 1n, 1234567n, 9223372036854775807n), '0:-1:1:1.177Mi:8Ei:'],
    ['humanize1024', ints(18446744073709551615n), '16Ei:'],
    ['humanizeDuration', floats(0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99),
      '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:'],
    ['humanizeDuration', strings('0', '1', '60', '3600', '86400'), '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:'],
    ['humanizeDuration', floats(0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345), '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
    ['humanizeDuration', strings('.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'), '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
    ['humanizeDuration', ints(0n, -1n, 1n, 1234567n), '0s:-1s:1s:14d 6h 56m 7s:'],
    ['humanizeDuration', floats(-0.5, -1.5), '-500ms:-1.5s:'],
    ['humanizePercentage', ints(0n, -1n, 1n, 1234567n, 9223372036854775807n), '0%:-100%:100%:1.235e+08%:9.223e+20%:'],
    ['humanizePercentage', ints(18446744073709551615n), '1.845e+21%:'],
    ['humanizeTimestamp', ints(0n, -1n, 1n, 1234567n, 9223372036n),
      '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:'],
    ['humanizeTimestamp', floats(-0.5, 1.0019999), '1969-12-31 23:59:59.5 +0000 UTC:1970-01-01 00:00:01.001 +0000 UTC:'],
  ])('%s %#', async (fn, input, want) => {
    expect(await expand(each(fn), input)).toBe(want);
  });

  it('prints Inf and NaN with %.4g in every humanize function', async () => {
    const text = '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}';
    const want = '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:';
    expect(await expand(text, floats(Infinity, -Infinity, NaN))).toBe(want);
    expect(await expand(text, strings('+Inf', '-Inf', 'NaN'))).toBe(want);
  });

  it('humanizePercentage of literals and strings', async () => {
    expect(await expand('{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}'))
      .toBe('-22.22%:0%:12.35%:123.5%');
    expect(await expand('{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "0.1234567" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}'))
      .toBe('-22.22%:0%:12.35%:123.5%');
  });

  it('fails on unparsable strings and unconvertible types', async () => {
    for (const fn of ['humanize', 'humanize1024', 'humanizeDuration']) {
      expect(await failure(`{{ ${fn} "one" }}`)).toBe(
        `error executing template test: template: test:1:3: executing "test" at <${fn} "one">: error calling ${fn}: strconv.ParseFloat: parsing "one": invalid syntax`);
    }
    expect(await failure('{{ "one" | humanizePercentage }}')).toBe(
      'error executing template test: template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax');
    expect(await failure('{{ humanize "1e400" }}')).toMatch(/error calling humanize: strconv.ParseFloat: parsing "1e400": value out of range$/);
    expect(await failure('{{ humanize true }}')).toMatch(/error calling humanize: can't convert bool to float$/);
  });

  it('humanizeTimestamp fails on timestamps beyond int64 nanoseconds', async () => {
    expect(await failure(each('humanizeTimestamp'), ints(-9223372036854775808n, 9223372036854775807n))).toBe(
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64');
    expect(await failure(each('humanizeTimestamp'), ints(18446744073709551615n))).toMatch(
      /error calling humanizeTimestamp: 1.8446744073709552e\+19 cannot be represented as a nanoseconds timestamp since it overflows int64$/);
  });

  it('humanizeTimestamp of fractional seconds', async () => {
    expect(await expand('{{ 1435065584.128 | humanizeTimestamp }}')).toBe('2015-06-23 13:19:44.128 +0000 UTC');
    expect(await expand('{{ "1435065584.128" | humanizeTimestamp }}')).toBe('2015-06-23 13:19:44.128 +0000 UTC');
  });
});

describe('expandText: time functions', () => {
  it.each([
    ['{{ (1435065584.128 | toTime).Format "2006" }}', '2015'],
    ['{{ ("1435065584.128" | toTime).Format "2006" }}', '2015'],
    ['{{ (1800 | toDuration).String }}', '30m0s'],
    ['{{ ("1800" | toDuration).String }}', '30m0s'],
    ['{{ 0.0015 | toDuration }}', '1.5ms'],
    ['{{ now }}', '1.353755652e+09'],
    ['{{ (now | toTime).Format "Mon Jan 2 15:04:05 2006" }}', 'Sat Nov 24 11:14:12 2012'],
    ['{{ ("-30m" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}', '1353753852000'],
    ['{{ humanizeDuration ("90s" | parseDuration | toDuration) }}', '1m 30s'],
  ])('%s', async (text, want) => {
    expect(await expand(text)).toBe(want);
  });

  it('toTime refuses NaN', async () => {
    expect(await failure('{{ toTime "NaN" }}')).toMatch(/error calling toTime: value is NaN or Inf$/);
  });
});
