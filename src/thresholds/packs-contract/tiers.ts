/**
 * The warning/critical tiers of one alert (issue 7: "a warning alert is not sent while its
 * critical tier fires"). The critical rule comes first in its group, so the warning rule, evaluated
 * after it at the same timestamp, sees its ALERTS series (Prometheus evaluates a group's rules in
 * order and appends each rule's output before the next one runs: rules/group.go Eval); the warning
 * gives way with `unless ignoring(alertname, alertstate, severity) ALERTS{alertname="<Name>",
 * alertstate="firing", severity="critical"}`. The earlier shape, `unless (x > critical threshold)`,
 * dropped the warning as soon as the critical condition held, while the critical alert was still
 * pending: nothing fired for one `for`.
 */
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { Expr } from '../../promql/index.js';
import { labelsOf } from './labels-of.js';
import type { LabelsOf, SelectorLabels } from './labels-of.js';
import { ruleWhere, selectorUse } from './pack-model.js';
import type { Pack, PackRule } from './pack-model.js';

/** The labels an `ignoring(...)` must name for the warning to match its critical alert exactly. */
export const TIER_IGNORING: readonly string[] = ['alertname', 'alertstate', 'severity'];
const THRESHOLD_RECORD_PREFIX = 'tenant:alert_threshold:';

type BinaryNode = Extract<Expr, { kind: 'BinaryExpr' }>;

/** Every node of an expression, depth first. */
export function walkExpr(e: Expr, visit: (node: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'MatrixSelector':
      walkExpr(e.vectorSelector, visit);
      return;
    case 'AggregateExpr':
      if (e.param) walkExpr(e.param, visit);
      walkExpr(e.expr, visit);
      return;
    case 'BinaryExpr':
      walkExpr(e.lhs, visit);
      walkExpr(e.rhs, visit);
      return;
    case 'Call':
      for (const a of e.args) walkExpr(a, visit);
      return;
    case 'SubqueryExpr':
    case 'ParenExpr':
    case 'UnaryExpr':
    case 'StepInvariantExpr':
      walkExpr(e.expr, visit);
      return;
    default:
      return;
  }
}

export function unwrap(e: Expr): Expr {
  return e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr' ? unwrap(e.expr) : e;
}

/** The `unless ... ALERTS{alertname="<alert>", alertstate="firing", severity="critical"}` node of an expression. */
export function givesWayNode(expr: Expr, alert: string): BinaryNode | undefined {
  let found: BinaryNode | undefined;
  walkExpr(expr, (n) => {
    if (found || n.kind !== 'BinaryExpr' || n.op !== 'unless') return;
    const rhs = unwrap(n.rhs);
    if (rhs.kind !== 'VectorSelector') return;
    const sel = selectorUse(rhs);
    const eq = (name: string, value: string): boolean => sel.matchers.some((m) => m.name === name && m.type === '=' && m.value === value);
    if (sel.metric === 'ALERTS' && eq('alertname', alert) && eq('alertstate', 'firing') && eq('severity', 'critical')) found = n;
  });
  return found;
}

function criticalsOf(pack: Pack, alert: string): PackRule[] {
  return pack.rules.filter((x) => x.rule.kind === 'alerting' && x.rule.alert === alert && x.rule.labels['severity'] === 'critical');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * A warning alert with a critical tier: the critical rule comes earlier in the same group, the
 * warning gives way to the critical ALERTS series (matched on every label but alertname,
 * alertstate and severity, or `on` exactly the alert's labels: checkTierLabels), does not read the
 * critical thresholds itself, and both rules carry the same labels apart from severity.
 */
export function checkGivesWay(pack: Pack, warning: PackRule): Issue[] {
  if (warning.rule.kind !== 'alerting') return [];
  const alert = warning.rule.alert;
  const criticals = criticalsOf(pack, alert);
  if (criticals.length === 0) return [];
  const where = ruleWhere(pack, warning);
  const issues: Issue[] = [];
  const want = `unless ignoring(${TIER_IGNORING.join(', ')}) ALERTS{alertname="${alert}", alertstate="firing", severity="critical"}`;
  for (const crit of criticals) {
    if (crit.group !== warning.group || crit.index > warning.index) {
      issues.push(issue('alert_critical_order', `${where}: the critical rule of ${alert} must come before the warning in group "${warning.group}" (the warning reads its ALERTS series of the same evaluation)`));
    }
    if (crit.rule.kind !== 'alerting') continue;
    const others = (labels: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'severity').sort());
    if (others(crit.rule.labels) !== others(warning.rule.labels)) {
      issues.push(issue('alert_critical_labels', `${where}: the warning and critical rules of ${alert} must have the same labels apart from severity (else ALERTS never match)`));
    }
  }
  const node = givesWayNode(warning.expr, alert);
  if (node === undefined) {
    issues.push(issue('alert_critical_tier', `${where}: must give way while the critical alert fires: ${want}`));
  } else if (node.matching && !node.matching.on && !sameSet(node.matching.matchingLabels, TIER_IGNORING)) {
    issues.push(issue('alert_critical_tier', `${where}: the ALERTS match must ignore exactly ${TIER_IGNORING.join(', ')} (${want})`));
  }
  const readsCritical = warning.selectors.find(
    (s) => (s.metric.startsWith(THRESHOLD_RECORD_PREFIX) && s.metric.endsWith('_critical')) || (s.metric === 'user_threshold' && s.matchers.some((m) => m.name === 'severity' && m.value === 'critical')),
  );
  if (readsCritical) {
    issues.push(issue('alert_critical_tier', `${where}: reads the critical threshold (${readsCritical.metric}): it would give way as soon as the critical condition holds, while the critical alert is still pending`));
  }
  return issues;
}

function labelText(l: LabelsOf): string {
  return l === undefined ? 'not known' : l === 'scalar' ? 'a scalar' : `{${[...l].sort().join(', ')}}`;
}

function equalLabels(a: LabelsOf, b: LabelsOf): boolean {
  return a !== undefined && b !== undefined && a !== 'scalar' && b !== 'scalar' && sameSet([...a], [...b]);
}

/**
 * The warning's alerts and the critical's have the same labels (the ALERTS match is exact only
 * then); an `on(...)` match must list exactly those labels.
 */
export function checkTierLabels(pack: Pack, selector: SelectorLabels): Issue[] {
  const issues: Issue[] = [];
  for (const w of pack.rules) {
    if (w.rule.kind !== 'alerting' || w.rule.labels['severity'] !== 'warning') continue;
    const node = givesWayNode(w.expr, w.rule.alert);
    const crit = criticalsOf(pack, w.rule.alert)[0];
    if (node === undefined || crit === undefined) continue;
    const where = ruleWhere(pack, w);
    const mine = labelsOf(node.lhs, selector);
    const theirs = labelsOf(crit.expr, selector);
    if (!equalLabels(mine, theirs)) {
      issues.push(issue('alert_tier_labels', `${where}: its alerts have labels ${labelText(mine)} but the critical tier's have ${labelText(theirs)}: the warning cannot give way exactly`));
    }
    if (node.matching?.on === true && !equalLabels(mine, new Set(node.matching.matchingLabels))) {
      issues.push(issue('alert_tier_labels', `${where}: on(${node.matching.matchingLabels.join(', ')}) must list exactly the alert's labels ${labelText(mine)}`));
    }
  }
  return issues;
}
