import { describe, expect, it } from 'vitest';
import type { TemplateData } from '../../template-data.js';
import { encodeGo, GoStruct } from './request.js';
import { groupKeyHash, inlineSecret, tmpl, truncateInBytes, truncateInRunes } from './templating.js';
import { fixedTemplates, GROUP_KEY, GROUP_KEY_HASH } from './test-kit.js';

// Cases of Alertmanager's notify/util_test.go TestTruncate.
describe('truncation', () => {
  it.each([
    { in: '', n: 5, runes: '', bytes: '' },
    { in: 'abcde', n: 2, runes: 'ab', bytes: '..' },
    { in: 'abcde', n: 4, runes: 'abc…', bytes: 'a…' },
    { in: 'abcde', n: 5, runes: 'abcde', bytes: 'abcde' },
    { in: 'abcdefgh', n: 5, runes: 'abcd…', bytes: 'ab…' },
    { in: 'a⌘cde', n: 5, runes: 'a⌘cde', bytes: 'a…' },
    { in: 'a⌘cdef', n: 5, runes: 'a⌘cd…', bytes: 'a…' },
    { in: '世界cdef', n: 3, runes: '世界c', bytes: '…' },
    { in: '世界cdef', n: 0, runes: '', bytes: '' },
    { in: '😀😀😀😀😀', n: 4, runes: '😀😀😀…', bytes: '…' },
  ])('$in to $n', ({ in: s, n, runes, bytes }) => {
    expect(truncateInRunes(s, n)).toEqual({ text: runes, truncated: runes !== s });
    expect(truncateInBytes(s, n)).toEqual({ text: bytes, truncated: bytes !== s });
  });
});

describe('Tmpl', () => {
  const data = {} as TemplateData;
  it('keeps the first error and renders later fields as empty', () => {
    const t = tmpl(fixedTemplates({ '{{ a }}': 'A' }), data);
    expect(t.text('{{ a }}')).toBe('A');
    expect(t.error).toBeUndefined();
    expect(t.text('{{ fail }}')).toBe('');
    const first = t.error;
    expect(first).toContain('fail');
    expect(t.text('{{ a }}')).toBe('');
    expect(t.html('{{ other }}')).toBe('');
    expect(t.error).toBe(first);
  });
});

describe('helpers', () => {
  it('groupKeyHash is the sha256 hex of the key', () => {
    expect(groupKeyHash(GROUP_KEY)).toBe(GROUP_KEY_HASH);
    expect(groupKeyHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each([
    { s: { k: 'v' }, want: { value: 'v' } },
    { s: { k: '', k_file: '/x' }, want: { error: 'reading k_file is not supported' } },
    { s: { k_file: '/x' }, want: { error: 'reading k_file is not supported' } },
    { s: { k: 'v', k_file: '/x' }, want: { value: 'v' } },
    { s: { k: 42 }, want: { value: '42' } },
    { s: {}, want: { value: '' } },
  ])('inlineSecret %j', ({ s, want }) => {
    expect(inlineSecret(s, 'k')).toEqual(want);
  });

  const reader = {
    read(path: string): string {
      if (path === '/x') return 'from-file';
      throw new Error(`open ${path}: no such file or directory`);
    },
  };
  it.each([
    { s: { k: 'v', k_file: '/x' }, want: { value: 'v' } },
    { s: { k: '', k_file: '/x' }, want: { value: 'from-file' } },
    { s: { k_file: '/x' }, want: { value: 'from-file' } },
    { s: { k_file: '/nope' }, want: { error: 'read k_file: open /nope: no such file or directory' } },
    { s: {}, want: { value: '' } },
  ])('inlineSecret with a reader %j', ({ s, want }) => {
    expect(inlineSecret(s, 'k', reader)).toEqual(want);
  });

  it('encodeGo writes structs in order, maps sorted, Go escapes, trailing newline', () => {
    const v = new GoStruct({ z: 'a<b>&', skipped: undefined, m: { b: 1, a: [true, null], B: 1.5e-7, '10': 'x', '9': 'y' } });
    expect(encodeGo(v)).toBe('{"z":"a\\u003cb\\u003e\\u0026","m":{"10":"x","9":"y","B":1.5e-07,"a":[true,null],"b":1}}\n');
    expect(() => encodeGo({ x: Infinity })).toThrow('json: unsupported value: +Inf');
  });
});
