/**
 * Result comparison of promqltest (test.go `compareResult`, `checkAnnotations`,
 * `checkExpectedFailure`, util/almost.Equal), reproduced rule for rule so that a case passes here
 * exactly when it would pass against Prometheus.
 */
import { STALE_NAN } from '../../core/stale-nan.js';
import RE2 from 're2';
import { compareLabels, labelsToString, sortedNames } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { isStaleNaN } from '../../core/stale-nan.js';
import type { Annotation, QueryValue, Series } from '../value.js';
import type { EvalCommand, Expectation, ExpectedSeries } from './commands.js';

/** promqltest's defaultEpsilon: relative error allowed for sample values. */
export const DEFAULT_EPSILON = 0.000001;
const MIN_NORMAL = 2.2250738585072014e-308;

/** util/almost.Equal: both stale, both NaN, or within epsilon relative error. */
export function almostEqual(a: number, b: number, epsilon = DEFAULT_EPSILON): boolean {
  const sa = isStaleNaN(a);
  const sb = isStaleNaN(b);
  if (sa || sb) return sa && sb;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** A canonical key of a label set (upstream compares labels.Hash()). */
export function labelKey(labels: Labels): string {
  let k = '';
  for (const n of sortedNames(labels)) k += `${n}\u0000${labels[n] as string}\u0001`;
  return k;
}

/** Go's %v of a float64. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function expectedIsOrdered(cmd: EvalCommand): boolean {
  return cmd.legacyOrdered || cmd.expects.ordered.length > 0;
}

/** True when the script expects the query to fail. */
export function expectsFailure(cmd: EvalCommand): boolean {
  return cmd.legacyFail || cmd.expects.fail.length > 0;
}

function describeSeries(s: Series): string {
  const pts: string[] = [];
  for (let i = 0; i < s.t.length; i++) pts.push(`${formatFloat(s.v[i] as number)} @[${s.t[i] as number}]`);
  return `${s.t.length} float point${s.t.length === 1 ? '' : 's'} [${pts.join(' ')}]`;
}

/** test.go assertMatrixSorted: range results come sorted by labels (labels.Compare). */
export function checkMatrixSorted(series: readonly Series[]): string | undefined {
  for (let i = 0; i + 1 < series.length; i++) {
    const a = (series[i] as Series).labels;
    const b = (series[i + 1] as Series).labels;
    if (compareLabels(a, b) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${i + 1} with labels ${labelsToString(b)} sorts before series at index ${i} with labels ${labelsToString(a)}`;
    }
  }
  return undefined;
}

/**
 * Compares a query value with the script's expectation; returns the error text, or undefined when
 * they match.
 */
export function compareResult(cmd: EvalCommand, value: QueryValue): string | undefined {
  const ordered = expectedIsOrdered(cmd);
  const byKey = new Map<string, ExpectedSeries>();
  for (const e of cmd.expected) byKey.set(labelKey(e.labels), e);
  switch (value.type) {
    case 'matrix': {
      if (ordered) return 'expected ordered result, but query returned a matrix';
      if (cmd.expectedScalar !== undefined) return `expected scalar result, but got matrix of ${value.series.length} series`;
      const unsorted = checkMatrixSorted(value.series);
      if (unsorted !== undefined) return unsorted;
      const seen = new Set<string>();
      // Upstream leaves `end` at the zero time for instant queries without `expect range vector`.
      const endMs = cmd.isRange || cmd.expectRangeVector ? cmd.endMs : -Infinity;
      for (const s of value.series) {
        const key = labelKey(s.labels);
        const exp = byKey.get(key);
        if (!exp) return `unexpected metric ${labelsToString(s.labels)} in result, has ${describeSeries(s)}`;
        seen.add(key);
        const expT: number[] = [];
        const expV: number[] = [];
        let hist = 0;
        for (let i = 0; i < exp.values.length; i++) {
          const t = cmd.startMs + i * cmd.stepMs;
          if (t > endMs) return `expected ${exp.values.length} points for ${labelsToString(exp.labels)}, but query time range cannot return this many points`;
          const v = exp.values[i];
          if (v === 'hist') hist++;
          else if (v !== 'omit' && v !== undefined) {
            expT.push(t);
            expV.push(v === 'stale' ? STALE_NAN : v);
          }
        }
        if (expT.length !== s.t.length || hist !== 0) {
          return `expected ${expT.length} float points and ${hist} histogram points for ${labelsToString(exp.labels)}, but got ${describeSeries(s)}`;
        }
        for (let i = 0; i < expT.length; i++) {
          const at = s.t[i] as number;
          const av = s.v[i] as number;
          if (expT[i] !== at) {
            return `expected float value at index ${i} for ${labelsToString(exp.labels)} to have timestamp ${expT[i] as number}, but it had timestamp ${at} (result has ${describeSeries(s)})`;
          }
          if (!almostEqual(av, expV[i] as number)) {
            return `expected float value at index ${i} (t=${at}) for ${labelsToString(exp.labels)} to be ${formatFloat(expV[i] as number)}, but got ${formatFloat(av)} (result has ${describeSeries(s)})`;
          }
        }
      }
      for (const [key, e] of byKey) if (!seen.has(key)) return `expected metric ${labelsToString(e.labels)} not found`;
      return undefined;
    }
    case 'vector': {
      if (cmd.expectedScalar !== undefined) return `expected scalar result, but got vector of ${value.samples.length} samples`;
      const seen = new Set<string>();
      for (let pos = 0; pos < value.samples.length; pos++) {
        const smp = value.samples[pos];
        if (!smp) continue;
        const key = labelKey(smp.labels);
        const exp = byKey.get(key);
        if (!exp) return `unexpected metric ${labelsToString(smp.labels)} in result, has value ${formatFloat(smp.v)}`;
        if (ordered && exp.pos !== pos + 1) {
          return `expected metric ${labelsToString(smp.labels)} with [${exp.values.map(String).join(' ')}] at position ${exp.pos} but was at ${pos + 1}`;
        }
        const e0 = exp.values[0];
        if (e0 === undefined) return `expected metric ${labelsToString(exp.labels)} has no value`;
        if (e0 === 'hist') return `expected histogram for ${labelsToString(smp.labels)} but got float value ${formatFloat(smp.v)}`;
        // An omitted point (`_`) reads as 0 here, as upstream's SequenceValue{Omitted: true}.Value.
        const ev = e0 === 'omit' ? 0 : e0 === 'stale' ? STALE_NAN : e0;
        if (!almostEqual(ev, smp.v)) return `expected ${formatFloat(ev)} for ${labelsToString(smp.labels)} but got ${formatFloat(smp.v)}`;
        seen.add(key);
      }
      for (const [key, e] of byKey) {
        if (!seen.has(key)) return `expected metric ${labelsToString(e.labels)} with [${e.values.map(String).join(' ')}] not found`;
      }
      return undefined;
    }
    case 'scalar': {
      if (cmd.expectedScalar === undefined) return `expected vector or matrix result, but got scalar: ${formatFloat(value.v)} @[${value.t}]`;
      if (!almostEqual(cmd.expectedScalar, value.v)) return `expected scalar ${formatFloat(cmd.expectedScalar)} but got ${formatFloat(value.v)}`;
      return undefined;
    }
    case 'string': {
      const want = cmd.expectedString ?? '';
      if (want !== value.v) return `expected string "${want}" but got "${value.v}"`;
      return undefined;
    }
  }
}

const regexCache = new Map<string, RE2>();

function matches(e: Expectation, text: string): boolean {
  if (e.message !== undefined) return e.message === text;
  if (e.regex === undefined) return true;
  let re = regexCache.get(e.regex);
  if (!re) {
    re = new RE2(e.regex, 'u');
    regexCache.set(e.regex, re);
  }
  return re.test(text);
}

function describeExpectation(e: Expectation): string {
  return e.message !== undefined ? `message ${JSON.stringify(e.message)}` : `pattern ${JSON.stringify(e.regex ?? '^.*$')}`;
}

function checkOfType(expr: string, line: number, type: 'warn' | 'info', expected: readonly Expectation[], actual: readonly string[]): string | undefined {
  if (expected.length === 0) return undefined;
  if (actual.length === 0) return `expected ${type} annotations but none were found for query ${JSON.stringify(expr)} (line ${line})`;
  for (const e of expected) {
    if (!actual.some((a) => matches(e, a))) {
      return `expected ${type} annotation matching ${describeExpectation(e)} but no matching annotation was found for query ${JSON.stringify(expr)} (line ${line}), found: [${actual.join(', ')}]`;
    }
  }
  for (const a of actual) {
    if (!expected.some((e) => matches(e, a))) return `unexpected ${type} annotation ${JSON.stringify(a)} found for query ${expr} (line ${line})`;
  }
  return undefined;
}

/** test.go checkAnnotations: annotations are checked only as far as `expect` lines ask. */
export function checkAnnotations(cmd: EvalCommand, expr: string, annotations: readonly Annotation[]): string | undefined {
  const warnings = annotations.filter((a) => a.level === 'warning').map((a) => a.message);
  const infos = annotations.filter((a) => a.level === 'info').map((a) => a.message);
  if (cmd.legacyWarn && warnings.length === 0) return `expected warnings evaluating query ${JSON.stringify(expr)} (line ${cmd.line}) but got none`;
  if (cmd.legacyInfo && infos.length === 0) return `expected info annotations evaluating query ${JSON.stringify(expr)} (line ${cmd.line}) but got none`;
  const w = checkOfType(expr, cmd.line, 'warn', cmd.expects.warn, warnings);
  if (w !== undefined) return w;
  const i = checkOfType(expr, cmd.line, 'info', cmd.expects.info, infos);
  if (i !== undefined) return i;
  if (cmd.expects.no_warn.length > 0 && warnings.length > 0) {
    return `unexpected warning annotations evaluating query ${JSON.stringify(expr)} (line ${cmd.line}): [${warnings.join(', ')}]`;
  }
  if (cmd.expects.no_info.length > 0 && infos.length > 0) {
    return `unexpected info annotations evaluating query ${JSON.stringify(expr)} (line ${cmd.line}): [${infos.join(', ')}]`;
  }
  return undefined;
}

/** test.go checkExpectedFailure: the error text must satisfy every failure expectation given. */
export function checkExpectedFailure(cmd: EvalCommand, errorText: string): string | undefined {
  if (cmd.expectedFailMessage !== undefined && cmd.expectedFailMessage !== '' && cmd.expectedFailMessage !== errorText) {
    return `expected error ${JSON.stringify(cmd.expectedFailMessage)} evaluating query ${JSON.stringify(cmd.expr)} (line ${cmd.line}), but got: ${errorText}`;
  }
  if (cmd.expectedFailRegexp !== undefined && !matches({ regex: cmd.expectedFailRegexp }, errorText)) {
    return `expected error matching pattern ${JSON.stringify(cmd.expectedFailRegexp)} evaluating query ${JSON.stringify(cmd.expr)} (line ${cmd.line}), but got: ${errorText}`;
  }
  const f = cmd.expects.fail[0];
  if (f && !matches(f, errorText)) {
    return `expected error matching ${describeExpectation(f)} evaluating query ${JSON.stringify(cmd.expr)} (line ${cmd.line}), but got: ${errorText}`;
  }
  return undefined;
}
