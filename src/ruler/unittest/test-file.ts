/**
 * The unit-test file of `promtool test rules` (Prometheus 2.42 cmd/promtool/unittest.go and
 * docs/configuration/unit_testing_rules.md): rule_files, evaluation_interval, group_eval_order
 * and test groups with input series in the expanding notation, alert_rule_test and
 * promql_expr_test. Parsing checks everything promtool rejects before running anything and
 * reports every problem with its line and column.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { Labels } from '../../core/labels.js';
import { fail, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { parseMetricText, parseSeriesLine } from '../../promql/promqltest/series-notation.js';
import type { SeqValue } from '../../promql/promqltest/series-notation.js';
import { YamlReader } from './yaml-reader.js';

/** One `input_series` entry, expanded. */
export interface InputSeries {
  readonly labels: Labels;
  /** One value per `interval` step from time 0. */
  readonly values: readonly SeqValue[];
}

/** One firing alert an alert_rule_test expects (exp_labels already include alertname). */
export interface ExpectedAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
}

export interface AlertTestCase {
  readonly evalTimeMs: number;
  readonly alertname: string;
  readonly expAlerts: readonly ExpectedAlert[];
}

export interface ExpectedSample {
  readonly labels: Labels;
  readonly value: number;
}

export interface PromqlTestCase {
  readonly expr: string;
  readonly evalTimeMs: number;
  readonly expSamples: readonly ExpectedSample[];
}

/** One entry of `tests`. */
export interface TestGroup {
  readonly name: string;
  /** `interval` of the input series; defaults to the file's evaluation interval. */
  readonly intervalMs: number;
  readonly inputSeries: readonly InputSeries[];
  readonly alertTests: readonly AlertTestCase[];
  readonly promqlTests: readonly PromqlTestCase[];
  readonly externalLabels: Labels;
  readonly externalURL: string;
}

export interface UnitTestFile {
  /** As written: relative to the test file, may be globs. */
  readonly ruleFiles: readonly string[];
  readonly evaluationIntervalMs: number;
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly TestGroup[];
}

const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
const FILE_FIELDS = ['rule_files', 'evaluation_interval', 'group_eval_order', 'tests'];
const GROUP_FIELDS = ['interval', 'input_series', 'alert_rule_test', 'promql_expr_test', 'external_labels', 'external_url', 'name'];

/** Parses a unit-test file; all problems at once, each with its position. */
export function parseTestFile(text: string): Result<UnitTestFile> {
  const r = new YamlReader(text);
  const file = r.issues.length > 0 ? undefined : readFile(r);
  if (r.issues.length > 0 || file === undefined) return fail(r.issues);
  return ok(file);
}

function readFile(r: YamlReader): UnitTestFile | undefined {
  const f = r.fields(r.root, 'unitTestFile', FILE_FIELDS);
  if (!f) return undefined;
  const ruleFiles = strings(r, f.get('rule_files'), 'rule_files');
  const evalNode = f.get('evaluation_interval');
  const evaluationIntervalMs = (evalNode ? duration(r, evalNode, 'evaluation_interval') : 0) || DEFAULT_EVALUATION_INTERVAL_MS;
  const order = strings(r, f.get('group_eval_order'), 'group_eval_order');
  const seen = new Set<string>();
  for (const [i, g] of order.entries()) {
    if (seen.has(g)) r.fail(r.list(f.get('group_eval_order'), '')?.[i], 'repeated_group', `group name repeated in evaluation order: ${g}`);
    seen.add(g);
  }
  const tests: TestGroup[] = [];
  for (const node of r.list(f.get('tests'), 'tests') ?? []) {
    const g = readGroup(r, node, evaluationIntervalMs);
    if (g) tests.push(g);
  }
  return { ruleFiles, evaluationIntervalMs, groupEvalOrder: order, tests };
}

function readGroup(r: YamlReader, node: Node | null, evaluationIntervalMs: number): TestGroup | undefined {
  const f = r.fields(node, 'testGroup', GROUP_FIELDS);
  if (!f) return undefined;
  const name = r.string(f.get('name'), 'name') ?? '';
  const intervalNode = f.get('interval');
  // promtool 2.42 loads series at a 0s step when `interval` is absent (every sample at time 0);
  // later versions default it to evaluation_interval, which is what anyone writing the file meant.
  const intervalMs = (intervalNode ? duration(r, intervalNode, 'interval') : 0) || evaluationIntervalMs;
  const inputSeries = new Map<string, InputSeries>();
  for (const s of r.list(f.get('input_series'), 'input_series') ?? []) {
    const series = readSeries(r, s);
    // The loader keys series by their labels: a repeated series replaces the earlier one.
    if (series) inputSeries.set(labelsKey(series.labels), series);
  }
  const alertTests: AlertTestCase[] = [];
  for (const a of r.list(f.get('alert_rule_test'), 'alert_rule_test') ?? []) {
    const t = readAlertTest(r, a, name);
    if (t) alertTests.push(t);
  }
  const promqlTests: PromqlTestCase[] = [];
  for (const p of r.list(f.get('promql_expr_test'), 'promql_expr_test') ?? []) {
    const t = readPromqlTest(r, p);
    if (t) promqlTests.push(t);
  }
  return {
    name,
    intervalMs,
    inputSeries: [...inputSeries.values()],
    alertTests,
    promqlTests,
    externalLabels: r.stringMap(f.get('external_labels'), 'external_labels') ?? {},
    externalURL: r.string(f.get('external_url'), 'external_url') ?? '',
  };
}

