/**
 * The few Go standard-library behaviours Prometheus' template functions rest on, with Go's error
 * texts: strconv.ParseFloat, prometheus/common model.ParseDurationAllowNegative (in nanoseconds),
 * net.SplitHostPort / JoinHostPort / ParseIP, and the amd64 float64 -> int64 conversion.
 */
import { goQuote } from '../../core/labels.js';

/** A parse result: the value, or Go's error text. */
export type GoParsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)\.?((?:[0-9a-fA-F]_?)*)[pP]([+-]?\d+)$/;

/** strconv.ParseFloat(s, 64): decimal, hex with a p exponent, inf/infinity (signed), nan. */
export function parseGoFloat(s: string): GoParsed<number> {
  const syntax = { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax` } as const;
  const range = { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: value out of range` } as const;
  if (/^nan$/i.test(s)) return { ok: true, value: NaN };
  if (/^[+-]?(?:inf|infinity)$/i.test(s)) return { ok: true, value: s.startsWith('-') ? -Infinity : Infinity };
  let v: number;
  if (DECIMAL.test(s)) {
    v = Number(s);
  } else {
    const m = HEX.exec(s);
    if (m === null) return syntax;
    const int = (m[2] ?? '').replace(/_/g, '');
    const frac = (m[3] ?? '').replace(/_/g, '');
    if (int === '' && frac === '') return syntax;
    v = Number(BigInt('0x' + int + frac)) * 2 ** (Number(m[4]) - 4 * frac.length);
    if (m[1] === '-') v = -v;
  }
  return Number.isFinite(v) ? { ok: true, value: v } : range;
}

const NANOS: Readonly<Record<string, readonly [number, bigint]>> = {
  ms: [7, 1_000_000n],
  s: [6, 1_000_000_000n],
  m: [5, 60_000_000_000n],
  h: [4, 3_600_000_000_000n],
  d: [3, 86_400_000_000_000n],
  w: [2, 604_800_000_000_000n],
  y: [1, 31_536_000_000_000_000n],
};
const MAX_INT64 = (1n << 63n) - 1n;

/** model.ParseDuration in nanoseconds: units biggest first, each once, no sign, `0` alone allowed. */
function parseGoDurationNanos(orig: string): GoParsed<bigint> {
  if (orig === '0') return { ok: true, value: 0n };
  if (orig === '') return { ok: false, error: 'empty duration string' };
  const invalid = { ok: false, error: `not a valid duration string: ${goQuote(orig)}` } as const;
  let rest = orig;
  let total = 0n;
  let lastPos = 0;
  while (rest !== '') {
    const num = /^\d+/.exec(rest)?.[0];
    if (num === undefined) return invalid;
    rest = rest.slice(num.length);
    const unit = /^\D+/.exec(rest)?.[0];
    if (unit === undefined) return invalid;
    rest = rest.slice(unit.length);
    const u = NANOS[unit];
    if (u === undefined) return { ok: false, error: `unknown unit ${goQuote(unit)} in duration ${goQuote(orig)}` };
    if (u[0] <= lastPos) return invalid;
    lastPos = u[0];
    const v = BigInt(num);
    if (v > (1n << 63n) / u[1]) return { ok: false, error: 'duration out of range' };
    total += v * u[1];
    if (total > MAX_INT64) return { ok: false, error: 'duration out of range' };
  }
  return { ok: true, value: total };
}

/** model.ParseDurationAllowNegative, in nanoseconds. */
export function parseGoDurationAllowNegative(s: string): GoParsed<bigint> {
  if (!s.startsWith('-')) return parseGoDurationNanos(s);
  const r = parseGoDurationNanos(s.slice(1));
  return r.ok ? { ok: true, value: -r.value } : r;
}

/** Go's float64 -> int64 conversion as amd64 does it: truncation; NaN and out-of-range give MinInt64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(f));
}

/** net.SplitHostPort: [host, port], or undefined where Go returns an error. */
export function splitHostPort(hostport: string): readonly [string, string] | undefined {
  const i = hostport.lastIndexOf(':');
  if (i < 0) return undefined;
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== i) return undefined;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return undefined;
  }
  if (hostport.slice(j).includes('[') || hostport.slice(k).includes(']')) return undefined;
  return [host, hostport.slice(i + 1)];
}

/** net.JoinHostPort. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const IPV4_FIELD = /^(?:0|[1-9]\d{0,2})$/;

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_FIELD.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | undefined => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return false;
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIPv4(last)) return false;
    all.pop();
    count += 1; // an embedded IPv4 address fills two groups
  }
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count < 8 : count === 8;
}

/** net.ParseIP(s) != nil: dotted IPv4 (no leading zeros) or IPv6 without a zone. */
export function isGoIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}
