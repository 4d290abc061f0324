/**
 * Literal values of PromQL: numbers (Go strconv semantics), durations (model.ParseDuration) and
 * quoted strings (Go escapes, as strutil.Unquote). Each returns a value or an error text worded
 * as upstream's.
 */
import { parseDuration } from '../../core/duration.js';
import { quoteString } from './go-text.js';

/** A literal's value, or upstream's error text. */
export type LiteralResult<T> = { ok: true; value: T } | { ok: false; error: string };

const INT_RE = /^[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/;
const DEC_FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d*(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT_RE = /^([+-]?)0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?\d+)$/;

/** Go's strconv.ParseInt(s, 0, 64) falling back to ParseFloat(s, 64), as parser.number does. */
export function parseNumber(s: string): LiteralResult<number> {
  if (INT_RE.test(s)) {
    const neg = s.startsWith('-');
    let body = s.replace(/^[+-]/, '').replace(/_/g, '');
    if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
    const big = BigInt(body);
    const v = neg ? -big : big;
    if (v <= 9223372036854775807n && v >= -9223372036854775808n) return { ok: true, value: Number(v) };
    // Out of int64 range: ParseFloat takes over (decimal only; hex ints need a p exponent).
    if (/^[+-]?\d/.test(s) && !/^[+-]?0[xXoObB]/.test(s)) {
      const f = Number(s.replace(/_/g, ''));
      if (!Number.isFinite(f)) return { ok: false, error: `strconv.ParseFloat: parsing ${quoteString(s)}: value out of range` };
      return { ok: true, value: f };
    }
  }
  const lower = s.toLowerCase().replace(/^[+-]/, '');
  const sign = s.startsWith('-') ? -1 : 1;
  if (lower === 'inf' || lower === 'infinity') return { ok: true, value: sign * Infinity };
  if (lower === 'nan') return { ok: true, value: NaN };
  const hex = HEX_FLOAT_RE.exec(s);
  if (hex) {
    const mant = ((hex[2] ?? '') + (hex[3] ?? '')).replace(/_/g, '');
    const frac = (hex[3] ?? '').replace(/_/g, '').length;
    if (mant !== '') {
      const v = Number(BigInt('0x' + mant)) * Math.pow(2, Number(hex[4]) - 4 * frac);
      return { ok: true, value: hex[1] === '-' ? -v : v };
    }
  }
  if (s !== '' && /\d/.test(s) && DEC_FLOAT_RE.test(s) && !/^[+-]?0\d*_/.test(s) && !s.includes('_')) {
    const v = Number(s);
    if (!Number.isNaN(v)) {
      if (!Number.isFinite(v)) return { ok: false, error: `strconv.ParseFloat: parsing ${quoteString(s)}: value out of range` };
      return { ok: true, value: v };
    }
  }
  return { ok: false, error: `strconv.ParseFloat: parsing ${quoteString(s)}: invalid syntax` };
}


/**
 * Parses a Prometheus duration (`1h30m`, `500ms`) into milliseconds (model.ParseDuration).
 * Returns undefined for anything else.
 */
export function parseDurationMs(s: string): number | undefined {
  const r = parseDuration(s);
  return r.ok ? r.value : undefined;
}

/** The error text of model.ParseDuration for an invalid duration. */
export function durationError(s: string): string {
  if (s === '') return 'empty duration string';
  const r = parseDuration(s);
  return r.ok ? '' : (r.issues[0]?.message ?? `not a valid duration string: ${quoteString(s)}`);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
};

/**
 * Unquotes a PromQL string literal written with `"`, `'` or a backtick (strutil.Unquote): Go
 * escapes in the first two, none in raw strings. Single quotes may hold any number of characters.
 */
export function unquoteString(raw: string): LiteralResult<string> {
  const q = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== q) return { ok: false, error: 'invalid syntax' };
  const body = raw.slice(1, -1);
  if (q === '`') {
    return body.includes('`') ? { ok: false, error: 'invalid syntax' } : { ok: true, value: body.replace(/\r/g, '') };
  }
  if (q !== '"' && q !== "'") return { ok: false, error: 'invalid syntax' };
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += decodeBytes(bytes);
    bytes = [];
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === q || c === '\n') return { ok: false, error: 'invalid syntax' };
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return { ok: false, error: 'invalid syntax' };
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined || e === q) {
      flush();
      out += simple ?? q;
      continue;
    }
    let digits = 0;
    let base = 16;
    if (e === 'x') digits = 2;
    else if (e === 'u') digits = 4;
    else if (e === 'U') digits = 8;
    else if (e >= '0' && e <= '7') {
      digits = 3;
      base = 8;
      i--;
    } else return { ok: false, error: 'invalid syntax' };
    const hex = body.slice(i + 1, i + 1 + digits);
    const re = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
    if (hex.length !== digits || !re.test(hex)) return { ok: false, error: 'invalid syntax' };
    const v = parseInt(hex, base);
    i += digits;
    if (e === 'x' || base === 8) {
      if (v > 255) return { ok: false, error: 'invalid syntax' };
      // Byte escapes build UTF-8 sequences (`\xc3\xa9` is "é"), as in Go.
      bytes.push(v);
      continue;
    }
    if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) return { ok: false, error: 'invalid syntax' };
    flush();
    out += String.fromCodePoint(v);
  }
  flush();
  return { ok: true, value: out };
}

/**
 * Decodes bytes as UTF-8. A byte that is not part of a valid sequence becomes the lone surrogate
 * U+DC80+(byte-0x80) ("surrogateescape"), so Go strings holding invalid UTF-8 such as "a\xc5z"
 * keep their bytes; the printer turns them back into `\xc5` as strconv.Quote does.
 */
export function decodeBytes(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need === 0) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07;
    let ok = need > 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp < 0xe000)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(0xdc00 + b);
      i++;
    }
  }
  return out;
}
