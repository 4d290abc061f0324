import { describe, expect, it } from 'vitest';
import type { Issue } from '../../core/result.js';
import { formatGroupIssues, formatRuleIssues, hasExtraDocuments, isRuleIssue, parseRuleFile, parseRuleGroup } from './index.js';

function errors(text: string): string[] {
  const r = parseRuleFile(text, 'r.yml');
  if (r.ok) throw new Error('expected problems');
  return formatRuleIssues(r.issues, 'r.yml');
}

const y = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('parseRuleFile: good files', () => {
  it('reads recording and alerting rules with every field', () => {
    const r = parseRuleFile(
      y(
        'groups:',
        '  - name: g1',
        '    interval: 1m30s',
        '    query_offset: 30s',
        '    limit: 5',
        '    labels: {team: db}',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up)',
        '        labels: {tier: "1"}',
        '      - alert: Down',
        '        expr: |',
        '          up == 0',
        '        for: 5m',
        '        keep_firing_for: 0',
        '        labels: {severity: page}',
        '        annotations: {summary: "{{ $labels.instance }} is down ({{ $value }})"}',
      ),
      'r.yml',
    );
    expect(r).toEqual({
      ok: true,
      value: [
        {
          name: 'g1',
          intervalMs: 90_000,
          queryOffsetMs: 30_000,
          limit: 5,
          labels: { team: 'db' },
          rules: [
            { kind: 'recording', record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { tier: '1' } },
            { kind: 'alerting', alert: 'Down', expr: 'up == 0\n', forMs: 300_000, keepFiringForMs: 0, labels: { severity: 'page' }, annotations: { summary: '{{ $labels.instance }} is down ({{ $value }})' } },
          ],
        },
      ],
    });
  });

  it.each([
    ['an empty file', ''],
    ['a comment only', '# nothing\n'],
    ['groups: null', 'groups:\n'],
    ['an empty group list', 'groups: []\n'],
  ])('accepts %s with no groups', (_, text) => {
    expect(parseRuleFile(text, 'r.yml')).toEqual({ ok: true, value: [] });
  });

  it('takes scalars of any type as strings, and null as empty (yaml.v3)', () => {
    const r = parseRuleFile(y('groups:', '- name: 1', '  rules:', '  - alert: true', '    expr: 1', '    labels: {a: 0x10, b: ~}'), 'r.yml');
    expect(r.ok && r.value[0]).toEqual({ name: '1', limit: 0, labels: {}, rules: [{ kind: 'alerting', alert: 'true', expr: '1', forMs: 0, keepFiringForMs: 0, labels: { a: '0x10', b: '' }, annotations: {} }] });
  });

  it('resolves anchors, aliases and merge keys, explicit keys winning', () => {
    const r = parseRuleFile(
      y('groups:', '- name: g', '  rules:', '  - &base', '    alert: A', '    expr: &e up == 0', '    labels: {s: x}', '  - <<: *base', '    alert: B', '  - record: r', '    expr: *e'),
      'r.yml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value[0]?.rules.map((x) => (x.kind === 'alerting' ? [x.alert, x.expr, x.labels] : [x.record, x.expr]))).toEqual([
      ['A', 'up == 0', { s: 'x' }],
      ['B', 'up == 0', { s: 'x' }],
      ['r', 'up == 0'],
    ]);
  });

  it('uses only the first YAML document, even when a later one is broken', () => {
    const text = y('groups:', '- name: a', '  rules:', '  - record: x', '    expr: "1"', '---', 'groups:', '- name: [');
    const r = parseRuleFile(text, 'r.yml');
    expect(r.ok && r.value.map((g) => g.name)).toEqual(['a']);
    expect(hasExtraDocuments(text)).toBe(true);
    expect(hasExtraDocuments('groups: []\n')).toBe(false);
  });

  it('accepts UTF-8 label and metric names (Prometheus 3 validation)', () => {
    const r = parseRuleFile(y('groups:', '- name: g', '  rules:', '  - record: "foo-bar.baz"', '    expr: up', '    labels: {"a-b": x}', '  - alert: A', '    expr: up', '    annotations: {"c.d": y}'), 'r.yml');
    expect(r.ok).toBe(true);
  });

  it('can ignore unknown fields (promtool --ignore-unknown-fields)', () => {
    const text = y('groups:', '- name: g', '  owner: me', '  rules:', '  - record: x', '    expr: up', '    note: hi');
    expect(parseRuleFile(text, 'r.yml', { ignoreUnknownFields: true }).ok).toBe(true);
    expect(parseRuleFile(text, 'r.yml').ok).toBe(false);
  });
});

