/**
 * `herald tenant migrate`: per-tenant legacy alert rules -> threshold documents plus, for metrics
 * no shipped pack covers, a new pack group in the addendum's conventions (recording rule
 * `tenant:<key>:<agg>`, threshold rules `tenant:alert_threshold:<key>[_critical]`, alerts
 * `x > on(tenant) group_left thr unless maintenance`, warning suppressed while critical fires).
 * Every rule that cannot be converted is reported with its reason; nothing is dropped silently
 * (the upstream project's exporter ignored keys without defaults without a word).
 */
import { compareStrings } from '../../core/labels.js';
import { tenantIdProblem } from '../../core/tenant-id.js';
import { parseExpr } from '../../promql/index.js';
import type { AlertingRuleConfig, RecordingRuleConfig, RuleConfig, RuleGroupConfig } from '../../ruler/api.js';
import type { ThresholdDefaults } from '../api.js';
import { matchLegacyExpr } from './legacy-shape.js';
import type { LegacyShape } from './legacy-shape.js';
import { measureExpr, recordingAgg, splitKey, thresholdKey } from './metric-kind.js';
import type { Measure } from './metric-kind.js';
import type { PackMetric } from './pack-index.js';

export interface MigrateOptions {
  /** The label that names the tenant in legacy selectors (default `namespace`). */
  readonly tenantLabel: string;
  /** The platform's defaults, when known: keys with a default need no addition. */
  readonly defaults?: ThresholdDefaults;
  /** Base keys a shipped pack already honours (coveredKeys of the packs). */
  readonly coveredKeys: ReadonlySet<string>;
  /** Exporter metric -> the key a shipped pack compares it with (packMetrics of the packs). */
  readonly packMetrics?: ReadonlyMap<string, PackMetric>;
  /** Name of the generated pack group (default `migrated`). */
  readonly packGroupName?: string;
}

/** A legacy rule that became a threshold setting. */
export interface Conversion {
  readonly group: string;
  readonly alert: string;
  readonly tenant: string;
  /** The key as written in the tenant file (with `_critical` and dimensions). */
  readonly key: string;
  readonly value: number;
  /** The legacy condition, for one tenant's own store (tenant matcher removed). */
  readonly legacyExpr: string;
  /** The pack's condition for the same tenant with the migrated value inlined. */
  readonly packExpr: string;
  readonly note?: string;
}

/** A legacy rule that was not converted. */
export interface Refusal {
  readonly group: string;
  readonly rule: string;
  readonly expr: string;
  readonly reason: string;
}

export interface MigrationResult {
  /** Tenant -> key -> value, tenants and keys sorted. */
  readonly tenants: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Base keys without a platform default: proposed defaults (the value most tenants had). */
  readonly newDefaults: ReadonlyMap<string, number>;
  /** Rules for keys no pack covers; undefined when every key is covered. */
  readonly packGroup?: RuleGroupConfig;
  readonly conversions: readonly Conversion[];
  readonly refusals: readonly Refusal[];
}

interface KeyPlan {
  readonly key: string;
  readonly measure: Measure;
  readonly op: LegacyShape['op'];
  readonly forMs: number;
  readonly alertNames: string[];
  critical: boolean;
  dimensional: boolean;
}

function ruleName(r: RuleConfig): string {
  return r.kind === 'alerting' ? r.alert : r.record;
}

function dimensionSuffix(dims: Readonly<Record<string, string>>): string {
  const names = Object.keys(dims).sort(compareStrings);
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}=${JSON.stringify(dims[n])}`).join(',')}}`;
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

function sameMeasure(a: Measure, b: Measure): boolean {
  return a.kind === b.kind && a.metric === b.metric && a.rangeMs === b.rangeMs && a.quantile === b.quantile;
}

