/**
 * Prometheus' relabeling (model/relabel): a list of rules applied in order to a label set, used
 * for targets (relabel_configs), samples (metric_relabel_configs) and alerts (alert_relabel_configs).
 * Regexes are anchored RE2;
 * replacements expand `$1`, `${1}`, `$name` as Go's regexp.Expand does.
 */
import { createHash } from 'node:crypto';
import type RE2 from 're2';
import { isClassicLabelName } from './labels.js';
import type { Labels } from './labels.js';
import { compileAnchored } from './matcher.js';
import { fail, issue, ok } from './result.js';
import type { Issue, Result } from './result.js';

/** The relabel actions Herald supports (all of Prometheus' classic ones). */
export const RELABEL_ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'] as const;
export type RelabelAction = (typeof RELABEL_ACTIONS)[number];

/** One validated rule. */
export interface RelabelRule {
  readonly action: RelabelAction;
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RE2;
  readonly regexText: string;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
}

/** A rule as written in YAML, before validation. */
export interface RawRelabelRule {
  readonly action?: string;
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly target_label?: string;
  readonly replacement?: string;
}

/** Prometheus' relabelTarget: a label name in which `$1`, `${name}` references may appear. */
const TEMPLATE_TARGET = /^(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))(?:\w|\$(?:\{\w+\}|\w+))*$/;
const NEEDS_TARGET = new Set<RelabelAction>(['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal']);

/** Validates one rule with Prometheus' Validate() messages; `path` prefixes every issue. */
export function newRelabelRule(raw: RawRelabelRule, path: ReadonlyArray<string | number> = []): Result<RelabelRule> {
  const issues: Issue[] = [];
  const bad = (msg: string, key?: string): void => {
    issues.push(issue('invalid_relabel', msg, { path: key ? [...path, key] : path }));
  };
  const actionText = raw.action ?? 'replace';
  const action = (RELABEL_ACTIONS as readonly string[]).includes(actionText.toLowerCase()) ? (actionText.toLowerCase() as RelabelAction) : undefined;
  if (!action) bad(`unknown relabel action ${JSON.stringify(actionText)}`, 'action');
  const regexText = raw.regex ?? '(.*)';
  const re = compileAnchored(regexText);
  if (!re.ok) bad(re.issues[0]?.message ?? 'invalid regex', 'regex');
  const target = raw.target_label ?? '';
  const modulus = raw.modulus ?? 0;
  if (action === 'hashmod' && modulus === 0) bad('relabel configuration for hashmod requires non-zero modulus', 'modulus');
  if (action && NEEDS_TARGET.has(action) && target === '') bad(`relabel configuration for ${action} action requires 'target_label' value`, 'target_label');
  if (action === 'replace' && target !== '' && !TEMPLATE_TARGET.test(target)) bad(`${JSON.stringify(target)} is invalid 'target_label' for ${action} action`, 'target_label');
  if ((action === 'lowercase' || action === 'uppercase' || action === 'hashmod') && target !== '' && !isClassicLabelName(target)) {
    bad(`${JSON.stringify(target)} is invalid 'target_label' for ${action} action`, 'target_label');
  }
  if ((action === 'labeldrop' || action === 'labelkeep') && (raw.source_labels !== undefined || raw.target_label !== undefined || raw.modulus !== undefined || raw.separator !== undefined || raw.replacement !== undefined)) {
    bad(`${action} action requires only 'regex', and no other fields`);
  }
  if ((action === 'keepequal' || action === 'dropequal') && (raw.regex !== undefined || raw.modulus !== undefined || raw.separator !== undefined || raw.replacement !== undefined)) {
    bad(`${action} action requires only 'source_labels' and 'target_label', and no other fields`);
  }
  if (issues.length > 0 || !action || !re.ok) return fail(issues);
  return ok({ action, sourceLabels: raw.source_labels ?? [], separator: raw.separator ?? ';', regex: re.value, regexText, modulus, targetLabel: target, replacement: raw.replacement ?? '$1' });
}

/** Go's regexp.Expand over a match: `$1`, `${1}`, `$name`, `${name}`, `$$`; unknown groups give "". */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$' || i + 1 >= template.length) {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^\w+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      out += '$'; // Go keeps a `$` that does not start a valid reference.
      continue;
    }
    out += groupValue(match, name);
    i = end - 1;
  }
  return out;
}

function groupValue(match: RegExpExecArray, name: string): string {
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n < match.length ? (match[n] ?? '') : '';
  }
  return match.groups?.[name] ?? '';
}

/** The first 8 bytes of the second half of md5(value) as a big-endian uint64, modulo `mod`. */
function hashMod(value: string, mod: number): string {
  const sum = createHash('md5').update(value).digest();
  return (sum.readBigUInt64BE(8) % BigInt(mod)).toString();
}

/**
 * Applies the rules in order. Returns the new label set, or undefined when a keep/drop rule
 * dropped it. Labels set to "" are removed, as labels.Builder does.
 */
export function relabel(labels: Labels, rules: readonly RelabelRule[]): Record<string, string> | undefined {
  const lb: Record<string, string> = { ...labels };
  for (const r of rules) if (!applyRule(lb, r)) return undefined;
  for (const [k, v] of Object.entries(lb)) if (v === '') delete lb[k];
  return lb;
}

function applyRule(lb: Record<string, string>, r: RelabelRule): boolean {
  const val = r.sourceLabels.map((n) => lb[n] ?? '').join(r.separator);
  switch (r.action) {
    case 'keep':
      return r.regex.test(val);
    case 'drop':
      return !r.regex.test(val);
    case 'keepequal':
      return (lb[r.targetLabel] ?? '') === val;
    case 'dropequal':
      return (lb[r.targetLabel] ?? '') !== val;
    case 'replace': {
      const m = r.regex.exec(val);
      if (!m) return true;
      const target = expandTemplate(r.targetLabel, m);
      if (!isClassicLabelName(target)) return true;
      const res = expandTemplate(r.replacement, m);
      if (res === '') delete lb[target];
      else lb[target] = res;
      return true;
    }
    case 'lowercase':
      setOrDelete(lb, r.targetLabel, val.toLowerCase());
      return true;
    case 'uppercase':
      setOrDelete(lb, r.targetLabel, val.toUpperCase());
      return true;
    case 'hashmod':
      lb[r.targetLabel] = hashMod(val, r.modulus);
      return true;
    case 'labelmap':
      for (const [name, v] of Object.entries(lb)) {
        const m = r.regex.exec(name);
        if (m) setOrDelete(lb, expandTemplate(r.replacement, m), v);
      }
      return true;
    case 'labeldrop':
      for (const name of Object.keys(lb)) if (r.regex.test(name)) delete lb[name];
      return true;
    case 'labelkeep':
      for (const name of Object.keys(lb)) if (!r.regex.test(name)) delete lb[name];
      return true;
  }
}

function setOrDelete(lb: Record<string, string>, name: string, v: string): void {
  if (v === '') delete lb[name];
  else lb[name] = v;
}
