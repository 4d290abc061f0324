/**
 * `herald tenant migrate LEGACY_RULES.yml`: runs the migration (src/thresholds/migrate) over a
 * legacy rule file, prints or writes per-tenant threshold documents, proposed `_defaults.yaml`
 * additions and a pack group for metrics no shipped pack covers, and lists every rule it could not
 * convert with the reason. With --shadow URL, evaluates each converted rule's legacy condition and
 * the pack's condition (migrated value inlined) in the tenant's store of a running Herald and
 * reports the tenants that would alert in one and not the other.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import { marshalRuleGroups } from '../../ruler/rulefmt/index.js';
import { formatRuleIssues, parseRuleFile } from '../../ruler/rulefmt/index.js';
import type { ThresholdDefaults } from '../../thresholds/index.js';
import { coveredKeys, migrateLegacyRules, packMetrics } from '../../thresholds/migrate/index.js';
import type { Conversion, MigrationResult } from '../../thresholds/migrate/index.js';
import type { Output } from '../output.js';
import type { HeraldClient } from './herald-client.js';
import { HeraldApiError, HeraldAuthError } from './herald-client.js';
import { documentProblems, loadDefaults, loadPacks, LocalConfigError } from './local-config.js';

export interface MigrateCmdOptions {
  readonly file: string;
  readonly defaultsFile?: string;
  readonly tenantLabel: string;
  readonly packsDir: string;
  /** Write files here instead of printing them. */
  readonly outDir?: string;
  /** --shadow: a client for a tenant of the running Herald. */
  readonly shadow?: (tenant: string) => HeraldClient;
}

function tenantDocument(tenant: string, values: ReadonlyMap<string, number>): string {
  const doc = new Document(Object.fromEntries(values));
  doc.commentBefore = ` Thresholds of tenant ${tenant}, migrated from legacy rules by herald tenant migrate.`;
  return doc.toString();
}

function defaultsAdditions(result: MigrationResult): string {
  const doc = new Document({ defaults: Object.fromEntries(result.newDefaults) });
  doc.commentBefore = ' Keys the migrated tenant files use that _defaults.yaml lacks (value: the most common legacy one).\n Merge these into conf.d/_defaults.yaml.';
  return doc.toString();
}

/** Runs the sub-command; resolves with the exit code (0: everything converted and agreed). */
export async function migrateCommand(o: MigrateCmdOptions, out: Output): Promise<number> {
  let text: string;
  try {
    text = readFileSync(o.file, 'utf8');
  } catch (e) {
    throw new LocalConfigError([`${o.file}: ${(e as { code?: unknown }).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`]);
  }
  const parsed = parseRuleFile(text, o.file);
  if (!parsed.ok) throw new LocalConfigError(formatRuleIssues(parsed.issues, o.file));
  const defaults = o.defaultsFile !== undefined ? loadDefaults(o.defaultsFile) : undefined;
  const packs = loadPacks(o.packsDir);
  const result = migrateLegacyRules(parsed.value, {
    tenantLabel: o.tenantLabel,
    coveredKeys: coveredKeys(packs),
    packMetrics: packMetrics(packs),
    ...(defaults ? { defaults } : {}),
  });

  const files: [string, string][] = [];
  for (const [tenant, values] of result.tenants) files.push([`${tenant}.yaml`, tenantDocument(tenant, values)]);
  if (result.newDefaults.size > 0) files.push(['_defaults.additions.yaml', defaultsAdditions(result)]);
  if (result.packGroup) files.push(['migrated-pack.yaml', `# Pack rules for migrated metrics no shipped pack covers: review, then copy to rule-packs/.\n${marshalRuleGroups([result.packGroup])}`]);
  if (o.outDir !== undefined) {
    mkdirSync(o.outDir, { recursive: true });
    for (const [name, body] of files) writeFileSync(join(o.outDir, name), body);
    out.out(`wrote ${files.map(([n]) => join(o.outDir ?? '', n)).join(', ')}`);
  } else {
    for (const [name, body] of files) {
      out.out(`--- ${name}`);
      out.out(body.trimEnd());
    }
  }

  // The documents must load once the additions are merged.
  const merged: ThresholdDefaults = {
    defaults: new Map([...(defaults?.defaults ?? new Map<string, number>()), ...result.newDefaults]),
    stateFilters: defaults?.stateFilters ?? new Map(),
    ...(defaults?.tenantKeys ? { tenantKeys: defaults.tenantKeys } : {}),
  };
  let invalid = 0;
  for (const [tenant, values] of result.tenants) {
    for (const p of documentProblems(tenantDocument(tenant, values), `${tenant}.yaml`, merged)) {
      out.err(`warning: ${p}`);
      invalid++;
    }
  }

  out.out(`\nconverted ${result.conversions.length} rule(s) for ${result.tenants.size} tenant(s); refused ${result.refusals.length}`);
  for (const c of result.conversions) if (c.note !== undefined) out.out(`note: ${c.group}/${c.alert} (tenant ${c.tenant}): ${c.note}`);
  for (const r of result.refusals) {
    out.out(`refused: ${r.group}/${r.rule}: ${r.reason}`);
    out.out(`    expr: ${r.expr.trim().replace(/\s+/g, ' ')}`);
  }
  const disagreements = o.shadow ? await shadowRun(result.conversions, o.shadow, out) : 0;
  return result.refusals.length > 0 || disagreements > 0 || invalid > 0 ? 1 : 0;
}

/** Evaluates both sides per conversion; returns how many disagree (errors count as disagreements). */
async function shadowRun(conversions: readonly Conversion[], client: (tenant: string) => HeraldClient, out: Output): Promise<number> {
  out.out(`\nshadow evaluation of ${conversions.length} conversion(s):`);
  let bad = 0;
  for (const c of conversions) {
    const api = client(c.tenant);
    try {
      const [legacy, pack] = await Promise.all([api.query(c.legacyExpr), api.query(c.packExpr)]);
      const lf = legacy.length > 0;
      const pf = pack.length > 0;
      if (lf === pf) {
        out.out(`  agree    tenant ${c.tenant} ${c.alert}: ${lf ? 'both fire' : 'neither fires'}`);
        continue;
      }
      bad++;
      out.out(`  DISAGREE tenant ${c.tenant} ${c.alert}: ${lf ? 'legacy fires, the pack would not' : 'the pack would fire, legacy does not'}`);
      out.out(`           legacy: ${c.legacyExpr} -> ${legacy.map((s) => s.value).join(', ') || 'empty'}`);
      out.out(`           pack:   ${c.packExpr} -> ${pack.map((s) => s.value).join(', ') || 'empty'}`);
    } catch (e) {
      if (e instanceof HeraldAuthError) throw e;
      bad++;
      out.out(`  ERROR    tenant ${c.tenant} ${c.alert}: ${e instanceof HeraldApiError ? e.message : String(e)}`);
    }
  }
  out.out(bad === 0 ? 'shadow: no disagreements' : `shadow: ${bad} disagreement(s)`);
  return bad;
}
