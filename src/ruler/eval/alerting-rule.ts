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
import type { RuleAlert } from './alert.js';
import { mergeLabels, seriesKey, sortLabels } from './labels.js';
import { labelsDefinition, RuleBase, RuleEvalError, sortedCopy } from './rule.js';
import type { RuleEvalContext } from './rule.js';
import type { AlertTemplateData, TemplateEnv, TemplateExpander } from './template.js';

export const ERR_DUPLICATE_ALERT_LABELSET = 'vector contains metrics with the same labelset after applying alert labels';

/** What templates and generator URLs need from the ruler's settings. */
export interface AlertingRuleEnv {
  readonly externalLabels: Labels;
  readonly externalURL: string;
  readonly expand: TemplateExpander;
}

const STATE_RANK: Record<AlertState, number> = { inactive: 0, pending: 1, firing: 2 };

export class AlertingRule extends RuleBase {
  readonly kind = 'alerting';
  /** Alerts by exact label-set key: pending, firing, and resolved ones still retained. */
  readonly active = new Map<string, RuleAlert>();
  /** False until RestoreForState ran (or was not needed): no ALERTS series before. */
  restored: boolean;
  readonly annotations: Labels;

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
  }

  async eval(ctx: RuleEvalContext): Promise<RuleSample[]> {
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
      const lb: Record<string, string> = { ...s.labels };
      delete lb['__name__'];
      for (const [k, v] of Object.entries(this.labels)) lb[k] = await this.expand(v, data, env);
      lb['alertname'] = this.name;
      const annotations: Record<string, string> = {};
      for (const [k, v] of Object.entries(this.annotations)) annotations[k] = await this.expand(v, data, env);

      const labels = sortLabels(lb);
      const key = seriesKey(labels);
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

    const out: RuleSample[] = [];
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
        out.push({ labels: mergeLabels(this.labels, a.labels, { __name__: 'ALERTS', alertname: this.name, alertstate: a.state }), t, v: 1 });
        out.push({ labels: mergeLabels(this.labels, a.labels, { __name__: 'ALERTS_FOR_STATE', alertname: this.name }), t, v: Math.floor(a.activeAt / 1000) });
      }
    }

    if (ctx.limit > 0 && activeCount > ctx.limit) {
      this.active.clear();
      throw new RuleEvalError(`exceeded limit of ${ctx.limit} with ${activeCount} alerts`);
    }
    return out;
  }

  /** The alerts due for (re)sending at `ts`, marked as sent (rules/alerting.go sendAlerts). */
  alertsToSend(ts: number, resendDelayMs: number, intervalMs: number): OutgoingAlert[] {
    return takeAlertsToSend(this.active.values(), ts, resendDelayMs, intervalMs, generatorURL(this.env.externalURL, this.query));
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
    // Text without an action is its own expansion in Go's text/template: skip the engine.
    if (!text.includes('{{')) return text;
    try {
      return await this.env.expand(this.name, text, data, env);
    } catch (e) {
      return `<error expanding template: ${e instanceof Error ? e.message : String(e)}>`;
    }
  }
}
