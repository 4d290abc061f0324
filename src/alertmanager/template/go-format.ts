/**
 * Go's fmt as templates see it: %v of every template value (maps `map[a:b]`, slices `[a b]`,
 * Stringers such as KV and time.Time), Sprint/Sprintln spacing rules, and Sprintf with the common
 * verbs, flags, width and precision, including Go's `%!d(string=x)` / `%!s(MISSING)` /
 * `%!(EXTRA ...)` error forms.
 */
import { compareStrings, goQuote } from '../../core/labels.js';
import { goUnquoteDouble } from '../../core/matchers/go-strings.js';
import { GoDuration, GoTime } from './go-time.js';
import { GoMap, GoSlice, GoStruct, SafeContent, typeName } from './values.js';
import type { GoValue } from './values.js';

/** Go's strconv.Unquote for "..." and `...` literals. */
export function unquoteGo(lit: string): string | undefined {
  if (lit.startsWith('`')) return lit.length >= 2 && lit.endsWith('`') ? lit.slice(1, -1).replace(/\r/g, '') : undefined;
  return goUnquoteDouble(lit);
}

/** strconv.FormatFloat(f, fmt, prec, 64) for 'e', 'f', 'g' (prec -1 = shortest). */
export function formatFloat(f: number, fmt: 'e' | 'f' | 'g' | 'E' | 'G', prec: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const lower = fmt.toLowerCase();
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  let s: string;
  if (lower === 'f') {
    s = prec < 0 ? shortestFixed(a) : toFixedEven(a, prec);
  } else if (lower === 'e') {
    s = expForm(prec < 0 ? a.toExponential() : toExpEven(a, prec));
  } else {
    s = formatG(a, prec);
  }
  if (fmt === 'E' || fmt === 'G') s = s.toUpperCase();
  return (neg ? '-' : '') + s;
}

/** toFixed with Go's rounding: exact ties round to even (JS rounds them up). */
export function toFixedEven(a: number, prec: number): string {
  const p = Math.min(prec, 100);
  if (a >= 1e21) return BigInt(a).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  const up = a.toFixed(p);
  if (p >= 100) return up;
  const [ip, fp = ''] = a.toFixed(100).split('.') as [string, string?];
  if (!/^50*$/.test(fp.slice(p))) return up;
  const kept = ip + (p > 0 ? '.' + fp.slice(0, p) : '');
  const last = Number(kept[kept.length - 1]);
  return last % 2 === 0 ? kept : up;
}

/** toExponential with ties to even, as toFixedEven. */
export function toExpEven(a: number, digits: number): string {
  const d = Math.min(digits, 100);
  const up = a.toExponential(d);
  if (d >= 100 || a === 0) return up;
  const full = a.toExponential(100);
  const [m] = full.split('e') as [string];
  const frac = m.replace('.', '').slice(1);
  if (!/^50*$/.test(frac.slice(d))) return up;
  const keptDigits = m.replace('.', '').slice(0, d + 1);
  if (Number(keptDigits[keptDigits.length - 1]) % 2 !== 0) return up;
  const exp = full.split('e')[1] as string;
  return (d > 0 ? keptDigits[0] + '.' + keptDigits.slice(1) : keptDigits) + 'e' + exp;
}

/** strconv 'g' of a non-negative finite value: %e when exp < -4 || exp >= eprec (6 when shortest). */
function formatG(a: number, prec: number): string {
  const shortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  const e = shortest ? a.toExponential() : toExpEven(a, p - 1);
  const [mant, expS] = e.split('e') as [string, string];
  const exp = Number(expS);
  const nd = a === 0 ? 1 : mant.replace('.', '').replace(/0+$/, '').length || 1;
  let eprec = shortest ? nd : p;
  if (eprec > nd && nd >= exp + 1) eprec = nd;
  if (shortest) eprec = 6;
  if (exp < -4 || exp >= eprec) return expForm(shortest || p <= nd ? e : toExpEven(a, nd - 1));
  const digits = shortest ? nd : p > exp + 1 ? nd : p;
  return shortest ? shortestFixed(a) : toFixedEven(a, Math.max(digits - (exp + 1), 0));
}

function shortestFixed(a: number): string {
  const s = String(a);
  if (!s.includes('e')) return s;
  const [m, e] = s.split('e') as [string, string];
  const exp = Number(e);
  const digits = m.replace('.', '');
  const point = (m.indexOf('.') < 0 ? m.length : m.indexOf('.')) + exp;
  if (point <= 0) return '0.' + '0'.repeat(-point) + digits;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return digits.slice(0, point) + '.' + digits.slice(point);
}

/** JS "1.5e+6" -> Go "1.5e+06". */
function expForm(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** %v of a float64: strconv 'g' shortest (1e+06 for a million, as Go prints it). */
export function formatFloatV(f: number): string {
  return formatFloat(f, 'g', -1);
}

/** fmt %v (and %s for strings) of a value, honoring String() methods as fmt does. */
export function formatV(v: GoValue, top = true): string {
  if (v === undefined) return top ? '<no value>' : '<nil>';
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string': return v;
    case 'bigint': return v.toString();
    case 'number': return formatFloatV(v);
    case 'boolean': return v ? 'true' : 'false';
  }
  if (v instanceof SafeContent) return v.value;
  if (v instanceof GoTime || v instanceof GoDuration) return v.toString();
  if (v.stringer) return v.stringer();
  if (v instanceof GoSlice) return '[' + v.items.map((x) => formatV(x, false)).join(' ') + ']';
  if (v instanceof GoMap) {
    const keys = [...v.entries.keys()].sort(compareStrings);
    return 'map[' + keys.map((k) => k + ':' + formatV(v.entries.get(k), false)).join(' ') + ']';
  }
  if (v instanceof GoStruct) return (v.typeName.startsWith('*') && top !== undefined ? '&' : '') + '{' + [...v.fields.values()].map((x) => formatV(x, false)).join(' ') + '}';
  return '?';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    const prev = args[i - 1];
    if (i > 0 && typeof a !== 'string' && typeof prev !== 'string') out += ' ';
    out += formatV(a, false);
  });
  return out;
}

