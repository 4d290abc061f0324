import { describe, expect, it } from 'vitest';
import { compilePattern, goGlob } from './go-glob.js';
import { memoryFs } from './test-fakes.js';

const FS = memoryFs({ 'r/a.yml': '', 'r/b.yml': '', 'r/c.yaml': '', 'r/sub/d.yml': '', 'other/e.yml': '', 'top.yml': '', '.hidden.yml': '' });

describe('goGlob', () => {
  it.each([
    ['r/*.yml', ['r/a.yml', 'r/b.yml']],
    ['r/?.yaml', ['r/c.yaml']],
    ['r/[ab].yml', ['r/a.yml', 'r/b.yml']],
    ['r/[^a].yml', ['r/b.yml']],
    ['r/[a-b].yml', ['r/a.yml', 'r/b.yml']],
    ['*/*.yml', ['other/e.yml', 'r/a.yml', 'r/b.yml']],
    ['r/*/d.yml', ['r/sub/d.yml']],
    ['*.yml', ['.hidden.yml', 'top.yml']],
    ['top.yml', ['top.yml']],
    ['missing.yml', []],
    ['r/*.json', []],
    ['nodir/*.yml', []],
    ['r/\\a.yml', ['r/a.yml']],
  ])('%s', (pattern, want) => {
    expect(goGlob(pattern, FS)).toEqual({ ok: true, paths: want });
  });

  it.each(['r/[.yml', 'r/[].yml', 'r/a\\', 'r/[z-a].yml', '[*/x'])('refuses the malformed pattern %s', (pattern) => {
    expect(goGlob(pattern, FS)).toEqual({ ok: false, error: 'syntax error in pattern' });
  });

  it('never lets * or ? cross a separator', () => {
    expect(compilePattern('a*b')?.test('a/b')).toBe(false);
    expect(compilePattern('a?b')?.test('a/b')).toBe(false);
    expect(compilePattern('a[^x]b')?.test('a/b')).toBe(false);
    expect(compilePattern('a*b')?.test('a.x.b')).toBe(true);
  });
});
