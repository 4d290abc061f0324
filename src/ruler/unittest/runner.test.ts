import { describe, expect, it } from 'vitest';
import { NOOP_LOGGER, SYSTEM_CLOCK } from '../../core/runtime.js';
import { createEvalGroup } from '../eval/index.js';
import { expandAlertTemplate } from '../template/index.js';
import { runTestFile } from './runner.js';
import type { UnitTestEnv } from './runner.js';
import { memoryFs } from './test-fakes.js';

function env(files: Record<string, string>): UnitTestEnv {
  return {
    fs: memoryFs(files),
    createGroup: ({ namespace, config, settings, backend }) =>
      createEvalGroup({ tenant: 't', namespace, config, settings, backend, clock: SYSTEM_CLOCK, logger: NOOP_LOGGER, expandTemplate: expandAlertTemplate }),
  };
}

const RULES = `groups:
  - name: alerts
    rules:
      - alert: High
        expr: ratio > 0.5
        annotations: {v: "{{ $value }}"}
  - name: rec
    rules:
      - record: ratio
        expr: sum(x) / 10
`;

describe('runTestFile', () => {
  it('passes a file whose expectations hold, with rule_files relative to the test file', async () => {
    const r = await runTestFile('t/test.yml', env({
      't/rules.yml': RULES,
      't/test.yml': `rule_files: [rules.yml]
group_eval_order: [rec, alerts]
tests:
  - interval: 1m
    input_series: [{series: 'x{a="1"}', values: '1 6 6 1'}]
    alert_rule_test:
      - {eval_time: 0m, alertname: High}
      - eval_time: 1m
        alertname: High
        exp_alerts: [{exp_annotations: {v: "0.6"}}]
    promql_expr_test:
      - expr: ratio
        eval_time: 2m
        exp_samples: [{labels: 'ratio', value: 0.6}]
`,
    }));
    expect(r).toEqual({ warnings: [], failures: [] });
  });

  it('evaluates groups in group_eval_order; unlisted order means file order, so the alert lags a step', async () => {
    const test = (order: string) => `rule_files: [rules.yml]
group_eval_order: ${order}
tests:
  - interval: 1m
    input_series: [{series: x, values: '6x3'}]
    alert_rule_test:
      - eval_time: 0m
        alertname: High
        exp_alerts: [{exp_annotations: {v: "0.6"}}]
`;
    const ordered = await runTestFile('test.yml', env({ 'rules.yml': RULES, 'test.yml': test('[rec, alerts]') }));
    expect(ordered.failures).toEqual([]);
    const fileOrder = await runTestFile('test.yml', env({ 'rules.yml': RULES, 'test.yml': test('[]') }));
    expect(fileOrder.failures).toHaveLength(1);
    expect(fileOrder.failures[0]).toContain('alertname: High, time: 0s, \n        exp:[');
    expect(fileOrder.failures[0]).toContain('got:[]');
  });

  it('checks an eval_time between evaluations against the evaluation before it', async () => {
    const r = await runTestFile('test.yml', env({
      'rules.yml': RULES,
      'test.yml': `rule_files: [rules.yml]
group_eval_order: [rec, alerts]
tests:
  - interval: 30s
    input_series: [{series: x, values: '1 1 1 1 6'}]
    alert_rule_test:
      - {eval_time: 1m59s, alertname: High}
      - eval_time: 2m
        alertname: High
        exp_alerts: [{exp_annotations: {v: "0.6"}}]
`,
    }));
    // The 30s input interval does not matter: evaluations run every evaluation_interval (1m).
    expect(r.failures).toEqual([]);
  });

  it('sees input samples only up to the last evaluation (the lazy loader)', async () => {
    const r = await runTestFile('test.yml', env({
      'test.yml': `tests:
  - interval: 15s
    input_series: [{series: m, values: '0+1x20'}]
    promql_expr_test:
      - expr: m
        eval_time: 1m30s
        exp_samples: [{labels: m, value: 6}]
`,
    }));
    expect(r.failures).toEqual(['    expr: "m", time: 1m30s,\n        exp: {__name__="m"} 6E+00\n        got: {__name__="m"} 4E+00']);
  });

  it('ends a test group at the first evaluation with a rule error, keeping earlier failures', async () => {
    const r = await runTestFile('test.yml', env({
      'rules.yml': 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: m\n        labels: {i: same}\n',
      'test.yml': `rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - {series: 'm{i="a"}', values: '1 1 1'}
      - {series: 'm{i="b"}', values: '_ 1 1'}
    alert_rule_test:
      - eval_time: 0s
        alertname: Nope
        exp_alerts: [{exp_labels: {a: b}}]
    promql_expr_test:
      - {expr: m, eval_time: 2m}
  - interval: 1m
    promql_expr_test:
      - expr: vector(1)
        eval_time: 0s
        exp_samples: [{labels: '{}', value: 1}]
`,
    }));
    expect(r.failures).toHaveLength(2);
    expect(r.failures[0]).toContain('alertname: Nope, time: 0s');
    expect(r.failures[1]).toBe('    rule: r, time: 1m0s, err: vector contains metrics with the same labelset after applying rule labels');
  });

  it('unions the firing alerts of same-named rules across groups and ignores pending ones', async () => {
    const rules = `groups:
  - name: a
    rules:
      - {alert: Same, expr: 'm{i="1"}'}
      - {alert: Same, expr: 'm{i="2"}', for: 5m}
  - name: b
    rules:
      - {alert: Same, expr: 'm{i="3"}', labels: {from: b}}
`;
    const r = await runTestFile('test.yml', env({
      'rules.yml': rules,
      'test.yml': `rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series:
      - {series: 'm{i="1"}', values: '1'}
      - {series: 'm{i="2"}', values: '1'}
      - {series: 'm{i="3"}', values: '1'}
    alert_rule_test:
      - eval_time: 0s
        alertname: Same
        exp_alerts:
          - exp_labels: {__name__: m, i: "3", from: b}
          - exp_labels: {__name__: m, i: "1"}
`,
    }));
    expect(r.failures).toHaveLength(1);
    // __name__ is dropped from alert labels, so the expectation above is wrong in exactly that way.
    expect(r.failures[0]).toContain('Labels:{alertname="Same", i="1"}');
    expect(r.failures[0]).toContain('Labels:{alertname="Same", from="b", i="3"}');
    expect(r.failures[0]).not.toContain('i="2"');
  });

  it('warns about rule_files patterns that match nothing', async () => {
    const r = await runTestFile('d/test.yml', env({ 'd/test.yml': 'rule_files: [none/*.yml]\ntests: []\n' }));
    expect(r).toEqual({ warnings: ['  WARNING: no file match pattern d/none/*.yml'], failures: [] });
  });

  it('reports rule-file errors once per test group, and not at all without test groups', async () => {
    const files = { 'bad.yml': 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n' };
    const two = await runTestFile('test.yml', env({ ...files, 'test.yml': 'rule_files: [bad.yml]\ntests: [{interval: 1m}, {interval: 1m}]\n' }));
    expect(two.failures).toEqual([
      'bad.yml: 5:15: group "g", rule 1, "x": could not parse expression: 1:5: parse error: unclosed left parenthesis',
      'bad.yml: 5:15: group "g", rule 1, "x": could not parse expression: 1:5: parse error: unclosed left parenthesis',
    ]);
    const none = await runTestFile('test.yml', env({ ...files, 'test.yml': 'rule_files: [bad.yml]\n' }));
    expect(none.failures).toEqual([]);
  });

  it('fails on a test file that cannot be read or parsed, naming file and position', async () => {
    expect((await runTestFile('nope.yml', env({}))).failures).toEqual(['open nope.yml: no such file or directory']);
    expect((await runTestFile('t.yml', env({ 't.yml': 'tests:\n  - intervall: 1m\n' }))).failures).toEqual(['t.yml: line 2, column 5: field intervall not found in type testGroup']);
  });

  it('reports a malformed rule_files pattern', async () => {
    expect((await runTestFile('t.yml', env({ 't.yml': 'rule_files: ["[x"]\n' }))).failures).toEqual(['syntax error in pattern']);
  });

  it('reports query errors of promql_expr_test and compares NaN as never equal', async () => {
    const r = await runTestFile('t.yml', env({
      't.yml': `tests:
  - promql_expr_test:
      - {expr: 'sum(', eval_time: 0s}
      - {expr: '"str"', eval_time: 0s}
      - expr: vector(NaN)
        exp_samples: [{labels: '{}', value: .nan}]
`,
    }));
    expect(r.failures).toEqual([
      '    expr: "sum(", time: 0s, err: 1:5: parse error: unclosed left parenthesis',
      '    expr: "\\"str\\"", time: 0s, err: rule result is not a vector or scalar',
      '    expr: "vector(NaN)", time: 0s,\n        exp: {} NaN\n        got: {} NaN',
    ]);
  });
});