function readSeries(r: YamlReader, node: Node | null): InputSeries | undefined {
  const f = r.fields(node, 'series', ['series', 'values']);
  if (!f) return undefined;
  const seriesNode = f.get('series');
  const valuesNode = f.get('values');
  const series = r.string(seriesNode, 'series');
  const values = r.string(valuesNode, 'values');
  if (series === undefined || values === undefined) return undefined;
  // promtool hands `<series> <values>` to the promqltest loader as one line.
  const parsed = parseSeriesLine(`${series} ${values}`);
  if (!parsed.ok) {
    for (const it of parsed.issues) {
      const at = it.span?.start ?? 0;
      const [where, offset] = at <= series.length ? [seriesNode, at] : [valuesNode, at - series.length - 1];
      r.fail(where ?? node, 'bad_series', `${series} ${values}: ${it.message}`, textOffset(where) + offset);
    }
    return undefined;
  }
  if (parsed.value.values.includes('hist')) {
    r.fail(valuesNode ?? node, 'unsupported', 'native histogram samples are not supported');
    return undefined;
  }
  return parsed.value;
}

function readAlertTest(r: YamlReader, node: Node | null, groupName: string): AlertTestCase | undefined {
  const f = r.fields(node, 'alertTestCase', ['eval_time', 'alertname', 'exp_alerts']);
  if (!f) return undefined;
  const evalTimeMs = duration(r, f.get('eval_time'), 'eval_time');
  const alertname = r.string(f.get('alertname'), 'alertname');
  if (alertname === '') {
    const inGroup = groupName === '' ? '' : ` (in TestGroup ${groupName})`;
    r.fail(node, 'missing_alertname', `an item under alert_rule_test misses required attribute alertname at eval_time ${formatDuration(evalTimeMs)}${inGroup}`);
    return undefined;
  }
  const expAlerts: ExpectedAlert[] = [];
  for (const a of r.list(f.get('exp_alerts'), 'exp_alerts') ?? []) {
    const af = r.fields(a, 'alert', ['exp_labels', 'exp_annotations']);
    if (!af) continue;
    const labels = r.stringMap(af.get('exp_labels'), 'exp_labels');
    const annotations = r.stringMap(af.get('exp_annotations'), 'exp_annotations');
    // Users list the rule's labels; Prometheus adds alertname during evaluation.
    if (labels && annotations && alertname !== undefined) expAlerts.push({ labels: { ...labels, alertname }, annotations });
  }
  if (alertname === undefined) return undefined;
  return { evalTimeMs, alertname, expAlerts };
}

function readPromqlTest(r: YamlReader, node: Node | null): PromqlTestCase | undefined {
  const f = r.fields(node, 'promqlTestCase', ['expr', 'eval_time', 'exp_samples']);
  if (!f) return undefined;
  const expr = r.string(f.get('expr'), 'expr');
  const evalTimeMs = duration(r, f.get('eval_time'), 'eval_time');
  const expSamples: ExpectedSample[] = [];
  for (const s of r.list(f.get('exp_samples'), 'exp_samples') ?? []) {
    const sf = r.fields(s, 'sample', ['labels', 'value']);
    if (!sf) continue;
    const labelsNode = sf.get('labels');
    const text = r.string(labelsNode, 'labels');
    const value = r.float(sf.get('value'), 'value');
    if (text === undefined || value === undefined) continue;
    const labels = sampleLabels(text);
    if (!labels.ok) {
      const it = labels.issues[0];
      r.fail(labelsNode ?? s, 'bad_labels', `labels ${JSON.stringify(text)}: ${it?.message ?? 'invalid'}`, textOffset(labelsNode) + (it?.span?.start ?? 0));
      continue;
    }
    expSamples.push({ labels: labels.value, value });
  }
  if (expr === undefined) return undefined;
  return { expr, evalTimeMs, expSamples };
}

/** parser.ParseMetric: `name{a="b"}`, `{a="b"}`, or nothing at all (a scalar's empty label set). */
function sampleLabels(text: string): Result<Labels> {
  return text.trim() === '' ? ok({}) : parseMetricText(text);
}

function duration(r: YamlReader, node: Node | null | undefined, what: string): number {
  const text = r.string(node, what);
  if (text === undefined) return 0;
  if (text === '') return 0;
  const d = parseDuration(text);
  if (!d.ok) {
    r.fail(node, 'invalid_duration', `${what}: ${d.issues[0]?.message ?? 'invalid duration'}`);
    return 0;
  }
  return d.value;
}

function strings(r: YamlReader, node: Node | null | undefined, what: string): string[] {
  const out: string[] = [];
  for (const item of r.list(node, what) ?? []) {
    const s = r.string(item, `${what} entry`);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** Offset of a one-line scalar's first character from the node start (quotes). */
function textOffset(node: Node | null | undefined): number {
  return isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
}

function labelsKey(l: Labels): string {
  return JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
