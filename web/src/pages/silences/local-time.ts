/**
 * Wall-clock times in a named time zone, as the silence editor's `datetime-local` inputs hold
 * them (`2026-11-22T14:05:09`). The browser would read such a value in its own zone only; doing
 * the conversion here, with the zone passed in, keeps the editor testable and lets it say which
 * zone the times are in.
 */

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    FORMATTERS.set(zone, f);
  }
  return f;
}

function partsAt(ms: number, zone: string): Parts {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

function utcOf(p: Parts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** How far `zone` is ahead of UTC at the instant `ms` (in ms; +3600000 for CET). */
export function zoneOffset(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return utcOf(partsAt(whole, zone)) - whole;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:mm:ss` of the instant `ms` on the clocks of `zone`. */
export function toLocalInput(ms: number, zone: string): string {
  const p = partsAt(ms, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * The instant a wall-clock time in `zone` names; undefined when `s` is not such a time. A time
 * that a daylight-saving jump skips resolves to the instant after the jump; a repeated one to
 * one of its two instants.
 */
export function fromLocalInput(s: string, zone: string): number | undefined {
  const m = LOCAL_RE.exec(s.trim());
  if (!m) return undefined;
  const p: Parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? '0') };
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.hour > 23 || p.minute > 59 || p.second > 59) return undefined;
  const wall = utcOf(p);
  // Date.UTC rolls 31 February over into March: such a day does not exist.
  if (new Date(wall).getUTCDate() !== p.day) return undefined;
  const first = wall - zoneOffset(wall, zone);
  const second = wall - zoneOffset(first, zone);
  if (utcOf(partsAt(first, zone)) === wall) return first;
  if (utcOf(partsAt(second, zone)) === wall) return second;
  return Math.max(first, second);
}

/** The zone's short name at `ms` (`CET`, `GMT+2`, `UTC`). */
export function zoneAbbreviation(ms: number, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }).formatToParts(new Date(ms));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}
