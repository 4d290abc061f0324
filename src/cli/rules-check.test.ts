import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './args.js';
import { duplicateReport, rulesCheck, rulesCheckOptions } from './rules-check.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'herald-rules-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const good = file('good.yml', 'groups:\n- name: g\n  rules:\n  - record: a\n    expr: up\n  - alert: B\n    expr: up == 0\n');
const bad = file('bad.yml', 'groups:\n- name: g\n  rules:\n  - alert: B\n');
const dup = file('dup.yml', 'groups:\n- name: g\n  labels: {team: x}\n  rules:\n  - record: a\n    expr: up\n  - record: a\n    expr: up\n    labels: {team: x}\n');
const DEFAULTS = { lintDuplicates: true, lintFatal: false, ignoreUnknownFields: false };

describe('rules check', () => {
  it('prints SUCCESS with the rule count and exits 0', () => {
    const c = capture();
    expect(rulesCheck([good], c.io, DEFAULTS)).toBe(0);
    expect(c.out).toEqual([`Checking ${good}`, '  SUCCESS: 2 rules found', '']);
    expect(c.err).toEqual([]);
  });

  it('prints FAILED and the problems, checks every file, exits 1', () => {
    const c = capture();
    expect(rulesCheck([bad, good], c.io, DEFAULTS)).toBe(1);
    expect(c.out).toEqual([`Checking ${bad}`, `Checking ${good}`, '  SUCCESS: 2 rules found', '']);
    expect(c.err).toEqual(['  FAILED:', `${bad}: 0:0: group "g", rule 1, "B": field 'expr' must be set in rule`]);
  });

  it('reports an unreadable file as Go does', () => {
    const c = capture();
    const missing = join(dir, 'missing.yml');
    expect(rulesCheck([missing], c.io, DEFAULTS)).toBe(1);
    expect(c.err).toEqual(['  FAILED:', `${missing}: open ${missing}: no such file or directory`]);
  });

  it('reports duplicate rules (group labels merged) as a lint problem: exit 0, or 3 with --lint-fatal', () => {
    const c = capture();
    expect(rulesCheck([dup], c.io, DEFAULTS)).toBe(0);
    expect(c.err).toEqual(['  FAILED:', 'lint error 1 duplicate rule(s) found.\nMetric: a\nLabel(s):\n\tteam: x\nMight cause inconsistency while recording expressions']);
    expect(rulesCheck([dup], capture().io, { ...DEFAULTS, lintFatal: true })).toBe(3);
    expect(rulesCheck([dup], capture().io, { ...DEFAULTS, lintDuplicates: false })).toBe(0);
  });

  it('finds no duplicates when names or labels differ', () => {
    expect(duplicateReport([{ name: 'g', limit: 0, labels: {}, rules: [{ kind: 'recording', record: 'a', expr: 'up', labels: { x: '1' } }, { kind: 'recording', record: 'a', expr: 'up', labels: { x: '2' } }] }])).toBeUndefined();
  });

  it('reads flags', () => {
    expect(rulesCheckOptions(new Map())).toEqual(DEFAULTS);
    expect(rulesCheckOptions(new Map([['lint', 'none'], ['lint-fatal', 'true'], ['ignore-unknown-fields', 'true']]))).toEqual({ lintDuplicates: false, lintFatal: true, ignoreUnknownFields: true });
    expect(() => rulesCheckOptions(new Map([['lint', 'bogus']]))).toThrow(UsageError);
  });
});
