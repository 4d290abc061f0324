/**
 * What recording and alerting rules share (rules/rule.go `Rule`): the expression parsed once and
 * queried in its re-printed form (Prometheus queries `vector.String()`), health, last error, timings,
 * and the canonical definition a reload compares (rules/group.go `Equals` compares each rule's
 * YAML `String()`).
 */
import type { Labels } from '../../core/labels.js';
import { compareStrings } from '../../core/labels.js';
import { formatParseError, parseExpr, printExpr } from '../../promql/index.js';
import type { QueryBackend, RuleHealth, RuleSample, RuleView } from '../api.js';
import { seriesKey } from './labels.js';

/** What one rule evaluation gets from its group. */
export interface RuleEvalContext {
  /** The group's evaluation slot. */
  readonly ts: number;
  readonly queryOffsetMs: number;
  /** Group `limit`, 0 = none. */
  readonly limit: number;
  readonly backend: QueryBackend;
  readonly signal?: AbortSignal;
}

/**
 * What one evaluation produces: the samples to write, each with the exact key of its label set
 * (labels.ts seriesKey), which the group's staleness bookkeeping is keyed by.
 */
export interface RuleOutput {
  readonly samples: RuleSample[];
  readonly keys: string[];
}

/** A rule evaluation failure; `message` is the rule's lastError (Prometheus' text). */
export class RuleEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleEvalError';
  }
}

export abstract class RuleBase {
  health: RuleHealth = 'unknown';
  lastError = '';
  /** Seconds the last evaluation took. */
  evaluationTime = 0;
  lastEvaluation = 0;
  /** The expression as queried and shown: re-printed when it parses, else as written. */
  readonly query: string;
  private readonly parseError: string | undefined;

  protected constructor(
    readonly name: string,
    exprText: string,
    /** Group labels overlaid by the rule's own (rules/manager.go LoadGroups), names sorted. */
    readonly labels: Labels,
  ) {
    const parsed = parseExpr(exprText);
    if (parsed.ok) {
      this.query = printExpr(parsed.expr);
      this.parseError = undefined;
    } else {
      const first = parsed.errors[0];
      this.query = exprText;
      this.parseError = `could not parse expression: ${first ? formatParseError(first) : 'invalid expression'}`;
    }
  }

  /** Evaluates the rule; resolves with the samples to write, rejects with the rule's error. */
  abstract eval(ctx: RuleEvalContext): Promise<RuleOutput>;

  /** The rule's definition as a reload compares it. */
  abstract definition(): string;

  abstract view(): RuleView;

  /** CopyState's matching key (rules/group.go `nameAndLabels`). */
  nameAndLabels(): string {
    return `${this.name}\x00${seriesKey(this.labels)}`;
  }

  /** Runs the instant query at ts - queryOffset. */
  protected runQuery(ctx: RuleEvalContext): Promise<RuleSample[]> {
    if (this.parseError !== undefined) return Promise.reject(new RuleEvalError(this.parseError));
    return ctx.backend.queryVector(this.query, ctx.ts - ctx.queryOffsetMs, ctx.signal);
  }
}

/** Group labels overlaid by rule labels, sorted by name (labels.FromMaps). */
export function ruleLabels(groupLabels: Labels, labels: Labels): Labels {
  const merged: Record<string, string> = { ...groupLabels, ...labels };
  return sortedCopy(merged);
}

export function sortedCopy(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const n of Object.keys(labels).sort(compareStrings)) out[n] = labels[n] as string;
  return out;
}

/** A stable text form of a label map for definitions. */
export function labelsDefinition(labels: Labels): string {
  return JSON.stringify(Object.entries(sortedCopy(labels)));
}