describe('parseRuleFile: problems, as Prometheus prints them', () => {
  it.each<[string, string, string[]]>([
    [
      'semantic rule errors with their node positions',
      y(
        'groups:',
        '  - name: g1',
        '    rules:',
        '      - record: job:up:sum',
        '        expr: sum by (job) (up',
        '        annotations:',
        '          a: b',
        '        for: 1m',
        '        keep_firing_for: 2m',
        '      - alert: X',
        '        record: Y',
        '        expr: up',
        '      - expr: up',
        '      - alert: Z',
      ),
      [
        'r.yml: 5:15: group "g1", rule 1, "job:up:sum": could not parse expression: 1:17: parse error: unclosed left parenthesis',
        "r.yml: 4:17: group \"g1\", rule 1, \"job:up:sum\": invalid field 'annotations' in recording rule",
        "r.yml: 4:17: group \"g1\", rule 1, \"job:up:sum\": invalid field 'for' in recording rule",
        "r.yml: 4:17: group \"g1\", rule 1, \"job:up:sum\": invalid field 'keep_firing_for' in recording rule",
        "r.yml: 11:17: 10:16: group \"g1\", rule 2, \"X\": only one of 'record' and 'alert' must be set",
        "r.yml: 0:0: 0:0: group \"g1\", rule 3, \"\": one of 'record' or 'alert' must be set",
        "r.yml: 0:0: group \"g1\", rule 4, \"Z\": field 'expr' must be set in rule",
      ],
    ],
    [
      'empty record and alert present',
      y('groups:', '- name: a', '  rules:', '  - alert: ""', '    record: ""', '    expr: up'),
      ["r.yml: 5:13: 4:12: group \"a\", rule 1, \"\": one of 'record' or 'alert' must be set"],
    ],
    [
      'recording rule names',
      y('groups:', '- name: a', '  rules:', '  - record: \'strawberry{flavor="sweet"}\'', '    expr: up'),
      ['r.yml: 4:13: group "a", rule 1, "strawberry{flavor=\\"sweet\\"}": braces present in the recording rule name; should it be in expr?: strawberry{flavor="sweet"}'],
    ],
    [
      'labels, annotations and templates (sorted by key)',
      y('groups:', '- name: a', '  rules:', '  - alert: T', '    expr: up', '    labels: {z: "{{ .x", __name__: y, "": e}', '    annotations: {b: "{{ $nope }}", a: "{{ end }}"}'),
      [
        'r.yml: group "a", rule 1, "T": invalid label name: ',
        'r.yml: group "a", rule 1, "T": invalid label name: __name__',
        'r.yml: group "a", rule 1, "T": label "z": template: __alert_T:1: unclosed action',
        'r.yml: group "a", rule 1, "T": annotation "a": template: __alert_T:1: unexpected {{end}}',
        'r.yml: group "a", rule 1, "T": annotation "b": template: __alert_T:1: undefined variable "$nope"',
      ],
    ],
    [
      'templates are not checked on recording rules',
      y('groups:', '- name: a', '  rules:', '  - record: r', '    expr: up', '    labels: {__name__: x, z: "{{ .x"}'),
      ['r.yml: group "a", rule 1, "r": invalid label name: __name__'],
    ],
    [
      'group names and group labels',
      y('groups:', '- name: g1', '  rules: []', '- name: g1', '  labels: {__name__: x}', '  rules: []', '- name: ""', '  rules: []', '- rules: []'),
      ['r.yml: 4:3: groupname: "g1" is repeated in the same file', 'r.yml: invalid label name: __name__', 'r.yml: 7:3: Groupname must not be empty', 'r.yml: 9:3: Groupname must not be empty', 'r.yml: 9:3: groupname: "" is repeated in the same file'],
    ],
    ['negative limit', y('groups:', '- name: g', '  limit: -1', '  rules: []'), ['r.yml: 3:10: invalid limit: -1, must not be negative']],
  ])('%s', (_, text, want) => {
    expect(errors(text)).toEqual(want);
  });

  it.each<[string, string, string[]]>([
    [
      'unknown fields and type mismatches in one yaml.v3 block',
      y('groups:', '  - name: g1', '    foo: 1', '    limit: abc', '    rules:', '      - record: x', '        expr: up', '        bar: 2', '        labels: [a]', '      - alert: x', '        expr: "1"', '        labels:', '          a: {b: c}', '  - name: [x]', '    rules: {}', 'other: 1'),
      [
        [
          'r.yml: yaml: unmarshal errors:',
          '  line 3: field foo not found in type rulefmt.RuleGroup',
          '  line 4: cannot unmarshal !!str `abc` into int',
          '  line 8: field bar not found in type rulefmt.Rule',
          '  line 9: cannot unmarshal !!seq into map[string]string',
          '  line 13: cannot unmarshal !!map into string',
          '  line 14: cannot unmarshal !!seq into string',
          '  line 15: cannot unmarshal !!map into []rulefmt.Rule',
          '  line 16: field other not found in type rulefmt.RuleGroups',
        ].join('\n'),
      ],
    ],
    ['a sequence at the top', '- a\n', ['r.yml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into rulefmt.RuleGroups']],
    ['a long scalar at the top', 'hello world!\n', ['r.yml: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `hello w...` into rulefmt.RuleGroups']],
    ['a non-integer limit', y('groups:', '- name: g', '  limit: 1.5', '  rules: []'), ['r.yml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!float `1.5` into int']],
    ['a quoted limit', y('groups:', '- name: g', '  limit: "5"', '  rules: []'), ['r.yml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `5` into int']],
    ['a repeated key', y('groups:', '- name: a', '  name: b', '  rules: []'), ['r.yml: yaml: unmarshal errors:\n  line 3: mapping key "name" already defined at line 2']],
    [
      'bad durations (all of them, upstream stops at the first)',
      y('groups:', '- name: g', '  interval: 1x', '  query_offset: ""', '  rules:', '  - alert: a', '    expr: up', '    for: 1y1y', '    keep_firing_for: 5'),
      ['r.yml: unknown unit "x" in duration "1x"', 'r.yml: empty duration string', 'r.yml: not a valid duration string: "1y1y"', 'r.yml: not a valid duration string: "5"'],
    ],
    ['a duration out of range', y('groups:', '- name: g', '  interval: 300y', '  rules: []'), ['r.yml: duration out of range']],
  ])('decode: %s', (_, text, want) => {
    expect(errors(text)).toEqual(want);
  });

  it('reports YAML syntax errors with a line, and no semantic checks then', () => {
    const lines = errors('groups: [\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^r\.yml: yaml: line \d+: /);
  });

  it('skips semantic checks when decoding failed (as upstream)', () => {
    expect(errors(y('groups:', '- name: ""', '  foo: 1', '  rules: []'))).toEqual(['r.yml: yaml: unmarshal errors:\n  line 3: field foo not found in type rulefmt.RuleGroup']);
  });

  it('gives every issue a code, a real position when there is one, and the rule context', () => {
    const r = parseRuleFile(y('groups:', '- name: g', '  rules:', '  - alert: A', '    expr: up +'), 'r.yml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const it0 = r.issues[0] as Issue;
    expect(isRuleIssue(it0)).toBe(true);
    expect(it0).toMatchObject({ code: 'invalid_expr', group: 'g', rule: 1, ruleName: 'A', range: { start: { line: 5, column: 11 } } });
  });

  it('a rule without expr points its range at the rule', () => {
    const r = parseRuleFile(y('groups:', '- name: g', '  rules:', '  - alert: A'), 'r.yml');
    expect(!r.ok && r.issues[0]?.range?.start).toEqual({ line: 4, column: 5 });
  });
});

describe('parseRuleGroup (Mimir ruler config API body)', () => {
  const text = y('name: test', 'interval: 15s', 'rules:', '- record: up_rule', '  expr: up{}', '- alert: up_alert', '  expr: sum(up{}) > 1', '  for: 30s', '  annotations: {test: test}', '  labels: {test: test}');

  it('reads one group', () => {
    expect(parseRuleGroup(text)).toEqual({
      ok: true,
      value: {
        name: 'test',
        intervalMs: 15_000,
        limit: 0,
        labels: {},
        rules: [
          { kind: 'recording', record: 'up_rule', expr: 'up{}', labels: {} },
          { kind: 'alerting', alert: 'up_alert', expr: 'sum(up{}) > 1', forMs: 30_000, keepFiringForMs: 0, labels: { test: 'test' }, annotations: { test: 'test' } },
        ],
      },
    });
  });

  it('ignores unknown fields and takes evaluation_delay as query_offset', () => {
    const r = parseRuleGroup(y('name: g', 'evaluation_delay: 1m', 'align_evaluation_time_on_interval: true', 'whatever: 1', 'rules:', '- record: r', '  expr: up', '  extra: x'));
    expect(r.ok && r.value.queryOffsetMs).toBe(60_000);
  });

  it.each<[string, string, string]>([
    ['an empty body', '', 'invalid rules configuration: rule group name must not be empty'],
    ['no name', y('interval: 15s', 'rules:', '- record: up_rule', '  expr: up'), 'invalid rules configuration: rule group name must not be empty'],
    ['no rules', y('name: rg_name', 'interval: 15s'), "invalid rules configuration: rule group 'rg_name' has no rules"],
    [
      'source_tenants',
      y('name: g', 'source_tenants: [a, b]', 'rules:', '- record: r', '  expr: up'),
      "invalid rules configuration: rule group 'g' is a federated rule group, but rules federation is disabled; please contact your service administrator to have it enabled",
    ],
    [
      'query_offset and evaluation_delay disagreeing',
      y('name: g', 'query_offset: 1m', 'evaluation_delay: 2m', 'rules:', '- record: r', '  expr: up'),
      "invalid rules configuration: rule group 'g' has both query_offset and (deprecated) evaluation_delay set, but to different values; please remove the deprecated evaluation_delay and use query_offset instead",
    ],
    [
      'rule errors, numbered from 0 and joined with ", "',
      y('name: g', 'rules:', '- record: r', '  expr: up(', '- alert: a', '  record: b', '  expr: up'),
      'g: 4:9: group "g", rule 0, "r": could not parse expression: 1:4: parse error: unclosed left parenthesis, 6:11: 5:10: group "g", rule 1, "a": only one of \'record\' and \'alert\' must be set',
    ],
    ['bad YAML types', y('name: [g]', 'rules: []'), 'unable to decode rule group: line 1: cannot unmarshal !!seq into string'],
    ['a bad duration', y('name: g', 'interval: 1x', 'rules:', '- record: r', '  expr: up'), 'unable to decode rule group: unknown unit "x" in duration "1x"'],
  ])('refuses %s', (_, body, want) => {
    const r = parseRuleGroup(body);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatGroupIssues(r.issues)).toBe(want.startsWith('g: ') ? want.slice(3) : want);
  });
});
