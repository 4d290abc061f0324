import { chmodSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretFileReader } from './secret-files.js';

describe('createSecretFileReader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it.each([
    ['plain', 'abc', 'abc'],
    ['trailing newline', 'abc\n', 'abc'],
    ['surrounding whitespace', ' \t abc \r\n', 'abc'],
    ['inner whitespace kept', 'a b\nc\n', 'a b\nc'],
    ['empty', '', ''],
  ])('trims %s (strings.TrimSpace)', (name, content, want) => {
    expect(createSecretFileReader().read(file(name.replace(/ /g, '-'), content))).toBe(want);
  });

  it('fails with a Go-like message for a missing file', () => {
    const p = join(dir, 'missing');
    expect(() => createSecretFileReader().read(p)).toThrow(`open ${p}: no such file or directory`);
  });

  it('fails for a directory and for an empty path', () => {
    expect(() => createSecretFileReader().read(dir)).toThrow(`read ${dir}: is a directory`);
    expect(() => createSecretFileReader().read('')).toThrow('open : no such file or directory');
  });

  it.skipIf(process.getuid?.() === 0)('fails for an unreadable file', () => {
    const p = file('locked', 'x');
    chmodSync(p, 0o000);
    expect(() => createSecretFileReader().read(p)).toThrow(`open ${p}: permission denied`);
  });

  it('picks up a rotated file (new mtime or size) and forgets a deleted one', () => {
    const r = createSecretFileReader();
    const p = file('rotating', 'one');
    expect(r.read(p)).toBe('one');
    writeFileSync(p, 'two');
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    expect(r.read(p)).toBe('two');
    writeFileSync(p, 'three!');
    expect(r.read(p)).toBe('three!'); // same mtime possible, size changed
    rmSync(p);
    expect(() => r.read(p)).toThrow('no such file or directory');
  });

  it('bounds its cache', () => {
    const r = createSecretFileReader({ maxEntries: 2 });
    const ps = ['c1', 'c2', 'c3'].map((n) => file(n, n));
    for (const p of ps) expect(r.read(p)).toBe(p.slice(-2));
    expect(r.read(ps[0] ?? '')).toBe('c1');
  });
});
