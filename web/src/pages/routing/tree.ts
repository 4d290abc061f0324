/**
 * The routing page's pure parts: node keys for the tree, which nodes a route test matched (and
 * which ancestors must be open to show them), and the label set a user types for a test, either
 * as rows or as `{a="b", c="d"}` text. No DOM here, so it is unit-tested in node.
 */
import type { RouteNode, RouteTestResult } from '../../api/herald.js';
import { formatMatcher, parseMatchers } from '../../lib/matchers.js';

/** A stable key for a node: `root`, `0`, `0.2` (child indexes from the root). */
export function pathKey(path: readonly number[]): string {
  return path.length === 0 ? 'root' : path.join('.');
}

/** Keys of every node that has children, so "expand all" / "collapse all" know what to toggle. */
export function parentKeys(root: RouteNode): string[] {
  const out: string[] = [];
  const walk = (n: RouteNode): void => {
    if (n.routes.length === 0) return;
    out.push(pathKey(n.path));
    for (const c of n.routes) walk(c);
  };
  walk(root);
  return out;
}

/** Number of nodes in the tree (the root included). */
export function countNodes(root: RouteNode): number {
  let n = 1;
  for (const c of root.routes) n += countNodes(c);
  return n;
}

/** What a route test means for the tree: the matched nodes and the nodes to open to see them. */
export interface Highlight {
  readonly matched: ReadonlySet<string>;
  /** Every proper ancestor of a matched node. */
  readonly ancestors: ReadonlySet<string>;
}

export const NO_HIGHLIGHT: Highlight = { matched: new Set(), ancestors: new Set() };

export function highlightFor(result: RouteTestResult | undefined): Highlight {
  if (!result) return NO_HIGHLIGHT;
  const matched = new Set<string>();
  const ancestors = new Set<string>();
  for (const r of result.routes) {
    matched.add(pathKey(r.path));
    for (let i = 0; i < r.path.length; i++) ancestors.add(pathKey(r.path.slice(0, i)));
  }
  return { matched, ancestors };
}

/** One label row of the test form. */
export interface LabelRow {
  readonly name: string;
  readonly value: string;
}

export type LabelsResult = { readonly ok: true; readonly labels: Record<string, string> } | { readonly ok: false; readonly error: string };

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rows to a label set; rows with an empty name and value are ignored, other problems reported. */
export function rowsToLabels(rows: readonly LabelRow[]): LabelsResult {
  const labels: Record<string, string> = {};
  const problems: string[] = [];
  rows.forEach((r, i) => {
    const name = r.name.trim();
    if (name === '' && r.value === '') return;
    if (!LABEL_NAME.test(name)) problems.push(`row ${i + 1}: ${name === '' ? 'a label name is required' : `invalid label name ${JSON.stringify(name)}`}`);
    else if (Object.hasOwn(labels, name)) problems.push(`row ${i + 1}: label "${name}" appears twice`);
    else labels[name] = r.value;
  });
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  if (Object.keys(labels).length === 0) return { ok: false, error: 'give at least one label' };
  return { ok: true, labels };
}

/** `{a="b", c="d"}` (or `a=b, c=d`) to a label set: only `=` makes sense for an alert's labels. */
export function textToLabels(text: string): LabelsResult {
  const parsed = parseMatchers(text);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const labels: Record<string, string> = {};
  for (const m of parsed.matchers) {
    if (m.isRegex || m.isEqual === false) return { ok: false, error: `"${formatMatcher(m)}": an alert has label values, use name="value"` };
    if (!LABEL_NAME.test(m.name)) return { ok: false, error: `invalid label name ${JSON.stringify(m.name)}` };
    if (Object.hasOwn(labels, m.name)) return { ok: false, error: `label "${m.name}" appears twice` };
    labels[m.name] = m.value;
  }
  if (Object.keys(labels).length === 0) return { ok: false, error: 'give at least one label' };
  return { ok: true, labels };
}

/** A label set as the text form shows it: `{a="b", c="d"}`, names sorted. */
export function labelsToText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => formatMatcher({ name: k, value: labels[k] ?? '', isRegex: false, isEqual: true }));
  return `{${parts.join(', ')}}`;
}

/** A label set as rows (names sorted), with one empty row to type into. */
export function labelsToRows(labels: Readonly<Record<string, string>>): LabelRow[] {
  return [
    ...Object.keys(labels)
      .sort()
      .map((k) => ({ name: k, value: labels[k] ?? '' })),
    { name: '', value: '' },
  ];
}

/** `group_by` as the tree shows it: `...` means every label. */
export function describeGroupBy(groupBy: readonly string[]): string {
  if (groupBy.includes('...')) return '… (every label)';
  return groupBy.length === 0 ? '(none: one group)' : groupBy.join(', ');
}
