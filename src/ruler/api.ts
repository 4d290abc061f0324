/**
 * The ruler's contracts: rule groups as configured (parsed from Prometheus rule files or the Mimir
 * ruler config API), the data a rule evaluation reads and writes (QueryBackend), alerts handed to
 * Alertmanagers (AlertSink), and the read-only views the HTTP API renders. Times are ms since the
 * Unix epoch; durations are ms.
 *
 * Module map (each folder owns its part; only this file is shared):
 *   rulefmt/   parse + validate rule files and single groups (Prometheus' messages), marshal YAML
 *   template/  Prometheus alert templates ($labels, $value, humanize*, query, ...)
 *   eval/      recording and alerting rules, one group's evaluation, alert state, restore
 *   notifier/  external labels, alert_relabel_configs, queues, delivery to Alertmanagers
 *   backend/   QueryBackend over the embedded store or a Prometheus-compatible HTTP API
 *   manager/   per-tenant rulers: scheduling, applying rule changes, storage, rules directory
 *   unittest/  promtool's rule unit-test format (`herald rules test`)
 */
import type { Labels } from '../core/labels.js';
import type { Millis } from '../core/alert.js';

// ---------------------------------------------------------------------------------------------
// Rule configuration (rulefmt)

export interface RecordingRuleConfig {
  readonly kind: 'recording';
  /** The metric name written. */
  readonly record: string;
  /** The expression as written in the file (evaluation uses the parsed, re-printed form). */
  readonly expr: string;
  readonly labels: Labels;
}

export interface AlertingRuleConfig {
  readonly kind: 'alerting';
  readonly alert: string;
  readonly expr: string;
  /** `for`, 0 when absent. */
  readonly forMs: number;
  /** `keep_firing_for`, 0 when absent. */
  readonly keepFiringForMs: number;
  /** Label templates. */
  readonly labels: Labels;
  /** Annotation templates. */
  readonly annotations: Labels;
}

export type RuleConfig = RecordingRuleConfig | AlertingRuleConfig;

/** One rule group as written (model/rulefmt.RuleGroup). */
export interface RuleGroupConfig {
  readonly name: string;
  /** `interval`; undefined = the ruler's evaluation interval. */
  readonly intervalMs?: number;
  /** `query_offset`; undefined = the ruler's rule_query_offset. */
  readonly queryOffsetMs?: number;
  /** `limit`, 0 = none. */
  readonly limit: number;
  /** Group `labels` (Prometheus 3): added to every rule, rule labels win. */
  readonly labels: Labels;
  readonly rules: readonly RuleConfig[];
}

/** A tenant's rules: namespace (file, for Prometheus) -> groups in order. */
export type TenantRules = ReadonlyMap<string, readonly RuleGroupConfig[]>;

// ---------------------------------------------------------------------------------------------
// Data (backend)

/** One float sample of an instant vector; scalars arrive as one sample with no labels. */
export interface RuleSample {
  readonly labels: Labels;
  readonly t: Millis;
  readonly v: number;
}

/** Raw samples of one series, as a range selector returns them (for restoring `for` state). */
export interface RuleSeries {
  readonly labels: Labels;
  readonly t: readonly number[];
  readonly v: readonly number[];
}

/**
 * Thrown by a QueryBackend for a query that cannot be answered: `message` is the text shown as the
 * rule's lastError (Prometheus' wording for engine errors, e.g. "vector cannot contain metrics
 * with the same labelset"; for a remote backend the remote's error prefixed with its URL).
 */
export class RuleQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleQueryError';
  }
}

/** Where one tenant's rules read and write data. Implementations: backend/embedded, backend/remote. */
export interface QueryBackend {
  /**
   * Instant query of `expr` (PromQL text) at `timeMs`. Vector -> its samples; scalar -> one sample
   * with empty labels; anything else -> RuleQueryError("rule result is not a vector or scalar").
   */
  queryVector(expr: string, timeMs: Millis, signal?: AbortSignal): Promise<RuleSample[]>;
  /** Instant query of a range selector expression (e.g. `ALERTS_FOR_STATE{...}[1h]`): the series. */
  queryMatrix(expr: string, timeMs: Millis, signal?: AbortSignal): Promise<RuleSeries[]>;
  /**
   * Writes rule output (recording results, ALERTS, ALERTS_FOR_STATE, stale markers). Labels include
   * `__name__`. Out-of-order/duplicate samples are refused per sample and reported in the result,
   * never thrown; a transport failure throws.
   */
  append(samples: readonly RuleSample[]): Promise<{ readonly rejected: number; readonly firstError?: string }>;
}

// ---------------------------------------------------------------------------------------------
// Alerts out (notifier)

/** An alert as sent to Alertmanager's POST /api/v2/alerts (PostableAlert). */
export interface OutgoingAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: Millis;
  /** ResolvedAt for resolved alerts, else the validity end (send time + 4 x max(interval, resend delay)). */
  readonly endsAt: Millis;
  readonly generatorURL: string;
}

