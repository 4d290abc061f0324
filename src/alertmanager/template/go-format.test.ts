import { describe, expect, it } from 'vitest';
import { formatFloat, formatV, sprint, sprintf, sprintln, unquoteGo } from './go-format.js';
import { GoDuration, GoTime, loadZone } from './go-time.js';
import { GoMap, GoSlice, SafeContent, stringSlice } from './values.js';
import type { GoValue } from './values.js';

describe('fmt %v', () => {
  it.each<[GoValue, string]>([
    ['s', 's'], [5n, '5'], [-5n, '-5'], [1.5, '1.5'], [1e6, '1e+06'], [123456, '123456'], [1234567, '1.234567e+06'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [0, '0'], [-0, '-0'], [NaN, 'NaN'], [Infinity, '+Inf'], [-Infinity, '-Inf'],
    [true, 'true'], [null, '<nil>'], [undefined, '<no value>'], [stringSlice(['a', 'b']), '[a b]'],
    [new GoSlice('[]interface {}', [1n, 'x', null, 2.5]), '[1 x <nil> 2.5]'],
    [new GoMap('map[string]string', new Map([['b', '2'], ['a', '1']]), ''), 'map[a:1 b:2]'],
    [new SafeContent('HTML', '<b>'), '<b>'],
    [new GoDuration(5400000000000n), '1h30m0s'], [new GoDuration(1500000n), '1.5ms'], [new GoDuration(0n), '0s'], [new GoDuration(-61000000000n), '-1m1s'],
    [new GoDuration(999n), '999ns'], [new GoDuration(1001000n), '1.001ms'], [new GoDuration(2500n), '2.5µs'],
  ])('%s', (v, want) => {
    expect(formatV(v)).toBe(want);
  });
});

describe('fmt.Sprintf', () => {
  it.each<[string, GoValue[], string]>([
    ['%d|%5d|%-5d|%05d|%+d|% d', [42n, 42n, 42n, -42n, 42n, 42n], '42|   42|42   |-0042|+42| 42'],
    ['%x|%X|%#x|%o|%#o|%O|%b|%c|%U|%q', [255n, 255n, 255n, 8n, 8n, 8n, 5n, 65n, 0x1f600n, 97n], 'ff|FF|0xff|10|010|0o10|101|A|U+1F600|\'a\''],
    ['%f|%.2f|%8.3f|%-8.1f|%08.2f|%+.1f', [3.14159, 3.14159, 3.14159, 3.14159, -3.14159, 2.0], '3.141590|3.14|   3.142|3.1     |-0003.14|+2.0'],
    ['%.0f %.0f %.0f %.1f %.2f', [0.5, 1.5, 2.5, 0.25, 1.005], '0 2 2 0.2 1.00'],
    ['%e|%E|%.2e|%g|%G|%.3g|%.3g|%g|%.3g', [1234.5678, 1234.5678, 0.000123, 1e21, 1e-7, 1234.5678, 1000000.0, 100.0, 0.5], '1.234568e+03|1.234568E+03|1.23e-04|1e+21|1E-07|1.23e+03|1e+06|100|0.5'],
    ['%s|%10s|%-10s|%.2s|%q|%#q|%x|%X', ['héllo', 'hi', 'hi', 'héllo', 'a"b\n', 'ab', 'hi', 'hi'], 'héllo|        hi|hi        |hé|"a\\"b\\n"|`ab`|6869|6869'],
    ['%v %v %v %t', [true, 1.25, stringSlice(['x']), false], 'true 1.25 [x] false'],
    ['%d%%', [50n], '50%'],
    ['%*d|%-*d|%.*f', [5n, 1n, 5n, 1n, 2n, 3.14159], '    1|1    |3.14'],
    ['%s %d', ['only'], 'only %!d(MISSING)'],
    ['%d', [1n, 'extra', 2n], '1%!(EXTRA string=extra, int=2)'],
    ['%z', [1n], '%!z(int=1)'],
    ['%s|%d|%f|%t', [1n, 'x', 'y', 'z'], '%!s(int=1)|%!d(string=x)|%!f(string=y)|%!t(string=z)'],
    ['%d', [null], '%!d(<nil>)'],
    ['%v|%s', [null, undefined], '<nil>|<nil>'],
    ['%s', [new GoTime(Date.UTC(2024, 0, 1))], '2024-01-01 00:00:00 +0000 UTC'],
    ['%d', [stringSlice(['a'])], '[%!d(string=a)]'],
    ['%v', [new GoSlice('[]int', [1n, 2n])], '[1 2]'],
    ['%T %T %T %T %T', [1n, 'x', 1.5, true, null], 'int string float64 bool <nil>'],
    ['100%', [], '100%!(NOVERB)'],
  ])('%j', (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });
});

describe('Sprint and Sprintln', () => {
  it('adds spaces only between non-string operands', () => {
    expect(sprint([1n, 2n, 'a', 3n, 'b', 'c', true, false])).toBe('1 2a3bctrue false');
    expect(sprintln(['a', 'b', 1n])).toBe('a b 1\n');
    expect(sprint([])).toBe('');
  });
});

describe('strconv helpers', () => {
  it('formats floats as strconv does', () => {
    expect(formatFloat(1 / 3, 'g', -1)).toBe('0.3333333333333333');
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(1e22, 'f', -1)).toBe('10000000000000000000000');
    expect(formatFloat(123456789, 'e', 3)).toBe('1.235e+08');
  });
  it('unquotes Go literals', () => {
    expect(unquoteGo('"a\\tb\\u00e9\\x41"')).toBe('a\tbéA');
    expect(unquoteGo('`a\\n\r`')).toBe('a\\n');
    expect(unquoteGo('"bad\\q"')).toBeUndefined();
  });
});

describe('time.Time', () => {
  const t = new GoTime(Date.UTC(2024, 6, 4, 15, 4, 5, 120));
  it.each<[string, string]>([
    ['2006-01-02 15:04:05.999999999 -0700 MST', '2024-07-04 15:04:05.12 +0000 UTC'],
    ['Mon Jan _2 15:04:05 2006', 'Thu Jul  4 15:04:05 2024'],
    ['Monday, 02-Jan-06 03:04:05PM', 'Thursday, 04-Jul-24 03:04:05PM'],
    ['2006-01-02T15:04:05.000Z07:00', '2024-07-04T15:04:05.120Z'],
    ['15:04:05.000000 -07 Z0700 -07:00:00', '15:04:05.120000 +00 Z +00:00:00'],
    ['January 2, 2006 3:04 pm (002)', 'July 4, 2024 3:04 pm (186)'],
    ['Janet Monet', 'Janet Monet'],
    ['1/2/06 3.4.5', '7/4/24 3.4.5'],
  ])('%s', (layout, want) => {
    expect(t.format(layout)).toBe(want);
  });

  it('formats in a named zone', () => {
    const ny = loadZone('America/New_York');
    expect(ny).toBeDefined();
    const z = new GoTime(Date.UTC(2024, 6, 4, 15, 4, 5), ny);
    expect(z.toString()).toBe('2024-07-04 11:04:05 -0400 EDT');
    expect(z.format(time3339)).toBe('2024-07-04T11:04:05-04:00');
    const kolkata = new GoTime(Date.UTC(2024, 0, 1), loadZone('Asia/Kolkata'));
    expect(kolkata.format('-0700')).toBe('+0530');
  });

  it('prints the zero time as Go does', () => {
    expect(GoTime.fromMillis(0).toString()).toBe('0001-01-01 00:00:00 +0000 UTC');
  });
});

const time3339 = '2006-01-02T15:04:05Z07:00';
