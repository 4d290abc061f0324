/**
 * The rules page's pure parts: filtering groups by rule name and alert state, a group's health
 * (Prometheus has none per group: the worst of its rules), and what "never evaluated" looks like.
 */
import type { AlertRuleState, Rule, RuleGroup, RuleHealth } from './api.js';

export const STATES: readonly AlertRuleState[] = ['firing', 'pending', 'inactive'];

export interface RuleFilter {
  /** Case-insensitive substring of the rule name (or the group name). */
  readonly name: string;
  /** Alerting rules in one of these states are shown; recording rules only when all are on. */
  readonly states: ReadonlySet<AlertRuleState>;
}

export function ruleMatches(rule: Rule, group: RuleGroup, f: RuleFilter): boolean {
  const needle = f.name.trim().toLowerCase();
  if (needle !== '' && !rule.name.toLowerCase().includes(needle) && !group.name.toLowerCase().includes(needle)) return false;
  if (rule.type === 'recording') return STATES.every((s) => f.states.has(s));
  return f.states.has(rule.state);
}

/** Groups with only their rules that pass the filter; groups left empty are dropped. */
export function filterGroups(groups: readonly RuleGroup[], f: RuleFilter): RuleGroup[] {
  const out: RuleGroup[] = [];
  for (const g of groups) {
    const rules = g.rules.filter((r) => ruleMatches(r, g, f));
    if (rules.length > 0) out.push({ ...g, rules });
  }
  return out;
}

/** `err` when a rule failed, `unknown` when any has not run yet, else `ok`. */
export function groupHealth(g: RuleGroup): { readonly health: RuleHealth; readonly lastError: string | undefined } {
  const failed = g.rules.find((r) => r.health === 'err');
  if (failed) return { health: 'err', lastError: failed.lastError ? `${failed.name}: ${failed.lastError}` : `${failed.name} failed` };
  if (g.rules.some((r) => r.health === 'unknown')) return { health: 'unknown', lastError: undefined };
  return { health: 'ok', lastError: undefined };
}

/** How many alerting rules are in each state (over every group). */
export function stateCounts(groups: readonly RuleGroup[]): Record<AlertRuleState, number> {
  const c: Record<AlertRuleState, number> = { firing: 0, pending: 0, inactive: 0 };
  for (const g of groups) for (const r of g.rules) if (r.type === 'alerting') c[r.state]++;
  return c;
}

/** Go's zero time (and anything unparsable or before 1970) means "not evaluated yet". */
export function evaluated(iso: string): boolean {
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0;
}

/** Groups sorted by file (namespace) then name, as the page lists them. */
export function byFile(groups: readonly RuleGroup[]): { readonly file: string; readonly groups: readonly RuleGroup[] }[] {
  const map = new Map<string, RuleGroup[]>();
  for (const g of groups) {
    const list = map.get(g.file);
    if (list) list.push(g);
    else map.set(g.file, [g]);
  }
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, gs]) => ({ file, groups: gs }));
}
