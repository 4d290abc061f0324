/**
 * Prometheus' number formatting template functions: humanize, humanize1024, humanizeDuration,
 * humanizePercentage, humanizeTimestamp, toTime, toDuration (template/template.go and
 * prometheus/common helpers/templates/time.go). Inputs go through ConvertToFloat; Go's `%.4g`
 * comes from the template engine's fmt port.
 */
import { FuncError } from '../../alertmanager/template/exec.js';
import { formatFloatV, sprintf } from '../../alertmanager/template/go-format.js';
import { GoDuration, GoTime } from '../../alertmanager/template/go-time.js';
import { typeName } from '../../alertmanager/template/values.js';
import type { GoValue } from '../../alertmanager/template/values.js';
import { floatToInt64, parseGoFloat } from './go-lib.js';

const g4 = (v: number, suffix = ''): string => sprintf('%.4g', [v]) + suffix;
const SMALL_PREFIXES = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

/** helpers/templates ConvertToFloat: float, numeric string, int, duration (seconds). */
export function convertToFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const r = parseGoFloat(v);
    if (!r.ok) throw new FuncError(r.error);
    return r.value;
  }
  if (v instanceof GoDuration) return Number(v.nanos) / 1e9;
  throw new FuncError(`can't convert ${typeName(v)} to float`);
}

/** Multiplies |v| < 1 up by 1000s, naming the SI prefix reached. */
function scaleUp(v: number): [number, string] {
  let prefix = '';
  for (const p of SMALL_PREFIXES) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return [v, prefix];
}

/** Divides |v| >= base down through `prefixes`. */
function scaleDown(v: number, base: number, prefixes: readonly string[]): [number, string] {
  let prefix = '';
  for (const p of prefixes) {
    if (Math.abs(v) < base) break;
    prefix = p;
    v /= base;
  }
  return [v, prefix];
}

export function humanize(input: GoValue): string {
  const v = convertToFloat(input);
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  const [x, prefix] = Math.abs(v) >= 1 ? scaleDown(v, 1000, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) : scaleUp(v);
  return g4(x, prefix);
}

export function humanize1024(input: GoValue): string {
  const v = convertToFloat(input);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  const [x, prefix] = scaleDown(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']);
  return g4(x, prefix);
}

export function humanizeDuration(input: GoValue): string {
  let v = convertToFloat(input);
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return g4(v, 's');
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    v = Math.abs(v);
    const total = floatToInt64(v);
    const seconds = total % 60n;
    const minutes = (total / 60n) % 60n;
    const hours = (total / 3600n) % 24n;
    const days = total / 86400n;
    if (days !== 0n) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0n) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0n) return `${sign}${minutes}m ${seconds}s`;
    return sign + g4(v, 's');
  }
  const [x, prefix] = scaleUp(v);
  return g4(x, prefix + 's');
}

export function humanizePercentage(input: GoValue): string {
  return g4(convertToFloat(input) * 100, '%');
}

/**
 * FloatToTime: seconds -> time at millisecond precision (model.TimeFromUnixNano truncates), UTC;
 * undefined for NaN/Inf. Throws Go's overflow error.
 */
export function floatToTime(v: number): GoTime | undefined {
  if (!Number.isFinite(v)) return undefined;
  const ns = v * 1e9;
  if (ns > 2 ** 63 || ns < -(2 ** 63)) {
    throw new FuncError(`${formatFloatV(v)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  }
  // int64 nanoseconds, then integer division (towards zero) to model.Time milliseconds.
  const ms = floatToInt64(ns) / 1_000_000n;
  return new GoTime(Number(ms));
}

export function humanizeTimestamp(input: GoValue): string {
  const v = convertToFloat(input);
  const t = floatToTime(v);
  return t === undefined ? g4(v) : t.toString();
}

/** toTime: a time.Time; NaN/Inf are an error here (unlike humanizeTimestamp). */
export function toTime(input: GoValue): GoTime {
  const t = floatToTime(convertToFloat(input));
  if (t === undefined) throw new FuncError('value is NaN or Inf');
  return t;
}

/** toDuration: seconds -> time.Duration (float64 -> int64 nanoseconds, truncating). */
export function toDuration(input: GoValue): GoDuration {
  return new GoDuration(floatToInt64(convertToFloat(input) * 1e9));
}
