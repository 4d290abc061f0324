/**
 * The failure texts of `promtool test rules` (Prometheus 2.42 cmd/promtool/unittest.go), byte for
 * byte: Go's labels.Labels.String(), strconv.FormatFloat(v, 'E', -1, 64), time.Duration.String()
 * for rule-error times, model.Duration for eval times, and the indented alert lists.
 */
import { formatDuration } from '../../core/duration.js';
import { compareLabels, goQuote, sortedNames } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { ExpectedAlert, ExpectedSample } from './test-file.js';

/** labels.Labels.String(): `{__name__="up", job="a"}`, names sorted. */
export function goLabels(l: Labels): string {
  return `{${sortedNames(l)
    .map((n) => `${n}=${goQuote(l[n] as string)}`)
    .join(', ')}}`;
}

/** strconv.FormatFloat(v, 'E', -1, 64): `1E+00`, `3.5E-07`, `NaN`, `+Inf`. */
export function goFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = (Object.is(v, -0) ? '-' : '') + v.toExponential().toUpperCase();
  return s.replace(/E([+-])(\d)$/, 'E$10$2');
}

/** time.Duration.String() of whole milliseconds: `0s`, `500ms`, `1m0s`, `1h0m30.5s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (a < 1000) return `${neg}${a}ms`;
  const h = Math.floor(a / 3_600_000);
  const m = Math.floor((a % 3_600_000) / 60_000);
  const s = `${(a % 60_000) / 1000}s`;
  if (h > 0) return `${neg}${h}h${m}m${s}`;
  if (m > 0) return `${neg}${m}m${s}`;
  return `${neg}${s}`;
}

/** indentLines: every line after the first gets `indent`. */
export function indentLines(lines: string, indent: string): string {
  return lines.split('\n').join(`\n${indent}`);
}

/** Alerts in promtool's comparison order: labels, then annotations (labels.Compare). */
export function sortAlerts(alerts: readonly ExpectedAlert[]): ExpectedAlert[] {
  return [...alerts].sort((a, b) => compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations));
}

/** labelsAndAnnotations.String(). */
export function alertsString(alerts: readonly ExpectedAlert[]): string {
  if (alerts.length === 0) return '[]';
  const items = alerts.map((a, i) => `${i}:${indentLines(`\nLabels:${goLabels(a.labels)}\nAnnotations:${goLabels(a.annotations)}`, '  ')}`);
  return `[\n${items.join(',\n')}\n]`;
}

/** parsedSamplesString: `nil` or `{...} 1E+00, {...} 2E+00`. */
export function samplesString(samples: readonly ExpectedSample[]): string {
  if (samples.length === 0) return 'nil';
  return samples.map((s) => `${goLabels(s.labels)} ${goFloatE(s.value)}`).join(', ');
}

/** The message of one failed alert_rule_test. */
export function alertFailure(group: string, alertname: string, evalTimeMs: number, exp: readonly ExpectedAlert[], got: readonly ExpectedAlert[]): string {
  const name = group === '' ? '' : `    name: ${group},\n`;
  const pad = '            ';
  return `${name}    alertname: ${alertname}, time: ${formatDuration(evalTimeMs)}, \n        exp:${indentLines(alertsString(exp), pad)}, \n        got:${indentLines(alertsString(got), pad)}`;
}

/** The message of one failed promql_expr_test comparison. */
export function samplesFailure(expr: string, evalTimeMs: number, exp: readonly ExpectedSample[], got: readonly ExpectedSample[]): string {
  return `    expr: ${goQuote(expr)}, time: ${formatDuration(evalTimeMs)},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(got)}`;
}

/** A promql_expr_test whose query failed. */
export function exprError(expr: string, evalTimeMs: number, err: string): string {
  return `    expr: ${goQuote(expr)}, time: ${formatDuration(evalTimeMs)}, err: ${err}`;
}

/** A rule that failed during evaluation (ends the test group). */
export function ruleError(rule: string, tsMs: number, err: string): string {
  return `    rule: ${rule}, time: ${goDuration(tsMs)}, err: ${err}`;
}
