/**
 * How API-written rule groups are kept in the StateStore (kind 'rules'): key = namespace NUL group
 * name, value = the group as YAML, as Mimir's config API prints it (rulefmt's marshalRuleGroup).
 * Reading parses and validates the YAML again (parseRuleGroup), so a damaged record is skipped
 * with a message, never a crash.
 */
import type { RuleGroupConfig } from '../api.js';
import { formatGroupIssues, marshalRuleGroup, parseRuleGroup } from '../rulefmt/index.js';

const SEP = '\u0000';

export function ruleKey(namespace: string, group: string): string {
  return namespace + SEP + group;
}

/** [namespace, group] from a key; undefined when the key has no separator. */
export function splitRuleKey(key: string): [string, string] | undefined {
  const i = key.indexOf(SEP);
  return i < 0 ? undefined : [key.slice(0, i), key.slice(i + 1)];
}

export function encodeGroup(group: RuleGroupConfig): string {
  return marshalRuleGroup(group);
}

/** The stored group, or a message saying what is wrong with the record. */
export function decodeGroup(value: string): { ok: true; group: RuleGroupConfig } | { ok: false; error: string } {
  const r = parseRuleGroup(value);
  return r.ok ? { ok: true, group: r.value } : { ok: false, error: formatGroupIssues(r.issues) };
}
