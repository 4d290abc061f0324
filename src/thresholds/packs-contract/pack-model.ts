/**
 * A rule pack as the contract checks see it: each rule with the series selectors its expression
 * reads, found by walking the PromQL AST (never by matching text), so a selector inside a
 * function, an aggregation or a binary operation is seen as the evaluator sees it. The upstream
 * threshold project shipped packs whose threshold selectors matched nothing; its later fix walks
 * the AST the same way (rulepack_contract_test.go, see ../shared/notes/thresholds-operator.md §1.4).
 */
import type { Matcher } from '../../core/matcher.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import { formatParseError, parseExpr } from '../../promql/index.js';
import type { Expr } from '../../promql/index.js';
import type { RuleConfig } from '../../ruler/api.js';
import { formatRuleIssues, parseRuleFile } from '../../ruler/rulefmt/index.js';

/** One series selector in a rule's expression. */
export interface SelectorUse {
  /** The metric name (from `name{...}` or `{__name__="name"}`); "" when the selector names none. */
  readonly metric: string;
  /** The label matchers other than `__name__`. */
  readonly matchers: readonly Matcher[];
}

/** One rule of a pack. */
export interface PackRule {
  readonly group: string;
  /** 0-based position in its group. */
  readonly index: number;
  readonly rule: RuleConfig;
  /** `record` or `alert`. */
  readonly name: string;
  /** The parsed expression. */
  readonly expr: Expr;
  readonly selectors: readonly SelectorUse[];
}

export interface Pack {
  /** The pack name: the file name without `.yaml`. */
  readonly name: string;
  readonly file: string;
  readonly rules: readonly PackRule[];
}

/** A vector selector node as a SelectorUse. */
export function selectorUse(e: { readonly name: string; readonly matchers: readonly Matcher[] }): SelectorUse {
  const nameMatcher = e.matchers.find((m) => m.name === '__name__' && m.type === '=');
  return { metric: e.name !== '' ? e.name : (nameMatcher?.value ?? ''), matchers: e.matchers.filter((m) => m.name !== '__name__') };
}

/** Every vector selector in an expression, left to right. */
export function collectSelectors(expr: Expr): SelectorUse[] {
  const out: SelectorUse[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'VectorSelector':
        out.push(selectorUse(e));
        return;
      case 'MatrixSelector':
        walk(e.vectorSelector);
        return;
      case 'AggregateExpr':
        if (e.param) walk(e.param);
        walk(e.expr);
        return;
      case 'BinaryExpr':
        walk(e.lhs);
        walk(e.rhs);
        return;
      case 'Call':
        for (const a of e.args) walk(a);
        return;
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr':
      case 'StepInvariantExpr':
        walk(e.expr);
        return;
      case 'NumberLiteral':
      case 'StringLiteral':
        return;
    }
  };
  walk(expr);
  return out;
}

/** Parses a pack file; every rule and expression problem is reported, with the file named. */
export function loadPack(text: string, file: string): Result<Pack> {
  const parsed = parseRuleFile(text, file);
  if (!parsed.ok) {
    return fail(formatRuleIssues(parsed.issues, file).map((message) => issue('pack_invalid', message)));
  }
  const rules: PackRule[] = [];
  const issues: Issue[] = [];
  for (const g of parsed.value) {
    g.rules.forEach((rule, index) => {
      const name = rule.kind === 'recording' ? rule.record : rule.alert;
      const e = parseExpr(rule.expr);
      if (!e.ok) {
        for (const err of e.errors) issues.push(issue('pack_expr', `${file}: group "${g.name}", rule ${index + 1} (${name}): ${formatParseError(err)}`));
        return;
      }
      rules.push({ group: g.name, index, rule, name, expr: e.expr, selectors: collectSelectors(e.expr) });
    });
  }
  if (issues.length > 0) return fail(issues);
  const base = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return ok({ name: base, file, rules });
}

/** `group "g", rule 3 (Name)`: where a rule is, for problem texts. */
export function ruleWhere(pack: Pack, r: PackRule): string {
  return `${pack.file}: group "${r.group}", rule ${r.index + 1} (${r.name}${r.rule.kind === 'alerting' && r.rule.labels['severity'] !== undefined ? `, ${r.rule.labels['severity']}` : ''})`;
}
