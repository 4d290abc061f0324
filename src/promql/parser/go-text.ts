/**
 * Texts worded the way Go prints them: regexp/syntax errors (RE2's wording mapped to Go's), `%f`
 * of a float, and the UTF-8 validity of a name.
 */
import RE2 from 're2';
import { goQuote } from '../../core/labels.js';

const RE2_TO_GO: ReadonlyArray<[RegExp, string]> = [
  [/^missing \)$/, 'missing closing )'],
  [/^unexpected \)$/, 'unexpected )'],
  [/^missing \]$/, 'missing closing ]'],
  [/^bad repetition operator$/, 'invalid nested repetition operator'],
  [/^no argument for repetition operator$/, 'missing argument to repetition operator'],
  [/^invalid repetition size$/, 'invalid repeat count'],
  [/^invalid named capture group$/, 'invalid named capture'],
  [/^trailing \\$/, 'trailing backslash at end of expression'],
  [/^invalid perl operator$/, 'invalid or unsupported Perl syntax'],
  [/^invalid escape sequence$/, 'invalid escape sequence'],
];

/**
 * Upstream parses the raw regex (syntax.Parse) before wrapping it, so its errors quote the raw
 * text: `error parsing regexp: missing closing ): \`(\``. RE2's wording is mapped to Go's.
 */
export function regexError(value: string, fallback: string): string {
  let detail: string;
  try {
    new RE2(value, 'u');
    return fallback;
  } catch (e) {
    detail = e instanceof Error ? e.message : String(e);
  }
  const colon = detail.indexOf(': ');
  let code = colon < 0 ? detail : detail.slice(0, colon);
  const frag = colon < 0 ? '' : detail.slice(colon + 2);
  for (const [re, go] of RE2_TO_GO) if (re.test(code)) code = go;
  return `error parsing regexp: ${code}: \`${frag}\``;
}

/** False when the text holds a lone surrogate (an invalid UTF-8 byte kept by the parser). */
export function isValidUtf8Name(s: string): boolean {
  return !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
}

/** Go's %f: six decimals. */
export function goFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}

/**
 * strconv.Quote. Invalid UTF-8 bytes, kept by the parser as lone surrogates U+DC80..U+DCFF, come
 * back as `\xNN`.
 */
export function quoteString(s: string): string {
  if (!/[\udc80-\udcff]/.test(s)) return goQuote(s);
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && c >= 0xdc80 && c <= 0xdcff ? `\\x${(c - 0xdc00).toString(16)}` : goQuote(ch).slice(1, -1);
  }
  return `"${out}"`;
}

const DURATION_UNITS: ReadonlyArray<readonly [string, number, boolean]> = [
  ['y', 365 * 24 * 3600_000, true],
  ['w', 7 * 24 * 3600_000, true],
  ['d', 24 * 3600_000, false],
  ['h', 3600_000, false],
  ['m', 60_000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/** model.Duration.String(): `1h30m`, `0s`, `-5m`; years and weeks only when they divide exactly. */
export function formatModelDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const [unit, size, exact] of DURATION_UNITS) {
    if (exact && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
