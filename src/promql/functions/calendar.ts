/**
 * UTC calendar fields of a Unix time in seconds, as Go's time.Unix(int64(v), 0).UTC() yields
 * them: the value is truncated toward zero, and NaN or values beyond int64 become -2^63 (what
 * the float-to-int conversion gives on amd64). BigInt keeps the whole int64 range exact.
 */

const INT64_MIN = -(2n ** 63n);
const TWO_63 = 2 ** 63;

/** A calendar breakdown of one instant. */
export interface CivilTime {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
  /** 1-366. */
  readonly dayOfYear: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

function goInt64(v: number): bigint {
  if (Number.isNaN(v) || v >= TWO_63 || v < -TWO_63) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && a < 0n !== b < 0n) ? q - 1n : q;
}

/** Whether `year` is a Gregorian leap year. */
export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in a month (1-12) of a year. */
export function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN[month - 1] as number);
}

/** Breaks a Unix time in seconds into UTC calendar fields (proleptic Gregorian). */
export function civilTime(unixSeconds: number): CivilTime {
  const sec = goInt64(unixSeconds);
  const days = floorDiv(sec, 86400n);
  const secOfDay = Number(sec - days * 86400n);
  // Days to civil date (H. Hinnant's algorithm), shifted so eras start on March 1st.
  const z = days + 719468n;
  const era = floorDiv(z, 146097n);
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  const year = Number(yoe + era * 400n + (month <= 2 ? 1n : 0n));
  const dayOfYear = (DAYS_BEFORE[month - 1] as number) + day + (month > 2 && isLeap(year) ? 1 : 0);
  const weekday = Number(((days + 4n) % 7n + 7n) % 7n);
  return { year, month, day, dayOfYear, weekday, hour: Math.floor(secOfDay / 3600), minute: Math.floor((secOfDay % 3600) / 60) };
}
