import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { anyIntervalContains, intervalContains } from './contains.js';
import { parseTimeInterval, parseTimeIntervals } from './parse.js';
import type { TimeInterval } from './types.js';

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC822Z ("02 Jan 06 15:04 -0700") to epoch millis. */
function rfc822z(s: string): number {
  const m = /^(\d{1,2}) (\w{3}) (\d{2}) (\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  const yy = Number(m[3]);
  const year = yy >= 69 ? 1900 + yy : 2000 + yy;
  const offset = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
  return Date.UTC(year, MON.indexOf(m[2]!), Number(m[1]), Number(m[4]), Number(m[5])) - offset * 60_000;
}

const r = (begin: number, end: number) => ({ begin, end });

// Ported from timeinterval_test.go timeIntervalTestCases.
const CONTAINS: Array<[string, TimeInterval, string[], string[]]> = [
  ['empty', {}, ['02 Jan 06 15:04 +0000', '03 Jan 07 10:04 +0000', '04 Jan 06 09:04 +0000'], []],
  ['9-5 mon-fri', { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [r(1, 5)] },
    ['04 May 20 15:04 +0000', '05 May 20 10:04 +0000', '09 Jun 20 09:04 +0000'],
    ['03 May 20 15:04 +0000', '04 May 20 08:59 +0000', '05 May 20 05:00 +0000']],
  ['easter 2020', { daysOfMonth: [r(4, 6)], months: [r(4, 4)], years: [r(2020, 2020)] },
    ['04 Apr 20 15:04 +0000', '05 Apr 20 00:00 +0000', '06 Apr 20 23:05 +0000'],
    ['03 May 18 15:04 +0000', '03 Apr 20 23:59 +0000', '04 Jun 20 23:59 +0000', '06 Apr 19 23:59 +0000', '07 Apr 20 00:00 +0000']],
  ['last 3 days', { daysOfMonth: [r(-3, -1)] },
    ['31 Jan 20 15:04 +0000', '30 Jan 20 15:04 +0000', '29 Jan 20 15:04 +0000', '30 Jun 20 00:00 +0000', '29 Feb 20 23:05 +0000'],
    ['03 May 18 15:04 +0000', '27 Jan 20 15:04 +0000', '03 Apr 20 23:59 +0000', '04 Jun 20 23:59 +0000', '06 Apr 19 23:59 +0000', '07 Apr 20 00:00 +0000', '01 Mar 20 00:00 +0000']],
  ['clamped', { months: [r(6, 6)], daysOfMonth: [r(-31, 31)] },
    ['30 Jun 20 00:00 +0000', '01 Jun 20 00:00 +0000'], ['31 May 20 00:00 +0000', '1 Jul 20 00:00 +0000']],
  ['sydney 9-5', { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [r(1, 5)], location: 'Australia/Sydney' },
    ['06 Apr 21 13:00 +1000'], ['06 Apr 21 13:00 +0000']],
  ['sydney DST', { times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [r(1, 5)], months: [r(11, 11)], location: 'Australia/Sydney' },
    ['01 Nov 21 09:00 +1100', '31 Oct 21 22:00 +0000'], ['31 Oct 21 21:00 +0000']],
  ['new york last day', { daysOfMonth: [r(-1, -1)], location: 'America/New_York' },
    ['31 Mar 21 12:00 -0400'], ['30 Mar 21 12:00 -0400']],
  // Herald's own: New York across the November DST change, and empty present lists.
  ['new york 9-17 in EST', { times: [{ startMinute: 540, endMinute: 1020 }], location: 'America/New_York' },
    ['08 Nov 21 09:00 -0500', '07 Nov 21 16:59 -0500'], ['08 Nov 21 09:00 +0000', '08 Nov 21 17:00 -0500']],
  ['empty weekdays list', { weekdays: [] }, [], ['04 May 20 15:04 +0000']],
  ['begin past month end', { daysOfMonth: [r(30, 31)], months: [r(2, 2)] }, [], ['28 Feb 21 13:00 +0000', '29 Feb 20 13:00 +0000']],
];

describe('intervalContains', () => {
  it.each(CONTAINS)('%s', (_name, ti, inside, outside) => {
    expect(inside.map((s) => [s, intervalContains(ti, rfc822z(s))])).toEqual(inside.map((s) => [s, true]));
    expect(outside.map((s) => [s, intervalContains(ti, rfc822z(s))])).toEqual(outside.map((s) => [s, false]));
  });
});

// Ported from timeStringTestCases.
describe('times', () => {
  it.each<[string, string | undefined, { startMinute: number; endMinute: number } | string]>([
    ['00:00', '24:00', { startMinute: 0, endMinute: 1440 }],
    ['01:35', '17:39', { startMinute: 95, endMinute: 1059 }],
    ['09:35', '09:39', { startMinute: 575, endMinute: 579 }],
    ['17:31', '17:31', 'start time cannot be equal or greater than end time'],
    ['12:30', '24:01', "couldn't parse timestamp 24:01, invalid format"],
    ['09:30', '07:41', 'start time cannot be equal or greater than end time'],
    ['24:00', '17:41', 'start time cannot be equal or greater than end time'],
    ['14:03', undefined, 'both start and end times must be provided'],
  ])('%s-%s', (start, end, want) => {
    const raw = end === undefined ? { start_time: start } : { start_time: start, end_time: end };
    const res = parseTimeInterval({ times: [raw] });
    if (typeof want === 'string') expect(!res.ok && res.issues.map((i) => i.message)).toEqual([want]);
    else expect(res.ok && res.value.times).toEqual([want]);
  });
});

// Ported from yamlUnmarshalTestCases (each YAML document is a list of intervals).
const YAML_CASES: Array<[string, TimeInterval[] | string, string[], string[]]> = [
  ["- weekdays: ['monday:friday']\n  times:\n    - start_time: '09:00'\n      end_time: '17:00'",
    [{ weekdays: [r(1, 5)], times: [{ startMinute: 540, endMinute: 1020 }] }],
    ['08 Jul 20 09:00 +0000', '08 Jul 20 16:59 +0000', '01 Apr 21 13:00 +0000'], ['08 Jul 20 05:00 +0000', '08 Jul 20 08:59 +0000']],
  ["- weekdays: ['monday:friday', 'sunday']\n  months: ['january:march']\n  days_of_month: ['-7:-1']\n  years: ['2020:2025', '2030:2035']\n  times:\n    - start_time: '09:00'\n      end_time: '17:00'",
    [{ times: [{ startMinute: 540, endMinute: 1020 }], weekdays: [r(1, 5), r(0, 0)], daysOfMonth: [r(-7, -1)], months: [r(1, 3)], years: [r(2020, 2025), r(2030, 2035)] }],
    ['27 Jan 21 09:00 +0000', '28 Jan 21 16:59 +0000', '29 Jan 21 13:00 +0000', '31 Mar 25 13:00 +0000', '31 Jan 35 13:00 +0000'],
    ['30 Jan 21 13:00 +0000', '01 Apr 21 13:00 +0000', '30 Jan 26 13:00 +0000', '31 Jan 35 17:01 +0000']],
  ["- times:\n    - start_time: '01:99'\n      end_time: '23:59'", "couldn't parse timestamp 01:99, invalid format", [], []],
  ["- times:\n    - start_time: '00:00'\n      end_time: '99:99'", "couldn't parse timestamp 99:99, invalid format", [], []],
  ["- weekdays: ['friday:monday']", 'start day cannot be before end day', [], []],
  ["- weekdays: ['blurgsday:flurgsday']", 'blurgsday is not a valid weekday', [], []],
  ["- weekdays: ['1:3']", '1 is not a valid weekday', [], []],
  ["- weekdays: ['-2:-1']", '-2 is not a valid weekday', [], []],
  ["- days_of_month: ['0']", '0 is not a valid day of the month: out of range', [], []],
  ["- days_of_month: ['-50:-20']", '-50 is not a valid day of the month: out of range', [], []],
  ["- days_of_month: ['1:50']", '50 is not a valid day of the month: out of range', [], []],
  ["- days_of_month: ['1:-1']", [{ daysOfMonth: [r(1, -1)] }], [], []],
  ["- days_of_month: ['-15:5']", 'end day must be negative if start day is negative', [], []],
  ["- days_of_month: ['10:-25']", 'end day -25 is always before start day 10', [], []],
  ["- months: ['January:december']", [{ months: [r(1, 12)] }], [], []],
  ["- years: ['2020:2022']\n  location: 'Australia/Sydney'", [{ years: [r(2020, 2022)], location: 'Australia/Sydney' }], [], []],
  ["- months: ['martius:june']", 'martius is not a valid month', [], []],
  ["- months: ['march:junius']", 'junius is not a valid month', [], []],
  ["- months: ['december:january']", 'end month january is before start month december', [], []],
  ["- years: ['2022:2020']", 'end year 2020 is before start year 2022', [], []],
  // Herald's own bad inputs.
  ["- weekdays: ['Fooday']", 'fooday is not a valid weekday', [], []],
  ["- weekdays: ['monday:tuesday:friday']", "couldn't parse range monday:tuesday:friday, invalid format", [], []],
  ["- days_of_month: ['x']", 'strconv.Atoi: parsing "x": invalid syntax', [], []],
  ['- location: Mars/Olympus', 'unknown time zone Mars/Olympus', [], []],
  ['- location: australia/sydney', 'unknown time zone australia/sydney', [], []],
  ['- location: "+05:00"', 'unknown time zone +05:00', [], []],
  ['- weekdays: monday', 'cannot unmarshal "monday" into a list', [], []],
  ['- wekdays: [monday]', 'field wekdays not found in type timeinterval.TimeInterval', [], []],
  ["- times: [{start_time: '01:00', end_time: '02:00', end: x}]", 'field end not found in type timeinterval.yamlTimeRange', [], []],
  ['- days_of_month: [1, 10]\n  location: Local', [{ daysOfMonth: [r(1, 1), r(10, 10)], location: 'Local' }], [], []],
  ['- location: UTC\n  weekdays: null', [{}], [], []],
];

describe('parseTimeIntervals (yaml)', () => {
  it.each(YAML_CASES)('%j', (doc, want, inside, outside) => {
    const res = parseTimeIntervals(parseYaml(doc));
    if (typeof want === 'string') {
      expect(!res.ok && res.issues.map((i) => i.message)).toEqual([want]);
      return;
    }
    expect(res.ok ? res.value : res.issues).toEqual(want);
    if (!res.ok) return;
    for (const s of inside) expect([s, anyIntervalContains(res.value, rfc822z(s))]).toEqual([s, true]);
    for (const s of outside) expect([s, anyIntervalContains(res.value, rfc822z(s))]).toEqual([s, false]);
  });

  it('reports every problem with its path', () => {
    const res = parseTimeInterval({ weekdays: ['monday', 'fooday'], months: ['13:1'], times: [{ start_time: '9:00', end_time: '10:00' }], bogus: 1 });
    expect(!res.ok && res.issues.map((i) => [i.path, i.message])).toEqual([
      [['bogus'], 'field bogus not found in type timeinterval.TimeInterval'],
      [['times', 0, 'start_time'], "couldn't parse timestamp 9:00, invalid format"],
      [['weekdays', 1], 'fooday is not a valid weekday'],
      [['months', 0], 'end month january is before start month '],
    ]);
  });

  it('prefixes list paths with the entry index', () => {
    const res = parseTimeIntervals([{ years: ['2020'] }, { years: ['x:2020'] }]);
    expect(!res.ok && res.issues[0]?.path).toEqual([1, 'years', 0]);
  });
});

// Ported from completeTestCases.
describe('complete', () => {
  it.each<[string, string[], string[]]>([
    ["weekdays: ['monday:wednesday', 'saturday', 'sunday']\ntimes:\n  - start_time: '13:00'\n    end_time: '15:00'\ndays_of_month: ['1', '10', '20:-1']\nyears: ['2020:2023']\nmonths: ['january:march']",
      ['10 Jan 21 13:00 +0000', '30 Jan 21 14:24 +0000'], ['09 Jan 21 13:00 +0000', '20 Jan 21 12:59 +0000', '02 Feb 21 13:00 +0000']],
    ["days_of_month: ['30:31']\nyears: ['2020:2023']\nmonths: ['february']", [], ['28 Feb 21 13:00 +0000']],
  ])('%j', (doc, inside, outside) => {
    const res = parseTimeInterval(parseYaml(doc));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    for (const s of inside) expect([s, intervalContains(res.value, rfc822z(s))]).toEqual([s, true]);
    for (const s of outside) expect([s, intervalContains(res.value, rfc822z(s))]).toEqual([s, false]);
  });
});

// Ported from TestIntervener_Mutes: evenings and weekends in Sydney.
describe('sydney evenings and weekends', () => {
  const evenings: TimeInterval = { times: [{ startMinute: 0, endMinute: 540 }, { startMinute: 1020, endMinute: 1440 }], location: 'Australia/Sydney' };
  const weekends: TimeInterval = { weekdays: [r(6, 6), r(0, 0)], location: 'Australia/Sydney' };
  it.each<[string, number, [boolean, boolean]]>([
    ['2024-01-01 00:00 Sydney', Date.UTC(2023, 11, 31, 13), [true, false]],
    ['2024-01-01 09:00 Sydney', Date.UTC(2023, 11, 31, 22), [false, false]],
    ['2024-01-06 10:00 Sydney', Date.UTC(2024, 0, 5, 23), [false, true]],
    ['2024-01-06 17:00 Sydney', Date.UTC(2024, 0, 6, 6), [true, true]],
    ['2024-01-01 10:00 UTC', Date.UTC(2024, 0, 1, 10), [true, false]],
    ['2024-01-06 10:00 UTC', Date.UTC(2024, 0, 6, 10), [true, true]],
  ])('%s', (_n, t, want) => {
    expect([intervalContains(evenings, t), intervalContains(weekends, t)]).toEqual(want);
  });
});
