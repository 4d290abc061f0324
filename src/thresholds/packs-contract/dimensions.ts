/**
 * Dimensional threshold keys (issue 7: `redis_queue_length{queue="email"}: 1000` sets the threshold
 * of one label value). A key is dimensional when the platform declares it in `_defaults.yaml`
 * (`dimensions:`, which the engine enforces on tenant documents; shipped in conf.d.example/), and
 * the contract proves each declaration against the packs: some pack reads the key, and every alert
 * reading it joins on the declared labels (documented in the pack header and rule-packs/README.md). For such
 * a key every `user_threshold` selector says which series it wants (`queue!=""`: per-queue values,
 * `queue=""`: the tenant-wide value; an unpinned selector lets one queue's value raise every
 * queue's threshold), and every alert reading the key compares a value that carries the dimension
 * labels `on(tenant, <dimensions>)` with a threshold that carries them too. The upstream project's
 * packs aggregated dimensional thresholds `max by(tenant)`, so a dimension changed the threshold of
 * every series (../shared/notes/thresholds-operator.md §1.3).
 */
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { Expr } from '../../promql/index.js';
import type { ThresholdDefaults } from '../api.js';
import { labelsOf } from './labels-of.js';
import type { LabelsOf, SelectorLabels } from './labels-of.js';
import { collectSelectors, ruleWhere } from './pack-model.js';
import type { Pack, SelectorUse } from './pack-model.js';
import { walkExpr } from './tiers.js';

/** Base threshold key (`<component>_<metric>`) -> its dimension labels. */
export type DimensionalKeys = Readonly<Record<string, readonly string[]>>;

/** The `dimensions:` a parsed `_defaults.yaml` declares, as the contract's record. */
export function dimensionalKeysOf(defaults: ThresholdDefaults): DimensionalKeys {
  return Object.fromEntries(defaults.dimensions ?? []);
}

const COMPARISONS: ReadonlySet<string> = new Set(['==', '!=', '>', '<', '>=', '<=']);

/**
 * Each declared dimensional key is read by some pack's `user_threshold` selector; with
 * {@link checkDimensions} on every pack this proves each declaration is one a threshold rule joins on.
 */
export function checkDeclaredDimensions(packs: readonly Pack[], declared: DimensionalKeys): Issue[] {
  const read = new Set(packs.flatMap((p) => p.rules.flatMap((r) => r.selectors.map((s) => thresholdKeyOf(s) ?? ''))));
  return Object.entries(declared)
    .filter(([key]) => !read.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, dims]) => issue('dimension_unread', `dimensions: ${key} (${dims.join(', ')}) is declared dimensional but no pack reads user_threshold{component, metric} of ${key}: a tenant's per-${dims.join('/')} value would never be compared`));
}

/** The base key a `user_threshold` selector reads (`component_metric`), if it pins both. */
export function thresholdKeyOf(sel: SelectorUse): string | undefined {
  if (sel.metric !== 'user_threshold') return undefined;
  const c = sel.matchers.find((m) => m.name === 'component' && m.type === '=')?.value;
  const m = sel.matchers.find((x) => x.name === 'metric' && x.type === '=')?.value;
  return c === undefined || m === undefined ? undefined : `${c}_${m}`;
}

function has(labels: LabelsOf, wanted: readonly string[]): boolean {
  return labels !== undefined && labels !== 'scalar' && wanted.every((d) => labels.has(d));
}

function text(labels: LabelsOf): string {
  return labels === undefined ? 'not known' : labels === 'scalar' ? 'a scalar' : [...labels].sort().join(', ') || 'none';
}

/**
 * Dimensional keys in one pack: selectors pinned per dimension, and each alert reading a
 * dimensional key compares values carrying its labels, matched on them.
 */
export function checkDimensions(pack: Pack, dimensional: DimensionalKeys, selector: SelectorLabels): Issue[] {
  const issues: Issue[] = [];
  const recordKeys = new Map<string, Set<string>>();
  const keysOf = (e: Expr): Set<string> => {
    const out = new Set<string>();
    for (const s of collectSelectors(e)) {
      const k = thresholdKeyOf(s);
      if (k !== undefined) out.add(k);
      for (const x of recordKeys.get(s.metric) ?? []) out.add(x);
    }
    return out;
  };
  for (const r of pack.rules) {
    const where = ruleWhere(pack, r);
    for (const s of r.selectors) {
      const dims = dimensional[thresholdKeyOf(s) ?? ''];
      for (const d of dims ?? []) {
        if (!s.matchers.some((m) => m.name === d && (m.type === '=' || m.type === '!=') && m.value === '')) {
          issues.push(issue('dimension_unpinned', `${where}: ${thresholdKeyOf(s) ?? ''} is dimensional (${d}): its user_threshold selector must say ${d}!="" (the per-${d} values) or ${d}="" (the tenant-wide value), or one ${d}'s value counts for all`));
        }
      }
    }
    const keys = keysOf(r.expr);
    if (r.rule.kind === 'recording') {
      recordKeys.set(r.rule.record, new Set([...(recordKeys.get(r.rule.record) ?? []), ...keys]));
      continue;
    }
    for (const key of keys) {
      const dims = dimensional[key];
      if (dims === undefined) continue;
      let compared = false;
      let lacking: string | undefined;
      walkExpr(r.expr, (n) => {
        if (compared || n.kind !== 'BinaryExpr' || !COMPARISONS.has(n.op) || n.returnBool || !n.matching?.on) return;
        if (!dims.every((d) => n.matching?.matchingLabels.includes(d))) return;
        const [value, threshold] = keysOf(n.rhs).has(key) ? [n.lhs, n.rhs] : keysOf(n.lhs).has(key) ? [n.rhs, n.lhs] : [undefined, undefined];
        if (value === undefined || threshold === undefined) return;
        const valueLabels = labelsOf(value, selector);
        const thresholdLabels = labelsOf(threshold, selector);
        if (!has(valueLabels, dims)) lacking ??= `the value compared lacks ${dims.join(', ')} (its labels: ${text(valueLabels)})`;
        else if (!has(thresholdLabels, dims)) lacking ??= `the threshold compared lacks ${dims.join(', ')} (its labels: ${text(thresholdLabels)})`;
        else compared = true;
      });
      if (compared) continue;
      if (lacking !== undefined) {
        issues.push(issue('dimension_label_missing', `${where}: compares ${key} (dimensional: ${dims.join(', ')}) on(${dims.join(', ')}), but ${lacking}`));
      } else {
        issues.push(issue('dimension_not_compared', `${where}: reads ${key} (dimensional: ${dims.join(', ')}) but never compares it on(tenant, ${dims.join(', ')}) with a threshold carrying ${dims.join(', ')}: a per-${dims.join('/')} value would not be honoured`));
      }
    }
  }
  return issues;
}