/** Takes one tenant's alerts after an evaluation; relabels, queues and delivers them without blocking evaluation. */
export interface AlertSink {
  send(tenant: string, alerts: readonly OutgoingAlert[]): void;
}

// ---------------------------------------------------------------------------------------------
// Views (what /prometheus/api/v1/rules and /alerts render)

export type RuleHealth = 'unknown' | 'ok' | 'err';
export type AlertState = 'inactive' | 'pending' | 'firing';

export interface AlertView {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: AlertState;
  readonly activeAt: Millis;
  /** 0 when not keeping firing. */
  readonly keepFiringSince: Millis;
  readonly value: number;
  /** 0 unless inactive (resolved, retained 15m for resending). */
  readonly resolvedAt: Millis;
}

interface RuleViewBase {
  readonly name: string;
  /** The expression re-printed by Herald's PromQL printer (as Prometheus shows `query`). */
  readonly query: string;
  readonly labels: Labels;
  readonly health: RuleHealth;
  /** '' when the last evaluation succeeded. */
  readonly lastError: string;
  /** Seconds. */
  readonly evaluationTime: number;
  /** 0 before the first evaluation. */
  readonly lastEvaluation: Millis;
}

export interface AlertingRuleView extends RuleViewBase {
  readonly type: 'alerting';
  readonly state: AlertState;
  readonly durationSeconds: number;
  readonly keepFiringForSeconds: number;
  readonly annotations: Labels;
  /** Active (pending, firing) and retained inactive alerts; the API shows only those with resolvedAt 0. */
  readonly alerts: readonly AlertView[];
}

export interface RecordingRuleView extends RuleViewBase {
  readonly type: 'recording';
}

export type RuleView = AlertingRuleView | RecordingRuleView;

export interface GroupView {
  readonly name: string;
  /** The namespace (Prometheus: the rule file). */
  readonly file: string;
  readonly intervalSeconds: number;
  readonly limit: number;
  readonly rules: readonly RuleView[];
  /** Seconds the last evaluation of the whole group took. */
  readonly evaluationTime: number;
  readonly lastEvaluation: Millis;
}

// ---------------------------------------------------------------------------------------------
// Evaluation (eval/) as the manager drives it

/** Ruler-wide settings a group evaluates with (Prometheus flags / Mimir ruler options). */
export interface EvalSettings {
  /** global.evaluation_interval: a group's interval when it sets none (default 1m). */
  readonly defaultIntervalMs: number;
  /** global.rule_query_offset (default 0). */
  readonly defaultQueryOffsetMs: number;
  /** --rules.alert.resend-delay (1m). */
  readonly resendDelayMs: number;
  /** --rules.alert.for-grace-period (10m). */
  readonly forGracePeriodMs: number;
  /** --rules.alert.for-outage-tolerance (1h). */
  readonly forOutageToleranceMs: number;
  /** $externalLabels in templates (the labels themselves are added by the notifier). */
  readonly externalLabels: Labels;
  /** --web.external-url: generatorURL prefix and $externalURL. */
  readonly externalURL: string;
}

/** Counters and timings the evaluation reports; the app backs them with prom-client, tests with NOOP. */
export interface RulerMetrics {
  /** One rule evaluated (prometheus_rule_evaluations_total / _failures_total / _duration_seconds). */
  ruleEvaluated(tenant: string, group: string, failed: boolean, seconds: number): void;
  /** One group iteration ran (prometheus_rule_group_iterations_total, _last_duration_seconds, _last_evaluation_samples). */
  groupEvaluated(tenant: string, group: string, seconds: number, samples: number): void;
  /** Iterations skipped because the previous one overran (prometheus_rule_group_iterations_missed_total). */
  groupMissed(tenant: string, group: string, missed: number): void;
  /** The group's rules and interval changed or it was removed (gauges; removed = rules -1). */
  groupConfigured(tenant: string, group: string, rules: number, intervalSeconds: number): void;
}

export const NOOP_RULER_METRICS: RulerMetrics = {
  ruleEvaluated: () => undefined,
  groupEvaluated: () => undefined,
  groupMissed: () => undefined,
  groupConfigured: () => undefined,
};

/** One running rule group (rules/group.go Group minus its scheduling loop, which the manager owns). */
export interface EvalGroup {
  readonly tenant: string;
  readonly namespace: string;
  readonly name: string;
  /** Effective interval (config or default). */
  readonly intervalMs: number;
  /** Evaluates every rule in order as of the scheduled slot `ts`, each seeing the previous rules' output; never throws. */
  evaluate(ts: Millis, signal?: AbortSignal): Promise<void>;
  /** RestoreForState: on a fresh start, called by the manager after the group's second evaluation. */
  restoreForState(ts: Millis): Promise<void>;
  /** Copies alert state and staleness bookkeeping from the group this one replaces (CopyState). */
  copyStateFrom(previous: EvalGroup): void;
  /** Writes stale markers at `ts` for every series the group wrote in its last evaluation (group removed). */
  markStale(ts: Millis): Promise<void>;
  /** True when `config` in `namespace` is the same definition, so a reload keeps this group running untouched. */
  sameDefinition(namespace: string, config: RuleGroupConfig): boolean;
  view(): GroupView;
}

