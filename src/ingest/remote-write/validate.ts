/**
 * Series validation as Mimir's distributor does it (pkg/distributor/validate.go), after
 * Prometheus' receiver rules (empty-valued labels dropped, labels sorted, duplicates refused).
 * Error texts are Mimir's, with Herald's limit names in the hint.
 */
import type { Labels } from '../../core/labels.js';
import { compareStrings, goQuote, isClassicLabelName, isWellFormedUtf16 } from '../../core/labels.js';
import type { IngestLimits } from './limits.js';
import { errorId, limitHint } from './limits.js';
import type { IngestRejectReason } from './metrics.js';
import type { DecodedSeries } from './protobuf.js';

export interface SeriesProblem {
  readonly reason: IngestRejectReason;
  readonly message: string;
}

export type SeriesCheck =
  | { readonly ok: true; readonly labels: Labels; readonly t: Float64Array; readonly v: Float64Array; readonly future?: SeriesProblem & { readonly count: number } }
  | { readonly ok: false; readonly problem: SeriesProblem }
  /** Nothing left once empty-valued labels are dropped: Mimir drops such series silently. */
  | { readonly ok: 'empty' };

/** Go's `%.Ns`: at most `n` code points. */
function truncate(s: string, n = 200): string {
  if (s.length <= n) return s;
  let out = '';
  let count = 0;
  for (const ch of s) {
    if (count++ === n) break;
    out += ch;
  }
  return out;
}

/** Prometheus' labels.String(): `{__name__="up", job="x"}` (Mimir prints series this way). */
function seriesString(names: readonly string[], values: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < names.length; i++) parts.push(`${names[i]}=${goQuote(values[i] as string)}`);
  return `{${parts.join(', ')}}`;
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// Label names repeat across series and requests; remembering the valid ones skips the regex.
const VALID_LEGACY_NAMES = new Set<string>();
const MAX_CACHED_NAMES = 10_000;

function nameValid(name: string, limits: IngestLimits): boolean {
  if (limits.name_validation_scheme === 'utf8') return name.length > 0 && isWellFormedUtf16(name);
  if (VALID_LEGACY_NAMES.has(name)) return true;
  if (!isClassicLabelName(name)) return false;
  if (VALID_LEGACY_NAMES.size >= MAX_CACHED_NAMES) VALID_LEGACY_NAMES.clear();
  VALID_LEGACY_NAMES.add(name);
  return true;
}

const METRIC_NAME_LEGACY = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function metricNameValid(name: string, limits: IngestLimits): boolean {
  return limits.name_validation_scheme === 'utf8' ? name.length > 0 && isWellFormedUtf16(name) : METRIC_NAME_LEGACY.test(name);
}

function problem(reason: IngestRejectReason, message: string): { ok: false; problem: SeriesProblem } {
  return { ok: false, problem: { reason, message } };
}

/** Sorted (name, value) pairs without empty values; stable so duplicates stay adjacent. */
function cleaned(s: DecodedSeries): { names: string[]; values: string[] } {
  let sorted = true;
  let empty = false;
  for (let i = 0; i < s.names.length; i++) {
    if (s.values[i] === '') empty = true;
    if (i > 0 && compareStrings(s.names[i - 1] as string, s.names[i] as string) > 0) sorted = false;
  }
  if (sorted && !empty) return { names: s.names, values: s.values };
  const idx: number[] = [];
  for (let i = 0; i < s.names.length; i++) if (s.values[i] !== '') idx.push(i);
  if (!sorted) idx.sort((a, b) => compareStrings(s.names[a] as string, s.names[b] as string) || a - b);
  return { names: idx.map((i) => s.names[i] as string), values: idx.map((i) => s.values[i] as string) };
}

