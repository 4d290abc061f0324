/**
 * `herald tenant check-alert TENANT [ALERT]`: asks a running Herald whether a tenant's alert fires
 * and, when it does not, why: no series for the measured value, the threshold disabled or missing,
 * maintenance on, the critical tier firing instead, or the value simply under its threshold. Reads
 * the tenant's /prometheus/api/v1/{rules,alerts}, the thresholds API, and instant queries of the
 * pack's recorded series (`tenant:<key>:<agg>` vs `tenant:alert_threshold:<key>`).
 */
import { parseExpr } from '../../promql/index.js';
import type { Expr } from '../../promql/index.js';
import { equalityValue, unwrap, walkExpr } from '../../thresholds/migrate/index.js';
import type { PackIndex } from '../../thresholds/migrate/index.js';
import type { Output } from '../output.js';
import type { HeraldClient, ThresholdsView } from './herald-client.js';
import { HeraldApiError, HeraldAuthError } from './herald-client.js';

const THRESHOLD_PREFIX = 'tenant:alert_threshold:';

/** A `<measured> <op> on(tenant) group_left tenant:alert_threshold:<key>` comparison in a pack alert. */
export interface ThresholdComparison {
  readonly measured: string;
  readonly op: string;
  readonly key: string;
}

/** The threshold comparisons of an expression, in source order. */
export function thresholdComparisons(expr: string): ThresholdComparison[] {
  const p = parseExpr(expr);
  if (!p.ok) return [];
  const out: ThresholdComparison[] = [];
  walkExpr(p.expr, (n: Expr) => {
    if (n.kind !== 'BinaryExpr' || !['>', '<', '>=', '<='].includes(n.op)) return;
    const l = unwrap(n.lhs);
    const r = unwrap(n.rhs);
    if (l.kind === 'VectorSelector' && r.kind === 'VectorSelector' && r.name.startsWith(THRESHOLD_PREFIX)) out.push({ measured: l.name, op: n.op, key: r.name.slice(THRESHOLD_PREFIX.length) });
  });
  return out;
}

/** State filters an expression consults (`user_state_filter{filter="maintenance"}`). */
export function stateFiltersOf(expr: string): string[] {
  const p = parseExpr(expr);
  if (!p.ok) return [];
  const out: string[] = [];
  walkExpr(p.expr, (n) => {
    if (n.kind === 'VectorSelector' && n.name === 'user_state_filter') {
      const f = equalityValue(n, 'filter');
      if (f !== undefined) out.push(f);
    }
  });
  return out;
}

function holds(v: number, op: string, t: number): boolean {
  return op === '>' ? v > t : op === '>=' ? v >= t : op === '<' ? v < t : v <= t;
}

/** Whether the tenant's document disables `key` (the key written with a disable-like value). */
function disabledIn(document: string, key: string): boolean {
  const re = new RegExp(`^\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:\\s*["']?(disable|disabled|off|false)["']?\\s*(#.*)?$`, 'im');
  return re.test(document);
}

export interface CheckAlertOptions {
  readonly client: HeraldClient;
  readonly alert?: string;
  /** Local packs, to find a pack alert's expression when the rules API does not list it. */
  readonly packs: readonly PackIndex[];
}

