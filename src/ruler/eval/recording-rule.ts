/**
 * A recording rule (rules/recording.go): the query result renamed to `record`, rule labels
 * overriding, refused when two output series share a label set or the group limit is exceeded.
 * Samples are stamped ts - queryOffset; the group writes them and the stale markers.
 */
import type { Labels } from '../../core/labels.js';
import type { RecordingRuleView, RuleSample } from '../api.js';
import { mergeLabels, seriesKey } from './labels.js';
import { labelsDefinition, RuleBase, RuleEvalError } from './rule.js';
import type { RuleEvalContext, RuleOutput } from './rule.js';

export const ERR_DUPLICATE_RECORDING_LABELSET = 'vector contains metrics with the same labelset after applying rule labels';

export class RecordingRule extends RuleBase {
  readonly kind = 'recording';

  private readonly nameLabel: Labels;

  constructor(record: string, expr: string, labels: Labels) {
    super(record, expr, labels);
    this.nameLabel = { __name__: record };
  }

  async eval(ctx: RuleEvalContext): Promise<RuleOutput> {
    const res = await this.runQuery(ctx);
    const t = ctx.ts - ctx.queryOffsetMs;
    const samples: RuleSample[] = [];
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const s of res) {
      const labels = mergeLabels(s.labels, this.nameLabel, this.labels);
      const key = seriesKey(labels);
      if (seen.has(key)) throw new RuleEvalError(ERR_DUPLICATE_RECORDING_LABELSET);
      seen.add(key);
      samples.push({ labels, t, v: s.v });
      keys.push(key);
    }
    if (ctx.limit > 0 && samples.length > ctx.limit) {
      throw new RuleEvalError(`exceeded limit of ${ctx.limit} with ${samples.length} series`);
    }
    return { samples, keys };
  }

  definition(): string {
    return JSON.stringify(['record', this.name, this.query, labelsDefinition(this.labels)]);
  }

  view(): RecordingRuleView {
    return {
      type: 'recording',
      name: this.name,
      query: this.query,
      labels: this.labels,
      health: this.health,
      lastError: this.lastError,
      evaluationTime: this.evaluationTime,
      lastEvaluation: this.lastEvaluation,
    };
  }
}
