/**
 * One rule group's evaluation (rules/group.go `Group` minus its scheduling loop): rules run in
 * order, each rule's output written (awaited) before the next rule queries, stale markers for
 * series a rule stopped producing, alerts handed to the sink after each successful alerting-rule
 * evaluation, restore of `for` state, state hand-over on reload (CopyState), and the API view.
 */
import type { Labels } from '../../core/labels.js';
import type { Clock, Logger } from '../../core/runtime.js';
import { STALE_NAN } from '../../core/stale-nan.js';
import { NOOP_RULER_METRICS } from '../api.js';
import type { AlertSink, EvalGroup, EvalSettings, GroupView, QueryBackend, RuleGroupConfig, RulerMetrics, RuleSample } from '../api.js';
import { AlertingRule } from './alerting-rule.js';
import { RecordingRule } from './recording-rule.js';
import { restoreForState } from './restore.js';
import { ruleLabels } from './rule.js';
import type { RuleEvalContext, RuleOutput } from './rule.js';
import { expandAlertTemplate } from './template.js';
import type { TemplateExpander } from './template.js';

export interface EvalGroupParams {
  readonly tenant: string;
  readonly namespace: string;
  readonly config: RuleGroupConfig;
  readonly settings: EvalSettings;
  readonly backend: QueryBackend;
  readonly sink?: AlertSink;
  /** Measures evaluation durations only; evaluation times are the `ts` passed to evaluate(). */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: RulerMetrics;
  /**
   * True for groups loaded when the ruler starts: alerting rules write no ALERTS series until
   * restoreForState ran. False (default) for groups added later and for `rules test`, whose rules
   * count as restored from the start (rules/manager.go: restored = !shouldRestore).
   */
  readonly shouldRestore?: boolean;
  /** Template expansion; defaults to Prometheus' alert templates. */
  readonly expandTemplate?: TemplateExpander;
}

type Rule = RecordingRule | AlertingRule;
type SeriesMap = Map<string, Labels>;

/** Creates the group; never throws (a rule whose expression does not parse fails at each evaluation). */
export function createEvalGroup(params: EvalGroupParams): EvalGroup {
  return new RuleGroup(params);
}

class RuleGroup implements EvalGroup {
  readonly tenant: string;
  readonly namespace: string;
  readonly name: string;
  readonly intervalMs: number;
  private readonly queryOffsetMs: number;
  private readonly rules: Rule[];
  /** Per rule: the series its last successful write produced (seriesInPreviousEval). */
  private seriesInPreviousEval: SeriesMap[];
  /** Series of rules gone in a reload, marked stale at the next evaluation (staleSeries). */
  private staleSeries: Labels[] = [];
  private evaluationTime = 0;
  private lastEvaluation = 0;
  private readonly definition: string;
  private readonly metrics: RulerMetrics;
  private readonly logger: Logger;
  private readonly groupKey: string;

  constructor(private readonly p: EvalGroupParams) {
    const { config, settings } = p;
    this.tenant = p.tenant;
    this.namespace = p.namespace;
    this.name = config.name;
    this.intervalMs = config.intervalMs ?? settings.defaultIntervalMs;
    this.queryOffsetMs = config.queryOffsetMs ?? settings.defaultQueryOffsetMs;
    this.metrics = p.metrics ?? NOOP_RULER_METRICS;
    this.groupKey = `${p.namespace};${config.name}`;
    this.logger = p.logger.child({ component: 'ruler', tenant: p.tenant, file: p.namespace, group: config.name });
    const env = { externalLabels: settings.externalLabels, externalURL: settings.externalURL, expand: p.expandTemplate ?? expandAlertTemplate };
    this.rules = config.rules.map((r) =>
      r.kind === 'recording'
        ? new RecordingRule(r.record, r.expr, ruleLabels(config.labels, r.labels))
        : new AlertingRule(r.alert, r.expr, r.forMs, r.keepFiringForMs, ruleLabels(config.labels, r.labels), r.annotations, env, p.shouldRestore !== true),
    );
    this.seriesInPreviousEval = this.rules.map(() => new Map<string, Labels>());
    this.definition = groupDefinition(p.namespace, this.intervalMs, config, this.rules);
  }

