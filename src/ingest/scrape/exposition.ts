/**
 * Parsers for what a scrape returns: the Prometheus text format (0.0.4) and OpenMetrics 1.0 text.
 * Histogram and summary samples come out as plain series (`_bucket`, `_sum`, `_count`, quantiles),
 * as Prometheus stores classic histograms. OpenMetrics `_created` lines are kept as series, as
 * Prometheus does without created-timestamp ingestion; exemplars are skipped. Never throws: the
 * first problem is an Issue naming its line, like Prometheus' textparse errors.
 */
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';

/** One parsed sample: labels include `__name__`; timestamp in ms when the exposition gave one. */
export interface ParsedSample {
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly timestampMs?: number;
}

/** Which grammar to use, chosen from the response's Content-Type. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

const PROM_TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);
const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+)$/;

/** The format for a Content-Type header, as Prometheus' textparse.New picks it. */
export function formatOf(contentType: string | null | undefined): ExpositionFormat {
  return /^\s*application\/openmetrics-text/i.test(contentType ?? '') ? 'openmetrics' : 'prometheus';
}

/** Parses a Go-style float: decimals, `NaN`, `+Inf`, `-Inf`, `Inf` (any case). */
export function parseGoFloat(s: string): number | undefined {
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return FLOAT_RE.test(s) ? Number(s) : undefined;
}

/** Parses a whole exposition body into samples, or the first error with its line number. */
export function parseExposition(text: string, format: ExpositionFormat): Result<ParsedSample[]> {
  const om = format === 'openmetrics';
  const out: ParsedSample[] = [];
  const lines = text.split('\n');
  let sawEof = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = om ? (lines[i] as string) : (lines[i] as string).replace(/\r$/, '');
    const err = (msg: string): Result<ParsedSample[]> => fail([issue('invalid_exposition', `${msg} (line ${lineNo})`, { range: { start: { line: lineNo, column: 1 } } })]);
    if (sawEof) {
      if (line === '' && i === lines.length - 1) continue;
      return err('unexpected data after # EOF');
    }
    if (om && line === '# EOF') {
      sawEof = true;
      continue;
    }
    if (line.trim() === '') {
      if (om && i !== lines.length - 1) return err('unexpected empty line');
      continue;
    }
    if (line.startsWith('#')) {
      const problem = checkComment(line, om);
      if (problem) return err(problem);
      continue;
    }
    const s = parseSampleLine(line, om);
    if (typeof s === 'string') return err(s);
    out.push(s);
  }
  if (om && !sawEof) return fail([issue('invalid_exposition', 'data does not end with # EOF')]);
  return ok(out);
}

function checkComment(line: string, om: boolean): string | undefined {
  const m = /^#[ \t]+(HELP|TYPE|UNIT)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
  if (!m) return om && !/^# (HELP|TYPE|UNIT)\b/.test(line) ? 'invalid comment' : undefined;
  if (!NAME_RE.test(m[2] ?? '') && !/^"/.test(m[2] ?? '')) return `invalid metric name in comment ${JSON.stringify(m[2])}`;
  if (m[1] === 'TYPE') {
    const t = (m[3] ?? '').trim();
    if (!(om ? OM_TYPES : PROM_TYPES).has(t)) return `invalid metric type ${JSON.stringify(t)}`;
  }
  if (m[1] === 'UNIT' && !om) return undefined;
  return undefined;
}

function parseSampleLine(line: string, om: boolean): ParsedSample | string {
  let pos = 0;
  const labels: Record<string, string> = {};
  const nm = NAME_RE.exec(line);
  if (nm) {
    labels['__name__'] = nm[0];
    pos = nm[0].length;
  } else if (line[0] !== '{') {
    return `invalid metric name at ${JSON.stringify(line.slice(0, 20))}`;
  }
  if (line[pos] === '{') {
    const r = parseLabels(line, pos + 1, labels);
    if (typeof r === 'string') return r;
    pos = r;
  }
  if (labels['__name__'] === undefined || labels['__name__'] === '') return 'metric name missing';
  const rest = line.slice(pos);
  if (!/^[ \t]/.test(rest)) return `expected value after metric, got ${JSON.stringify(rest.slice(0, 20))}`;
  let body = rest.trim();
  if (om) {
    const ex = body.indexOf(' # ');
    if (ex >= 0) body = body.slice(0, ex); // exemplar: skipped
  }
  const parts = body.split(/[ \t]+/);
  if (parts.length > 2) return `unexpected text after timestamp: ${JSON.stringify(parts.slice(2).join(' '))}`;
  const value = parseGoFloat(parts[0] ?? '');
  if (value === undefined) return `invalid value ${JSON.stringify(parts[0])}`;
  if (parts[1] === undefined) return { labels, value };
  const ts = om ? parseGoFloat(parts[1]) : /^-?\d+$/.test(parts[1]) ? Number(parts[1]) : undefined;
  // OpenMetrics seconds become ms truncated, as Go's int64(ts * 1000).
  if (ts === undefined || !Number.isFinite(ts)) return `invalid timestamp ${JSON.stringify(parts[1])}`;
  return { labels, value, timestampMs: om ? Math.trunc(ts * 1000) : ts };
}

/** Parses `name="value", ...}` from `pos` into `labels`; returns the index after `}`. */
function parseLabels(line: string, start: number, labels: Record<string, string>): number | string {
  let pos = start;
  const skipWs = (): void => {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  };
  for (;;) {
    skipWs();
    if (line[pos] === '}') return pos + 1;
    let name: string;
    if (line[pos] === '"') {
      const q = readQuoted(line, pos);
      if (typeof q === 'string') return q;
      name = q.value;
      pos = q.end;
      skipWs();
      if (line[pos] !== '=') {
        // A lone quoted string is the metric name (UTF-8 names, Prometheus 3).
        if (labels['__name__'] !== undefined) return 'metric name given twice';
        labels['__name__'] = name;
        if (!advanceSep()) return `expected "," or "}" in label set at column ${pos + 1}`;
        continue;
      }
    } else {
      const lm = LABEL_RE.exec(line.slice(pos));
      if (!lm) return `invalid label name at column ${pos + 1}`;
      name = lm[0];
      pos += name.length;
      skipWs();
    }
    if (line[pos] !== '=') return `expected "=" after label name ${JSON.stringify(name)}`;
    pos++;
    skipWs();
    if (line[pos] !== '"') return `expected quoted label value for ${JSON.stringify(name)}`;
    const v = readQuoted(line, pos);
    if (typeof v === 'string') return v;
    pos = v.end;
    if (name in labels) return `duplicate label name ${JSON.stringify(name)}`;
    labels[name] = v.value;
    if (!advanceSep()) return `expected "," or "}" in label set at column ${pos + 1}`;
  }
  function advanceSep(): boolean {
    skipWs();
    if (line[pos] === ',') {
      pos++;
      return true;
    }
    return line[pos] === '}';
  }
}

/** Reads a double-quoted string at `pos`, unescaping `\\`, `\"` and `\n` (other escapes kept). */
function readQuoted(line: string, pos: number): { value: string; end: number } | string {
  let out = '';
  for (let i = pos + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c === '\\') {
      const n = line[++i];
      if (n === undefined) break;
      out += n === 'n' ? '\n' : n === '\\' || n === '"' ? n : `\\${n}`;
    } else out += c;
  }
  return 'unterminated quoted string';
}
