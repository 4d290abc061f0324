/**
 * Prometheus' template function map (template/template.go NewTemplateExpander; reference:
 * docs/configuration/template_reference.md) over Herald's Go text/template engine. `query` reads
 * through a synchronous lookup that the expander backs with a per-expansion cache (see expand.ts).
 */
import type { Labels } from '../../core/labels.js';
import { builtinFuncs, queryEscape } from '../../alertmanager/template/builtins.js';
import { FuncError } from '../../alertmanager/template/exec.js';
import type { TemplateFunc } from '../../alertmanager/template/exec.js';
import { GoMap, GoSlice, GoStruct, SafeContent, typeName } from '../../alertmanager/template/values.js';
import type { GoValue } from '../../alertmanager/template/values.js';
import { compareStrings } from '../../core/labels.js';
import type { RuleSample } from '../api.js';
import { isGoIP, joinHostPort, parseGoDurationAllowNegative, splitHostPort } from './go-lib.js';
import {
  humanize, humanize1024, humanizeDuration, humanizePercentage, humanizeTimestamp, toDuration, toTime,
} from './humanize.js';
import { compileGoRegexp, goMatch, goReplaceAll, regexpQuote } from './regexp.js';

const QUERY_RESULT = 'template.queryResult';
const SAMPLE = '*template.sample';
const NIL_DEREF = 'runtime error: invalid memory address or nil pointer dereference';

/** What the functions need from the expansion they run in. */
export interface FuncContext {
  /** Evaluation time (ms): `now`. */
  readonly evalTimeMs: number;
  /** --web.external-url: `externalURL`, `pathPrefix`. */
  readonly externalURL: string;
  /** The samples of an instant query at the evaluation time; throws FuncError with the query's error. */
  query(expr: string): readonly RuleSample[];
}

/** A label map as templates see it (map[string]string: a missing key reads as ""). */
export function labelsValue(labels: Labels): GoMap {
  return new GoMap('map[string]string', new Map(Object.entries(labels)), '');
}

function sampleValue(s: RuleSample): GoStruct {
  return new GoStruct(SAMPLE, new Map<string, GoValue>([['Labels', labelsValue(s.labels)], ['Value', s.v]]));
}

/** A queryResult argument: its samples (nil is an empty result). */
function asQueryResult(v: GoValue): readonly GoValue[] {
  if (v === null) return [];
  if (v instanceof GoSlice && v.typeName === QUERY_RESULT) return v.items;
  throw new FuncError(`wrong type for value; expected ${QUERY_RESULT}; got ${typeName(v)}`);
}

/** A *sample argument (a nil pointer panics when read, as in Go). */
function asSample(v: GoValue): GoStruct {
  if (v === null) throw new FuncError(NIL_DEREF);
  if (v instanceof GoStruct && v.typeName === SAMPLE) return v;
  throw new FuncError(`wrong type for value; expected ${SAMPLE}; got ${typeName(v)}`);
}

function sampleLabel(s: GoStruct, name: string): string {
  const labels = s.fields.get('Labels');
  return labels instanceof GoMap ? ((labels.entries.get(name) as string | undefined) ?? '') : '';
}

/** strings.ToUpper/ToLower map rune by rune; a rune JS would expand to several keeps Go's simple mapping. */
function mapRunes(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const m = upper ? ch.toUpperCase() : ch.toLowerCase();
    if ([...m].length === 1) out += m;
    else out += upper ? ch : String.fromCodePoint(m.codePointAt(0) as number);
  }
  return out;
}

