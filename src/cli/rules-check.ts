/**
 * `herald rules check FILE...`: validates Prometheus rule files as `promtool check rules` does
 * (prometheus cmd/promtool/main.go `CheckRules`, `checkRules`, `checkRuleGroups`,
 * `checkDuplicates`): `Checking <file>`, then `  SUCCESS: N rules found` and a blank line, or
 * `  FAILED:` and Prometheus' error lines on stderr. Duplicate rules (same name and labels) are a
 * lint problem: reported, exit code 0 unless --lint-fatal (3). Any other problem: exit code 1.
 */
import { readFileSync } from 'node:fs';
import { compareStrings } from '../core/labels.js';
import type { RuleGroupConfig } from '../ruler/api.js';
import { formatRuleIssues, hasExtraDocuments, parseRuleFile } from '../ruler/rulefmt/index.js';
import { UsageError } from './args.js';
import type { Output } from './output.js';

export const RULES_CHECK_FLAGS = ['lint'];
export const RULES_CHECK_BOOLEANS = ['lint-fatal', 'ignore-unknown-fields', 'help'];

export interface RulesCheckOptions {
  /** --lint: `duplicate-rules` (default), `all` or `none`. */
  readonly lintDuplicates: boolean;
  /** --lint-fatal: lint problems exit with 3. */
  readonly lintFatal: boolean;
  /** --ignore-unknown-fields. */
  readonly ignoreUnknownFields: boolean;
}

/** Reads the sub-command's flags (parsed by parseArgs with RULES_CHECK_FLAGS / RULES_CHECK_BOOLEANS). */
export function rulesCheckOptions(flags: ReadonlyMap<string, string>): RulesCheckOptions {
  let lintDuplicates = false;
  for (const opt of (flags.get('lint') ?? 'duplicate-rules').split(',')) {
    if (opt === 'all' || opt === 'duplicate-rules') lintDuplicates = true;
    else if (opt !== 'none') throw new UsageError(`unknown lint option: "${opt}" (one of all, duplicate-rules, none)`);
  }
  const bool = (name: string): boolean => flags.has(name) && flags.get(name) !== 'false';
  return { lintDuplicates, lintFatal: bool('lint-fatal'), ignoreUnknownFields: bool('ignore-unknown-fields') };
}

/** Go's error text for a file that cannot be read (os.ReadFile). */
function readError(file: string, e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return `open ${file}: no such file or directory`;
  if (code === 'EACCES') return `open ${file}: permission denied`;
  if (code === 'EISDIR') return `read ${file}: is a directory`;
  return e instanceof Error ? e.message : String(e);
}

/** Checks every file; resolves with the exit code (0 ok, 1 errors, 3 lint problems with --lint-fatal). */
export function rulesCheck(files: readonly string[], out: Output, options: RulesCheckOptions): number {
  let failed = false;
  let hasErrors = false;
  for (const file of files) {
    out.out(`Checking ${file}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      out.err('  FAILED:');
      out.err(`${file}: ${readError(file, e)}`);
      failed = hasErrors = true;
      continue;
    }
    if (hasExtraDocuments(text)) out.err(`level=WARN msg="Multiple document yaml rules files are not supported, only the first document is processed" file=${file}`);
    const r = parseRuleFile(text, file, { ignoreUnknownFields: options.ignoreUnknownFields });
    if (!r.ok) {
      out.err('  FAILED:');
      for (const line of formatRuleIssues(r.issues, file)) out.err(line);
      failed = hasErrors = true;
      continue;
    }
    const lint = options.lintDuplicates ? duplicateReport(r.value) : undefined;
    if (lint !== undefined) {
      out.err('  FAILED:');
      out.err(lint);
      failed = true;
    } else {
      out.out(`  SUCCESS: ${r.value.reduce((n, g) => n + g.rules.length, 0)} rules found`);
    }
    out.out('');
  }
  if (failed && hasErrors) return 1;
  if (failed && options.lintFatal) return 3;
  return 0;
}

interface RuleKey {
  readonly metric: string;
  readonly labels: ReadonlyArray<readonly [string, string]>;
}

function compareKeys(a: RuleKey, b: RuleKey): number {
  const m = compareStrings(a.metric, b.metric);
  if (m !== 0) return m;
  for (let i = 0; i < a.labels.length && i < b.labels.length; i++) {
    const [an, av] = a.labels[i] as readonly [string, string];
    const [bn, bv] = b.labels[i] as readonly [string, string];
    const c = compareStrings(an, bn) || compareStrings(av, bv);
    if (c !== 0) return c;
  }
  return a.labels.length - b.labels.length;
}

/** promtool's duplicate-rules lint: rules with the same name and (group + rule) labels, or undefined. */
export function duplicateReport(groups: readonly RuleGroupConfig[]): string | undefined {
  const keys: RuleKey[] = [];
  for (const g of groups) {
    for (const r of g.rules) {
      const merged = { ...g.labels, ...r.labels };
      const labels = Object.entries(merged).sort((x, y) => compareStrings(x[0], y[0]));
      keys.push({ metric: r.kind === 'alerting' ? r.alert : r.record, labels });
    }
  }
  keys.sort(compareKeys);
  const dups: RuleKey[] = [];
  for (let i = 1; i < keys.length; i++) {
    const prev = keys[i - 1] as RuleKey;
    const cur = keys[i] as RuleKey;
    if (compareKeys(prev, cur) === 0 && (dups.length === 0 || compareKeys(prev, dups[dups.length - 1] as RuleKey) !== 0)) dups.push(cur);
  }
  if (dups.length === 0) return undefined;
  let msg = `lint error ${dups.length} duplicate rule(s) found.\n`;
  for (const d of dups) {
    msg += `Metric: ${d.metric}\nLabel(s):\n`;
    for (const [n, v] of d.labels) msg += `\t${n}: ${v}\n`;
  }
  return `${msg}Might cause inconsistency while recording expressions`;
}
