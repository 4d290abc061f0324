import { describe, expect, it } from 'vitest';
import { floatToInt64, isGoIP, joinHostPort, parseGoDurationAllowNegative, parseGoFloat, splitHostPort } from './go-lib.js';

describe('parseGoFloat', () => {
  it.each([
    ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['-1e3', -1000], ['+Inf', Infinity], ['-infinity', -Infinity], ['NaN', NaN],
    ['0x1p-2', 0.25], ['0x1.8p1', 3], ['0x_1p4', 16],
  ])('%s', (s, want) => {
    expect(parseGoFloat(s)).toEqual({ ok: true, value: want });
  });

  it.each(['', 'one', '1_000', '0x10', '+nan', '1e', ' 1', '1 '])('rejects %j', (s) => {
    expect(parseGoFloat(s)).toEqual({ ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax` });
  });

  it('reports overflow as out of range', () => {
    expect(parseGoFloat('-1e309')).toEqual({ ok: false, error: 'strconv.ParseFloat: parsing "-1e309": value out of range' });
  });
});

describe('parseGoDurationAllowNegative', () => {
  it.each([
    ['0', 0n], ['1h2m10ms', 3_720_010_000_000n], ['-90s', -90_000_000_000n], ['1y1w1d', (365n + 8n) * 86_400_000_000_000n],
  ])('%s', (s, want) => {
    expect(parseGoDurationAllowNegative(s)).toEqual({ ok: true, value: want });
  });

  it.each([
    ['', 'empty duration string'], ['-', 'empty duration string'], ['1', 'not a valid duration string: "1"'],
    ['h', 'not a valid duration string: "h"'], ['1m1h', 'not a valid duration string: "1m1h"'],
    ['1s1s', 'not a valid duration string: "1s1s"'], ['1d1ns', 'unknown unit "ns" in duration "1d1ns"'],
    ['--1s', 'not a valid duration string: "-1s"'], ['293y', 'duration out of range'], ['9223372036854775808ms', 'duration out of range'],
  ])('rejects %j', (s, error) => {
    expect(parseGoDurationAllowNegative(s)).toEqual({ ok: false, error });
  });
});

describe('net helpers', () => {
  it.each([
    ['host:80', ['host', '80']], ['[::1]:80', ['::1', '80']], ['host:', ['host', '']], [':80', ['', '80']],
    ['host', undefined], ['a:b:c', undefined], ['[::1]', undefined], ['[::1]x:80', undefined], ['[a]:b]:1', undefined], ['a[:1', undefined],
  ])('splitHostPort %j', (hp, want) => {
    expect(splitHostPort(hp)).toEqual(want);
  });

  it('joinHostPort brackets IPv6 hosts', () => {
    expect(joinHostPort('::1', '80')).toBe('[::1]:80');
    expect(joinHostPort('web', '80')).toBe('web:80');
  });

  it.each([
    ['192.0.2.1', true], ['0.0.0.0', true], ['255.255.255.255', true], ['256.1.1.1', false], ['01.2.3.4', false], ['1.2.3', false],
    ['::', true], ['::1', true], ['2001:0DB8::1', true], ['1:2:3:4:5:6:7:8', true], ['1:2:3:4:5:6:7::', true], ['1:2:3:4:5:6:7:8::', false],
    ['::ffff:192.0.2.1', true], ['1:2:3:4:5:6:1.2.3.4', true], ['1::2::3', false], ['12345::', false], ['fe80::1%eth0', false],
    ['foo', false], ['', false],
  ])('isGoIP %j', (s, want) => {
    expect(isGoIP(s)).toBe(want);
  });
});

describe('floatToInt64', () => {
  it('truncates, and gives MinInt64 for NaN and out-of-range values as amd64 does', () => {
    expect(floatToInt64(1.9)).toBe(1n);
    expect(floatToInt64(-1.9)).toBe(-1n);
    expect(floatToInt64(NaN)).toBe(-(2n ** 63n));
    expect(floatToInt64(2 ** 63)).toBe(-(2n ** 63n));
    expect(floatToInt64(-(2 ** 63))).toBe(-(2n ** 63n));
  });
});
