/**
 * Runs one unit-test file as `promtool test rules` does (Prometheus 2.42 cmd/promtool/unittest.go):
 * per test group, fresh storage; input series become visible only up to each evaluation time (the
 * promqltest LazyLoader); every group is evaluated at 0, interval, 2*interval ... up to the largest
 * eval_time, in group_eval_order; alert tests compare the firing alerts of the evaluation at or
 * just before their eval_time; promql_expr_tests run last, over what the evaluations left.
 * A rule error ends its test group. Returns promtool's texts; printing is the CLI's job.
 */
import { dirname, isAbsolute, join } from 'node:path';
import { labelsEqual, compareLabels } from '../../core/labels.js';
import { formatIssue, sortIssues } from '../../core/result.js';
import { MemorySeriesSource } from '../../promql/index.js';
import type { EvalGroup, EvalSettings, QueryBackend, RuleGroupConfig } from '../api.js';
import { LocalQueryBackend, memoryBackend } from '../backend/index.js';
import { formatRuleIssues, parseRuleFile } from '../rulefmt/index.js';
import { goGlob } from './go-glob.js';
import type { GlobFs } from './go-glob.js';
import { alertFailure, exprError, ruleError, samplesFailure, sortAlerts } from './report.js';
import { parseTestFile } from './test-file.js';
import type { ExpectedAlert, ExpectedSample, InputSeries, TestGroup, UnitTestFile } from './test-file.js';

/** File access for the test file, its rule files and their globs. */
export interface UnitTestFs extends GlobFs {
  /** The file's text; throws an Error whose message says why not. */
  readFile(path: string): string;
}

/**
 * What one test group needs to build a rule group. The group must count its alerting rules as
 * restored from the start (promtool's SetRestored(true)), so ALERTS series exist at once.
 */
export interface GroupParams {
  readonly namespace: string;
  readonly config: RuleGroupConfig;
  readonly settings: EvalSettings;
  readonly backend: QueryBackend;
}

/** The pieces a run needs: file access and the group evaluator. */
export interface UnitTestEnv {
  readonly fs: UnitTestFs;
  readonly createGroup: (params: GroupParams) => EvalGroup;
}

/** The outcome of one file: warnings (stderr) and failures; no failures = SUCCESS. */
export interface FileOutcome {
  readonly warnings: readonly string[];
  readonly failures: readonly string[];
}

/** promtool's engine in the LazyLoader: at most 10000 samples per query. */
const MAX_SAMPLES = 10_000;

/** Runs every test group of the unit-test file at `path`. */
export async function runTestFile(path: string, env: UnitTestEnv): Promise<FileOutcome> {
  let text: string;
  try {
    text = env.fs.readFile(path);
  } catch (e) {
    return { warnings: [], failures: [e instanceof Error ? e.message : String(e)] };
  }
  const parsed = parseTestFile(text);
  if (!parsed.ok) return { warnings: [], failures: sortIssues(parsed.issues).map((i) => formatIssue(i, path)) };
  const file = parsed.value;
  const warnings: string[] = [];
  const ruleFiles: string[] = [];
  for (const pattern of file.ruleFiles) {
    const full = pattern !== '' && !isAbsolute(pattern) ? join(dirname(path), pattern) : pattern;
    const m = goGlob(full, env.fs);
    if (!m.ok) return { warnings, failures: [m.error] };
    if (m.paths.length === 0) warnings.push(`  WARNING: no file match pattern ${full}`);
    ruleFiles.push(...m.paths);
  }
  const failures: string[] = [];
  for (const group of file.tests) failures.push(...(await runGroup(group, file, ruleFiles, env)));
  return { warnings, failures };
}

async function runGroup(tg: TestGroup, file: UnitTestFile, ruleFiles: readonly string[], env: UnitTestEnv): Promise<string[]> {
  const evalInterval = file.evaluationIntervalMs;
  const source = new MemorySeriesSource();
  // memoryBackend's return type collapses to never (its public `source` meets the class's private one).
  const store: QueryBackend = memoryBackend(source);
  const backend = new LocalQueryBackend(source, (s) => store.append(s), undefined, { defaultSubqueryStepMs: evalInterval, maxSamples: MAX_SAMPLES });
  const loaded = loadGroups(tg, file, ruleFiles, env, backend);
  if (!loaded.ok) return loaded.errors;
  const groups = loaded.groups;

  const feeder = new SeriesFeeder(tg.inputSeries, tg.intervalMs, source);
  const alertTimes = [...new Set(tg.alertTests.map((a) => a.evalTimeMs))].sort((a, b) => a - b);
  const maxt = Math.max(0, ...tg.alertTests.map((a) => a.evalTimeMs), ...tg.promqlTests.map((p) => p.evalTimeMs));
  const errs: string[] = [];
  let curr = 0;
  for (let ts = 0; ts <= maxt; ts += evalInterval) {
    feeder.feedUntil(ts);
    const evalErrs: string[] = [];
    for (const g of groups) {
      await g.evaluate(ts);
      for (const r of g.view().rules) if (r.lastError !== '') evalErrs.push(ruleError(r.name, ts, r.lastError));
    }
    if (evalErrs.length > 0) return [...errs, ...evalErrs];
    // Alert tests whose eval_time falls in [ts, ts + interval) are checked against this evaluation.
    for (; curr < alertTimes.length && (alertTimes[curr] as number) < ts + evalInterval; curr++) {
      const t = alertTimes[curr] as number;
      for (const tc of tg.alertTests) {
        if (tc.evalTimeMs !== t) continue;
        const exp = sortAlerts(tc.expAlerts);
        const got = sortAlerts(firingAlerts(groups, tc.alertname));
        if (!sameAlerts(exp, got)) errs.push(alertFailure(tg.name, tc.alertname, tc.evalTimeMs, exp, got));
      }
    }
  }
  for (const tc of tg.promqlTests) {
    let got: ExpectedSample[];
    try {
      got = (await backend.queryVector(tc.expr, tc.evalTimeMs)).map((s) => ({ labels: s.labels, value: s.v }));
    } catch (e) {
      errs.push(exprError(tc.expr, tc.evalTimeMs, e instanceof Error ? e.message : String(e)));
      continue;
    }
    const exp = sortSamples(tc.expSamples);
    got = sortSamples(got);
    if (!sameSamples(exp, got)) errs.push(samplesFailure(tc.expr, tc.evalTimeMs, exp, got));
  }
  return errs;
}