/** Converts legacy rule groups; never throws on bad input (bad rules become refusals). */
export function migrateLegacyRules(groups: readonly RuleGroupConfig[], options: MigrateOptions): MigrationResult {
  const refusals: Refusal[] = [];
  const conversions: Conversion[] = [];
  const plans = new Map<string, KeyPlan>();
  const values = new Map<string, Map<string, number>>();
  const baseValues = new Map<string, number[]>();

  for (const g of groups) {
    for (const r of g.rules) {
      const refuse = (reason: string) => refusals.push({ group: g.name, rule: ruleName(r), expr: r.expr, reason });
      if (r.kind === 'recording') {
        refuse('recording rule: only alerting rules are migrated');
        continue;
      }
      const parsed = parseExpr(r.expr);
      if (!parsed.ok) {
        refuse(`invalid PromQL: ${parsed.errors[0]?.message ?? 'parse error'}`);
        continue;
      }
      const m = matchLegacyExpr(parsed.expr, options.tenantLabel);
      if (!m.ok) {
        refuse(m.reason);
        continue;
      }
      const s = m.shape;
      const tenantProblem = tenantIdProblem(s.tenant);
      if (tenantProblem !== undefined) {
        refuse(`${options.tenantLabel}="${s.tenant}" is not a valid Herald tenant id: ${tenantProblem}`);
        continue;
      }
      const packed = options.packMetrics?.get(s.measure.metric);
      const base = packed !== undefined && packed.kind === s.measure.kind ? packed.key : thresholdKey(s.measure);
      if (splitKey(base) === undefined) {
        refuse(`metric ${s.measure.metric} has no <component>_ prefix to name a threshold key`);
        continue;
      }
      const dims = dimensionSuffix(s.dimensions);
      const covered = options.coveredKeys.has(base);
      if (dims !== '' && !covered) {
        refuse(`dimensions ${dims} need a pack that groups by them; no shipped pack covers ${base}, convert it by hand`);
        continue;
      }
      const declared = options.defaults?.dimensions?.get(base);
      const dimNames = Object.keys(s.dimensions).sort(compareStrings);
      if (dims !== '' && options.defaults !== undefined && (declared === undefined || declared.join(',') !== dimNames.join(','))) {
        const allowed = declared === undefined ? `${base} takes no dimensions` : `the dimensions of ${base} are ${declared.join(', ')}`;
        refuse(`dimensions ${dims}: ${allowed} (dimensions in _defaults.yaml); the pack compares ${base} per tenant otherwise, convert it by hand`);
        continue;
      }
      const critical = r.labels.severity === 'critical';
      const plan = plans.get(base);
      if (plan && (!sameMeasure(plan.measure, s.measure) || plan.op !== s.op)) {
        refuse(`${base} is already migrated as "${plan.op}" over ${measureExpr(plan.measure, [])}; this rule compares differently`);
        continue;
      }
      const key = `${base}${critical ? '_critical' : ''}${dims}`;
      const perTenant = values.get(s.tenant) ?? new Map<string, number>();
      const previous = perTenant.get(key);
      if (previous !== undefined && previous !== s.threshold) {
        refuse(`tenant ${s.tenant} already has ${key}: ${previous} from another rule; one key holds one value`);
        continue;
      }
      const p: KeyPlan = plan ?? { key: base, measure: s.measure, op: s.op, forMs: r.forMs, alertNames: [], critical: false, dimensional: false };
      if (!critical) p.alertNames.push(r.alert);
      p.critical ||= critical;
      p.dimensional ||= dims !== '';
      plans.set(base, p);
      perTenant.set(key, s.threshold);
      values.set(s.tenant, perTenant);
      if (dims === '' && !critical) baseValues.set(base, [...(baseValues.get(base) ?? []), s.threshold]);
      const dimMatchers = Object.entries(s.dimensions).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      const measure = dimMatchers.length > 0 ? { ...s.measure, metric: `${s.measure.metric}{${dimMatchers.join(',')}}` } : s.measure;
      conversions.push({
        group: g.name,
        alert: r.alert,
        tenant: s.tenant,
        key,
        value: s.threshold,
        legacyExpr: `${s.legacyMeasure} ${s.op} ${s.threshold}`,
        packExpr: `${measureExpr(measure, [])} ${s.op} ${s.threshold}`,
        ...(s.note ? { note: s.note } : {}),
      });
    }
  }

  const newDefaults = new Map<string, number>();
  for (const [base, vs] of [...baseValues].sort((a, b) => compareStrings(a[0], b[0]))) {
    if (options.defaults?.defaults.has(base) === true) continue;
    const v = mostCommon(vs);
    if (v !== undefined) newDefaults.set(base, v);
  }
  // Critical-only or dimensional-only keys still need a base default.
  for (const p of plans.values()) {
    if (options.defaults?.defaults.has(p.key) === true || newDefaults.has(p.key)) continue;
    const crit = [...values.values()].map((m) => m.get(`${p.key}_critical`)).filter((v): v is number => v !== undefined);
    const v = mostCommon(crit);
    if (v !== undefined) newDefaults.set(p.key, v);
  }

  const uncovered = [...plans.values()].filter((p) => !options.coveredKeys.has(p.key)).sort((a, b) => compareStrings(a.key, b.key));
  const tenants = new Map([...values].sort((a, b) => compareStrings(a[0], b[0])).map(([t, m]) => [t, new Map([...m].sort((a, b) => compareStrings(a[0], b[0])))] as const));
  return {
    tenants,
    newDefaults,
    ...(uncovered.length > 0 ? { packGroup: packGroup(options.packGroupName ?? 'migrated', uncovered) } : {}),
    conversions,
    refusals,
  };
}