// ---------------------------------------------------------------------------------------------
// Herald config: the `ruler:` section

/** Basic auth / bearer / headers for an outbound HTTP peer. Secrets inline (operator config only). */
export interface PeerAuth {
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly bearerToken?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An Alertmanager outside this process that receives every tenant's alerts (Mimir's -ruler.alertmanager-url). */
export interface ExternalAlertmanager extends PeerAuth {
  /** Base URL; alerts are POSTed to `<url>/api/v2/alerts`. */
  readonly url: string;
  /** Send the tenant in this header (default X-Scope-OrgID, '' = none), as Mimir's ruler does. */
  readonly tenantHeader: string;
  readonly timeoutMs: number;
}

export type QueryBackendConfig =
  | { readonly type: 'embedded' }
  | (PeerAuth & {
      readonly type: 'prometheus';
      /** Base URL of the Prometheus HTTP API, e.g. http://mimir/prometheus (queries go to `<url>/api/v1/query`). */
      readonly url: string;
      /** Tenant header sent with queries and writes (default X-Scope-OrgID, '' = none). */
      readonly tenantHeader: string;
      readonly timeoutMs: number;
      /** Where recording results and ALERTS go (remote_write 1.0); unset = not written. */
      readonly remoteWriteUrl?: string;
      /** Per-tenant credentials replacing the shared ones. */
      readonly tenants: ReadonlyMap<string, PeerAuth>;
    });

export interface RulerConfig {
  readonly enabled: boolean;
  readonly evaluationIntervalMs: number;
  readonly ruleQueryOffsetMs: number;
  readonly resendDelayMs: number;
  readonly forGracePeriodMs: number;
  readonly forOutageToleranceMs: number;
  /** GitOps: `<dir>/<tenant>/*.{yml,yaml}`, one namespace per file (file name without extension). */
  readonly rulesDirectory?: string;
  /** How often the rules directory is re-read (default 10s). */
  readonly pollIntervalMs: number;
  readonly externalLabels: Labels;
  /** Deliver to the tenant's own Herald Alertmanager in-process (default true). */
  readonly notifyLocal: boolean;
  readonly alertmanagers: readonly ExternalAlertmanager[];
  /**
   * alert_relabel_configs (Prometheus' relabel rules, raw YAML objects; validated by the config
   * parser). While they run, `__tenant__` holds the tenant id; `__`-prefixed labels are dropped after.
   */
  readonly alertRelabelConfigs: readonly unknown[];
  readonly queryBackend: QueryBackendConfig;
}

export const DEFAULT_RULER_CONFIG: RulerConfig = {
  enabled: true,
  evaluationIntervalMs: 60_000,
  ruleQueryOffsetMs: 0,
  resendDelayMs: 60_000,
  forGracePeriodMs: 10 * 60_000,
  forOutageToleranceMs: 3600_000,
  pollIntervalMs: 10_000,
  externalLabels: {},
  notifyLocal: true,
  alertmanagers: [],
  alertRelabelConfigs: [],
  queryBackend: { type: 'embedded' },
};

// ---------------------------------------------------------------------------------------------
// The ruler as the HTTP API sees it (manager/ implements, server/ruler-api renders)

/** A request the rule store refuses; `status` is the HTTP status Mimir answers with. */
export class RuleStoreError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'RuleStoreError';
  }
}

/** Per-tenant rule storage behind the Mimir ruler config API. Changes reach the running ruler at once. */
export interface RuleStore {
  /** Every namespace of the tenant (API-stored and rules directory), namespaces and groups in order. */
  list(tenant: string): Promise<TenantRules>;
  /**
   * Creates or replaces one group in a namespace (Mimir: POST replaces the group with the same
   * name). Throws RuleStoreError for limits (400) or a namespace the rules directory owns (409).
   */
  putGroup(tenant: string, namespace: string, group: RuleGroupConfig): Promise<void>;
  /** Throws RuleStoreError 404 when absent, 409 for a rules-directory namespace. */
  deleteGroup(tenant: string, namespace: string, name: string): Promise<void>;
  deleteNamespace(tenant: string, namespace: string): Promise<void>;
}

/** A rules-directory file that does not load; its namespace keeps its last good groups. */
export interface RuleFileProblem {
  readonly namespace: string;
  readonly file: string;
  /** Prometheus-style lines: `<file>: <line>:<col>: group "g", rule N, "name": <err>`. */
  readonly messages: readonly string[];
}

export interface RulerService {
  readonly store: RuleStore;
  /** The tenant's running groups, sorted by namespace then group order in the namespace. */
  groups(tenant: string): readonly GroupView[];
  /** The tenant's rules-directory files that fail to load. */
  directoryErrors(tenant: string): readonly RuleFileProblem[];
}
