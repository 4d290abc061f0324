/**
 * The rule-pack contract: checks that make a pack whose alerts can never fire fail a test instead
 * of shipping. The upstream threshold project (../shared/notes/thresholds-operator.md §1.4) shipped
 * packs selecting `user_threshold{metric="redis_memory_used_bytes"}` while its exporter emitted
 * `component="redis", metric="memory_used_bytes"`, thresholds colliding across components, and
 * alerts reading names no exporter has. Each check returns every problem, naming file, group and
 * rule; an empty list means the contract holds.
 */
import { matchesAll } from '../../core/matcher.js';
import type { Labels } from '../../core/labels.js';
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { ResolvedThreshold } from '../api.js';
import type { ExporterMetrics } from './exporter-metrics.js';
import type { DimensionalKeys } from './dimensions.js';
import { thresholdKeyOf } from './dimensions.js';
import type { SelectorLabels } from './labels-of.js';
import { ruleWhere } from './pack-model.js';
import type { Pack, PackRule, SelectorUse } from './pack-model.js';
import { checkGivesWay } from './tiers.js';

export const THRESHOLD_METRIC = 'user_threshold';
export const STATE_FILTER_METRIC = 'user_state_filter';
export const THRESHOLD_RECORD_PREFIX = 'tenant:alert_threshold:';
export const MAINTENANCE_FILTER = 'maintenance';
export const SEVERITIES: ReadonlySet<string> = new Set(['info', 'warning', 'critical']);
/** Labels every scraped series may carry whatever the exporter exposes (tenant: the union source). */
export const TARGET_LABELS: ReadonlySet<string> = new Set(['job', 'instance', 'tenant']);
/** Series the scraper or the ruler makes, not the exporter. */
export const SYNTHESISED_METRICS: ReadonlySet<string> = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'ALERTS', 'ALERTS_FOR_STATE']);
/** Alerts about a target being down or absent: never silenced by maintenance. */
export const DOWN_ALERT = /(?:Down|Absent)$/;

function eqValue(s: SelectorUse, label: string): string | undefined {
  return s.matchers.find((m) => m.name === label && m.type === '=')?.value;
}

function thresholdSelectors(pack: Pack): { rule: PackRule; sel: SelectorUse }[] {
  return pack.rules.flatMap((rule) => rule.selectors.filter((sel) => sel.metric === THRESHOLD_METRIC).map((sel) => ({ rule, sel })));
}

function selectorText(sel: SelectorUse): string {
  return `${sel.metric}{${sel.matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}`;
}

/**
 * Every `user_threshold` selector names component, metric and severity by equality and matches at
 * least one series the threshold engine emits for the given tenants.
 */
export function checkThresholdSelectors(packs: readonly Pack[], emitted: readonly Labels[]): Issue[] {
  const issues: Issue[] = [];
  for (const pack of packs) {
    for (const { rule, sel } of thresholdSelectors(pack)) {
      const where = ruleWhere(pack, rule);
      const missing = ['component', 'metric', 'severity'].filter((l) => eqValue(sel, l) === undefined);
      if (missing.length > 0) {
        issues.push(issue('selector_unpinned', `${where}: ${selectorText(sel)} must pin ${missing.join(', ')} with "=" (a bare metric collides across components)`));
        continue;
      }
      if (!emitted.some((l) => matchesAll(sel.matchers, l))) {
        issues.push(issue('selector_matches_nothing', `${where}: ${selectorText(sel)} matches no series the threshold engine emits: the alert can never fire`));
      }
    }
  }
  return issues;
}

/** Every emitted threshold series (each default key, each tier) is read by some pack selector. */
export function findUnusedThresholds(packs: readonly Pack[], emitted: readonly ResolvedThreshold[]): Issue[] {
  const sels = packs.flatMap((p) => thresholdSelectors(p).map((t) => t.sel));
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const t of emitted) {
    if (sels.some((s) => matchesAll(s.matchers, t.labels))) continue;
    const id = `${t.key} ${t.labels['severity'] ?? ''}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue('threshold_unused', `threshold key ${t.key} (severity ${t.labels['severity'] ?? '?'}) is read by no rule pack: a dead key`));
  }
  return issues;
}

/** Every `user_state_filter` selector names a filter the defaults define, by equality. */
export function checkStateFilterSelectors(packs: readonly Pack[], filters: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  for (const pack of packs) {
    for (const rule of pack.rules) {
      for (const sel of rule.selectors.filter((s) => s.metric === STATE_FILTER_METRIC)) {
        const f = eqValue(sel, 'filter');
        if (f === undefined) issues.push(issue('filter_unpinned', `${ruleWhere(pack, rule)}: ${selectorText(sel)} must name its filter with filter="..."`));
        else if (!filters.has(f)) issues.push(issue('filter_unknown', `${ruleWhere(pack, rule)}: state filter "${f}" is not defined in the defaults' state_filters`));
      }
    }
  }
  return issues;
}

/**
 * Every metric the pack reads from an exporter is one the exporter exposes, and every label a
 * selector matches on is one that metric has (or a target label).
 */
