import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { InclusiveRange, TimeInterval } from './types.js';

type Path = ReadonlyArray<string | number>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const WEEKDAYS: ReadonlyMap<string, number> = new Map(
  ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].map((d, i) => [d, i]),
);
const MONTH_NAMES = ['', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTHS: ReadonlyMap<string, number> = new Map(MONTH_NAMES.slice(1).map((m, i) => [m, i + 1]));
const KEYS = new Set(['times', 'weekdays', 'days_of_month', 'months', 'years', 'location']);
const TIME_KEYS = new Set(['start_time', 'end_time']);
const VALID_TIME = /^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const MAX_INT64 = 9223372036854775807n;

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const big = BigInt(s);
  if (big > MAX_INT64 || big < -MAX_INT64 - 1n) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return Number(big);
}

/** yaml.v2 decodes any scalar into a Go string field; mirror that for numbers and booleans. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

type Member = (s: string) => number | string;

/** Mirrors upstream's stringableRangeFromString: lower-cased, `a` or `a:b`. */
function parseRange(text: string, member: Member): InclusiveRange | string {
  const s = text.toLowerCase();
  const parts = s.split(':');
  if (parts.length > 2) return `couldn't parse range ${s}, invalid format`;
  const begin = member(parts[0] as string);
  if (typeof begin === 'string') return begin;
  const end = parts.length === 2 ? member(parts[1] as string) : begin;
  if (typeof end === 'string') return end;
  return { begin, end };
}

const weekdayMember: Member = (s) => WEEKDAYS.get(s) ?? `${s} is not a valid weekday`;
const monthMember: Member = (s) => {
  const n = MONTHS.get(s) ?? atoi(s);
  return typeof n === 'number' ? n : `${s} is not a valid month`;
};

function checkWeekday(r: InclusiveRange, text: string): string | undefined {
  if (r.begin > r.end) return 'start day cannot be before end day';
  if (r.begin < 0 || r.begin > 6 || r.end < 0 || r.end > 6) return `${text} is not a valid day of the week: out of range`;
  return undefined;
}

function checkDayOfMonth(r: InclusiveRange): string | undefined {
  for (const d of [r.begin, r.end]) {
    if (d === 0 || d < -31 || d > 31) return `${d} is not a valid day of the month: out of range`;
  }
  if (r.begin < 0 && r.end > 0) return 'end day must be negative if start day is negative';
  // Negative days are checked against the shortest month (28 days), as upstream does.
  const b = r.begin < 0 ? 28 + r.begin : r.begin;
  const e = r.end < 0 ? 28 + r.end : r.end;
  if (b > e) return `end day ${r.end} is always before start day ${r.begin}`;
  return undefined;
}

function checkMonth(r: InclusiveRange): string | undefined {
  if (r.begin > r.end) return `end month ${MONTH_NAMES[r.end] ?? ''} is before start month ${MONTH_NAMES[r.begin] ?? ''}`;
  return undefined;
}

function checkYear(r: InclusiveRange): string | undefined {
  return r.begin > r.end ? `end year ${r.end} is before start year ${r.begin}` : undefined;
}

function rangeList(
  raw: unknown,
  key: string,
  member: Member,
  check: (r: InclusiveRange, text: string) => string | undefined,
  issues: Issue[],
): InclusiveRange[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    issues.push(issue('invalid_type', `cannot unmarshal ${JSON.stringify(raw)} into a list`, { path: [key] }));
    return undefined;
  }
  const out: InclusiveRange[] = [];
  raw.forEach((item: unknown, i) => {
    const path: Path = [key, i];
    const text = scalarText(item);
    if (text === undefined) {
      issues.push(issue('invalid_type', `cannot unmarshal ${JSON.stringify(item)} into a string`, { path }));
      return;
    }
    const r = parseRange(text, member);
    const problem = typeof r === 'string' ? r : check(r, text);
    if (problem !== undefined) issues.push(issue('invalid_time_interval', problem, { path }));
    else if (typeof r !== 'string') out.push(r);
  });
  return out;
}

/** Minutes of the day for `HH:MM` (24:00 allowed as an end). */
function parseClock(s: string): number | string {
  if (!VALID_TIME.test(s)) return `couldn't parse timestamp ${s}, invalid format`;
  const [h, m] = s.split(':') as [string, string];
  return Number(h) * 60 + Number(m);
}

