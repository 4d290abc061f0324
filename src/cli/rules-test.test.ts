import { describe, expect, it } from 'vitest';
import { memoryFs } from '../ruler/unittest/test-fakes.js';
import { defaultUnitTestEnv, runRulesTest } from './rules-test.js';

const RULES = 'groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up == 1\n        annotations: {s: "{{ $labels.job }} {{ 1234567 | humanize }}"}\n';
const PASS = `rule_files: [rules.yml]
tests:
  - interval: 1m
    input_series: [{series: 'up{job="a"}', values: '1'}]
    alert_rule_test:
      - eval_time: 0s
        alertname: Up
        exp_alerts: [{exp_labels: {job: a}, exp_annotations: {s: "a 1.235M"}}]
`;
const FAIL = `rule_files: [rules.yml]
tests:
  - interval: 1m
    promql_expr_test:
      - {expr: 'up', eval_time: 0s, exp_samples: [{labels: up, value: 1}]}
      - {expr: 'sum(', eval_time: 0s}
`;

async function run(files: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const env = defaultUnitTestEnv(memoryFs({ 'rules.yml': RULES, 'pass.yml': PASS, 'fail.yml': FAIL, 'warn.yml': 'rule_files: [x*.yml]\n' }));
  const code = await runRulesTest(files, { out: (l) => lines.push(`out: ${l}`), err: (l) => lines.push(`err: ${l}`) }, env);
  return { code, lines };
}

describe('herald rules test', () => {
  it('prints SUCCESS and exits 0 when every file passes', async () => {
    expect(await run(['pass.yml', 'warn.yml'])).toEqual({
      code: 0,
      lines: ['out: Unit Testing:  pass.yml', 'out:   SUCCESS', 'out: ', 'out: Unit Testing:  warn.yml', 'err:   WARNING: no file match pattern x*.yml', 'out:   SUCCESS', 'out: '],
    });
  });

  it('prints each failure on stderr followed by an empty stdout line, and exits 1', async () => {
    const r = await run(['fail.yml', 'pass.yml']);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      'out: Unit Testing:  fail.yml',
      'err:   FAILED:',
      'err:     expr: "up", time: 0s,\n        exp: {__name__="up"} 1E+00\n        got: nil',
      'out: ',
      'err:     expr: "sum(", time: 0s, err: 1:5: parse error: unclosed left parenthesis',
      'out: ',
      'out: ',
      'out: Unit Testing:  pass.yml',
      'out:   SUCCESS',
      'out: ',
    ]);
  });

  it('refuses a missing file before testing anything, with exit code 1', async () => {
    expect(await run(['pass.yml', 'missing.yml'])).toEqual({ code: 1, lines: ["err: herald: error: path 'missing.yml' does not exist"] });
  });
});
