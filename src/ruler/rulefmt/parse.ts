/**
 * Rule files and single rule groups: text -> validated RuleGroupConfig, or every problem found.
 *
 * parseRuleFile mirrors Prometheus' model/rulefmt/rulefmt.go `Parse`: the first YAML document
 * only, unknown fields rejected, decode problems (YAML, types, durations) reported without the
 * semantic checks (upstream returns before `Validate`), then every semantic problem.
 * parseRuleGroup mirrors Mimir's `POST /prometheus/config/v1/rules/{namespace}` (pkg/ruler/api.go
 * `CreateRuleGroup`, pkg/ruler/manager.go `ValidateRuleGroup`): one group, unknown fields
 * ignored, `evaluation_delay` accepted as the deprecated name of `query_offset`, federated groups
 * (`source_tenants`) refused because Herald has no rule federation.
 */
import { fail, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { checkAlertTemplate } from '../template/index.js';
import type { RuleGroupConfig } from '../api.js';
import { Decoder } from './decode.js';
import type { RawGroup } from './decode.js';
import type { RuleIssue } from './issues.js';
import { checkGroup, checkRule, toGroupConfig } from './validate.js';
import type { TemplateChecker } from './validate.js';
import { valueTree } from './value-tree.js';
import { parseYamlTree } from './yaml-tree.js';
import type { YamlNode } from './yaml-tree.js';

export interface ParseRulesOptions {
  /** Template syntax check for alerting rules' labels and annotations (default: the ruler's template engine). */
  readonly checkTemplate?: TemplateChecker;
  /** promtool's --ignore-unknown-fields. */
  readonly ignoreUnknownFields?: boolean;
}

function yamlRoot(text: string): { root: YamlNode | undefined; extraDocuments: boolean } | RuleIssue {
  const tree = parseYamlTree(text);
  if (!tree.ok) return { code: 'yaml_syntax', form: 'yaml', message: tree.message, range: { start: tree.pos }, at: [tree.pos] };
  return { root: tree.root, extraDocuments: tree.extraDocuments };
}

function isIssue(x: object): x is RuleIssue {
  return 'code' in x;
}

/**
 * Parses and validates a Prometheus rule file. `file` names it in nothing but the caller's
 * messages (format issues with formatRuleIssues(issues, file)). A second YAML document is ignored,
 * as upstream ignores it (with a warning: see `hasExtraDocuments`).
 */
export function parseRuleFile(text: string, file: string, options: ParseRulesOptions = {}): Result<RuleGroupConfig[]> {
  void file;
  const y = yamlRoot(text);
  if (isIssue(y)) return fail([y]);
  return ruleFile(y.root, options);
}

/**
 * parseRuleFile for a rule file given as data (`{ groups: [...] }`, e.g. a PrometheusRule's spec):
 * the checks and messages of parsing that data written as YAML, without writing it. Issues have
 * no position (`line 0`), as the data has none; a value with no YAML form (a class instance, a
 * function, a `<<` key) is an `invalid_value` issue at its path.
 */
export function parseRuleFileValue(value: unknown, options: ParseRulesOptions = {}): Result<RuleGroupConfig[]> {
  const tree = valueTree(value);
  if (!tree.ok) {
    const noForm: RuleIssue = { code: 'invalid_value', form: 'plain', message: tree.problem, path: tree.path };
    return fail([noForm]);
  }
  return ruleFile(tree.root.kind === 'scalar' && tree.root.tag === '!!null' ? undefined : tree.root, options);
}

function ruleFile(root: YamlNode | undefined, options: ParseRulesOptions): Result<RuleGroupConfig[]> {
  const dec = new Decoder({ knownFields: options.ignoreUnknownFields !== true, mimir: false });
  const raw = dec.file(root);
  if (dec.issues.length > 0) return fail(dec.issues);
  const check = options.checkTemplate ?? checkAlertTemplate;
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  for (const g of raw) {
    issues.push(...checkGroup(g, seen));
    g.rules.forEach((r, i) => issues.push(...checkRule(r, g.name, i, check)));
  }
  if (issues.length > 0) return fail(issues);
  return ok(raw.map((g) => toGroupConfig(g, g.queryOffsetMs)));
}

/** True when `text` holds more than one YAML document (Prometheus warns that only the first is used). */
export function hasExtraDocuments(text: string): boolean {
  const y = yamlRoot(text);
  return !isIssue(y) && y.extraDocuments;
}

/** Parses and validates one rule group, the body of Mimir's ruler config API POST. */
export function parseRuleGroup(text: string, options: ParseRulesOptions = {}): Result<RuleGroupConfig> {
  const y = yamlRoot(text);
  if (isIssue(y)) return fail([y]);
  const dec = new Decoder({ knownFields: false, mimir: true });
  const g = dec.group(y.root);
  if (dec.issues.length > 0) return fail(dec.issues);
  const early = mimirGroupProblem(g);
  if (early) return fail([early]);
  const issues: RuleIssue[] = [];
  if (g.sourceTenants.length > 0) {
    issues.push(mimirIssue('federated_group', `rule group '${g.name}' is a federated rule group, but rules federation is disabled; please contact your service administrator to have it enabled`, g));
  }
  if (g.evaluationDelayMs !== undefined && g.queryOffsetMs !== undefined && g.evaluationDelayMs !== g.queryOffsetMs) {
    issues.push(mimirIssue('evaluation_delay_conflict', `rule group '${g.name}' has both query_offset and (deprecated) evaluation_delay set, but to different values; please remove the deprecated evaluation_delay and use query_offset instead`, g));
  }
  // Prometheus' group checks (labels, limit) apply too; Mimir stores what Prometheus would load.
  issues.push(...checkGroup(g, undefined));
  const check = options.checkTemplate ?? checkAlertTemplate;
  g.rules.forEach((r, i) => issues.push(...checkRule(r, g.name, i, check)));
  if (issues.length > 0) return fail(issues);
  return ok(toGroupConfig(g, g.queryOffsetMs ?? g.evaluationDelayMs));
}

function mimirIssue(code: string, message: string, g: RawGroup): RuleIssue {
  return { code, form: 'plain', message: `invalid rules configuration: ${message}`, group: g.name, range: { start: g.pos } };
}

/** Mimir's first checks, each of which ends validation. */
function mimirGroupProblem(g: RawGroup): RuleIssue | undefined {
  if (g.name === '') return mimirIssue('group_name_empty', 'rule group name must not be empty', g);
  if (g.rules.length === 0) return mimirIssue('group_no_rules', `rule group '${g.name}' has no rules`, g);
  return undefined;
}