/** Runs the sub-command; exit code 0 when the alert (or any alert) is pending or firing, 1 otherwise. */
export async function checkAlert(o: CheckAlertOptions, out: Output): Promise<number> {
  const c = o.client;
  const [alerts, groups] = await Promise.all([c.alerts(), c.ruleGroups().catch(() => [])]);
  if (o.alert === undefined) {
    if (alerts.length === 0) {
      out.out(`tenant ${c.tenant}: no alert is pending or firing`);
      return 1;
    }
    for (const a of alerts) out.out(`${a.state.padEnd(8)} ${a.labels.alertname ?? '?'} ${JSON.stringify(a.labels)}${a.value !== undefined ? ` value=${a.value}` : ''}`);
    return 0;
  }
  const name = o.alert;
  const active = alerts.filter((a) => a.labels.alertname === name);
  for (const a of active) out.out(`${name} is ${a.state} for tenant ${c.tenant}${a.value !== undefined ? ` (value ${a.value})` : ''}${a.activeAt ? ` since ${a.activeAt}` : ''}`);
  if (active.length > 0) return 0;

  // Tiers share the alert name (the critical rule comes first in a pack): explain the warning
  // tier, the one that fires first.
  const warningFirst = <T>(xs: T[], severity: (x: T) => string | undefined): T | undefined => xs.find((x) => severity(x) === 'warning') ?? xs[0];
  const rule = warningFirst(
    groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting' && r.name === name),
    (r) => r.labels?.['severity'],
  );
  const packRule = warningFirst(
    o.packs.flatMap((p) => p.alerts.map((a) => ({ pack: p.name, a }))).filter((x) => x.a.alert === name),
    (x) => x.a.labels['severity'],
  );
  const expr = rule?.query ?? packRule?.a.expr;
  if (expr === undefined) {
    out.out(`${name}: no such alerting rule for tenant ${c.tenant} (not in its rules API, not in the local packs)`);
    return 1;
  }
  out.out(`${name} is not firing for tenant ${c.tenant}${packRule ? ` (pack ${packRule.pack})` : ''}. Why:`);
  if (rule?.health === 'err') out.out(`  - the rule fails to evaluate: ${rule.lastError ?? 'unknown error'}`);

  let view: ThresholdsView | undefined;
  try {
    view = await c.thresholds();
  } catch (e) {
    if (e instanceof HeraldAuthError) throw e;
    out.out(`  - thresholds API not available: ${e instanceof HeraldApiError ? e.message : String(e)}`);
  }
  const reasons = await explain(c, expr, view);
  for (const r of reasons) out.out(`  - ${r}`);
  if (reasons.length === 0) out.out('  - nothing found: the condition may hold but the rule waits for its `for` duration or next evaluation');
  return 1;
}

async function explain(c: HeraldClient, expr: string, view: ThresholdsView | undefined): Promise<string[]> {
  const reasons: string[] = [];
  for (const f of stateFiltersOf(expr)) {
    if (view?.stateFilters.some((s) => s.filter === f)) reasons.push(`state filter "${f}" is on for the tenant (_state_${f}): threshold alerts are silenced`);
  }
  const comparisons = thresholdComparisons(expr);
  if (comparisons.length === 0) {
    reasons.push(`the expression has no pack threshold comparison; its current result is ${(await c.query(expr)).length} series`);
    return reasons;
  }
  const [main, ...others] = comparisons;
  if (!main) return reasons;
  const measured = await c.query(main.measured);
  const value = measured[0]?.value;
  const resolved = view?.resolved.find((r) => r.key === main.key) ?? view?.resolved.find((r) => `${r.labels.component}_${r.labels.metric}${r.labels.severity === 'critical' ? '_critical' : ''}` === main.key);
  if (value === undefined) reasons.push(`no series: ${main.measured} has no value for the tenant (are its exporter metrics scraped into tenant ${c.tenant}?)`);
  if (view !== undefined && resolved === undefined) {
    reasons.push(disabledIn(view.document, main.key) ? `threshold ${main.key} is disabled in the tenant's document` : `no threshold ${main.key}: no default and not set by the tenant`);
  }
  if (value !== undefined && resolved !== undefined) {
    if (holds(value, main.op, resolved.value)) {
      const crit = others.find((o) => o.key === `${main.key}_critical`);
      const critThr = crit ? view?.resolved.find((r) => r.key === crit.key)?.value : undefined;
      if (crit && critThr !== undefined && holds(value, crit.op, critThr)) reasons.push(`the critical tier fires instead: ${main.measured} = ${value} ${crit.op} ${critThr} (${crit.key})`);
      else reasons.push(`${main.measured} = ${value} ${main.op} ${resolved.value} (${main.key}, ${resolved.source}) holds: the alert is waiting for its 'for' duration or the next evaluation`);
    } else {
      reasons.push(`${main.measured} = ${value} is not ${main.op} the threshold ${resolved.value} (${main.key}, ${resolved.source})`);
    }
  }
  return reasons;
}
