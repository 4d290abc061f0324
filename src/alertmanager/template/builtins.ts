/**
 * text/template's predefined functions (and, or, not, len, index, slice, print*, html, js,
 * urlquery, eq/ne/lt/le/gt/ge, call) with Go's comparison rules and error texts.
 */
import { FuncError } from './exec.js';
import type { TemplateFunc } from './exec.js';
import { formatV, sprint, sprintf, sprintln } from './go-format.js';
import { GoDuration } from './go-time.js';
import { GoMap, GoSlice, SafeContent, isTrue, kindOf, typeName } from './values.js';
import type { GoValue } from './values.js';

const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');

function strOf(v: GoValue): string | undefined {
  return typeof v === 'string' ? v : v instanceof SafeContent ? v.value : undefined;
}

/** evalArgs of html/js/urlquery: a lone string as is, else fmt.Sprint of the printable values. */
export function argsString(args: readonly GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === undefined ? '<no value>' : a)));
}

/** template.HTMLEscapeString. */
export function htmlEscapeString(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string);
}

/** template.JSEscapeString. */
export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      case '<': out += '\\u003C'; break;
      case '>': out += '\\u003E'; break;
      case '&': out += '\\u0026'; break;
      case '=': out += '\\u003D'; break;
      default:
        if (c < 0x20 || c === 0x7f) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
        else out += ch;
    }
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of bytesOf(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: GoValue): BasicKind {
  if (v instanceof GoDuration) return 'int';
  const k = kindOf(v);
  if (k === 'bool' || k === 'int' || k === 'float' || k === 'string') return k;
  if (k === 'invalid') return 'invalid';
  return 'other';
}

function scalar(v: GoValue): string | bigint | number | boolean {
  if (v instanceof GoDuration) return v.nanos;
  if (v instanceof SafeContent) return v.value;
  return v as string | bigint | number | boolean;
}

function eqValues(a: GoValue, rest: readonly GoValue[]): boolean {
  if (rest.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined && !(k1 === 'other' && k2 === 'other')) throw new FuncError('incompatible types for comparison');
      if (k1 === 'other' && k2 === 'other') truth = identical(a, b);
    } else if (k1 === 'other') {
      const nilA = a === null;
      const nilB = b === null;
      if (nilA || nilB) truth = nilA === nilB;
      else if (a instanceof GoMap || a instanceof GoSlice) throw new FuncError(`non-comparable type ${formatV(a)}: ${typeName(a)}`);
      else truth = identical(a, b);
    } else if (k1 === 'invalid') {
      truth = false;
    } else {
      truth = scalar(a) === scalar(b);
    }
    if (truth) return true;
  }
  return false;
}

function identical(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (typeName(a) !== typeName(b)) return false;
  return formatV(a) === formatV(b);
}

function ltValues(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid' || k1 === 'other') throw new FuncError('invalid type for comparison');
  const k2 = basicKind(b);
  if (k2 === 'invalid' || k2 === 'other') throw new FuncError('invalid type for comparison');
  if (k1 !== k2) throw new FuncError('incompatible types for comparison');
  if (k1 === 'bool') throw new FuncError('invalid type for comparison');
  const x = scalar(a);
  const y = scalar(b);
  if (typeof x === 'string' && typeof y === 'string') return compareBytes(x, y) < 0;
  return (x as number | bigint) < (y as number | bigint);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(bytesOf(a), bytesOf(b));
}

function indexOne(item: GoValue, idx: GoValue): GoValue {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  if (item instanceof GoMap) {
    if (typeof idx !== 'string') {
      if (idx === undefined || idx === null) throw new FuncError('value is nil; should be of type string');
      throw new FuncError(`value has type ${typeName(idx)}; should be string`);
    }
    return item.entries.has(idx) ? item.entries.get(idx) : item.zero;
  }
  const s = strOf(item);
  if (item instanceof GoSlice || s !== undefined) {
    if (idx === undefined || idx === null) throw new FuncError('cannot index slice/array with nil');
    if (typeof idx !== 'bigint') throw new FuncError(`cannot index slice/array with type ${typeName(idx)}`);
    const len = item instanceof GoSlice ? item.items.length : bytesOf(s as string).length;
    if (idx < 0n || idx >= BigInt(len)) throw new FuncError(`index out of range: ${idx}`);
    if (item instanceof GoSlice) return item.items[Number(idx)];
    return BigInt(bytesOf(s as string)[Number(idx)] as number);
  }
  throw new FuncError(`can't index item of type ${typeName(item)}`);
}

