import { describe, expect, it } from 'vitest';
import { goTrimSpace, goUnquoteDouble, isGoSpace } from './go-strings.js';

describe('goUnquoteDouble (strconv.Unquote + UTF-8 check)', () => {
  it.each<[string, string | undefined]>([
    ['"abc"', 'abc'],
    ['""', ''],
    ['"\\101\\x42\\u0043"', 'ABC'],
    ['"\\u00e9\\U0001F642"', 'é🙂'],
    ['"\\a\\b\\f\\n\\r\\t\\v\\\\\\""', '\x07\b\f\n\r\t\v\\"'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\\'"', undefined],
    ['"\\400"', undefined],
    ['"\\12"', undefined],
    ['"\\x4"', undefined],
    ['"\\ud800"', undefined],
    ['"\\U00110000"', undefined],
    ['"\\xff"', undefined],
    ['"\\d"', undefined],
    ['"a\nb"', undefined],
    ['"a"b"', undefined],
    ['"abc', undefined],
    ['abc', undefined],
  ])('%j', (lit, want) => {
    expect(goUnquoteDouble(lit)).toBe(want);
  });
});

describe('Go spaces', () => {
  it.each<[number, boolean]>([[0x20, true], [0x09, true], [0x85, true], [0xa0, true], [0x3000, true], [0xfeff, false], [0x41, false]])(
    'U+%s',
    (cp, want) => {
      expect(isGoSpace(cp)).toBe(want);
    },
  );
  it('trims like strings.TrimSpace', () => {
    expect(goTrimSpace('\u00a0 a b\t\n')).toBe('a b');
  });
});
