/**
 * The tenant's rules as Prometheus' rules API answers them (`GET /prometheus/api/v1/rules`, Herald
 * keeps the wire format byte for byte) and Herald's broken rule files
 * (`GET /api/herald/v1/rules/problems`). Field names are upstream's.
 */
import type { Client } from '../../api/client.js';

export type RuleHealth = 'ok' | 'err' | 'unknown';
export type AlertRuleState = 'firing' | 'pending' | 'inactive';

export interface RuleAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'firing' | 'pending';
  /** RFC 3339. */
  readonly activeAt: string;
  /** The sample value, as Prometheus formats it. */
  readonly value: string;
  readonly keepFiringSince?: string;
}

interface RuleCommon {
  readonly name: string;
  readonly query: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly health: RuleHealth;
  readonly lastError?: string;
  /** Seconds. */
  readonly evaluationTime: number;
  /** RFC 3339; `0001-01-01T00:00:00Z` before the first evaluation. */
  readonly lastEvaluation: string;
}

export interface AlertingRule extends RuleCommon {
  readonly type: 'alerting';
  readonly state: AlertRuleState;
  /** `for`, seconds. */
  readonly duration: number;
  readonly keepFiringFor?: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly alerts?: readonly RuleAlert[];
}

export interface RecordingRule extends RuleCommon {
  readonly type: 'recording';
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  readonly name: string;
  /** The namespace (Mimir) or rule file (Prometheus). */
  readonly file: string;
  readonly rules: readonly Rule[];
  /** Seconds. */
  readonly interval: number;
  readonly limit?: number;
  readonly evaluationTime: number;
  readonly lastEvaluation: string;
}

interface RulesEnvelope {
  readonly status: string;
  readonly data?: { readonly groups?: readonly RuleGroup[] };
}

/** A rules-directory file that does not load; its namespace keeps its last good groups. */
export interface RuleFileProblem {
  readonly namespace: string;
  readonly file: string;
  readonly messages: readonly string[];
}

export async function getRules(c: Client, signal?: AbortSignal): Promise<readonly RuleGroup[]> {
  const r = await c.json<RulesEnvelope>('/prometheus/api/v1/rules', signal ? { signal } : {});
  return r.data?.groups ?? [];
}

export async function getRuleProblems(c: Client, signal?: AbortSignal): Promise<readonly RuleFileProblem[]> {
  const r = await c.json<{ problems?: readonly RuleFileProblem[] }>('/api/herald/v1/rules/problems', signal ? { signal } : {});
  return r.problems ?? [];
}
