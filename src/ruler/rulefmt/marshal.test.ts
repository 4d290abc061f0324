import { describe, expect, it } from 'vitest';
import type { RuleGroupConfig } from '../api.js';
import { marshalNamespaces, marshalRuleGroup, marshalRuleGroups, parseRuleFile, parseRuleGroup } from './index.js';

const GROUPS: RuleGroupConfig[] = [
  { name: 'minimal', limit: 0, labels: {}, rules: [{ kind: 'recording', record: 'up:sum', expr: 'sum(up)', labels: {} }] },
  {
    name: 'full',
    intervalMs: 5_400_000,
    queryOffsetMs: 0,
    limit: 10,
    labels: { team: 'db', 'x-y': 'true' },
    rules: [
      { kind: 'recording', record: 'job:up:sum', expr: 'sum by (job) (\n  up\n)\n', labels: { a10: 'x', a2: 'y', b: '{{ x }}' } },
      {
        kind: 'alerting',
        alert: 'Down',
        expr: 'up == 0',
        forMs: 300_000,
        keepFiringForMs: 3_600_000 + 1_800_000,
        labels: { severity: 'page' },
        annotations: { summary: "{{ $labels.instance }} down: it's bad", description: 'multi\nline  \nx', tab: 'a\tb', empty: '', lead: ' x', num: '1.5', bool: 'yes', hash: 'a #b', colon: 'a: b', dash: '- x', quote: '"q"' },
      },
    ],
  },
  { name: 'true', intervalMs: 1000, limit: 0, labels: {}, rules: [{ kind: 'alerting', alert: 'A', expr: 'vector(1)\n\n', forMs: 0, keepFiringForMs: 0, labels: {}, annotations: { 'é': 'ü ✓', k: '日本' } }] },
  { name: 'no rules', limit: 0, labels: {}, rules: [] },
  { name: '- odd: name #1', queryOffsetMs: 90_061_001, limit: 0, labels: {}, rules: [{ kind: 'recording', record: 'r', expr: "label_replace(up, 'a', '$1', 'b', '(.*)')", labels: { z: '' } }] },
];

describe('marshal', () => {
  it('writes a group as Mimir (yaml.v3) does', () => {
    const g: RuleGroupConfig = {
      name: 'test',
      intervalMs: 15_000,
      limit: 0,
      labels: {},
      rules: [
        { kind: 'recording', record: 'up_rule', expr: 'up{}', labels: {} },
        { kind: 'alerting', alert: 'up_alert', expr: 'sum(up{}) > 1', forMs: 30_000, keepFiringForMs: 0, labels: { test: 'test' }, annotations: { test: 'test' } },
      ],
    };
    // Mimir's pkg/ruler/api_test.go expects exactly this body.
    expect(marshalRuleGroup(g)).toBe('name: test\ninterval: 15s\nrules:\n    - record: up_rule\n      expr: up{}\n    - alert: up_alert\n      expr: sum(up{}) > 1\n      for: 30s\n      labels:\n        test: test\n      annotations:\n        test: test\n');
  });

  it('writes fields in struct order, omits zero ones, prints durations as Prometheus', () => {
    const text = marshalRuleGroup(GROUPS[1] as RuleGroupConfig);
    expect(text.split('\n').slice(0, 6)).toEqual(['name: full', 'interval: 1h30m', 'query_offset: 0s', 'limit: 10', 'rules:', '    - record: job:up:sum']);
    expect(text).toContain('      expr: |\n        sum by (job) (\n          up\n        )\n');
    expect(text).toContain("summary: '{{ $labels.instance }} down: it''s bad'");
    expect(text).toContain('labels:\n        a2: "y"\n        a10: x\n');
    expect(text.endsWith('labels:\n    team: db\n    x-y: "true"\n')).toBe(true);
    expect(marshalRuleGroup(GROUPS[0] as RuleGroupConfig)).toBe('name: minimal\nrules:\n    - record: up:sum\n      expr: sum(up)\n');
  });

  it('writes namespaces sorted by key, and {} for none', () => {
    const text = marshalNamespaces(
      new Map([
        ['ns10', [GROUPS[0] as RuleGroupConfig]],
        ['ns2', [GROUPS[0] as RuleGroupConfig]],
      ]),
    );
    expect(text.startsWith('ns2:\n    - name: minimal\n      rules:\n        - record: up:sum\n          expr: sum(up)\nns10:\n')).toBe(true);
    expect(marshalNamespaces(new Map())).toBe('{}\n');
    expect(marshalRuleGroups([])).toBe('groups: []\n');
  });

  it('round-trips every group through the file parser', () => {
    const r = parseRuleFile(marshalRuleGroups(GROUPS), 'x.yml');
    expect(r).toEqual({ ok: true, value: GROUPS });
  });

  it.each(GROUPS.filter((g) => g.rules.length > 0).map((g) => [g.name, g] as const))('round-trips group %j through the API parser', (_, g) => {
    expect(parseRuleGroup(marshalRuleGroup(g))).toEqual({ ok: true, value: g });
  });

  it('round-trips namespaces', () => {
    const text = marshalNamespaces(new Map([['a', GROUPS]]));
    const inner = parseRuleFile(`groups:\n${text.split('\n').slice(1).join('\n')}`, 'x.yml');
    expect(inner).toEqual({ ok: true, value: GROUPS });
  });
});
