/**
 * Kubernetes label selectors (metav1.LabelSelector): `matchLabels` and `matchExpressions` with
 * In / NotIn / Exists / DoesNotExist, all requirements ANDed, an empty selector matching everything
 * (k8s.io/apimachinery pkg/labels/selector.go semantics, as LabelSelectorAsSelector builds them).
 */
import { fail, issue, ok } from '../../core/result.js';
import type { Issue, Result } from '../../core/result.js';
import type { LabelSelector } from '../api.js';

type Labels = Readonly<Record<string, string>>;
type Expression = NonNullable<LabelSelector['matchExpressions']>[number];

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** The empty selector (matches every label set). */
export const MATCH_ALL: LabelSelector = {};

function matchesExpression(e: Expression, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  const value = has ? labels[e.key] : undefined;
  switch (e.operator) {
    case 'In':
      return value !== undefined && (e.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(e.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/** True when `labels` satisfies every requirement of `sel`. */
export function matchesSelector(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of sel.matchExpressions ?? []) {
    if (!matchesExpression(e, labels)) return false;
  }
  return true;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a selector from parsed YAML/JSON (`matchLabels`, `matchExpressions`; `match_labels` and
 * `match_expressions` are accepted too). Every problem is reported with its path under `at`.
 */
export function parseLabelSelector(v: unknown, at: ReadonlyArray<string | number>): Result<LabelSelector> {
  if (v === undefined || v === null) return ok(MATCH_ALL);
  if (!isRecord(v)) return fail([issue('invalid_selector', 'a label selector must be a mapping', { path: at })]);
  const issues: Issue[] = [];
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Expression[] = [];
  for (const [key, value] of Object.entries(v)) {
    const path = [...at, key];
    if (key === 'matchLabels' || key === 'match_labels') {
      if (value === null || value === undefined) continue;
      if (!isRecord(value)) {
        issues.push(issue('invalid_selector', `${key} must be a mapping of label names to values`, { path }));
        continue;
      }
      for (const [ln, lv] of Object.entries(value)) {
        if (typeof lv !== 'string') issues.push(issue('invalid_selector', `value of label ${JSON.stringify(ln)} must be a string`, { path: [...path, ln] }));
        else matchLabels[ln] = lv;
      }
    } else if (key === 'matchExpressions' || key === 'match_expressions') {
      if (value === null || value === undefined) continue;
      if (!Array.isArray(value)) {
        issues.push(issue('invalid_selector', `${key} must be a list`, { path }));
        continue;
      }
      value.forEach((e: unknown, i) => {
        const r = parseExpression(e, [...path, i]);
        if (r.ok) matchExpressions.push(r.value);
        else issues.push(...r.issues);
      });
    } else {
      issues.push(issue('unknown_field', `unknown field ${JSON.stringify(key)} in label selector`, { path }));
    }
  }
  if (issues.length > 0) return fail(issues);
  return ok({
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  });
}

function parseExpression(e: unknown, path: ReadonlyArray<string | number>): Result<Expression> {
  if (!isRecord(e)) return fail([issue('invalid_selector', 'a match expression must be a mapping with key, operator and values', { path })]);
  const issues: Issue[] = [];
  for (const k of Object.keys(e)) {
    if (k !== 'key' && k !== 'operator' && k !== 'values') issues.push(issue('unknown_field', `unknown field ${JSON.stringify(k)} in match expression`, { path: [...path, k] }));
  }
  const { key, operator, values } = e;
  if (typeof key !== 'string' || key === '') issues.push(issue('invalid_selector', 'key must be a non-empty string', { path: [...path, 'key'] }));
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
    issues.push(issue('invalid_selector', `operator must be one of In, NotIn, Exists, DoesNotExist, got ${JSON.stringify(operator ?? null)}`, { path: [...path, 'operator'] }));
  }
  let vals: string[] = [];
  if (values !== undefined && values !== null) {
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string')) issues.push(issue('invalid_selector', 'values must be a list of strings', { path: [...path, 'values'] }));
    else vals = values as string[];
  }
  if ((operator === 'In' || operator === 'NotIn') && vals.length === 0) {
    issues.push(issue('invalid_selector', `values must be non-empty for operator ${operator}`, { path: [...path, 'values'] }));
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && vals.length > 0) {
    issues.push(issue('invalid_selector', `values must be empty for operator ${operator}`, { path: [...path, 'values'] }));
  }
  if (issues.length > 0) return fail(issues);
  return ok({ key: key as string, operator: operator as Expression['operator'], ...(vals.length > 0 ? { values: vals } : {}) });
}
