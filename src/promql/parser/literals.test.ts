import { describe, expect, it } from 'vitest';
import { decodeBytes, parseNumber, unquoteString } from './literals.js';

describe('parseNumber (Go ParseInt base 0, then ParseFloat)', () => {
  it.each([
    ['1', 1],
    ['0x1f', 31],
    ['0X1F', 31],
    ['017', 15],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['Inf', Infinity],
    ['+inf', Infinity],
    ['-Inf', -Infinity],
    ['infinity', Infinity],
    ['0x1p-2', 0.25],
    ['9223372036854775807', 2 ** 63],
    ['99999999999999999999', 1e20],
  ])('%s', (s, v) => {
    expect(parseNumber(s)).toEqual({ ok: true, value: v });
  });
  it('parses NaN', () => {
    const r = parseNumber('NaN');
    expect(r.ok && Number.isNaN(r.value)).toBe(true);
  });
  it.each([
    ['1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
    ['1__0', 'strconv.ParseFloat: parsing "1__0": invalid syntax'],
    ['abc', 'strconv.ParseFloat: parsing "abc": invalid syntax'],
    ['', 'strconv.ParseFloat: parsing "": invalid syntax'],
  ])('rejects %s', (s, error) => {
    expect(parseNumber(s)).toEqual({ ok: false, error });
  });
});

describe('unquoteString', () => {
  it.each([
    ['"a\\tb"', 'a\tb'],
    ["'it\\'s'", "it's"],
    ["'two words'", 'two words'],
    ['"\\"q\\""', '"q"'],
    ['`raw\\n`', 'raw\\n'],
    ['"\\u263a\\U0001F600"', '☺😀'],
    ['"\\101\\x42"', 'AB'],
    ['"\\a\\b\\f\\v\\\\"', '\x07\b\f\v\\'],
  ])('%s', (raw, v) => {
    expect(unquoteString(raw)).toEqual({ ok: true, value: v });
  });
  it.each(['"\\\'"', "'\\\"'", '"\\q"', '"\\x4"', '"\\ud800"', '"abc', '"a\nb"'])('rejects %s', (raw) => {
    expect(unquoteString(raw).ok).toBe(false);
  });
});

describe('decodeBytes', () => {
  it.each([
    [[0x61], 'a'],
    [[0xc3, 0xa9], 'é'],
    [[0xe2, 0x98, 0xba], '☺'],
    [[0xf0, 0x9f, 0x98, 0x80], '😀'],
    [[0xc5], '\udcc5'],
    [[0xc3, 0x41], '\udcc3A'],
    [[0xe0, 0x80, 0x80], '\udce0\udc80\udc80'],
  ])('%j', (bytes, s) => {
    expect(decodeBytes(bytes)).toBe(s);
  });
});