/** fmt.Sprintln: always spaces, then a newline. */
export function sprintln(args: readonly GoValue[]): string {
  return args.map((a) => formatV(a, false)).join(' ') + '\n';
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, sp: Spec, numeric = false): string {
  if (sp.width === undefined) return s;
  const n = [...s].length;
  if (n >= sp.width) return s;
  const fill = sp.width - n;
  if (sp.minus) return s + ' '.repeat(fill);
  if (sp.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] as string : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  if (sp.zero && !numeric) return '0'.repeat(fill) + s;
  return ' '.repeat(fill) + s;
}

function badVerb(verb: string, v: GoValue): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v, false)})`;
}

function asString(v: GoValue): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof SafeContent) return v.value;
  return undefined;
}

function fmtInt(n: bigint, verb: string, sp: Spec): string | undefined {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let s: string;
  switch (verb) {
    case 'd': case 'v': s = a.toString(); break;
    case 'x': s = (sp.sharp ? '0x' : '') + a.toString(16); break;
    case 'X': s = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase(); break;
    case 'o': s = (sp.sharp ? '0' : '') + a.toString(8); break;
    case 'O': s = '0o' + a.toString(8); break;
    case 'b': s = a.toString(2); break;
    case 'c': return pad(String.fromCodePoint(Number(a)), sp);
    case 'q': return pad("'" + String.fromCodePoint(Number(a)) + "'", sp);
    case 'U': return pad('U+' + a.toString(16).toUpperCase().padStart(4, '0'), sp);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 's': case 't': return undefined;
    default: return undefined;
  }
  if (sp.prec !== undefined) s = s.padStart(sp.prec, '0');
  s = (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + s;
  return pad(s, sp, sp.prec === undefined);
}

function fmtFloat(f: number, verb: string, sp: Spec): string | undefined {
  let s: string;
  switch (verb) {
    case 'v': s = sp.prec === undefined ? formatFloatV(f) : formatFloat(f, 'g', sp.prec); break;
    case 'f': case 'F': s = formatFloat(f, 'f', sp.prec ?? 6); break;
    case 'e': case 'E': s = formatFloat(f, verb, sp.prec ?? 6); break;
    case 'g': case 'G': s = formatFloat(f, verb, sp.prec ?? -1); break;
    default: return undefined;
  }
  if (sp.plus && !s.startsWith('-')) s = '+' + s;
  else if (sp.space && !s.startsWith('-')) s = ' ' + s;
  return pad(s, sp, Number.isFinite(f));
}

function fmtString(s: string, verb: string, sp: Spec): string | undefined {
  if (sp.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) s = [...s].slice(0, sp.prec).join('');
  switch (verb) {
    case 's': case 'v': return pad(s, sp);
    case 'q': return pad(sp.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), sp);
    case 'x': case 'X': {
      let h = Buffer.from(s, 'utf8').toString('hex');
      if (verb === 'X') h = h.toUpperCase();
      return pad(h, sp);
    }
    default: return undefined;
  }
}

/** Formats one operand with one verb; Go's `%!verb(type=value)` when they do not fit. */
function fmtOne(v: GoValue, verb: string, sp: Spec): string {
  if (verb === 'T') return pad(v === undefined || v === null ? '<nil>' : typeName(v), sp);
  if (v instanceof GoSlice && verb !== 'v' && verb !== 's' || v instanceof GoSlice && !v.stringer) {
    if (v instanceof GoSlice && !v.stringer) return '[' + v.items.map((x) => fmtOne(x, verb, { ...sp, width: sp.width })).join(' ') + ']';
  }
  let r: string | undefined;
  const str = asString(v);
  if (str !== undefined) r = fmtString(str, verb, sp);
  else if (typeof v === 'bigint') r = fmtInt(v, verb, sp);
  else if (typeof v === 'number') r = fmtFloat(v, verb, sp);
  else if (typeof v === 'boolean') r = verb === 't' || verb === 'v' ? pad(String(v), sp) : undefined;
  else if (v instanceof GoDuration && verb === 'd') r = fmtInt(v.nanos, 'd', sp);
  else if (v === null || v === undefined) r = verb === 'v' || verb === 's' ? pad('<nil>', sp) : undefined;
  else if (verb === 'v' || verb === 's' || (verb === 'q' && (v instanceof GoTime || v instanceof GoDuration || (typeof v === 'object' && 'stringer' in v && v.stringer !== undefined)))) {
    const s = formatV(v, false);
    r = verb === 'q' ? pad(goQuote(s), sp) : pad(s, sp);
  }
  return r ?? badVerb(verb, v);
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const sp: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') sp.minus = true;
      else if (f === '+') sp.plus = true;
      else if (f === '#') sp.sharp = true;
      else if (f === '0') sp.zero = !sp.minus;
      else if (f === ' ') sp.space = true;
      else break;
    }
    const num = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    sp.width = num();
    if (sp.width !== undefined && sp.width < 0) { sp.minus = true; sp.width = -sp.width; }
    if (format[i] === '.') {
      i++;
      sp.prec = num() ?? 0;
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    i++;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtOne(args[argi++], verb, sp);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === undefined || a === null ? '<nil>' : `${typeName(a)}=${formatV(a, false)}`)).join(', ') + ')';
  }
  return out;
}
