/**
 * PrometheusRule (monitoring.coreos.com/v1) -> the tenant's rule groups, in one Herald rule
 * namespace per object (`<namespace>/<name>`, as Alloy's mimir.rules.kubernetes keeps one Mimir
 * namespace per CR).
 *
 * Validation is the ruler's own (src/ruler/rulefmt, Prometheus' rulefmt.Parse), after dropping
 * Thanos' `partial_response_strategy` as prometheus-operator's ValidateRule does
 * (pkg/operator/rules.go). Namespace enforcement follows prometheus-operator's
 * enforcedNamespaceLabel (pkg/namespacelabeler/labeler.go): every rule gets the label
 * `namespace=<object namespace>` (overwriting a user's value) and every selector of every expression
 * gets `namespace="<object namespace>"`. Platform rules get the platform label instead (OpenShift's
 * `openshift_io_alert_source="platform"`), and user rules may not set it.
 */
import { stringify } from 'yaml';
import { goQuote } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { RuleConfig, RuleGroupConfig } from '../../ruler/api.js';
import { isRuleIssue, parseRuleFile, parseRuleFileValue } from '../../ruler/rulefmt/index.js';
import type { PrometheusRuleObject } from '../api.js';
import { enforceLabel } from './enforce.js';

/** The enforced label's default name, as OpenShift's user workload monitoring sets it. */
export const DEFAULT_NAMESPACE_LABEL = 'namespace';

export interface PrometheusRuleOptions {
  /** Inject `<namespaceLabel>="<ns>"` into every selector and every rule's labels. */
  readonly enforceNamespace: boolean;
  /** Label name for enforcement (default `namespace`). */
  readonly namespaceLabel?: string;
  /** Set on every rule of a platform object (e.g. `alert_source="platform"`). */
  readonly platformLabel?: { readonly name: string; readonly value: string };
  /** Labels this object's rules and groups may not set (the platform label, for user objects). */
  readonly reservedLabels?: readonly string[];
}

export interface PrometheusRuleGroups {
  /** Herald rule namespace: `<namespace>/<name>`. */
  readonly namespace: string;
  readonly groups: RuleGroupConfig[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** spec.groups without the Thanos-only field; problems with the spec's shape as issues. */
function specGroups(spec: unknown): Result<unknown[]> {
  if (spec === undefined || spec === null) return ok([]);
  if (!isRecord(spec)) return fail([issue('invalid_spec', 'spec must be an object', { path: ['spec'] })]);
  const groups = spec.groups;
  if (groups === undefined || groups === null) return ok([]);
  if (!Array.isArray(groups)) return fail([issue('invalid_spec', 'spec.groups must be a list', { path: ['spec', 'groups'] })]);
  return ok(
    groups.map((g: unknown) => {
      if (!isRecord(g)) return g;
      const copy: Record<string, unknown> = { ...g };
      delete copy.partial_response_strategy;
      return copy;
    }),
  );
}

/** Rule issues re-worded for an object: no positions (they would point into generated YAML), a path instead. */
function objectIssues(issues: readonly Issue[], groups: readonly unknown[]): Issue[] {
  const groupIndex = (name: string | undefined): number => groups.findIndex((g) => isRecord(g) && g.name === name);
  return issues.map((it) => {
    if (!isRuleIssue(it)) return issue(it.code, it.message, { path: ['spec', 'groups'] });
    const gi = groupIndex(it.group);
    const groupPath: Array<string | number> = gi >= 0 ? ['spec', 'groups', gi] : ['spec', 'groups'];
    switch (it.form) {
      case 'rule':
        return issue(it.code, `group ${goQuote(it.group ?? '')}, rule ${it.rule ?? 1}, ${goQuote(it.ruleName ?? '')}: ${it.message}`, {
          path: gi >= 0 ? [...groupPath, 'rules', (it.rule ?? 1) - 1] : groupPath,
        });
      case 'group':
      case 'plain':
        return issue(it.code, it.group !== undefined ? `group ${goQuote(it.group)}: ${it.message}` : it.message, { path: groupPath });
      case 'yaml':
      case 'unmarshal':
        return issue(it.code, it.message.replace(/^line \d+: /, ''), { path: ['spec', 'groups'] });
    }
  });
}

function withLabels(base: Labels, extra: ReadonlyArray<readonly [string, string]>): Labels {
  const m = new Map(Object.entries(base));
  for (const [k, v] of extra) m.set(k, v);
  return Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

function ruleName(r: RuleConfig): string {
  return r.kind === 'recording' ? r.record : r.alert;
}

/**
 * The groups validated as data (parseRuleFileValue), which is what their YAML text gives without
 * writing and parsing it; when that finds a problem, the text is parsed after all, so the issues
 * are exactly those of the text.
 */
function ruleGroups(groups: unknown[], file: string): Result<RuleGroupConfig[]> {
  const asData = parseRuleFileValue({ groups });
  return asData.ok ? asData : parseRuleFile(stringify({ groups: groups as Json[] }), file);
}

/**
 * Converts one PrometheusRule. Every problem of the object is reported at once; the object is
 * then rejected as a whole (never some of its groups).
 */
export function prometheusRuleToGroups(obj: PrometheusRuleObject, opts: PrometheusRuleOptions): Result<PrometheusRuleGroups> {
  const { name, namespace } = obj.metadata;
  const raw = specGroups(obj.spec);
  if (!raw.ok) return raw;
  const parsed = ruleGroups(raw.value, `${namespace}/${name}`);
  if (!parsed.ok) return fail(objectIssues(parsed.issues, raw.value));

  const nsLabel = opts.namespaceLabel ?? DEFAULT_NAMESPACE_LABEL;
  const reserved = new Set(opts.reservedLabels ?? []);
  const extra: Array<readonly [string, string]> = [];
  if (opts.enforceNamespace) extra.push([nsLabel, namespace]);
  if (opts.platformLabel) extra.push([opts.platformLabel.name, opts.platformLabel.value]);

  const issues: Issue[] = [];
  const groups = parsed.value.map((g, gi): RuleGroupConfig => {
    for (const l of Object.keys(g.labels)) {
      if (reserved.has(l)) issues.push(issue('reserved_label', `group ${goQuote(g.name)}: label ${goQuote(l)} is reserved for platform rules`, { path: ['spec', 'groups', gi, 'labels', l] }));
    }
    const rules = g.rules.map((r, ri): RuleConfig => {
      const at = `group ${goQuote(g.name)}, rule ${ri + 1}, ${goQuote(ruleName(r))}`;
      for (const l of Object.keys(r.labels)) {
        if (reserved.has(l)) issues.push(issue('reserved_label', `${at}: label ${goQuote(l)} is reserved for platform rules`, { path: ['spec', 'groups', gi, 'rules', ri, 'labels', l] }));
      }
      let expr = r.expr;
      if (opts.enforceNamespace) {
        const enforced = enforceLabel(r.expr, nsLabel, namespace);
        if (enforced.ok) expr = enforced.value;
        else issues.push(issue('invalid_expr', `${at}: ${enforced.issues[0]?.message ?? 'invalid expression'}`, { path: ['spec', 'groups', gi, 'rules', ri, 'expr'] }));
      }
      return { ...r, expr, labels: withLabels(r.labels, extra) };
    });
    return { ...g, rules };
  });
  if (issues.length > 0) return fail(issues);
  return ok({ namespace: `${namespace}/${name}`, groups });
}