/** Words as the Alertmanager port of cases.Title finds them (letters, digits, marks, `_`, inner ' ’ . :). */
const WORD = /[\p{L}\p{N}\p{M}_]+(?:['’.:][\p{L}\p{N}\p{M}_]+)*/gu;

/** cases.Title(AmericanEnglish, NoLower): the first letter of each word upper-cased, the rest kept. */
function titleNoLower(s: string): string {
  return s.replace(WORD, (w) => {
    const first = String.fromCodePoint(w.codePointAt(0) as number);
    return mapRunes(first, true) + w.slice(first.length);
  });
}

/** url.URL.Path of the external URL: the unescaped path, '' for none. */
function urlPath(raw: string): string {
  let rest = raw.replace(/#.*$/s, '').replace(/\?.*$/s, '');
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    if (!rest.startsWith('/')) return ''; // opaque URL
  }
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

function stripDomain(hostPort: string): string {
  const split = splitHostPort(hostPort);
  const host = split ? split[0] : hostPort;
  const port = split ? split[1] : '';
  if (isGoIP(host)) return hostPort;
  const first = host.split('.')[0] as string;
  return port !== '' ? joinHostPort(first, port) : first;
}

/** Prometheus' functions over text/template's builtins (text mode: alert templates never run as HTML). */
export function prometheusFuncs(ctx: FuncContext): Map<string, TemplateFunc> {
  const f = builtinFuncs(false);
  const str1 = (fn: (s: string) => GoValue): TemplateFunc => ({ params: ['string'], call: ([s]) => fn(s as string) });
  const any1 = (fn: (v: GoValue) => GoValue): TemplateFunc => ({ params: ['any'], call: ([v]) => fn(v) });

  f.set('query', str1((q) => new GoSlice(QUERY_RESULT, ctx.query(q).map(sampleValue))));
  f.set('first', any1((v) => {
    const items = asQueryResult(v);
    if (items.length === 0) throw new FuncError('first() called on vector with no elements');
    return items[0];
  }));
  f.set('label', { params: ['string', 'any'], call: ([name, s]) => sampleLabel(asSample(s), name as string) });
  f.set('value', any1((s) => asSample(s).fields.get('Value')));
  f.set('strvalue', any1((s) => sampleLabel(asSample(s), '__value__')));
  f.set('sortByLabel', { params: ['string', 'any'], call: ([name, v]) => {
    // sort.Stable on the slice itself: the caller's result is sorted in place, as in Go.
    const items = asQueryResult(v) as GoValue[];
    const key = (x: GoValue): string => (x instanceof GoStruct ? sampleLabel(x, name as string) : '');
    items.sort((a, b) => compareStrings(key(a), key(b)));
    return v;
  } });
  f.set('args', { params: [], variadic: 'any', call: (args) =>
    new GoMap('map[string]interface {}', new Map(args.map((a, i) => [`arg${i}`, a])), undefined) });
  f.set('reReplaceAll', { params: ['string', 'string', 'string'], call: ([p, repl, text]) => {
    const re = compileGoRegexp(p as string);
    if (typeof re === 'string') throw new FuncError(`regexp: Compile(${regexpQuote(p as string)}): ${re}`);
    return goReplaceAll(re, text as string, repl as string);
  } });
  f.set('match', { params: ['string', 'string'], call: ([p, s]) => {
    const re = compileGoRegexp(p as string);
    if (typeof re === 'string') throw new FuncError(re);
    return goMatch(re, s as string);
  } });
  f.set('safeHtml', str1((s) => new SafeContent('HTML', s)));
  f.set('title', str1(titleNoLower));
  f.set('toUpper', str1((s) => mapRunes(s, true)));
  f.set('toLower', str1((s) => mapRunes(s, false)));
  f.set('graphLink', str1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`));
  f.set('tableLink', str1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`));
  f.set('stripPort', str1((hp) => splitHostPort(hp)?.[0] ?? hp));
  f.set('stripDomain', str1(stripDomain));
  f.set('humanize', any1(humanize));
  f.set('humanize1024', any1(humanize1024));
  f.set('humanizeDuration', any1(humanizeDuration));
  f.set('humanizePercentage', any1(humanizePercentage));
  f.set('humanizeTimestamp', any1(humanizeTimestamp));
  f.set('toTime', any1(toTime));
  f.set('toDuration', any1(toDuration));
  f.set('now', { params: [], call: () => ctx.evalTimeMs / 1000 });
  f.set('pathPrefix', { params: [], call: () => urlPath(ctx.externalURL) });
  f.set('externalURL', { params: [], call: () => ctx.externalURL });
  f.set('parseDuration', str1((d) => {
    const r = parseGoDurationAllowNegative(d);
    if (!r.ok) throw new FuncError(r.error);
    return Number(r.value) / 1e9;
  }));
  f.set('urlQueryEscape', str1(queryEscape));
  return f;
}
