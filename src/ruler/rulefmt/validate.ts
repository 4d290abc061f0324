/**
 * Semantic checks of decoded rule groups, in Prometheus' order and wording (model/rulefmt/rulefmt.go
 * `RuleGroups.Validate`, `Rule.Validate`, `testTemplateParsing`) with the UTF-8 name validation
 * Prometheus 3 and promtool use. Label and annotation maps are checked in sorted key order (upstream
 * iterates Go maps, so its order varies from run to run).
 */
import { goQuote, isValidLabelName, isWellFormedUtf16 } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { Position } from '../../core/result.js';
import { formatParseError, parseExpr } from '../../promql/index.js';
import type { RuleConfig, RuleGroupConfig } from '../api.js';
import type { RawGroup, RawRule } from './decode.js';
import type { RuleIssue } from './issues.js';

/** Checks an alert template; returns upstream's error text (`template: __alert_X:1: ...`) or undefined. */
export type TemplateChecker = (alertname: string, text: string) => string | undefined;

function sortedEntries(m: ReadonlyMap<string, string>): Array<[string, string]> {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function toLabels(m: ReadonlyMap<string, string>): Labels {
  return Object.fromEntries(sortedEntries(m));
}

/** Group-level checks of one group (name, group labels); `seen` holds names of earlier groups in the file. */
export function checkGroup(g: RawGroup, seen: Set<string> | undefined): RuleIssue[] {
  const out: RuleIssue[] = [];
  const at = { range: { start: g.pos }, at: [g.pos] };
  if (g.name === '') out.push({ code: 'group_name_empty', form: 'group', message: 'Groupname must not be empty', ...at });
  if (seen?.has(g.name)) out.push({ code: 'group_name_repeated', form: 'group', message: `groupname: "${g.name}" is repeated in the same file`, group: g.name, ...at });
  seen?.add(g.name);
  for (const [k, v] of sortedEntries(g.labels)) {
    if (!isValidLabelName(k) || k === '__name__') out.push({ code: 'invalid_label_name', form: 'plain', message: `invalid label name: ${k}`, group: g.name, range: { start: g.pos } });
    if (!isWellFormedUtf16(v)) out.push({ code: 'invalid_label_value', form: 'plain', message: `invalid label value: ${v}`, group: g.name, range: { start: g.pos } });
  }
  if (g.limit < 0) out.push({ code: 'invalid_limit', form: 'group', message: `invalid limit: ${g.limit}, must not be negative`, group: g.name, range: { start: g.limitPos }, at: [g.limitPos] });
  return out;
}

/** Rule.Validate + testTemplateParsing for rule `index` (0-based) of group `group`. */
export function checkRule(r: RawRule, group: string, index: number, checkTemplate: TemplateChecker): RuleIssue[] {
  const ruleName = r.alert.value !== '' ? r.alert.value : r.record.value;
  const out: RuleIssue[] = [];
  const add = (code: string, message: string, at: readonly Position[]): void => {
    const real = at.find((p) => p.line > 0) ?? r.pos;
    out.push({ code, form: 'rule', message, group, rule: index + 1, ruleName, at, range: { start: real } });
  };
  const record = r.record.value;
  if (record !== '' && r.alert.value !== '') add('record_and_alert', "only one of 'record' and 'alert' must be set", [r.record.pos, r.alert.pos]);
  if (record === '' && r.alert.value === '') add('no_record_or_alert', "one of 'record' or 'alert' must be set", [r.record.pos, r.alert.pos]);
  if (r.expr.value === '') add('no_expr', "field 'expr' must be set in rule", [r.expr.pos]);
  else {
    const parsed = parseExpr(r.expr.value);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      add('invalid_expr', `could not parse expression: ${first ? formatParseError(first) : 'parse error'}`, [r.expr.pos]);
    }
  }
  if (record !== '') {
    if (r.annotations.size > 0) add('recording_annotations', "invalid field 'annotations' in recording rule", [r.record.pos]);
    if (r.forMs !== 0) add('recording_for', "invalid field 'for' in recording rule", [r.record.pos]);
    if (r.keepFiringForMs !== 0) add('recording_keep_firing_for', "invalid field 'keep_firing_for' in recording rule", [r.record.pos]);
    if (!isWellFormedUtf16(record)) add('invalid_record_name', `invalid recording rule name: ${record}`, [r.record.pos]);
    if (record.includes('{') || record.includes('}')) add('braces_in_record_name', `braces present in the recording rule name; should it be in expr?: ${record}`, [r.record.pos]);
  }
  for (const [k, v] of sortedEntries(r.labels)) {
    if (!isValidLabelName(k) || k === '__name__') add('invalid_label_name', `invalid label name: ${k}`, []);
    if (!isWellFormedUtf16(v)) add('invalid_label_value', `invalid label value: ${v}`, []);
  }
  for (const [k] of sortedEntries(r.annotations)) {
    if (!isValidLabelName(k)) add('invalid_annotation_name', `invalid annotation name: ${k}`, []);
  }
  if (r.alert.value !== '') {
    for (const [k, v] of sortedEntries(r.labels)) {
      const err = checkTemplate(r.alert.value, v);
      if (err !== undefined) add('label_template', `label ${goQuote(k)}: ${err}`, []);
    }
    for (const [k, v] of sortedEntries(r.annotations)) {
      const err = checkTemplate(r.alert.value, v);
      if (err !== undefined) add('annotation_template', `annotation ${goQuote(k)}: ${err}`, []);
    }
  }
  return out;
}

/** The validated rule as the ruler's contract has it (call only when checkRule found nothing). */
export function toRuleConfig(r: RawRule): RuleConfig {
  if (r.record.value !== '') return { kind: 'recording', record: r.record.value, expr: r.expr.value, labels: toLabels(r.labels) };
  return {
    kind: 'alerting',
    alert: r.alert.value,
    expr: r.expr.value,
    forMs: r.forMs,
    keepFiringForMs: r.keepFiringForMs,
    labels: toLabels(r.labels),
    annotations: toLabels(r.annotations),
  };
}

/** The validated group (interval 0 = unset, as model.Duration's zero value means the default). */
export function toGroupConfig(g: RawGroup, queryOffsetMs: number | undefined): RuleGroupConfig {
  return {
    name: g.name,
    ...(g.intervalMs > 0 ? { intervalMs: g.intervalMs } : {}),
    ...(queryOffsetMs !== undefined ? { queryOffsetMs } : {}),
    limit: g.limit,
    labels: toLabels(g.labels),
    rules: g.rules.map(toRuleConfig),
  };
}
