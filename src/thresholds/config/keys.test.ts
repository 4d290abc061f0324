import { describe, expect, it } from 'vitest';
import { parseDimensions, parseStateValue, parseThresholdKey, parseThresholdValue, splitKey } from './keys.js';

describe('threshold keys', () => {
  it.each<[string, { component: string; metric: string }]>([
    ['mysql_connections', { component: 'mysql', metric: 'connections' }],
    ['redis_memory_used_bytes', { component: 'redis', metric: 'memory_used_bytes' }],
  ])('splits %s at the first underscore', (key, want) => {
    expect(splitKey(key)).toEqual(want);
  });

  it.each<[string, unknown]>([
    ['mysql_connections', { tierKey: 'mysql_connections', base: 'mysql_connections', critical: false, dims: [] }],
    ['mysql_connections_critical', { tierKey: 'mysql_connections_critical', base: 'mysql_connections', critical: true, dims: [] }],
    ['mysql_critical', { tierKey: 'mysql_critical', base: 'mysql_critical', critical: false, dims: [] }],
    ['q_len_critical{b="2", a = \'1\' ,}', { tierKey: 'q_len_critical', base: 'q_len', critical: true, dims: [['a', '1'], ['b', '2']] }],
    ['mysql', 'key "mysql" must be <component>_<metric> (letters, digits and underscores, starting with a letter)'],
    ['mysql_', 'key "mysql_" must be <component>_<metric> (letters, digits and underscores, starting with a letter)'],
    ['9a_b', 'key "9a_b" must be <component>_<metric> (letters, digits and underscores, starting with a letter)'],
    ['a_b{x="1"', 'key "a_b{x=\\"1\\"": dimensions must end with "}"'],
    ['a_b{x!="1"}', 'key "a_b{x!=\\"1\\"}": label "x": only equality (name="value") is supported'],
    ['a_b{x="1" y="2"}', 'key "a_b{x=\\"1\\" y=\\"2\\"}": expected "," after label "x"'],
    ['a_b{x=""}', 'key "a_b{x=\\"\\"}": label "x": the value is empty'],
    ['a_b{x="\\t"}', 'key "a_b{x=\\"\\\\t\\"}": label "x": unknown escape "\\t"'],
    ['a_b{x="1}', 'key "a_b{x=\\"1}": label "x": unterminated value'],
    ['a_b{__name__="x"}', 'key "a_b{__name__=\\"x\\"}": label "__name__" is reserved and cannot be a dimension'],
  ])('parses %s', (key, want) => {
    expect(parseThresholdKey(key)).toEqual(want);
  });

  it('unescapes dimension values', () => {
    expect(parseDimensions('{q="a\\"b\\\\c\\nd"}')).toEqual([['q', 'a"b\\c\nd']]);
  });
});

describe('threshold values', () => {
  it.each<[unknown, unknown]>([
    [80, { kind: 'value', value: 80 }],
    [-1.5, { kind: 'value', value: -1.5 }],
    [' 80 ', { kind: 'value', value: 80 }],
    ['1e3', { kind: 'value', value: 1000 }],
    ['.5', { kind: 'value', value: 0.5 }],
    ['+5', { kind: 'value', value: 5 }],
    ['80:critical', { kind: 'value', value: 80, severity: 'critical' }],
    ['80 : page-me', { kind: 'value', value: 80, severity: 'page-me' }],
    ['DISABLED', { kind: 'disable' }],
    ['off', { kind: 'disable' }],
    [false, { kind: 'disable' }],
    ['0x10', '"0x10" is not a number, "<number>:<severity>" or "disable"'],
    ['1e999', '"1e999" is not a finite number'],
    ['NaN', '"NaN" is not a number, "<number>:<severity>" or "disable"'],
    ['80:crit ical', '"80:crit ical": the severity after ":" must be a word such as critical'],
    [NaN, 'the value must be a finite number'],
    [null, 'the value is missing (a number, "80:critical" or "disable")'],
    [true, 'the value must be a number, "80:critical" or "disable"'],
  ])('parses %j', (raw, want) => {
    expect(parseThresholdValue(raw)).toEqual(want);
  });

  it.each<[unknown, boolean | string]>([
    ['enable', true],
    ['Enabled', true],
    [true, true],
    ['off', false],
    [false, false],
    ['yes', 'a state filter takes "enable" or "disable", not "yes"'],
    [1, 'a state filter takes "enable" or "disable", not 1'],
  ])('state value %j', (raw, want) => {
    expect(parseStateValue(raw)).toBe(want);
  });
});
