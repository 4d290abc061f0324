import { describe, expect, it } from 'vitest';
import { globMatch, selectTemplateFiles } from './template-files.js';

describe('globMatch (Go filepath.Match)', () => {
  it.each([
    ['*.tmpl', 'a.tmpl', true],
    ['*.tmpl', 'a.tmpl.bak', false],
    ['a?.tmpl', 'ab.tmpl', true],
    ['a?.tmpl', 'a.tmpl', false],
    ['[ab]x', 'bx', true],
    ['[^ab]x', 'bx', false],
    ['[a-c]x', 'cx', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['plain.tmpl', 'plain.tmpl', true],
    ['a.b', 'axb', false],
  ])('%s ~ %s = %s', (p, n, want) => {
    expect(globMatch(p, n)).toBe(want);
  });
  it.each(['[', '[]', 'a\\'])('malformed %s', (p) => {
    expect(globMatch(p, 'x')).toBeUndefined();
  });
});

describe('selectTemplateFiles', () => {
  const files = { 'b.tmpl': 'B', 'a.tmpl': 'A', 'notes.txt': 'N' };
  it('selects matches in pattern order, each file once', () => {
    const r = selectTemplateFiles(['notes.txt', '*.tmpl', 'a.tmpl'], files);
    expect(r.ok && r.value.map((s) => s.name)).toEqual(['notes.txt', 'a.tmpl', 'b.tmpl']);
  });
  it('selects nothing without patterns, even with files', () => {
    const r = selectTemplateFiles([], files);
    expect(r.ok && r.value).toEqual([]);
  });
  it('refuses paths that leave the tenant directory, with Mimir wording', () => {
    const r = selectTemplateFiles(['../x.tmpl', 'ok.tmpl', '[z'], files);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.message)).toEqual([
        'invalid template name "../x.tmpl": the template filepath is escaping the per-tenant local directory',
        'invalid template name "[z": syntax error in pattern',
      ]);
      expect(r.issues[0]?.path).toEqual(['templates', 0]);
    }
  });
});
