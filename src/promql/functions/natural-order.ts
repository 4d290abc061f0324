/**
 * Orderings sort_by_label relies on: natural string order as facette/natsort does it at the
 * version Prometheus pins (2cd4dd1e: split into digit and non-digit chunks, digit chunks compared
 * as int64 when both parse, quirks included) and Prometheus' labels.Compare.
 */
import type { Labels } from '../../core/labels.js';
import { compareStrings, sortedNames } from '../../core/labels.js';

const CHUNK = /\d+|\D+/gu;
const INT64_MAX = 2n ** 63n - 1n;

function chunks(s: string): string[] {
  return s.match(CHUNK) ?? [];
}

/** strconv.Atoi of a digit chunk: its value, or undefined when it is not digits or overflows int64. */
function atoi(chunk: string): bigint | undefined {
  if (!/^[0-9]+$/.test(chunk)) return undefined;
  const v = BigInt(chunk);
  return v > INT64_MAX ? undefined : v;
}

/**
 * natsort.Compare(a, b): whether `a` sorts before `b`. Like upstream it answers true for two
 * strings whose chunks are all equal in value ("a1" and "a01" each precede the other), which
 * callers only reach for unequal strings.
 */
export function naturalLess(a: string, b: string): boolean {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < ca.length; i++) {
    if (i >= cb.length) return false;
    const sa = ca[i] as string;
    const sb = cb[i] as string;
    const ia = atoi(sa);
    const ib = atoi(sb);
    const bothNumeric = ia !== undefined && ib !== undefined;
    if (bothNumeric ? ia === ib : sa === sb) {
      if (i === ca.length - 1) return true;
      if (i === cb.length - 1) return false;
      continue;
    }
    return bothNumeric ? ia < ib : compareStrings(sa, sb) < 0;
  }
  return false;
}

/** Prometheus' labels.Compare: pairwise by sorted name, then value, then by count. */
export function compareLabels(a: Labels, b: Labels): number {
  const na = sortedNames(a);
  const nb = sortedNames(b);
  const n = Math.min(na.length, nb.length);
  for (let i = 0; i < n; i++) {
    const ka = na[i] as string;
    const kb = nb[i] as string;
    if (ka !== kb) return compareStrings(ka, kb);
    const c = compareStrings(a[ka] as string, b[kb] as string);
    if (c !== 0) return c;
  }
  return na.length - nb.length;
}
