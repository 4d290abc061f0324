import { describe, expect, it } from 'vitest';
import type { RuleGroupConfig } from '../api.js';
import { decodeGroup, encodeGroup, ruleKey, splitRuleKey } from './codec.js';

const G: RuleGroupConfig = {
  name: 'g',
  intervalMs: 30_000,
  queryOffsetMs: 60_000,
  limit: 3,
  labels: { team: 'a' },
  rules: [
    { kind: 'recording', record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { x: 'y' } },
    { kind: 'alerting', alert: 'Down', expr: 'up == 0', forMs: 300_000, keepFiringForMs: 0, labels: { severity: 'page' }, annotations: { summary: '{{ $labels.instance }} down' } },
  ],
};

describe('codec', () => {
  it('keys are namespace NUL group and split back on the first NUL', () => {
    expect(ruleKey('ns', 'g')).toBe('ns\u0000g');
    expect(splitRuleKey(ruleKey('ns', 'g\u0000x'))).toEqual(['ns', 'g\u0000x']);
    expect(splitRuleKey('no-separator')).toBeUndefined();
  });

  it('stores a group as Mimir-style YAML and reads it back equal', () => {
    const text = encodeGroup(G);
    expect(text).toMatch(/^name: g\n/);
    expect(decodeGroup(text)).toEqual({ ok: true, group: G });
  });

  it('reports a damaged record instead of throwing', () => {
    const r = decodeGroup('name: g\nrules: [');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.length).toBeGreaterThan(0);
    expect(decodeGroup('name: ""\nrules: []\n').ok).toBe(false);
  });
});
