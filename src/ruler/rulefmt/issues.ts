/**
 * Problems found in rule files, kept as data with the context Prometheus prints them with, and the
 * two edge formatters: Prometheus' text (model/rulefmt/rulefmt.go `Error.Error`, `ParseFile`, and
 * yaml.v3's `yaml: unmarshal errors:` block) and Mimir's ruler config API text
 * (pkg/ruler/manager.go `ValidateRuleGroup`, pkg/ruler/api.go `CreateRuleGroup`).
 */
import { goQuote } from '../../core/labels.js';
import type { Issue, Position } from '../../core/result.js';

/**
 * How Prometheus prints an issue:
 * - `yaml`: a YAML syntax error (`yaml: line L: ...`);
 * - `unmarshal`: one line of yaml.v3's `yaml: unmarshal errors:` block (`line L: ...`);
 * - `plain`: the message alone (durations, group labels);
 * - `group`: `L:C: message` at the group;
 * - `rule`: `L:C: [L:C: ]group "g", rule N, "name": message`.
 */
export type RuleIssueForm = 'yaml' | 'unmarshal' | 'plain' | 'group' | 'rule';

/** An Issue with the group/rule context Prometheus' message carries. */
export interface RuleIssue extends Issue {
  readonly form: RuleIssueForm;
  /**
   * The positions Prometheus prefixes (`rule` form: the node(s) the check is about, `{0,0}` when that
   * field is absent from the rule, as upstream prints it; `group`/`yaml`/`unmarshal`: one position).
   */
  readonly at?: readonly Position[];
  readonly group?: string;
  /** 1-based index of the rule in its group. */
  readonly rule?: number;
  /** The rule's `alert`, else its `record` ('' when neither). */
  readonly ruleName?: string;
}

/** Narrows a core Issue to a RuleIssue (issues from parseRuleFile/parseRuleGroup always are). */
export function isRuleIssue(it: Issue): it is RuleIssue {
  return typeof (it as Partial<RuleIssue>).form === 'string';
}

function positions(at: readonly Position[] | undefined): string {
  return (at ?? []).map((p) => `${p.line}:${p.column}: `).join('');
}

/** The message without file, as upstream's error's Error() (rule index base configurable for Mimir). */
function issueText(it: Issue, ruleBase: 0 | 1): string {
  if (!isRuleIssue(it)) return it.message;
  switch (it.form) {
    case 'yaml':
      return `yaml: line ${it.at?.[0]?.line ?? 0}: ${it.message}`;
    case 'unmarshal':
      return `line ${it.at?.[0]?.line ?? 0}: ${it.message}`;
    case 'plain':
      return it.message;
    case 'group':
      return `${positions(it.at)}${it.message}`;
    case 'rule':
      return `${positions(it.at)}group ${goQuote(it.group ?? '')}, rule ${(it.rule ?? 1) - 1 + ruleBase}, ${goQuote(it.ruleName ?? '')}: ${it.message}`;
  }
}

/**
 * Prometheus' lines for a rule file's issues, in order, as `promtool check rules` and the rule
 * manager print them: `<file>: <text>`; the yaml.v3 type errors form one entry
 * `<file>: yaml: unmarshal errors:\n  line L: ...` (one string with newlines, as upstream's error is).
 */
export function formatRuleIssues(issues: readonly Issue[], file: string): string[] {
  const out: string[] = [];
  let unmarshalAt = -1;
  for (const it of issues) {
    if (isRuleIssue(it) && it.form === 'unmarshal') {
      if (unmarshalAt < 0) {
        unmarshalAt = out.length;
        out.push(`${file}: yaml: unmarshal errors:`);
      }
      out[unmarshalAt] += `\n  ${issueText(it, 1)}`;
      continue;
    }
    out.push(`${file}: ${issueText(it, 1)}`);
  }
  return out;
}

/**
 * Mimir's 400 body for a rejected `POST /prometheus/config/v1/rules/{namespace}`: a YAML decoding
 * problem gives `unable to decode rule group` (Mimir's ErrBadRuleGroup) followed by what was wrong;
 * validation problems are joined with ", " and rules are numbered from 0, as Mimir does.
 */
export function formatGroupIssues(issues: readonly Issue[]): string {
  const decode = issues.filter((it) => isRuleIssue(it) && (it.form === 'yaml' || it.form === 'unmarshal' || it.code === 'invalid_duration'));
  if (decode.length > 0) return `unable to decode rule group: ${decode.map((it) => issueText(it, 1)).join('; ')}`;
  return issues.map((it) => issueText(it, 0)).join(', ');
}