  async evaluate(ts: number, signal?: AbortSignal): Promise<void> {
    const start = this.p.clock.now();
    let samples = 0;
    try {
      for (let i = 0; i < this.rules.length; i++) {
        if (signal?.aborted) break;
        samples += await this.evalRule(i, ts, signal);
      }
      if (!signal?.aborted) await this.cleanupStaleSeries(ts);
    } catch (e) {
      this.logger.error({ err: errorText(e) }, 'Rule group evaluation failed');
    }
    const seconds = (this.p.clock.now() - start) / 1000;
    this.evaluationTime = seconds;
    this.lastEvaluation = ts;
    this.metrics.groupEvaluated(this.tenant, this.groupKey, seconds, samples);
  }

  /** Evaluates rule `i` and writes its output; returns the number of samples it produced. */
  private async evalRule(i: number, ts: number, signal: AbortSignal | undefined): Promise<number> {
    const rule = this.rules[i] as Rule;
    const start = this.p.clock.now();
    const ctx: RuleEvalContext = { ts, queryOffsetMs: this.queryOffsetMs, limit: this.p.config.limit, backend: this.p.backend, ...(signal ? { signal } : {}) };
    let failed = false;
    let produced = 0;
    try {
      let output: RuleOutput;
      try {
        output = await rule.eval(ctx);
      } catch (e) {
        failed = true;
        rule.health = 'err';
        rule.lastError = errorText(e);
        if (!signal?.aborted) this.logger.warn({ rule: rule.name, index: i, err: rule.lastError }, 'Evaluating rule failed');
        return 0;
      }
      rule.health = 'ok';
      rule.lastError = '';
      produced = output.samples.length;
      if (rule instanceof AlertingRule) this.send(rule, ts);
      failed = !(await this.write(i, rule, output, ts));
      return produced;
    } finally {
      const seconds = (this.p.clock.now() - start) / 1000;
      rule.evaluationTime = seconds;
      rule.lastEvaluation = ts;
      this.metrics.ruleEvaluated(this.tenant, this.groupKey, failed, seconds);
    }
  }

  private send(rule: AlertingRule, ts: number): void {
    const alerts = rule.alertsToSend(ts, this.p.settings.resendDelayMs, this.intervalMs);
    if (alerts.length > 0 && this.p.sink) this.p.sink.send(this.tenant, alerts);
  }

