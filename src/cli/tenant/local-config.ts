/**
 * The tools' view of the files on disk: `conf.d/_defaults.yaml` (parseDefaults), a tenant document
 * checked as the engine will check it (parseTenantDocument), and the rule packs of `rule-packs/`
 * indexed for their keys and metrics. Problems come back as printable lines naming file, line and
 * column.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatIssue } from '../../core/result.js';
import { formatRuleIssues, parseRuleFile } from '../../ruler/rulefmt/index.js';
import { EMPTY_DEFAULTS, parseDefaults, parseTenantDocument } from '../../thresholds/index.js';
import type { ThresholdDefaults } from '../../thresholds/index.js';
import { indexPack } from '../../thresholds/migrate/index.js';
import type { PackIndex } from '../../thresholds/migrate/index.js';

/** A file that could not be used; `lines` are ready to print. */
export class LocalConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'LocalConfigError';
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new LocalConfigError([code === 'ENOENT' ? `${file}: no such file` : `${file}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** Reads a file, or undefined when it does not exist. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new LocalConfigError([`${file}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** `_defaults.yaml`; empty defaults when `optional` and the file is missing. */
export function loadDefaults(file: string, optional = false): ThresholdDefaults {
  const text = optional ? readIfExists(file) : readText(file);
  if (text === undefined) return EMPTY_DEFAULTS;
  const r = parseDefaults(text, file);
  if (!r.ok) throw new LocalConfigError(r.issues.map((i) => formatIssue(i, file)));
  return r.value;
}

/** Problems of a tenant document as printable lines (empty: valid). */
export function documentProblems(text: string, source: string, defaults: ThresholdDefaults): string[] {
  const r = parseTenantDocument(text, source, defaults);
  return r.ok ? [] : r.issues.map((i) => formatIssue(i, source));
}

/** Pack names in a directory (`<name>.yaml|yml`), sorted. */
export function packNames(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return [];
    throw new LocalConfigError([`${dir}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return entries
    .filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.') && !f.startsWith('_'))
    .map((f) => basename(f).replace(/\.ya?ml$/, ''))
    .sort();
}

/** Parses and indexes the named packs (all of them when `names` is empty). */
export function loadPacks(dir: string, names: readonly string[] = []): PackIndex[] {
  const available = packNames(dir);
  const wanted = names.length > 0 ? names : available;
  const errors: string[] = [];
  const out: PackIndex[] = [];
  for (const name of wanted) {
    if (!available.includes(name)) {
      errors.push(`${dir}: no pack named "${name}" (available: ${available.join(', ') || 'none'})`);
      continue;
    }
    const file = join(dir, `${name}.yaml`);
    const text = readIfExists(file) ?? readText(join(dir, `${name}.yml`));
    const r = parseRuleFile(text, file);
    if (!r.ok) {
      errors.push(...formatRuleIssues(r.issues, file));
      continue;
    }
    out.push(indexPack(name, r.value));
  }
  if (errors.length > 0) throw new LocalConfigError(errors);
  return out;
}
