/**
 * The contract on the shipped data: rule-packs/*.yaml against conf.d.example/ (the threshold
 * engine's own parser and resolver), the exporter fixtures and Herald's live metrics registry; then
 * each pack's promtool-format unit tests (rule-packs/tests/) through `herald rules test`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Labels } from '../../core/labels.js';
import { runRulesTest } from '../../cli/rules-test.js';
import { createMetrics } from '../../server/metrics.js';
import type { ResolvedTenant, ResolvedThreshold, ThresholdDefaults } from '../index.js';
import { parseDefaults, parseTenantDocument, resolveTenant } from '../index.js';
import {
  checkExporterMetrics,
  checkPackShape,
  checkStateFilterSelectors,
  checkThresholdSelectors,
  exporterMetricsFromFamilies,
  findUnusedThresholds,
  HERALD_SELF_PACKS,
  loadPack,
  mergeExporterMetrics,
  PACK_EXPORTERS,
  parseExporterMetrics,
  RUNBOOK_BASE,
} from './index.js';
import type { ExporterMetrics, Pack, RegistryFamily } from './index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKS_DIR = join(ROOT, 'rule-packs');
const FIXTURES_DIR = join(PACKS_DIR, 'fixtures');
const TESTS_DIR = join(PACKS_DIR, 'tests');
const CONF_DIR = join(ROOT, 'conf.d.example');

function must<T>(r: { ok: true; value: T } | { ok: false; issues: readonly { message: string }[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}:\n${r.issues.map((i) => i.message).join('\n')}`);
  return r.value;
}

const PACK_FILES = readdirSync(PACKS_DIR).filter((f) => f.endsWith('.yaml')).sort();
const PACKS: Pack[] = PACK_FILES.map((f) => must(loadPack(readFileSync(join(PACKS_DIR, f), 'utf8'), `rule-packs/${f}`), f));

const DEFAULTS: ThresholdDefaults = must(parseDefaults(readFileSync(join(CONF_DIR, '_defaults.yaml'), 'utf8'), 'conf.d.example/_defaults.yaml'), '_defaults.yaml');
const TENANT_FILES = readdirSync(CONF_DIR).filter((f) => /^[^_.].*\.ya?ml$/.test(f)).sort();
/** A tenant with no file (defaults only), then each example tenant. */
const RESOLVED: ResolvedTenant[] = [
  resolveTenant('defaults-only', DEFAULTS, undefined),
  ...TENANT_FILES.map((f) => {
    const tenant = f.replace(/\.ya?ml$/, '');
    const doc = must(parseTenantDocument(readFileSync(join(CONF_DIR, f), 'utf8'), `conf.d.example/${f}`, DEFAULTS), f);
    return resolveTenant(tenant, DEFAULTS, doc);
  }),
];
const EMITTED: ResolvedThreshold[] = RESOLVED.flatMap((t) => t.thresholds);
const EMITTED_LABELS: Labels[] = EMITTED.map((t) => ({ ...t.labels, __name__: 'user_threshold' }));

function fixture(name: string): ExporterMetrics {
  const file = `rule-packs/fixtures/${name}.metrics`;
  return must(parseExporterMetrics(readFileSync(join(FIXTURES_DIR, `${name}.metrics`), 'utf8'), file), file);
}

function heraldMetrics(): ExporterMetrics {
  const { registry } = createMetrics(false);
  const families: RegistryFamily[] = registry.getMetricsAsArray().map((m) => {
    const meta = m as unknown as { name: string; type: string; labelNames?: readonly string[] };
    return { name: meta.name, type: meta.type, labelNames: meta.labelNames ?? [] };
  });
  return exporterMetricsFromFamilies(families);
}

const messages = (issues: readonly { message: string }[]): string[] => issues.map((i) => i.message);

describe('shipped rule packs: the contract', () => {
  it('ships every pack the issue names, and only packs with a known exporter', () => {
    expect(PACKS.map((p) => p.name)).toEqual(['elasticsearch', 'herald', 'http', 'kubernetes', 'mariadb', 'mongodb', 'node', 'postgresql', 'redis']);
    for (const p of PACKS) expect(PACK_EXPORTERS[p.name], p.name).toBeDefined();
  });

  it('example tenants resolve to thresholds of both severities, and a dimension', () => {
    expect(RESOLVED.map((t) => t.tenant)).toEqual(['defaults-only', 'db-a', 'db-b']);
    const sev = new Set(EMITTED.map((t) => t.labels['severity']));
    expect([...sev].sort()).toEqual(['critical', 'warning']);
    expect(EMITTED.some((t) => t.labels['mountpoint'] === '/data')).toBe(true);
  });

  it('every user_threshold selector matches series the engine emits (no alert that can never fire)', () => {
    expect(messages(checkThresholdSelectors(PACKS, EMITTED_LABELS))).toEqual([]);
  });

  it('every default key and tier is read by some pack (no dead keys)', () => {
    const defaultsOnly = RESOLVED[0]?.thresholds ?? [];
    expect(defaultsOnly.length).toBeGreaterThan(40);
    expect(messages(findUnusedThresholds(PACKS, defaultsOnly))).toEqual([]);
    expect(messages(findUnusedThresholds(PACKS, EMITTED))).toEqual([]);
  });

  it('every user_state_filter selector names a filter the defaults define', () => {
    expect(messages(checkStateFilterSelectors(PACKS, new Set(DEFAULTS.stateFilters.keys())))).toEqual([]);
  });

  it.each(PACK_FILES.map((f) => f.replace(/\.yaml$/, '')))('%s: every metric it reads is exposed by its exporter', (name) => {
    const pack = PACKS.find((p) => p.name === name);
    expect(pack).toBeDefined();
    if (!pack) return;
    const exposed = HERALD_SELF_PACKS.has(name) ? heraldMetrics() : mergeExporterMetrics((PACK_EXPORTERS[name] ?? []).map(fixture));
    expect(exposed.size).toBeGreaterThan(0);
    expect(messages(checkExporterMetrics(pack, exposed))).toEqual([]);
  });

  it.each(PACK_FILES.map((f) => f.replace(/\.yaml$/, '')))('%s: follows the pack conventions', (name) => {
    const pack = PACKS.find((p) => p.name === name);
    if (!pack) throw new Error(name);
    expect(messages(checkPackShape(pack, RUNBOOK_BASE))).toEqual([]);
    const alerts = new Set(pack.rules.flatMap((r) => (r.rule.kind === 'alerting' ? [r.rule.alert] : [])));
    expect(alerts.size).toBeGreaterThanOrEqual(3);
    expect(alerts.size).toBeLessThanOrEqual(8);
  });

  it('captured fixtures are non-trivial and parse', () => {
    for (const f of readdirSync(FIXTURES_DIR).filter((x) => x.endsWith('.metrics'))) {
      expect(fixture(f.replace(/\.metrics$/, '')).size, f).toBeGreaterThan(3);
    }
    expect(fixture('mysqld').has('mysql_global_status_threads_connected')).toBe(true);
  });
});

describe('shipped rule packs: unit tests (herald rules test)', () => {
  const files = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.test.yml')).sort();

  it('has a unit test file per pack', () => {
    expect(files).toEqual(PACK_FILES.map((f) => f.replace(/\.yaml$/, '.test.yml')));
  });

  it.each(files)('%s passes', async (file) => {
    const lines: string[] = [];
    const code = await runRulesTest([join(TESTS_DIR, file)], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(lines.join('\n')).not.toContain('FAILED');
    expect(code).toBe(0);
  });
});
