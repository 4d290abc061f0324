/**
 * An alerting rule (rules/alerting.go `AlertingRule.Eval`): each result sample becomes an alert
 * (labels minus `__name__`, expanded rule labels, `alertname`), merged into the rule's alert state
 * (pending -> firing after `for`, `keep_firing_for`, resolved alerts retained 15m, a reappearing
 * label set is a new alert, a raised `for` sends firing alerts back to pending), and, once the
 * rule is restored, the ALERTS / ALERTS_FOR_STATE samples.
 */
import { compareLabels } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { AlertingRuleView, AlertState, OutgoingAlert, RuleSample } from '../api.js';
import { alertView, copyAlert, generatorURL, newAlert, RESOLVED_RETENTION_MS, takeAlertsToSend } from './alert.js';
import type { AlertSeries, RuleAlert } from './alert.js';
import { mergeLabels, seriesKey, sortLabels } from './labels.js';
import { labelsDefinition, RuleBase, RuleEvalError, sortedCopy } from './rule.js';
import type { RuleEvalContext, RuleOutput } from './rule.js';
import type { AlertTemplateData, TemplateEnv, TemplateExpander } from './template.js';

export const ERR_DUPLICATE_ALERT_LABELSET = 'vector contains metrics with the same labelset after applying alert labels';

/** What templates and generator URLs need from the ruler's settings. */
export interface AlertingRuleEnv {
  readonly externalLabels: Labels;
  readonly externalURL: string;
  readonly expand: TemplateExpander;
}

const STATE_RANK: Record<AlertState, number> = { inactive: 0, pending: 1, firing: 2 };

interface KeyedLabels {
  readonly labels: Labels;
  readonly key: string;
}

/** Text without an action is its own expansion in Go's text/template: no need for the engine. */
function isTemplate(text: string): boolean {
  return text.includes('{{');
}

export class AlertingRule extends RuleBase {
  readonly kind = 'alerting';
  /** Alerts by exact label-set key: pending, firing, and resolved ones still retained. */
  readonly active = new Map<string, RuleAlert>();
  /** False until RestoreForState ran (or was not needed): no ALERTS series before. */
  restored: boolean;
  readonly annotations: Labels;
  private readonly labelEntries: ReadonlyArray<readonly [string, string]>;
  private readonly annotationEntries: ReadonlyArray<readonly [string, string]>;
  /** No rule label / annotation holds a template action: they are the same for every alert. */
  private readonly fixedLabels: boolean;
  private readonly annotationsTemplated: boolean;
  /** Alert labels by the (frozen) result labels object they were built from; only with fixedLabels. */
  private readonly labelsByResult = new WeakMap<Labels, KeyedLabels>();
  /** Built on the first send: the query never changes. */
  private generatorURL: string | undefined;

  constructor(
    name: string,
    expr: string,
    readonly forMs: number,
    readonly keepFiringForMs: number,
    labels: Labels,
    annotations: Labels,
    private readonly env: AlertingRuleEnv,
    restored: boolean,
  ) {
    super(name, expr, labels);
    this.annotations = sortedCopy(annotations);
    this.restored = restored;
    this.labelEntries = Object.entries(this.labels);
    this.annotationEntries = Object.entries(this.annotations);
    this.fixedLabels = this.labelEntries.every(([, v]) => !isTemplate(v));
    this.annotationsTemplated = this.annotationEntries.some(([, v]) => isTemplate(v));
  }

