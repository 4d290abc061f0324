import { fail, issue, ok } from './result.js';
import type { Result } from './result.js';

const UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a Prometheus duration (`1d2h30m`, `500ms`, `0`) into milliseconds.
 * Mirrors prometheus/common model.ParseDuration: units in descending order, each at most once.
 */
export function parseDuration(s: string): Result<number> {
  if (s === '0') return ok(0);
  const m = s === '' ? null : DURATION_RE.exec(s);
  if (!m) return fail([issue('invalid_duration', `not a valid duration string: ${JSON.stringify(s)}`)]);
  let total = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const g = m[i + 1];
    if (g !== undefined) total += Number(g) * (UNITS[i] as [string, number])[1];
  }
  if (!Number.isSafeInteger(total)) return fail([issue('invalid_duration', `duration out of range: ${JSON.stringify(s)}`)]);
  return ok(total);
}

/** Formats milliseconds as model.Duration.String(): `1d2h`, `5m`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let out = '';
  let rest = ms;
  for (const [unit, size] of UNITS) {
    // model.Duration prints weeks only when the value is a whole number of weeks.
    if ((unit === 'w' || unit === 'y') && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