  /**
   * Appends the rule's output, then stale markers for series it no longer produces. A refused
   * sample marks the rule unhealthy but is not fatal; a failed write (transport) is, and keeps the
   * previous series bookkeeping. Returns false on a failed write.
   *
   * A series written in the previous evaluation is written with the same (frozen) labels object as
   * then, so the store finds it by identity instead of re-keying the label set every evaluation.
   */
  private async write(i: number, rule: Rule, output: RuleOutput, ts: number): Promise<boolean> {
    const previous = this.seriesInPreviousEval[i] as SeriesMap;
    const returned: SeriesMap = new Map();
    const { samples, keys } = output;
    const batch: RuleSample[] = new Array<RuleSample>(samples.length);
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k] as RuleSample;
      const key = keys[k] as string;
      const labels = previous.get(key) ?? Object.freeze(s.labels);
      returned.set(key, labels);
      batch[k] = labels === s.labels ? s : { labels, t: s.t, v: s.v };
    }
    try {
      if (batch.length > 0) {
        const r = await this.p.backend.append(batch);
        if (r.rejected > 0) {
          rule.health = 'err';
          rule.lastError = r.firstError ?? `${r.rejected} samples refused`;
          this.logger.warn({ rule: rule.name, index: i, num_dropped: r.rejected, err: rule.lastError }, 'Rule evaluation results discarded');
        }
      }
      const stale: RuleSample[] = [];
      const t = ts - this.queryOffsetMs;
      for (const [key, labels] of previous) {
        if (!returned.has(key)) stale.push({ labels, t, v: STALE_NAN });
      }
      // Refused stale markers are expected when another rule writes the series: not reported.
      if (stale.length > 0) await this.p.backend.append(stale);
    } catch (e) {
      rule.health = 'err';
      rule.lastError = errorText(e);
      this.logger.warn({ rule: rule.name, index: i, err: rule.lastError }, 'Rule sample appending failed');
      return false;
    }
    this.seriesInPreviousEval[i] = returned;
    return true;
  }

  private async cleanupStaleSeries(ts: number): Promise<void> {
    if (this.staleSeries.length === 0) return;
    const t = ts - this.queryOffsetMs;
    try {
      await this.p.backend.append(this.staleSeries.map((labels) => ({ labels, t, v: STALE_NAN })));
      this.staleSeries = [];
    } catch (e) {
      this.logger.warn({ err: errorText(e) }, 'Stale sample appending for previous configuration failed');
    }
  }

  async restoreForState(ts: number): Promise<void> {
    const start = this.p.clock.now();
    const alerting = this.rules.filter((r): r is AlertingRule => r instanceof AlertingRule);
    await restoreForState(alerting, ts, {
      backend: this.p.backend,
      forGracePeriodMs: this.p.settings.forGracePeriodMs,
      forOutageToleranceMs: this.p.settings.forOutageToleranceMs,
      logger: this.logger,
    });
    this.logger.debug({ duration_seconds: (this.p.clock.now() - start) / 1000 }, "'for' state restoration completed");
  }

  copyStateFrom(previous: EvalGroup): void {
    if (!(previous instanceof RuleGroup)) {
      this.logger.warn({ from: previous.name }, 'Cannot copy state from a group of another implementation');
      return;
    }
    this.evaluationTime = previous.evaluationTime;
    this.lastEvaluation = previous.lastEvaluation;
    const byKey = new Map<string, number[]>();
    previous.rules.forEach((r, fi) => {
      const k = r.nameAndLabels();
      byKey.set(k, [...(byKey.get(k) ?? []), fi]);
    });
    this.rules.forEach((rule, i) => {
      const k = rule.nameAndLabels();
      const [fi, ...rest] = byKey.get(k) ?? [];
      if (fi === undefined) return;
      byKey.set(k, rest);
      this.seriesInPreviousEval[i] = new Map(previous.seriesInPreviousEval[fi]);
      const from = previous.rules[fi];
      if (rule instanceof AlertingRule && from instanceof AlertingRule) rule.copyAlertsFrom(from);
    });
    // Series of rules that are gone (or unmatched duplicates) get stale markers at the next evaluation.
    this.staleSeries = [...previous.staleSeries];
    for (const fi of [...byKey.values()].flat()) {
      for (const labels of (previous.seriesInPreviousEval[fi] as SeriesMap).values()) this.staleSeries.push(labels);
    }
  }

  async markStale(ts: number): Promise<void> {
    for (const m of this.seriesInPreviousEval) for (const labels of m.values()) this.staleSeries.push(labels);
    this.seriesInPreviousEval = this.rules.map(() => new Map<string, Labels>());
    await this.cleanupStaleSeries(ts);
  }

  sameDefinition(namespace: string, config: RuleGroupConfig): boolean {
    if (namespace !== this.namespace || config.name !== this.name) return false;
    const interval = config.intervalMs ?? this.p.settings.defaultIntervalMs;
    const probe = new RuleGroup({ ...this.p, namespace, config, shouldRestore: false });
    return interval === this.intervalMs && probe.definition === this.definition;
  }

  view(): GroupView {
    return {
      name: this.name,
      file: this.namespace,
      intervalSeconds: this.intervalMs / 1000,
      limit: this.p.config.limit,
      rules: this.rules.map((r) => r.view()),
      evaluationTime: this.evaluationTime,
      lastEvaluation: this.lastEvaluation,
    };
  }
}

/** What Group.Equals compares: name, file, interval, limit, query_offset (set or not), each rule. */
function groupDefinition(namespace: string, intervalMs: number, config: RuleGroupConfig, rules: readonly Rule[]): string {
  return JSON.stringify([config.name, namespace, intervalMs, config.limit, config.queryOffsetMs ?? null, rules.map((r) => r.definition())]);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
