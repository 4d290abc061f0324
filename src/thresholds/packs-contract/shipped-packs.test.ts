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
import { loadScrapeConfig } from '../../ingest/scrape/index.js';
import { createMetrics } from '../../server/metrics.js';
import type { ResolvedTenant, ResolvedThreshold, ThresholdDefaults } from '../index.js';
import { parseDefaults, parseTenantDocument, resolveTenant } from '../index.js';
import {
  checkDeclaredDimensions,
  checkDimensions,
  checkExporterMetrics,
  checkPackShape,
  checkStateFilterSelectors,
  checkThresholdSelectors,
  checkTierLabels,
  dimensionalKeysOf,
  exporterMetricsFromFamilies,
  findUnusedThresholds,
  HERALD_SCRAPE_EXAMPLE,
  HERALD_SELF_PACKS,
  loadPack,
  mergeExporterMetrics,
  PACK_EXPORTERS,
  packSelectorLabels,
  parseExporterMetrics,
  relabelExporterMetrics,
  RUNBOOK_BASE,
  selectorLabelsFor,
  thresholdKeyOf,
  THRESHOLD_LABELS,
} from './index.js';
import type { DimensionalKeys, ExporterMetrics, Pack, RegistryFamily } from './index.js';

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
/** The dimensional keys the shipped `_defaults.yaml` declares (what the engine lets tenants set). */
const DIMENSIONAL_KEYS: DimensionalKeys = dimensionalKeysOf(DEFAULTS);
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

/** Herald's live registry as the documented scrape job stores it (its metric_relabel_configs applied). */
function heraldMetrics(): ExporterMetrics {
  const { registry } = createMetrics(false);
  const families: RegistryFamily[] = registry.getMetricsAsArray().map((m) => {
    const meta = m as unknown as { name: string; type: string; labelNames?: readonly string[] };
    return { name: meta.name, type: meta.type, labelNames: meta.labelNames ?? [] };
  });
  const scrape = must(loadScrapeConfig(readFileSync(join(ROOT, HERALD_SCRAPE_EXAMPLE), 'utf8'), HERALD_SCRAPE_EXAMPLE), HERALD_SCRAPE_EXAMPLE);
  const job = scrape.jobs.find((j) => j.jobName === 'herald');
  if (!job) throw new Error(`${HERALD_SCRAPE_EXAMPLE}: no job "herald"`);
  return relabelExporterMetrics(exporterMetricsFromFamilies(families), job.metricRelabelConfigs);
}

function exposedFor(name: string): ExporterMetrics {
  return HERALD_SELF_PACKS.has(name) ? heraldMetrics() : mergeExporterMetrics((PACK_EXPORTERS[name] ?? []).map(fixture));
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
    const exposed = exposedFor(name);
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

  /** Every issue of the dimension contract over all packs for a declaration. */
  const dimensionIssues = (declared: DimensionalKeys): string[] => [
    ...messages(checkDeclaredDimensions(PACKS, declared)),
    ...PACKS.flatMap((pack) => {
      const labels = packSelectorLabels(pack, selectorLabelsFor(exposedFor(pack.name), declared));
      return messages(checkDimensions(pack, declared, labels));
    }),
  ];

  it.each(PACK_FILES.map((f) => f.replace(/\.yaml$/, '')))('%s: dimensional keys are compared per dimension, tiers give way exactly', (name) => {
    const pack = PACKS.find((p) => p.name === name);
    if (!pack) throw new Error(name);
    const labels = packSelectorLabels(pack, selectorLabelsFor(exposedFor(name), DIMENSIONAL_KEYS));
    expect(messages(checkDimensions(pack, DIMENSIONAL_KEYS, labels))).toEqual([]);
    expect(messages(checkTierLabels(pack, labels))).toEqual([]);
  });

  it('_defaults.yaml declares the two dimensional keys, and each is one a pack reads and joins on', () => {
    expect(DIMENSIONAL_KEYS).toEqual({ node_filesystem_usage: ['mountpoint'], redis_queue_length: ['queue'] });
    expect(dimensionIssues(DIMENSIONAL_KEYS)).toEqual([]);
  });

  it.each<[string, DimensionalKeys, RegExp]>([
    ['a key its pack reads per tenant', { mysql_connections: ['db'] }, /mariadb.*mysql_connections is dimensional \(db\)/],
    ['a label the pack does not join on', { redis_queue_length: ['queue', 'db'] }, /redis.*redis_queue_length/],
    ['a key no pack reads', { myapp_queue_depth: ['queue'] }, /myapp_queue_depth \(queue\) is declared dimensional but no pack reads/],
  ])('the contract refuses a declaration of %s', (_name, declared, want) => {
    const issues = dimensionIssues(declared);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((m) => want.test(m)), issues.join('\n')).toBe(true);
  });

  it('every dimensional key is documented in _defaults.yaml comments and the README, and the only kind of key examples give dimensions', () => {
    const read = new Set(PACKS.flatMap((p) => p.rules.flatMap((r) => r.selectors.map((s) => thresholdKeyOf(s) ?? ''))));
    for (const key of Object.keys(DIMENSIONAL_KEYS)) expect(read.has(key), key).toBe(true);
    const documented: Record<string, string[]> = {};
    for (const line of readFileSync(join(CONF_DIR, '_defaults.yaml'), 'utf8').split('\n')) {
      const m = /^\s+([a-z0-9_]+):.*#.*\bdimensions?: ([a-z_, ]+)$/.exec(line);
      if (m?.[1] !== undefined && m[2] !== undefined) documented[m[1]] = m[2].split(',').map((x) => x.trim());
    }
    expect(documented).toEqual(DIMENSIONAL_KEYS);
    const readme = readFileSync(join(PACKS_DIR, 'README.md'), 'utf8');
    for (const [key, dims] of Object.entries(DIMENSIONAL_KEYS)) expect(readme, key).toContain(`\`${key}{${dims[0] ?? ''}=`);
    const dimensioned = EMITTED.filter((t) => Object.keys(t.labels).some((l) => !THRESHOLD_LABELS.includes(l)));
    expect(dimensioned.length).toBeGreaterThanOrEqual(3);
    for (const t of dimensioned) {
      const base = `${t.labels['component'] ?? ''}_${t.labels['metric'] ?? ''}`;
      const dims = Object.keys(t.labels).filter((l) => !THRESHOLD_LABELS.includes(l));
      expect(dims.every((d) => DIMENSIONAL_KEYS[base]?.includes(d)), `${t.key}: ${dims.join(', ')}`).toBe(true);
    }
  });

  it('the herald pack reads herald_tenant, which the documented scrape job makes of Herald\'s tenant label', () => {
    const herald = heraldMetrics();
    expect(herald.get('herald_ruler_notifications_dropped_total')?.labels?.has('herald_tenant')).toBe(true);
    expect(herald.get('herald_ruler_notifications_dropped_total')?.labels?.has('tenant')).toBe(false);
    const pack = PACKS.find((p) => p.name === 'herald');
    const grouped = pack?.rules.filter((r) => r.rule.kind === 'recording' && r.rule.expr.includes('herald_tenant')).length ?? 0;
    expect(grouped).toBeGreaterThanOrEqual(3);
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