  async eval(ctx: RuleEvalContext): Promise<RuleOutput> {
    const { ts } = ctx;
    const res = await this.runQuery(ctx);
    const env: TemplateEnv = {
      evalTimeMs: ts,
      externalURL: this.env.externalURL,
      query: (expr) => ctx.backend.queryVector(expr, ts, ctx.signal),
    };

    const fresh = new Map<string, RuleAlert>();
    for (const s of res) {
      const data: AlertTemplateData = { labels: s.labels, externalLabels: this.env.externalLabels, externalURL: this.env.externalURL, value: s.v };
      const { labels, key } = this.fixedLabels ? this.alertLabelsOf(s.labels) : await this.expandLabels(s.labels, data, env);
      let annotations = this.annotations;
      if (this.annotationsTemplated) {
        const expanded: Record<string, string> = {};
        for (const [k, v] of this.annotationEntries) expanded[k] = await this.expand(v, data, env);
        annotations = expanded;
      }
      if (fresh.has(key)) throw new RuleEvalError(ERR_DUPLICATE_ALERT_LABELSET);
      fresh.set(key, newAlert(labels, annotations, s.v, ts));
    }

    for (const [key, a] of fresh) {
      const known = this.active.get(key);
      if (known && known.state !== 'inactive') {
        known.value = a.value;
        known.annotations = a.annotations;
      } else {
        this.active.set(key, a);
      }
    }

    const samples: RuleSample[] = [];
    const keys: string[] = [];
    const t = ts - ctx.queryOffsetMs;
    let activeCount = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.keepFiringForMs > 0) {
          a.keepFiringSince ??= ts;
          keepFiring = ts - a.keepFiringSince < this.keepFiringForMs;
        }
        if (a.state === 'pending' || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
          this.active.delete(key);
        }
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = ts;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = undefined;
      }
      activeCount++;

      if (a.state === 'pending' && ts - a.activeAt >= this.forMs) {
        a.state = 'firing';
        a.firedAt = ts;
      }
      // `for` raised since the alert fired: back to pending until the new duration has passed.
      if (a.state === 'firing' && ts - a.activeAt < this.forMs) {
        a.state = 'pending';
        a.firedAt = undefined;
        a.lastSentAt = undefined;
        a.keepFiringSince = undefined;
      }

      if (this.restored) {
        const series = this.seriesOf(a);
        samples.push({ labels: series.alerts, t, v: 1 });
        keys.push(series.alertsKey);
        samples.push({ labels: series.forState, t, v: Math.floor(a.activeAt / 1000) });
        keys.push(series.forStateKey);
      }
    }

    if (ctx.limit > 0 && activeCount > ctx.limit) {
      this.active.clear();
      throw new RuleEvalError(`exceeded limit of ${ctx.limit} with ${activeCount} alerts`);
    }
    return { samples, keys };
  }

  /**
   * An alert's labels when no rule label is a template: the result's labels without __name__,
   * the rule labels, alertname. The engine hands out the same frozen object for the same series
   * from one query to the next, so the labels are built once per series, not per evaluation.
   */
  private alertLabelsOf(result: Labels): KeyedLabels {
    const frozen = Object.isFrozen(result);
    if (frozen) {
      const hit = this.labelsByResult.get(result);
      if (hit !== undefined) return hit;
    }
    const lb: Record<string, string> = {};
    for (const k of Object.keys(result)) if (k !== '__name__') lb[k] = result[k] as string;
    for (const [k, v] of this.labelEntries) lb[k] = v;
    lb['alertname'] = this.name;
    const labels = sortLabels(lb);
    const out: KeyedLabels = { labels, key: seriesKey(labels) };
    if (frozen) this.labelsByResult.set(result, out);
    return out;
  }

  /** An alert's labels with the rule's label templates expanded for this result. */
  private async expandLabels(result: Labels, data: AlertTemplateData, env: TemplateEnv): Promise<KeyedLabels> {
    // Copied without __name__ rather than deleted from a copy (`delete` makes a slow dictionary object).
    const lb: Record<string, string> = {};
    for (const k of Object.keys(result)) if (k !== '__name__') lb[k] = result[k] as string;
    for (const [k, v] of this.labelEntries) lb[k] = await this.expand(v, data, env);
    lb['alertname'] = this.name;
    const labels = sortLabels(lb);
    return { labels, key: seriesKey(labels) };
  }

  /** The alert's ALERTS and ALERTS_FOR_STATE label sets for its current state, built when it changed. */
  private seriesOf(a: RuleAlert): AlertSeries {
    const had = a.series;
    if (had !== undefined && had.state === a.state) return had;
    const alerts = Object.freeze(mergeLabels(this.labels, a.labels, { __name__: 'ALERTS', alertname: this.name, alertstate: a.state }));
    const forState = had?.forState ?? Object.freeze(mergeLabels(this.labels, a.labels, { __name__: 'ALERTS_FOR_STATE', alertname: this.name }));
    const series: AlertSeries = { state: a.state, alerts, alertsKey: seriesKey(alerts), forState, forStateKey: had?.forStateKey ?? seriesKey(forState) };
    a.series = series;
    return series;
  }

  /** The alerts due for (re)sending at `ts`, marked as sent (rules/alerting.go sendAlerts). */
  alertsToSend(ts: number, resendDelayMs: number, intervalMs: number): OutgoingAlert[] {
    this.generatorURL ??= generatorURL(this.env.externalURL, this.query);
    return takeAlertsToSend(this.active.values(), ts, resendDelayMs, intervalMs, this.generatorURL);
  }

  /** The highest state of any alert; inactive before the first evaluation too (the API type has no "unknown"). */
  state(): AlertState {
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) if (STATE_RANK[a.state] > STATE_RANK[s]) s = a.state;
    return s;
  }

  /** Takes over `from`'s alerts (CopyState copies the active map). */
  copyAlertsFrom(from: AlertingRule): void {
    for (const [k, a] of from.active) this.active.set(k, copyAlert(a));
  }

  definition(): string {
    return JSON.stringify(['alert', this.name, this.query, this.forMs, this.keepFiringForMs, labelsDefinition(this.labels), labelsDefinition(this.annotations)]);
  }

  view(): AlertingRuleView {
    const alerts = [...this.active.values()].map(alertView);
    alerts.sort((x, y) => compareLabels(x.labels, y.labels));
    return {
      type: 'alerting',
      name: this.name,
      query: this.query,
      labels: this.labels,
      health: this.health,
      lastError: this.lastError,
      evaluationTime: this.evaluationTime,
      lastEvaluation: this.lastEvaluation,
      state: this.state(),
      durationSeconds: this.forMs / 1000,
      keepFiringForSeconds: this.keepFiringForMs / 1000,
      annotations: this.annotations,
      alerts,
    };
  }

  private async expand(text: string, data: AlertTemplateData, env: TemplateEnv): Promise<string> {
    if (!isTemplate(text)) return text;
    try {
      return await this.env.expand(this.name, text, data, env);
    } catch (e) {
      return `<error expanding template: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }
}
