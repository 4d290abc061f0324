/**
 * The series notation of promqltest scripts and `promtool test rules`:
 * `metric{label="value"} 1 2+3x2 _ _x3 stale Inf {{schema:1 sum:3 buckets:[1]}}`.
 * Mirrors the series-description part of Prometheus' promql/parser (generated_parser.y
 * `series_description`, lex.go `lexValueSequence`): items are space separated, `axN` repeats a
 * N+1 times, `a+bxN` / `a-bxN` yields N+1 values by repeated addition, `_xN` skips N points.
 * Native histogram items are recognised and marked, not decoded (Herald has no histogram samples).
 */
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { unquote } from './go-literals.js';

/** One point of a sequence: a float, a skipped point, or a native histogram Herald cannot hold. */
/**
 * A value of series notation. Staleness markers stay the token 'stale' until they are written into
 * a Float64Array: V8 may canonicalise a NaN's payload in ordinary arrays and optimised code.
 */
export type SeqValue = number | 'omit' | 'hist' | 'stale';

/** A parsed series line: labels and expanded values. */
export interface SeriesLine {
  readonly labels: Labels;
  readonly values: readonly SeqValue[];
}

const IDENT_START = /[A-Za-z_:]/;
const IDENT_PART = /[A-Za-z0-9_:]/;
/** A number as lex.go scanNumber accepts it in series descriptions (no hex there). */
const NUMBER_RE = /^(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?/;

/** Parses `name{labels} values...`; the whole line must be consumed. Columns in issues are 1-based. */
export function parseSeriesLine(line: string): Result<SeriesLine> {
  const cur = { s: line, i: 0 };
  const labels = parseMetric(cur);
  if (!labels.ok) return labels;
  const values = parseValues(line, cur.i);
  if (!values.ok) return values;
  return ok({ labels: labels.value, values: values.value });
}

/** Parses only the `name{labels}` part (for `metric@st` lines). */
export function parseMetricText(text: string): Result<Labels> {
  const cur = { s: text, i: 0 };
  const labels = parseMetric(cur);
  if (!labels.ok) return labels;
  skipSpace(cur);
  if (cur.i < text.length) return bad(cur.i, `unexpected ${JSON.stringify(text.slice(cur.i))} after the metric`);
  return labels;
}

interface Cursor {
  readonly s: string;
  i: number;
}

function bad(at: number, message: string): { ok: false; issues: readonly Issue[] } {
  return fail([issue('bad_series', message, { span: { start: at, end: at + 1 } })]);
}

function skipSpace(c: Cursor): void {
  while (c.i < c.s.length && (c.s[c.i] === ' ' || c.s[c.i] === '\t')) c.i++;
}

function readIdent(c: Cursor): string {
  const start = c.i;
  if (c.i < c.s.length && IDENT_START.test(c.s[c.i] as string)) {
    c.i++;
    while (c.i < c.s.length && IDENT_PART.test(c.s[c.i] as string)) c.i++;
  }
  return c.s.slice(start, c.i);
}

function parseMetric(c: Cursor): Result<Labels> {
  skipSpace(c);
  const out: Record<string, string> = {};
  const name = readIdent(c);
  if (name !== '') out['__name__'] = name;
  if (c.s[c.i] !== '{') {
    if (name === '') return bad(c.i, 'expected a metric name or a label set');
    return ok(out);
  }
  c.i++;
  for (;;) {
    skipSpace(c);
    if (c.s[c.i] === '}') {
      c.i++;
      return ok(out);
    }
    const at = c.i;
    let key: string;
    const q = c.s[c.i];
    if (q === '"' || q === "'" || q === '`') {
      const str = readQuoted(c);
      if (!str.ok) return str;
      key = str.value;
      skipSpace(c);
      if (c.s[c.i] !== '=') {
        // A bare quoted string in braces is the metric name (UTF-8 names: {"my.metric"}).
        out['__name__'] = key;
        if (!afterItem(c)) return bad(c.i, 'expected "," or "}" in label set');
        continue;
      }
    } else {
      key = readIdent(c);
      if (key === '') return bad(at, 'expected a label name');
      skipSpace(c);
    }
    if (c.s[c.i] !== '=' || c.s[c.i + 1] === '~') return bad(c.i, `expected "=" after label ${JSON.stringify(key)}`);
    c.i++;
    skipSpace(c);
    const val = readQuoted(c);
    if (!val.ok) return val;
    if (Object.hasOwn(out, key)) return bad(at, `duplicate label name ${JSON.stringify(key)}`);
    out[key] = val.value;
    if (!afterItem(c)) return bad(c.i, 'expected "," or "}" in label set');
  }
}

function afterItem(c: Cursor): boolean {
  skipSpace(c);
  if (c.s[c.i] === ',') {
    c.i++;
    return true;
  }
  return c.s[c.i] === '}';
}

function readQuoted(c: Cursor): Result<string> {
  const q = c.s[c.i];
  if (q !== '"' && q !== "'" && q !== '`') return bad(c.i, 'expected a quoted string');
  const start = c.i;
  let j = c.i + 1;
  while (j < c.s.length && c.s[j] !== q) j += q !== '`' && c.s[j] === '\\' ? 2 : 1;
  if (j >= c.s.length) return bad(start, 'unterminated quoted string');
  c.i = j + 1;
  const r = unquote(c.s.slice(start, c.i), true);
  return r === undefined ? bad(start, `invalid escape in ${c.s.slice(start, c.i)}`) : ok(r);
}

/** Parses the value items after the metric, starting at `from`. */
function parseValues(line: string, from: number): Result<SeqValue[]> {
  const out: SeqValue[] = [];
  const c: Cursor = { s: line, i: from };
  if (c.i < line.length && line[c.i] !== ' ' && line[c.i] !== '\t') return bad(c.i, 'expected a space after the metric');
  for (;;) {
    skipSpace(c);
    if (c.i >= line.length) return ok(out);
    const at = c.i;
    const r = line.startsWith('{{', c.i) ? histogramItem(c) : floatItem(c);
    if (!r.ok) return r;
    if (c.i < line.length && line[c.i] !== ' ' && line[c.i] !== '\t') {
      return bad(c.i, `unexpected character in series values at ${JSON.stringify(line.slice(at, c.i + 1))}`);
    }
    for (const v of r.value) out.push(v);
  }
}

/** `_`, `_xN`, `stale`, `v`, `vxN`, `v+dxN`, `v-dxN`. */
function floatItem(c: Cursor): Result<SeqValue[]> {
  const at = c.i;
  if (c.s[c.i] === '_') {
    c.i++;
    if (c.s[c.i] !== 'x') return ok(['omit']);
    c.i++;
    const n = readCount(c);
    if (n === undefined) return bad(c.i, 'invalid repetition in series values');
    return ok(new Array<SeqValue>(n).fill('omit'));
  }
  if (c.s.startsWith('stale', c.i) && !IDENT_PART.test(c.s[c.i + 5] ?? ' ')) {
    c.i += 5;
    return ok(['stale']);
  }
  const base = readSignedNumber(c);
  if (base === undefined) return bad(at, `bad number or "stale" in series values at ${JSON.stringify(c.s.slice(at).split(/[ \t]/)[0])}`);
  if (c.s[c.i] === 'x') {
    c.i++;
    const n = readCount(c);
    if (n === undefined) return bad(c.i, 'invalid repetition in series values');
    return ok(new Array<SeqValue>(n + 1).fill(base));
  }
  if (c.s[c.i] !== '+' && c.s[c.i] !== '-') return ok([base]);
  const delta = readSignedNumber(c);
  if (delta === undefined || c.s[c.i] !== 'x') return bad(at, `expected "<value>{+|-}<delta>x<count>" at ${JSON.stringify(c.s.slice(at).split(/[ \t]/)[0])}`);
  c.i++;
  const n = readCount(c);
  if (n === undefined) return bad(c.i, 'invalid repetition in series values');
  const vals: SeqValue[] = [];
  // Repeated addition, as upstream does, so rounding matches theirs.
  let v = base;
  for (let k = 0; k <= n; k++) {
    vals.push(v);
    v += delta;
  }
  return ok(vals);
}

function readCount(c: Cursor): number | undefined {
  const m = /^\d+/.exec(c.s.slice(c.i));
  if (!m) return undefined;
  c.i += m[0].length;
  const n = Number(m[0]);
  return Number.isSafeInteger(n) && n <= 10_000_000 ? n : undefined;
}

function readSignedNumber(c: Cursor): number | undefined {
  let sign = 1;
  if (c.s[c.i] === '+' || c.s[c.i] === '-') {
    sign = c.s[c.i] === '-' ? -1 : 1;
    c.i++;
  }
  const rest = c.s.slice(c.i);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (word) {
    const w = word[0].toLowerCase();
    if (w !== 'inf' && w !== 'nan') return undefined;
    c.i += word[0].length;
    return w === 'inf' ? sign * Infinity : NaN;
  }
  const m = NUMBER_RE.exec(rest);
  if (!m) return undefined;
  const text = m[0];
  // The next rune must not be alphanumeric, except the repetition's `x` (lex.go scanNumber).
  const next = rest[text.length];
  if (next !== undefined && next !== 'x' && /[A-Za-z0-9_]/.test(next)) return undefined;
  if (/_$|_\.|\._|__/.test(text)) return undefined;
  c.i += text.length;
  return sign * goNumber(text.replaceAll('_', ''));
}

/** parser.number: strconv.ParseInt(s, 0, 64) first (so a leading 0 means octal), then ParseFloat. */
function goNumber(text: string): number {
  if (/^0[0-7]+$/.test(text)) return parseInt(text, 8);
  return Number(text);
}

/** `{{...}}`, `{{...}}xN`, `{{...}}+{{...}}xN`, `{{...}}-{{...}}xN`: counted, not decoded. */
function histogramItem(c: Cursor): Result<SeqValue[]> {
  const at = c.i;
  if (!skipHistogram(c)) return bad(at, 'unterminated native histogram "{{" in series values');
  if (c.s[c.i] === 'x') {
    c.i++;
    const n = readCount(c);
    if (n === undefined) return bad(c.i, 'invalid repetition in series values');
    return ok(new Array<SeqValue>(n + 1).fill('hist'));
  }
  if ((c.s[c.i] === '+' || c.s[c.i] === '-') && c.s.startsWith('{{', c.i + 1)) {
    c.i++;
    if (!skipHistogram(c) || c.s[c.i] !== 'x') return bad(at, 'expected "{{...}}+{{...}}x<count>"');
    c.i++;
    const n = readCount(c);
    if (n === undefined) return bad(c.i, 'invalid repetition in series values');
    return ok(new Array<SeqValue>(n + 1).fill('hist'));
  }
  return ok(['hist']);
}

function skipHistogram(c: Cursor): boolean {
  const end = c.s.indexOf('}}', c.i + 2);
  if (end < 0) return false;
  c.i = end + 2;
  return true;
}
