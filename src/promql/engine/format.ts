/**
 * Go number formatting the engine's texts depend on: strconv.FormatFloat(f, 'f', -1, 64) for
 * count_values labels and %g / %v for annotation and error texts.
 */

import { goQuote } from '../../core/labels.js';

function shortestDigits(x: number): { digits: string; exp: number } {
  // toExponential() without an argument gives the shortest round-trip digits, like Go's -1 precision.
  const [mant = '0', e = '0'] = Math.abs(x).toExponential().split('e');
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

function special(x: number, plusInf: string): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return plusInf;
  if (x === -Infinity) return '-Inf';
  return undefined;
}

/** strconv.FormatFloat(x, 'f', -1, 64): shortest digits, never an exponent. */
export function formatFloatF(x: number): string {
  const s = special(x, '+Inf');
  if (s !== undefined) return s;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(x);
  const sign = x < 0 ? '-' : '';
  const pointPos = exp + 1;
  if (pointPos <= 0) return `${sign}0.${'0'.repeat(-pointPos)}${digits}`;
  if (pointPos >= digits.length) return sign + digits + '0'.repeat(pointPos - digits.length);
  return `${sign}${digits.slice(0, pointPos)}.${digits.slice(pointPos)}`;
}

/** Go's shortest %g (threshold 21 gives %v's float formatting). */
export function formatGoG(x: number, threshold = 6): string {
  const s = special(x, '+Inf');
  if (s !== undefined) return s;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(x);
  if (exp < -4 || exp >= threshold) {
    const sign = x < 0 ? '-' : '';
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = exp < 0 ? '-' : '+';
    const ea = Math.abs(exp);
    return `${sign}${mant}e${es}${ea < 10 ? '0' : ''}${ea}`;
  }
  return formatFloatF(x);
}

/**
 * strconv.Quote for strings from the parser, which keeps bytes of invalid UTF-8 as lone
 * surrogates U+DC80..U+DCFF ("surrogateescape"): those print as `\xNN`, as Go prints the byte.
 */
export function quoteGoBytes(s: string): string {
  let out = '';
  let seg = '';
  const flush = (): void => {
    if (seg !== '') out += goQuote(seg).slice(1, -1);
    seg = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lone = c >= 0xdc80 && c <= 0xdcff && !(i > 0 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800);
    if (lone) {
      flush();
      out += '\\x' + (c - 0xdc00).toString(16).padStart(2, '0');
    } else {
      seg += s[i] as string;
    }
  }
  flush();
  return `"${out}"`;
}
