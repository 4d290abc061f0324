/**
 * Times and durations as the UI shows them: in the user's own time zone (the browser's), with the
 * zone named, and durations in Prometheus' units (`1h30m`).
 */

const UNITS: readonly [string, number][] = [
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** `1h30m`, `45s`, `0s`; negative durations get a leading minus. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = Math.floor(ms / 1000) * 1000;
  if (rest === 0) return ms > 0 ? `${Math.round(ms)}ms` : '0s';
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Parses `1h30m`, `2d`, `90s` (Prometheus' duration units, ms/s/m/h/d/w/y); undefined when invalid. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/y;
  const size: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  let total = 0;
  let at = 0;
  while (at < t.length) {
    re.lastIndex = at;
    const m = re.exec(t);
    if (!m) return undefined;
    total += Number(m[1]) * size[m[2]!]!;
    at = re.lastIndex;
  }
  return total;
}

/** `2026-11-22 14:05:09 CET` in the browser's zone (or `zone` when given). */
export function formatTime(iso: string | number, zone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const parts = new Intl.DateTimeFormat('en-CA', {
    ...(zone ? { timeZone: zone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZoneName: 'short',
  }).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
}

/** `5m ago`, `in 2h` relative to `now`. */
export function formatRelative(iso: string | number, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const d = t - now;
  const s = formatDuration(Math.abs(Math.round(d / 1000)) * 1000);
  return d <= 0 ? `${s} ago` : `in ${s}`;
}

/** The browser's time zone name (e.g. `Europe/Berlin`). */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
