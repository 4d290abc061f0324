/**
 * Alertmanager's template FuncMap (template/template.go, DefaultFuncs): toUpper, toLower, title,
 * trimSpace, join, match, safeHtml, safeUrl, urlUnescape, reReplaceAll, stringSlice, date, tz,
 * since, humanizeDuration, toJson. Regexes are RE2, as in Go.
 */
import { compareStrings } from '../../core/labels.js';
import RE2 from 're2';
import { goRegexpError } from '../../core/matchers/errors.js';
import { goTrimSpace } from '../../core/matchers/go-strings.js';
import { goJsonEncode } from '../../core/go-json.js';
import type { GoJsonValue } from '../../core/go-json.js';
import { FuncError } from './exec.js';
import type { TemplateFunc } from './exec.js';
import { formatFloat, sprintf } from './go-format.js';
import { GoDuration, GoTime, loadZone } from './go-time.js';
import { GoMap, GoSlice, SafeContent, asStringArray, stringSlice, typeName } from './values.js';
import type { GoValue , GoStruct} from './values.js';

const reCache = new Map<string, RE2 | string>();

/** Compiles an unanchored RE2 regex; a string is Go's error text. */
function compile(pattern: string): RE2 | string {
  let re = reCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RE2(pattern, 'u');
    } catch {
      re = goRegexpError(pattern).replace(/`\^\(\?:(.*)\)\$`$/s, '`$1`');
    }
    if (reCache.size > 1000) reCache.clear();
    reCache.set(pattern, re);
  }
  return re;
}

/** cases.Title(language.AmericanEnglish): first letter of each word upper, the rest lower. */
export function titleCase(s: string): string {
  return s.replace(/[\p{L}\p{N}\p{M}_]+(?:['’.:][\p{L}\p{N}\p{M}_]+)*/gu, (w) => {
    const first = String.fromCodePoint(w.codePointAt(0) as number);
    return first.toUpperCase() + w.slice(first.length).toLowerCase();
  });
}

/** Go's regexp ReplaceAllString template: $1, ${1}, ${name}, $$. */
function expandReplacement(repl: string): string {
  // RE2's JS replace understands $1, $<name> and $$; rewrite Go's ${x} forms to those.
  return repl.replace(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)|\$\$/g, (m, braced: string | undefined, bare: string | undefined) => {
    if (m === '$$') return '$$';
    const name = (braced ?? bare) as string;
    if (/^\d+$/.test(name)) return '$' + name;
    return '$<' + name + '>';
  });
}

