/**
 * What a rule pack reads and which threshold keys it honours, found on the PromQL AST of every
 * rule: `user_threshold{component="c", metric="m", severity="critical"}` selectors give the keys
 * (`c_m`, `c_m_critical`), other selectors not produced by the pack itself give the exporter
 * metrics it needs. The tools use it to show a pack's keys (scaffold), to know whether a migrated
 * key is already covered (migrate), and to check that a tenant has the series a pack reads
 * (diagnose).
 */
import { parseExpr } from '../../promql/index.js';
import type { Expr } from '../../promql/index.js';
import type { AlertingRuleConfig, RuleGroupConfig } from '../../ruler/api.js';
import { equalityValue, vectorSelectors, walkExpr } from './expr-walk.js';
import type { MetricKind } from './metric-kind.js';

/** One pack's footprint. */
export interface PackIndex {
  readonly name: string;
  /** Threshold keys its selectors match, sorted (`mysql_connections`, `mysql_connections_critical`). */
  readonly thresholdKeys: readonly string[];
  /** Exporter metrics it reads (names not recorded by the pack itself), sorted. */
  readonly metrics: readonly string[];
  /** State filters it consults (`maintenance`). */
  readonly stateFilters: readonly string[];
  readonly alerts: readonly AlertingRuleConfig[];
  /** Recording rules by the name they write, with their expression. */
  readonly recordings: ReadonlyMap<string, string>;
  /**
   * Exporter metric -> the threshold key its per-tenant recording (`tenant:<key>:<agg>` over that
   * one metric) is compared with, and how the recording reads it.
   */
  readonly metricKeys: ReadonlyMap<string, PackMetric>;
}

/** How a pack compares one exporter metric. */
export interface PackMetric {
  readonly key: string;
  readonly kind: MetricKind;
}

const RECORDING_KEY = /^tenant:([^:]+):[^:]+$/;

function recordingKind(e: Expr): MetricKind {
  let kind: MetricKind = 'gauge';
  walkExpr(e, (n) => {
    if (n.kind !== 'Call') return;
    if (n.func.name === 'histogram_quantile') kind = 'histogram';
    else if ((n.func.name === 'rate' || n.func.name === 'irate' || n.func.name === 'increase') && kind === 'gauge') kind = 'counter';
  });
  return kind;
}

const DERIVED = new Set(['user_threshold', 'user_state_filter', 'ALERTS', 'ALERTS_FOR_STATE']);

/** Indexes one pack's groups. Expressions that do not parse are skipped (the ruler reports them). */
export function indexPack(name: string, groups: readonly RuleGroupConfig[]): PackIndex {
  const keys = new Set<string>();
  const metrics = new Set<string>();
  const filters = new Set<string>();
  const recorded = new Set<string>();
  const alerts: AlertingRuleConfig[] = [];
  const recordings = new Map<string, string>();
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.kind === 'recording') {
        recorded.add(r.record);
        recordings.set(r.record, r.expr);
      } else alerts.push(r);
    }
  }
  for (const g of groups) {
    for (const r of g.rules) {
      const parsed = parseExpr(r.expr);
      if (!parsed.ok) continue;
      for (const sel of vectorSelectors(parsed.expr)) {
        if (sel.name === 'user_threshold') {
          const component = equalityValue(sel, 'component');
          const metric = equalityValue(sel, 'metric');
          if (component === undefined || metric === undefined) continue;
          const severity = equalityValue(sel, 'severity');
          keys.add(severity === 'critical' ? `${component}_${metric}_critical` : `${component}_${metric}`);
        } else if (sel.name === 'user_state_filter') {
          const f = equalityValue(sel, 'filter');
          if (f !== undefined) filters.add(f);
        } else if (sel.name !== '' && !DERIVED.has(sel.name) && !recorded.has(sel.name)) {
          metrics.add(sel.name);
        }
      }
    }
  }
  const metricKeys = new Map<string, PackMetric>();
  for (const [record, expr] of recordings) {
    const key = RECORDING_KEY.exec(record)?.[1];
    if (key === undefined || key === 'alert_threshold' || !keys.has(key)) continue;
    const parsed = parseExpr(expr);
    if (!parsed.ok) continue;
    const read = new Set(vectorSelectors(parsed.expr).map((v) => v.name));
    const [metric] = read;
    if (read.size === 1 && metric !== undefined && !DERIVED.has(metric)) metricKeys.set(metric, { key, kind: recordingKind(parsed.expr) });
  }
  return { name, thresholdKeys: [...keys].sort(), metrics: [...metrics].sort(), stateFilters: [...filters].sort(), alerts, recordings, metricKeys };
}

/** Every threshold key (base keys, `_critical` removed) some pack honours. */
export function coveredKeys(packs: readonly PackIndex[]): Set<string> {
  const out = new Set<string>();
  for (const p of packs) for (const k of p.thresholdKeys) out.add(k.replace(/_critical$/, ''));
  return out;
}

/** Exporter metric -> pack key over every pack (the first pack wins). */
export function packMetrics(packs: readonly PackIndex[]): Map<string, PackMetric> {
  const out = new Map<string, PackMetric>();
  for (const p of packs) for (const [m, k] of p.metricKeys) if (!out.has(m)) out.set(m, k);
  return out;
}
