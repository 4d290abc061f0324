/**
 * Rule groups -> YAML as Mimir's ruler config API GET returns them (yaml.v3 Marshal of
 * rulefmt.RuleGroup, pkg/ruler/api.go `marshalAndSend`): fields in the struct's order (name,
 * interval, query_offset, limit, rules, labels; rule: record/alert, expr, for, keep_firing_for,
 * labels, annotations), `omitempty` fields left out when zero, durations as model.Duration prints
 * them (`1m`, `1h30m`). parseRuleFile/parseRuleGroup read the output back to the same config.
 */
import { formatDuration } from '../../core/duration.js';
import type { Labels } from '../../core/labels.js';
import type { RuleConfig, RuleGroupConfig, TenantRules } from '../api.js';
import { emitYaml, sortedYamlEntries, yamlKeyLess } from './yaml-emit.js';
import type { EmitNode } from './yaml-emit.js';

type Entries = Array<readonly [string, EmitNode]>;

function labelsNode(l: Labels): EmitNode {
  return { entries: sortedYamlEntries(l) };
}

function ruleNode(r: RuleConfig): EmitNode {
  const e: Entries = [];
  if (r.kind === 'recording') {
    e.push(['record', r.record], ['expr', r.expr]);
  } else {
    e.push(['alert', r.alert], ['expr', r.expr]);
    if (r.forMs !== 0) e.push(['for', formatDuration(r.forMs)]);
    if (r.keepFiringForMs !== 0) e.push(['keep_firing_for', formatDuration(r.keepFiringForMs)]);
  }
  if (Object.keys(r.labels).length > 0) e.push(['labels', labelsNode(r.labels)]);
  if (r.kind === 'alerting' && Object.keys(r.annotations).length > 0) e.push(['annotations', labelsNode(r.annotations)]);
  return { entries: e };
}

function groupNode(g: RuleGroupConfig): EmitNode {
  const e: Entries = [['name', g.name]];
  if (g.intervalMs !== undefined && g.intervalMs !== 0) e.push(['interval', formatDuration(g.intervalMs)]);
  if (g.queryOffsetMs !== undefined) e.push(['query_offset', formatDuration(g.queryOffsetMs)]);
  if (g.limit !== 0) e.push(['limit', { raw: String(g.limit) }]);
  e.push(['rules', g.rules.map(ruleNode)]);
  if (Object.keys(g.labels).length > 0) e.push(['labels', labelsNode(g.labels)]);
  return { entries: e };
}

/** One group (GET /prometheus/config/v1/rules/{namespace}/{group}). */
export function marshalRuleGroup(group: RuleGroupConfig): string {
  return emitYaml(groupNode(group));
}

/** A rule file: `groups:` and the groups in order. */
export function marshalRuleGroups(groups: readonly RuleGroupConfig[]): string {
  return emitYaml({ entries: [['groups', groups.map(groupNode)]] });
}

/** Every namespace of a tenant (GET /prometheus/config/v1/rules[/{namespace}]): namespace -> groups, namespaces in yaml.v3's key order. */
export function marshalNamespaces(rules: TenantRules): string {
  const names = [...rules.keys()].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  return emitYaml({ entries: names.map((ns) => [ns, (rules.get(ns) ?? []).map(groupNode)] as const) });
}