/** prometheus/common's HumanizeDuration. */
export function humanizeDuration(v: GoValue): string {
  let f: number;
  if (typeof v === 'number') f = v;
  else if (typeof v === 'bigint') f = Number(v);
  else if (v instanceof GoDuration) f = Number(v.nanos) / 1e9;
  else if (typeof v === 'string') {
    const t = v.trim();
    f = /^[+-]?(inf|infinity)$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(t) ? NaN : Number(t);
    if (t === '' || (Number.isNaN(f) && !/^nan$/i.test(t))) throw new FuncError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
  } else throw new FuncError(`can't convert ${typeName(v)} to float`);
  if (!Number.isFinite(f)) return sprintf('%.4g', [f]);
  if (f === 0) return sprintf('%.4gs', [f]);
  if (Math.abs(f) >= 1) {
    const sign = f < 0 ? '-' : '';
    const a = Math.abs(f);
    const d = Math.trunc(a);
    const seconds = d % 60;
    const minutes = Math.trunc(d / 60) % 60;
    const hours = Math.trunc(d / 3600) % 24;
    const days = Math.trunc(d / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatFloat(a, 'g', 4)}s`;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(f) >= 1) break;
    prefix = p;
    f *= 1000;
  }
  return `${sprintf('%.4g', [f])}${prefix}s`;
}

/** encoding/json view of a template value (toJson, and JS values in html/template). */
export function toJsonValue(v: GoValue): GoJsonValue {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'bigint': return Number(v);
    case 'number':
      if (!Number.isFinite(v)) throw new FuncError(`json: unsupported value: ${formatFloat(v, 'g', -1)}`);
      return v;
  }
  if (v instanceof SafeContent) return v.value;
  if (v instanceof GoTime) return v.format('2006-01-02T15:04:05.999999999Z07:00');
  if (v instanceof GoDuration) return Number(v.nanos);
  if (v instanceof GoSlice) return v.items.map(toJsonValue);
  if (v instanceof GoMap) {
    const o: Record<string, GoJsonValue> = {};
    for (const k of [...v.entries.keys()].sort(compareStrings)) o[k] = toJsonValue(v.entries.get(k));
    return o;
  }
  const s = v;
  const o: Record<string, GoJsonValue> = {};
  for (const [k, x] of s.fields) o[jsonName(s, k)] = toJsonValue(x);
  return o;
}

const JSON_TAGS: Record<string, string> = {
  Receiver: 'receiver', Status: 'status', Alerts: 'alerts', GroupLabels: 'groupLabels', CommonLabels: 'commonLabels',
  CommonAnnotations: 'commonAnnotations', ExternalURL: 'externalURL', Labels: 'labels', Annotations: 'annotations',
  StartsAt: 'startsAt', EndsAt: 'endsAt', GeneratorURL: 'generatorURL', Fingerprint: 'fingerprint',
};

function jsonName(s: GoStruct, field: string): string {
  if (s.typeName === 'template.Pair') return field;
  return JSON_TAGS[field] ?? field;
}

/** Alertmanager's DefaultFuncs; `now` is the injected clock for `since`. */
export function alertmanagerFuncs(now: () => number): Map<string, TemplateFunc> {
  const f = new Map<string, TemplateFunc>();
  const str1 = (fn: (s: string) => GoValue): TemplateFunc => ({ params: ['string'], call: ([s]) => fn(s as string) });
  f.set('toUpper', str1((s) => s.toUpperCase()));
  f.set('toLower', str1((s) => s.toLowerCase()));
  f.set('title', str1(titleCase));
  f.set('trimSpace', str1(goTrimSpace));
  f.set('join', { params: ['string', '[]string'], call: ([sep, s]) => (asStringArray(s) ?? []).join(sep as string) });
  f.set('match', { params: ['string', 'string'], call: ([p, s]) => {
    const re = compile(p as string);
    if (typeof re === 'string') throw new FuncError(re);
    return re.test(s as string);
  } });
  f.set('safeHtml', str1((s) => new SafeContent('HTML', s)));
  f.set('safeUrl', str1((s) => new SafeContent('URL', s)));
  f.set('urlUnescape', str1((s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      const bad = /%(?![0-9A-Fa-f]{2}).{0,2}/.exec(s)?.[0] ?? s;
      throw new FuncError(`invalid URL escape ${JSON.stringify(bad)}`);
    }
  }));
  f.set('reReplaceAll', { params: ['string', 'string', 'string'], call: ([p, repl, text]) => {
    const re = compile(p as string);
    if (typeof re === 'string') throw new FuncError(`regexp: Compile(${JSON.stringify(p)}): ${re}`);
    const g = new RE2(re, 'gu');
    return (text as string).replace(g, expandReplacement(repl as string));
  } });
  f.set('stringSlice', { params: [], variadic: 'string', call: (a) => stringSlice(a as string[]) });
  f.set('date', { params: ['string', 'time'], call: ([l, t]) => (t as GoTime).format(l as string) });
  f.set('tz', { params: ['string', 'time'], call: ([name, t]) => {
    const zone = loadZone(name as string);
    if (!zone) throw new FuncError(`unknown time zone ${name as string}`);
    const tt = t as GoTime;
    return new GoTime(tt.unixMs, zone, tt.subMsNanos);
  } });
  f.set('since', { params: ['time'], call: ([t]) => new GoDuration(BigInt(Math.round(now())) * 1000000n - (t as GoTime).nanosSinceEpoch()) });
  f.set('humanizeDuration', { params: ['any'], call: ([v]) => humanizeDuration(v) });
  f.set('toJson', { params: ['any'], call: ([v]) => goJsonEncode(toJsonValue(v)).replace(/\n$/, '') });
  return f;
}