/** Validates one decoded series for `limits` at `nowMs`; returns the label set to store or the first problem. */
export function validateSeries(s: DecodedSeries, limits: IngestLimits, nowMs: number): SeriesCheck {
  const { names, values } = cleaned(s);
  if (names.length === 0) return { ok: 'empty' };
  const nameAt = names.indexOf('__name__');
  if (nameAt < 0) return problem('missing_metric_name', `received series has no metric name${errorId('missing-metric-name')}`);
  const metric = values[nameAt] as string;
  if (!metricNameValid(metric, limits)) {
    return problem('metric_name_invalid', `received a series with invalid metric name: '${truncate(metric)}'${errorId('metric-name-invalid')}`);
  }
  const maxNames = limits.max_label_names_per_series;
  if (maxNames > 0 && names.length > maxNames) {
    const str = seriesString(names, values);
    const ellipsis = [...str].length > 200 ? '\u2026' : '';
    return problem(
      'max_label_names_per_series',
      `received a series whose number of labels exceeds the limit (actual: ${names.length}, limit: ${maxNames}) series: '${truncate(str)}${ellipsis}'` +
        limitHint('max-label-names-per-series', 'max_label_names_per_series'),
    );
  }
  if (s.invalidUtf8 !== undefined) {
    const at = names.indexOf(s.invalidUtf8);
    return problem(
      'label_value_invalid',
      `received a series with invalid value in label '${truncate(s.invalidUtf8)}': '${truncate(values[at] ?? '')}' metric: '${truncate(metric)}'${errorId('label-value-invalid')}`,
    );
  }
  const maxName = limits.max_label_name_length;
  const maxValue = limits.max_label_value_length;
  let last = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = values[i] as string;
    if (!nameValid(name, limits)) {
      return problem('label_invalid', `received a series with an invalid label: '${truncate(name)}' series: '${truncate(seriesString(names, values))}'${errorId('label-invalid')}`);
    }
    if (maxName > 0 && name.length * 3 > maxName && utf8Length(name) > maxName) {
      return problem(
        'label_name_too_long',
        `received a series whose label name length exceeds the limit, label: '${truncate(name)}' series: '${truncate(seriesString(names, values))}'` +
          limitHint('label-name-too-long', 'max_label_name_length'),
      );
    }
    if (maxValue > 0 && value.length * 3 > maxValue && utf8Length(value) > maxValue) {
      return problem(
        'label_value_too_long',
        `received a series whose label value length exceeds the limit, label: '${name}', value: '${truncate(value)}' (truncated) series: '${truncate(seriesString(names, values))}'` +
          limitHint('label-value-too-long', 'max_label_value_length'),
      );
    }
    if (i > 0 && name === last) {
      return problem('duplicate_label_names', `received a series with duplicate label name, label: '${truncate(name)}' series: '${truncate(seriesString(names, values))}'${errorId('duplicate-label-names')}`);
    }
    last = name;
  }
  const labels: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    // Plain assignment to `__proto__` would set the prototype instead of adding a label.
    if (name === '__proto__') Object.defineProperty(labels, name, { value: values[i], enumerable: true, writable: true, configurable: true });
    else labels[name] = values[i] as string;
  }
  return withinGrace(s, labels, metric, limits, nowMs);
}

/** What validateSeries' outcome depends on besides the series: equal keys, equal outcomes. */
export function validationKey(limits: IngestLimits): string {
  return `${limits.name_validation_scheme}|${limits.max_label_names_per_series}|${limits.max_label_name_length}|${limits.max_label_value_length}`;
}

/**
 * validateSeries for a label set that passed it before under the same validationKey: only the
 * samples' timestamps are checked.
 */
export function validateKnownSeries(s: DecodedSeries, labels: Labels, limits: IngestLimits, nowMs: number): SeriesCheck {
  return withinGrace(s, labels, labels['__name__'] ?? '', limits, nowMs);
}

/** Drops samples too far in the future (Prometheus' receiver refuses them as out of bounds). */
function withinGrace(s: DecodedSeries, labels: Labels, metric: string, limits: IngestLimits, nowMs: number): SeriesCheck {
  const grace = limits.creation_grace_period_ms;
  if (grace <= 0) return { ok: true, labels, t: s.t, v: s.v };
  const maxT = nowMs + grace;
  let bad = 0;
  let first = 0;
  for (let i = 0; i < s.t.length; i++) {
    if ((s.t[i] as number) > maxT) {
      if (bad === 0) first = s.t[i] as number;
      bad++;
    }
  }
  if (bad === 0) return { ok: true, labels, t: s.t, v: s.v };
  const t = new Float64Array(s.t.length - bad);
  const v = new Float64Array(s.t.length - bad);
  // Copy through integer views so NaN payloads of the kept values are not touched.
  const src = new BigUint64Array(s.v.buffer, s.v.byteOffset, s.v.length);
  const dst = new BigUint64Array(v.buffer);
  let k = 0;
  for (let i = 0; i < s.t.length; i++) {
    if ((s.t[i] as number) > maxT) continue;
    t[k] = s.t[i] as number;
    dst[k] = src[i] as bigint;
    k++;
  }
  return {
    ok: true,
    labels,
    t,
    v,
    future: {
      reason: 'sample_too_far_in_future',
      count: bad,
      message: `received a sample whose timestamp is too far in the future, timestamp: ${first} series: '${truncate(metric)}'` + limitHint('sample-too-far-in-future', 'creation_grace_period_ms'),
    },
  };
}