function sliceOf(item: GoValue, idx: readonly GoValue[]): GoValue {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (idx.length > 3) throw new FuncError(`too many slice indexes: ${idx.length}`);
  const s = strOf(item);
  if (!(item instanceof GoSlice) && s === undefined) throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (s !== undefined && idx.length === 3) throw new FuncError(`cannot 3-index slice a string`);
  const len = item instanceof GoSlice ? item.items.length : bytesOf(s as string).length;
  const ix: number[] = [0, len];
  idx.forEach((v, i) => {
    if (typeof v !== 'bigint') throw new FuncError(`cannot index slice/array with type ${typeName(v)}`);
    if (v < 0n || v > BigInt(len)) throw new FuncError(`index out of range: ${v}`);
    ix[i] = Number(v);
  });
  const [lo, hi] = ix as [number, number];
  if (lo > hi) throw new FuncError(`invalid slice index: ${lo} > ${hi}`);
  if (item instanceof GoSlice) return new GoSlice(item.typeName, item.items.slice(lo, hi), item.methods, item.stringer);
  return bytesOf(s as string).subarray(lo, hi).toString('utf8');
}

function lenOf(v: GoValue): bigint {
  if (v === undefined || v === null) throw new FuncError('len of nil pointer');
  const s = strOf(v);
  if (s !== undefined) return BigInt(bytesOf(s).length);
  if (v instanceof GoSlice) return BigInt(v.items.length);
  if (v instanceof GoMap) return BigInt(v.entries.size);
  throw new FuncError(`len of type ${typeName(v)}`);
}

/** The builtins; `html` mode returns escaper output as safe content (html/template does not re-escape it). */
export function builtinFuncs(htmlMode: boolean): Map<string, TemplateFunc> {
  const f = new Map<string, TemplateFunc>();
  f.set('and', { params: ['any'], variadic: 'any', call: () => undefined, lazy: (args) => {
    let v: GoValue;
    for (const a of args) {
      v = a();
      if (!isTrue(v)) return v;
    }
    return v;
  } });
  f.set('or', { params: ['any'], variadic: 'any', call: () => undefined, lazy: (args) => {
    let v: GoValue;
    for (const a of args) {
      v = a();
      if (isTrue(v)) return v;
    }
    return v;
  } });
  f.set('not', { params: ['any'], call: ([a]) => !isTrue(a) });
  f.set('len', { params: ['any'], call: ([a]) => lenOf(a) });
  f.set('index', { params: ['any'], variadic: 'any', call: ([item, ...ix]) => ix.reduce((acc, i) => indexOne(acc, i), item) });
  f.set('slice', { params: ['any'], variadic: 'any', call: ([item, ...ix]) => sliceOf(item, ix) });
  f.set('print', { params: [], variadic: 'any', call: (a) => sprint(a) });
  f.set('println', { params: [], variadic: 'any', call: (a) => sprintln(a) });
  f.set('printf', { params: ['string'], variadic: 'any', call: ([fmt, ...a]) => sprintf(fmt as string, a) });
  f.set('html', { params: [], variadic: 'any', call: (a) => (htmlMode ? new SafeContent('HTML', htmlEscapeString(argsString(a))) : htmlEscapeString(argsString(a))) });
  f.set('js', { params: [], variadic: 'any', call: (a) => jsEscapeString(argsString(a)) });
  f.set('urlquery', { params: [], variadic: 'any', call: (a) => (htmlMode ? new SafeContent('URL', queryEscape(argsString(a))) : queryEscape(argsString(a))) });
  f.set('eq', { params: ['any'], variadic: 'any', call: ([a, ...rest]) => eqValues(a, rest) });
  f.set('ne', { params: ['any', 'any'], call: ([a, b]) => !eqValues(a, [b]) });
  f.set('lt', { params: ['any', 'any'], call: ([a, b]) => ltValues(a, b) });
  f.set('le', { params: ['any', 'any'], call: ([a, b]) => ltValues(a, b) || eqValues(a, [b]) });
  f.set('gt', { params: ['any', 'any'], call: ([a, b]) => !(ltValues(a, b) || eqValues(a, [b])) });
  f.set('ge', { params: ['any', 'any'], call: ([a, b]) => !ltValues(a, b) });
  f.set('call', { params: ['any'], variadic: 'any', call: ([fn]) => {
    if (fn === undefined || fn === null) throw new FuncError('call of nil');
    throw new FuncError(`non-function of type ${typeName(fn)}`);
  } });
  return f;
}
