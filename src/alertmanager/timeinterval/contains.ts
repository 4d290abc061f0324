import type { Millis } from '../../core/alert.js';
import type { InclusiveRange, TimeInterval } from './types.js';

/** Wall-clock fields of an instant in a zone. */
interface LocalFields {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
  weekday: number;
}

// One formatter per zone: constructing Intl.DateTimeFormat is far costlier than using it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = {
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    };
    // 'Local' is the process' zone, as Go's time.Local.
    if (zone !== 'Local') opts.timeZone = zone;
    f = new Intl.DateTimeFormat('en-US', opts);
    formatters.set(zone, f);
  }
  return f;
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function localFields(t: Millis, zone: string | undefined): LocalFields {
  if (zone === undefined || zone === 'UTC' || zone === '') {
    const d = new Date(t);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const p of formatterFor(zone).formatToParts(t)) {
    switch (p.type) {
      case 'year': year = Number(p.value); break;
      case 'month': month = Number(p.value); break;
      case 'day': day = Number(p.value); break;
      case 'hour': hour = Number(p.value) % 24; break;
      case 'minute': minute = Number(p.value); break;
      default: break;
    }
  }
  return { year, month, day, minuteOfDay: hour * 60 + minute, weekday: weekdayOf(year, month, day) };
}

/** Calendar days in a month (Go's time.Date(y, m+1, 0, ...).Day()). */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function inRanges(ranges: readonly InclusiveRange[], v: number): boolean {
  for (const r of ranges) if (v >= r.begin && v <= r.end) return true;
  return false;
}

function clamp(n: number, min: number, max: number): number {
  return n <= min ? min : n >= max ? max : n;
}

function dayOfMonthMatches(ranges: readonly InclusiveRange[], f: LocalFields): boolean {
  const n = daysInMonth(f.year, f.month);
  for (const r of ranges) {
    let begin = r.begin < 0 ? n + r.begin + 1 : r.begin;
    let end = r.end < 0 ? n + r.end + 1 : r.end;
    // A begin past the month's end never matches (no clamping back into the month).
    if (begin > n) continue;
    begin = clamp(begin, -n, n);
    end = clamp(end, -n, n);
    if (f.day >= begin && f.day <= end) return true;
  }
  return false;
}

/**
 * True when `t` lies in the interval, evaluated in its location (UTC when absent).
 * Mirrors Alertmanager's TimeInterval.ContainsTime: a present but empty list matches nothing.
 */
export function intervalContains(ti: TimeInterval, t: Millis): boolean {
  const f = localFields(t, ti.location);
  if (ti.times) {
    let hit = false;
    for (const tr of ti.times) {
      if (f.minuteOfDay >= tr.startMinute && f.minuteOfDay < tr.endMinute) {
        hit = true;
        break;
      }
    }
    if (!hit) return false;
  }
  if (ti.daysOfMonth && !dayOfMonthMatches(ti.daysOfMonth, f)) return false;
  if (ti.months && !inRanges(ti.months, f.month)) return false;
  if (ti.weekdays && !inRanges(ti.weekdays, f.weekday)) return false;
  if (ti.years && !inRanges(ti.years, f.year)) return false;
  return true;
}

/** True when any interval of the list contains `t` (one named time interval's entries are OR-ed). */
export function anyIntervalContains(list: readonly TimeInterval[], t: Millis): boolean {
  for (const ti of list) if (intervalContains(ti, t)) return true;
  return false;
}
