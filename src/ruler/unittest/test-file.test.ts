import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/result.js';
import { parseTestFile } from './test-file.js';

function errors(text: string): string[] {
  const r = parseTestFile(text);
  if (r.ok) throw new Error('expected a parse failure');
  return r.issues.map((i) => formatIssue(i));
}

describe('parseTestFile', () => {
  it('reads every field of a test file', () => {
    const r = parseTestFile(`
rule_files: [a.yml, 'rules/*.yml']
evaluation_interval: 30s
group_eval_order: [g1, g2]
tests:
  - name: one
    interval: 15s
    external_labels: {cluster: eu}
    external_url: http://x
    input_series:
      - series: 'up{job="a"}'
        values: '1+1x2 _ stale'
    alert_rule_test:
      - eval_time: 1m
        alertname: Down
        exp_alerts:
          - exp_labels: {severity: 1}
            exp_annotations: {summary: s}
    promql_expr_test:
      - expr: up
        eval_time: 2m
        exp_samples:
          - labels: 'up{job="a"}'
            value: .inf
          - labels: ''
            value: -2
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const f = r.value;
    expect(f.ruleFiles).toEqual(['a.yml', 'rules/*.yml']);
    expect(f.evaluationIntervalMs).toBe(30_000);
    expect(f.groupEvalOrder).toEqual(['g1', 'g2']);
    const g = f.tests[0]!;
    expect(g.name).toBe('one');
    expect(g.intervalMs).toBe(15_000);
    expect(g.externalLabels).toEqual({ cluster: 'eu' });
    expect(g.externalURL).toBe('http://x');
    expect(g.inputSeries).toEqual([{ labels: { __name__: 'up', job: 'a' }, values: [1, 2, 3, 'omit', 'stale'] }]);
    // Numbers in string maps keep their text; alertname joins the expected labels.
    expect(g.alertTests).toEqual([{ evalTimeMs: 60_000, alertname: 'Down', expAlerts: [{ labels: { severity: '1', alertname: 'Down' }, annotations: { summary: 's' } }] }]);
    expect(g.promqlTests).toEqual([
      {
        expr: 'up',
        evalTimeMs: 120_000,
        expSamples: [
          { labels: { __name__: 'up', job: 'a' }, value: Infinity },
          { labels: {}, value: -2 },
        ],
      },
    ]);
  });

  it('defaults evaluation_interval to 1m and a group interval to evaluation_interval', () => {
    const r = parseTestFile('tests:\n  - input_series: []\n');
    expect(r.ok && r.value.evaluationIntervalMs).toBe(60_000);
    expect(r.ok && r.value.tests[0]?.intervalMs).toBe(60_000);
    const r2 = parseTestFile('evaluation_interval: 10s\ntests:\n  - {}\n');
    expect(r2.ok && r2.value.tests[0]?.intervalMs).toBe(10_000);
  });

  it('keeps the last of repeated input series, as the loader does', () => {
    const r = parseTestFile("tests:\n  - input_series:\n      - {series: 'a{x=\"1\"}', values: '1'}\n      - {series: '{x=\"1\",__name__=\"a\"}', values: '2'}\n");
    expect(r.ok && r.value.tests[0]?.inputSeries).toEqual([{ labels: { __name__: 'a', x: '1' }, values: [2] }]);
  });

  it('accepts an empty file (nothing to test)', () => {
    const r = parseTestFile('');
    expect(r.ok && r.value.tests).toEqual([]);
  });

  it.each([
    ['bad YAML', 'tests: [\n', 'line 2, column 1: '],
    ['an unknown top-level field', 'rule_files: []\nfoo: 1\n', 'line 2, column 1: field foo not found in type unitTestFile'],
    ['an unknown test-group field', 'tests:\n  - interval: 1m\n    alert_rule_tests: []\n', 'line 3, column 5: field alert_rule_tests not found in type testGroup'],
    ['a bad duration', 'evaluation_interval: 1x\n', 'line 1, column 22: evaluation_interval: not a valid duration string: "1x"'],
    ['a number as duration', 'tests:\n  - interval: 60\n', 'line 2, column 15: interval: not a valid duration string: "60"'],
    ['a missing alertname', 'tests:\n  - name: g\n    alert_rule_test:\n      - eval_time: 2m\n', 'line 4, column 9: an item under alert_rule_test misses required attribute alertname at eval_time 2m (in TestGroup g)'],
    ['a repeated group in group_eval_order', 'group_eval_order: [a, b, a]\n', 'line 1, column 26: group name repeated in evaluation order: a'],
    ['tests that are not a list', 'tests: {a: 1}\n', 'line 1, column 8: tests must be a list'],
    ['a series value that is a list', 'tests:\n  - input_series:\n      - series: [a]\n', 'line 3, column 17: series must be a string'],
    ['a string sample value', "tests:\n  - promql_expr_test:\n      - expr: up\n        exp_samples:\n          - {labels: up, value: 'one'}\n", 'line 5, column 33: value: cannot unmarshal "one" into a float'],
  ])('reports %s with its position', (_what, text, want) => {
    const got = errors(text);
    expect(got.some((e) => e.startsWith(want))).toBe(true);
  });

  it('points at the bad part of a series line, in the series or in the values', () => {
    const text = `tests:
  - input_series:
      - series: 'up{job="a"'
        values: '1 1'
      - series: up
        values: '1 2x'
      - series: up2
        values: 1 bad
`;
    expect(errors(text)).toEqual([
      'line 4, column 18: up{job="a" 1 1: expected "," or "}" in label set',
      'line 6, column 22: up 1 2x: invalid repetition in series values',
      'line 8, column 19: up2 1 bad: bad number or "stale" in series values at "bad"',
    ]);
  });

  it('refuses native histogram samples', () => {
    expect(errors("tests:\n  - input_series:\n      - {series: h, values: '{{schema:1 sum:3}}'}\n")).toEqual([
      'line 3, column 29: native histogram samples are not supported',
    ]);
  });

  it('reports bad expected sample labels with position', () => {
    expect(errors("tests:\n  - promql_expr_test:\n      - expr: up\n        exp_samples:\n          - labels: 'foo{'\n            value: 1\n")).toEqual([
      'line 5, column 26: labels "foo{": expected a label name',
    ]);
  });

  it('collects every problem at once', () => {
    expect(errors('foo: 1\nbar: 2\nevaluation_interval: x\n')).toHaveLength(3);
  });
});