export function checkExporterMetrics(pack: Pack, exposed: ExporterMetrics): Issue[] {
  const issues: Issue[] = [];
  for (const rule of pack.rules) {
    for (const sel of rule.selectors) {
      const m = sel.metric;
      if (m === THRESHOLD_METRIC || m === STATE_FILTER_METRIC || m.includes(':') || SYNTHESISED_METRICS.has(m)) continue;
      const where = ruleWhere(pack, rule);
      if (m === '') {
        issues.push(issue('selector_no_name', `${where}: ${selectorText(sel)} names no metric`));
        continue;
      }
      const info = exposed.get(m);
      if (!info) {
        issues.push(issue('metric_not_exposed', `${where}: ${m} is not exposed by the pack's exporter`));
        continue;
      }
      const labels = info.labels;
      if (!labels) continue;
      for (const mt of sel.matchers) {
        if (!labels.has(mt.name) && !TARGET_LABELS.has(mt.name)) {
          issues.push(issue('label_not_exposed', `${where}: ${m} has no label "${mt.name}" (it has: ${[...labels].sort().join(', ') || 'none'})`));
        }
      }
    }
  }
  return issues;
}

/** The `tenant:alert_threshold:<key>` record for a `user_threshold` selector's component/metric/severity. */
function thresholdRecordFor(sel: SelectorUse): string | undefined {
  const c = eqValue(sel, 'component');
  const m = eqValue(sel, 'metric');
  const s = eqValue(sel, 'severity');
  if (c === undefined || m === undefined || s === undefined) return undefined;
  return `${THRESHOLD_RECORD_PREFIX}${c}_${m}${s === 'critical' ? '_critical' : ''}`;
}

/**
 * The pack's own conventions: records read are defined earlier in the same group; threshold
 * records select the key their name says; alerts have `for`, a known severity and the three
 * annotations (runbook under `runbookBase`); threshold alerts are silenced by maintenance, down
 * alerts are not; a warning alert with a critical tier gives way while the critical one fires.
 */
export function checkPackShape(pack: Pack, runbookBase: string): Issue[] {
  const issues: Issue[] = [];
  const defined = new Map<string, Set<string>>();
  for (const r of pack.rules) {
    const where = ruleWhere(pack, r);
    const groupRecords = defined.get(r.group) ?? new Set<string>();
    defined.set(r.group, groupRecords);
    for (const sel of r.selectors) {
      if (sel.metric.includes(':') && !groupRecords.has(sel.metric)) {
        issues.push(issue('record_undefined', `${where}: reads ${sel.metric}, which no earlier rule of group "${r.group}" records`));
      }
    }
    if (r.rule.kind === 'recording') {
      const rec = r.rule.record;
      if (!rec.startsWith('tenant:')) issues.push(issue('record_name', `${where}: recorded names start with "tenant:"`));
      if (rec.startsWith(THRESHOLD_RECORD_PREFIX)) {
        const sels = r.selectors.filter((s) => s.metric === THRESHOLD_METRIC);
        if (sels.length === 0) issues.push(issue('threshold_record', `${where}: a threshold record reads no user_threshold series`));
        for (const s of sels) {
          const want = thresholdRecordFor(s);
          if (want !== rec) issues.push(issue('threshold_record', `${where}: records ${rec} but reads ${selectorText(s)} (that is ${want ?? 'no single key'})`));
        }
      }
      groupRecords.add(rec);
      continue;
    }
    const rule = r.rule;
    const severity = rule.labels['severity'];
    if (severity === undefined || !SEVERITIES.has(severity)) issues.push(issue('alert_severity', `${where}: label severity must be one of info, warning, critical`));
    if (rule.forMs <= 0) issues.push(issue('alert_for', `${where}: alerts need a "for" duration`));
    for (const a of ['summary', 'description', 'runbook_url']) {
      if ((rule.annotations[a] ?? '') === '') issues.push(issue('alert_annotation', `${where}: annotation ${a} is missing`));
    }
    const runbook = rule.annotations['runbook_url'];
    if (runbook !== undefined && runbook !== `${runbookBase}${rule.alert}`) {
      issues.push(issue('alert_runbook', `${where}: runbook_url must be ${runbookBase}${rule.alert}`));
    }
    const maintenance = r.selectors.some((s) => s.metric === STATE_FILTER_METRIC && eqValue(s, 'filter') === MAINTENANCE_FILTER);
    if (DOWN_ALERT.test(rule.alert)) {
      if (maintenance) issues.push(issue('alert_maintenance', `${where}: a down/absent alert must not be silenced by maintenance`));
    } else if (!maintenance) {
      issues.push(issue('alert_maintenance', `${where}: alerts other than down/absent ones must be silenced by the maintenance state filter`));
    }
    if (severity === 'warning') issues.push(...checkGivesWay(pack, r));
  }
  return issues;
}

/** The labels of `user_threshold` series without dimensions. */
export const THRESHOLD_LABELS: readonly string[] = ['tenant', 'component', 'metric', 'severity'];

/**
 * What each selector of a shipped pack reads, for label inference: exporter metrics their labels
 * plus the target labels, `user_threshold` its four labels plus the key's dimensions,
 * `user_state_filter` tenant/filter/severity, scrape series the target labels; ALERTS and names
 * nobody knows answer "not known".
 */
export function selectorLabelsFor(exposed: ExporterMetrics, dimensional: DimensionalKeys): SelectorLabels {
  return (sel) => {
    if (sel.metric === THRESHOLD_METRIC) return new Set([...THRESHOLD_LABELS, ...(dimensional[thresholdKeyOf(sel) ?? ''] ?? [])]);
    if (sel.metric === STATE_FILTER_METRIC) return new Set(['tenant', 'filter', 'severity']);
    if (sel.metric === 'ALERTS' || sel.metric === 'ALERTS_FOR_STATE') return undefined;
    if (SYNTHESISED_METRICS.has(sel.metric)) return TARGET_LABELS;
    const labels = exposed.get(sel.metric)?.labels;
    return labels === undefined ? undefined : new Set([...labels, ...TARGET_LABELS]);
  };
}