function pascal(key: string): string {
  return key
    .split('_')
    .map((w) => (w === '' ? '' : w[0]?.toUpperCase() + w.slice(1)))
    .join('');
}

function packGroup(name: string, plans: readonly KeyPlan[]): RuleGroupConfig {
  const rules: RuleConfig[] = [];
  for (const p of plans) {
    const parts = splitKey(p.key);
    if (!parts) continue;
    const series = `tenant:${p.key}:${recordingAgg(p.measure)}`;
    const thr = `tenant:alert_threshold:${p.key}`;
    const rec = (record: string, expr: string): RecordingRuleConfig => ({ kind: 'recording', record, expr, labels: {} });
    const thresholdExpr = (severity: string) => `max by (tenant) (user_threshold{component="${parts.component}", metric="${parts.metric}", severity="${severity}"})`;
    rules.push(rec(series, measureExpr(p.measure, ['tenant'])), rec(thr, thresholdExpr('warning')));
    if (p.critical) rules.push(rec(`${thr}_critical`, thresholdExpr('critical')));
    const over = (t: string) => `${series} ${p.op} on (tenant) group_left ${t}`;
    const maintenance = 'unless on (tenant) (user_state_filter{filter="maintenance"} == 1)';
    const alert = mostCommon(p.alertNames) ?? `${pascal(p.key)}Threshold`;
    const annotations = (severity: string) => ({
      summary: `${p.key} of tenant {{ $labels.tenant }} ${p.op} its ${severity} threshold`,
      description: `${p.key} is {{ $value }} (migrated from legacy alert ${alert}).`,
      runbook_url: `https://herald.example/runbooks/${alert}`,
    });
    const alerting = (name: string, expr: string, severity: string): AlertingRuleConfig => ({ kind: 'alerting', alert: name, expr, forMs: p.forMs, keepFiringForMs: 0, labels: { severity }, annotations: annotations(severity) });
    const warnExpr = p.critical ? `(${over(thr)}) ${maintenance} unless on (tenant) (${over(`${thr}_critical`)})` : `(${over(thr)}) ${maintenance}`;
    rules.push(alerting(alert, warnExpr, 'warning'));
    if (p.critical) rules.push(alerting(`${alert}Critical`, `(${over(`${thr}_critical`)}) ${maintenance}`, 'critical'));
  }
  return { name, limit: 0, labels: {}, rules };
}