function timeRanges(raw: unknown, issues: Issue[]): Array<{ startMinute: number; endMinute: number }> | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    issues.push(issue('invalid_type', `cannot unmarshal ${JSON.stringify(raw)} into a list`, { path: ['times'] }));
    return undefined;
  }
  const out: Array<{ startMinute: number; endMinute: number }> = [];
  raw.forEach((item: unknown, i) => {
    const path: Path = ['times', i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push(issue('invalid_type', 'expected a mapping with start_time and end_time', { path }));
      return;
    }
    const obj = item as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (!TIME_KEYS.has(k)) issues.push(issue('unknown_field', `field ${k} not found in type timeinterval.yamlTimeRange`, { path: [...path, k] }));
    }
    const startText = scalarText(obj['start_time']) ?? '';
    const endText = scalarText(obj['end_time']) ?? '';
    if (startText === '' || endText === '') {
      issues.push(issue('invalid_time_interval', 'both start and end times must be provided', { path }));
      return;
    }
    const start = parseClock(startText);
    const end = parseClock(endText);
    if (typeof start === 'string') issues.push(issue('invalid_time_interval', start, { path: [...path, 'start_time'] }));
    if (typeof end === 'string') issues.push(issue('invalid_time_interval', end, { path: [...path, 'end_time'] }));
    if (typeof start === 'string' || typeof end === 'string') return;
    if (start >= end) {
      issues.push(issue('invalid_time_interval', 'start time cannot be equal or greater than end time', { path }));
      return;
    }
    out.push({ startMinute: start, endMinute: end });
  });
  return out;
}

/** True when Go's time.LoadLocation would accept the name (checked through Intl). */
export function isValidLocation(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  // Intl also takes offsets (`+05:00`), which Go does not.
  if (/^[+-]/.test(name)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // Go reads zoneinfo files, so the case must match; Intl folds case.
    return !(resolved.toLowerCase() === name.toLowerCase() && resolved !== name);
  } catch {
    return false;
  }
}

/**
 * Parses one entry of a `time_intervals[].time_intervals` list, as decoded from YAML.
 * Mirrors Alertmanager's timeinterval unmarshalling and its messages; reports every problem.
 */
export function parseTimeInterval(raw: unknown): Result<TimeInterval> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail([issue('invalid_type', 'a time interval must be a mapping', { path: [] })]);
  }
  const obj = raw as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const k of Object.keys(obj)) {
    if (!KEYS.has(k)) issues.push(issue('unknown_field', `field ${k} not found in type timeinterval.TimeInterval`, { path: [k] }));
  }
  const out: Mutable<TimeInterval> = {};
  const times = timeRanges(obj['times'], issues);
  if (times) out.times = times;
  const weekdays = rangeList(obj['weekdays'], 'weekdays', weekdayMember, checkWeekday, issues);
  if (weekdays) out.weekdays = weekdays;
  const days = rangeList(obj['days_of_month'], 'days_of_month', atoi, checkDayOfMonth, issues);
  if (days) out.daysOfMonth = days;
  const months = rangeList(obj['months'], 'months', monthMember, checkMonth, issues);
  if (months) out.months = months;
  const years = rangeList(obj['years'], 'years', atoi, checkYear, issues);
  if (years) out.years = years;
  const loc = obj['location'];
  if (loc !== undefined && loc !== null) {
    if (typeof loc !== 'string') {
      issues.push(issue('invalid_type', `cannot unmarshal ${JSON.stringify(loc)} into a string`, { path: ['location'] }));
    } else if (!isValidLocation(loc)) {
      issues.push(issue('invalid_time_interval', `unknown time zone ${loc}`, { path: ['location'] }));
    } else if (loc !== '' && loc !== 'UTC') {
      out.location = loc;
    }
  }
  return issues.length > 0 ? fail(issues) : ok(out);
}

/** Parses a whole `time_intervals` list; issue paths start with the entry index. */
export function parseTimeIntervals(raw: unknown): Result<TimeInterval[]> {
  if (raw === null || raw === undefined) return ok([]);
  if (!Array.isArray(raw)) return fail([issue('invalid_type', 'time_intervals must be a list', { path: [] })]);
  const issues: Issue[] = [];
  const out: TimeInterval[] = [];
  raw.forEach((item: unknown, i) => {
    const r = parseTimeInterval(item);
    if (r.ok) out.push(r.value);
    else for (const it of r.issues) issues.push({ ...it, path: [i, ...(it.path ?? [])] });
  });
  return issues.length > 0 ? fail(issues) : ok(out);
}