/** The rule files' groups as EvalGroups in evaluation order, or the rule files' errors. */
function loadGroups(tg: TestGroup, file: UnitTestFile, ruleFiles: readonly string[], env: UnitTestEnv, backend: QueryBackend): { ok: true; groups: EvalGroup[] } | { ok: false; errors: string[] } {
  const settings: EvalSettings = {
    defaultIntervalMs: tg.intervalMs,
    defaultQueryOffsetMs: 0,
    resendDelayMs: 60_000,
    forGracePeriodMs: 600_000,
    forOutageToleranceMs: 3_600_000,
    externalLabels: tg.externalLabels,
    externalURL: tg.externalURL,
  };
  const errors: string[] = [];
  const found: Array<{ order: number; index: number; group: EvalGroup }> = [];
  const order = new Map(file.groupEvalOrder.map((name, i) => [name, i]));
  for (const rf of ruleFiles) {
    let text: string;
    try {
      text = env.fs.readFile(rf);
    } catch (e) {
      errors.push(e instanceof Error ? e.message : String(e));
      continue;
    }
    const r = parseRuleFile(text, rf);
    if (!r.ok) {
      errors.push(...formatRuleIssues(r.issues, rf));
      continue;
    }
    for (const config of r.value) {
      // Groups group_eval_order leaves out share the first slot, as in promtool's partial order.
      found.push({ order: order.get(config.name) ?? 0, index: found.length, group: env.createGroup({ namespace: rf, config, settings, backend }) });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  found.sort((a, b) => a.order - b.order || a.index - b.index);
  return { ok: true, groups: found.map((f) => f.group) };
}

/** Firing alerts of every alerting rule named `alertname`, across groups. */
function firingAlerts(groups: readonly EvalGroup[], alertname: string): ExpectedAlert[] {
  const out: ExpectedAlert[] = [];
  for (const g of groups) {
    for (const r of g.view().rules) {
      if (r.type !== 'alerting' || r.name !== alertname) continue;
      for (const a of r.alerts) if (a.state === 'firing') out.push({ labels: a.labels, annotations: a.annotations });
    }
  }
  return out;
}

function sameAlerts(a: readonly ExpectedAlert[], b: readonly ExpectedAlert[]): boolean {
  return a.length === b.length && a.every((x, i) => labelsEqual(x.labels, (b[i] as ExpectedAlert).labels) && labelsEqual(x.annotations, (b[i] as ExpectedAlert).annotations));
}

function sortSamples(s: readonly ExpectedSample[]): ExpectedSample[] {
  return [...s].sort((a, b) => compareLabels(a.labels, b.labels) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** reflect.DeepEqual on the floats: NaN never equals, 0 equals -0. */
function sameSamples(a: readonly ExpectedSample[], b: readonly ExpectedSample[]): boolean {
  return a.length === b.length && a.every((x, i) => labelsEqual(x.labels, (b[i] as ExpectedSample).labels) && x.value === (b[i] as ExpectedSample).value);
}

/** Appends input samples up to a time, each once (promql.LazyLoader.WithSamplesTill). */
class SeriesFeeder {
  private readonly next: number[];

  constructor(
    private readonly series: readonly InputSeries[],
    private readonly stepMs: number,
    private readonly source: MemorySeriesSource,
  ) {
    this.next = series.map(() => 0);
  }

  feedUntil(ts: number): void {
    this.series.forEach((s, i) => {
      let k = this.next[i] as number;
      for (; k < s.values.length && k * this.stepMs <= ts; k++) {
        const v = s.values[k];
        if (v === 'stale') this.source.addStale(s.labels, k * this.stepMs);
        else if (typeof v === 'number') this.source.add(s.labels, k * this.stepMs, v);
      }
      this.next[i] = k;
    });
  }
}
