/**
 * The operator's files, read at start and on every reload: Herald's own config (relative paths
 * taken from its directory), the fallback and drop-in Alertmanager configs with their template
 * files, and the scrape config. Every problem is collected, so one start or reload names them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { loadConfig } from '../alertmanager/config/index.js';
import type { AlertmanagerConfig } from '../alertmanager/config/types.js';
import { formatIssue, sortIssues } from '../core/result.js';
import type { Issue } from '../core/result.js';
import { SYSTEM_CLOCK } from '../core/runtime.js';
import { makeLoadTemplates } from '../alertmanager/template/index.js';
import type { TemplateSource } from '../alertmanager/template/index.js';
import { loadScrapeConfig } from '../ingest/scrape/index.js';
import type { ScrapeConfig } from '../ingest/scrape/index.js';
import { DEFAULT_HERALD_CONFIG, parseHeraldConfig } from '../tenancy/herald-config.js';
import type { HeraldConfig } from '../tenancy/herald-config.js';
import { BUILTIN_FALLBACK_CONFIG } from '../tenancy/registry.js';
import { globMatch } from '../tenancy/template-files.js';
import { DEFAULT_TENANT } from '../core/tenant-id.js';
import type { ThresholdsConfig } from '../thresholds/api.js';
import type { KubeConfig } from '../kube/tenancy/index.js';

export interface AppOptions {
  /** Herald's own YAML config (`--config.file`). */
  readonly configFile?: string;
  /** `--storage.path`; overrides the config file's storage.path; default ./data. */
  readonly storagePath?: string;
  /** `--web.listen-address`, host:port; default 0.0.0.0:9093. */
  readonly listenAddress?: string;
  /** `--web.external-url`; overrides web.external_url. */
  readonly externalURL?: string;
  /** `--alertmanager.config.file`: a plain Alertmanager config for tenant `anonymous`. */
  readonly alertmanagerConfigFile?: string;
  readonly logLevel?: string;
  /** Where log lines go (tests); stdout by default. */
  readonly logStream?: NodeJS.WritableStream;
  /** The built UI (index.html, assets/); default the repository's web/dist. */
  readonly uiDirectory?: string;
}

/** Startup or reload refused because an operator file is wrong; the message lists every issue. */
export class ConfigFileError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

export interface OperatorConfig {
  readonly herald: HeraldConfig;
  readonly fallback: AlertmanagerConfig;
  /** The fallback's YAML: what the kube sync renders objects onto for tenants without an upload. */
  readonly fallbackText: string;
  readonly pinned: Map<string, AlertmanagerConfig>;
  /** Template files of the operator's configs (`templates:` resolved against the config file's directory). */
  readonly templates: Map<AlertmanagerConfig, TemplateSource[]>;
  /** Herald's own scrape jobs (`scrape.config_file`); no jobs when unset. */
  readonly scrape: ScrapeConfig;
}

const NO_SCRAPE_JOBS = ((): ScrapeConfig => {
  const r = loadScrapeConfig('scrape_configs: []\n');
  if (!r.ok) throw new Error('built-in empty scrape config does not load');
  return r.value;
})();

/** Reads the scrape config file named in Herald's config (relative to that file's directory). */
function readScrapeConfig(herald: HeraldConfig, heraldFile: string | undefined, problems: string[]): ScrapeConfig {
  const rel = herald.scrape.configFile;
  if (rel === undefined) return NO_SCRAPE_JOBS;
  const file = resolve(heraldFile ? dirname(resolve(heraldFile)) : process.cwd(), rel);
  const text = readText(file, problems);
  if (text === undefined) return NO_SCRAPE_JOBS;
  const r = loadScrapeConfig(text, file);
  if (r.ok) return r.value;
  problems.push(...formatAll(file, r.issues));
  return NO_SCRAPE_JOBS;
}

/**
 * Reads the files an operator config's `templates:` name, relative to its file's directory as
 * Alertmanager does. A glob may use `*`, `?` and `[...]` in its last path element.
 */
function readTemplateFiles(config: AlertmanagerConfig, configFile: string | undefined, problems: string[]): TemplateSource[] {
  const base = configFile ? dirname(resolve(configFile)) : process.cwd();
  const out: TemplateSource[] = [];
  for (const pattern of config.templates) {
    const full = resolve(base, pattern);
    const dir = dirname(full);
    const name = basename(full);
    if (!/[*?[\\]/.test(name)) {
      const text = readText(full, problems);
      if (text !== undefined) out.push({ name: full, text });
      continue;
    }
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue; // Alertmanager: a glob matching nothing loads nothing.
    }
    for (const e of entries) {
      const m = globMatch(name, e);
      if (m === undefined) {
        problems.push(`${configFile ?? 'config'}: templates: invalid pattern ${JSON.stringify(pattern)}`);
        break;
      }
      if (!m) continue;
      const text = readText(join(dir, e), problems);
      if (text !== undefined) out.push({ name: join(dir, e), text });
    }
  }
  return out;
}

function readText(file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

export function formatAll(file: string, issues: readonly Issue[]): string[] {
  return sortIssues(issues).map((i) => formatIssue(i, file));
}

/** Relative paths in Herald's config (rules directory, conf.d, rule packs, JWKS file, kubeconfig, manifest directory) are taken from the config file's directory. */
function withResolvedPaths(herald: HeraldConfig, configFile: string): HeraldConfig {
  const base = dirname(resolve(configFile));
  const abs = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : resolve(base, p));
  const ruler = { ...herald.ruler };
  const rulesDirectory = abs(ruler.rulesDirectory);
  if (rulesDirectory !== undefined) ruler.rulesDirectory = rulesDirectory;
  const thresholds: { -readonly [K in keyof ThresholdsConfig]: ThresholdsConfig[K] } = { ...herald.thresholds };
  const directory = abs(thresholds.directory);
  if (directory !== undefined) thresholds.directory = directory;
  const packs = abs(thresholds.rulePacksDirectory);
  if (packs !== undefined) thresholds.rulePacksDirectory = packs;
  const jwt = herald.auth.jwt;
  const jwksFile = abs(jwt?.jwksFile);
  const auth = jwt && jwksFile !== undefined ? { ...herald.auth, jwt: { ...jwt, jwksFile } } : herald.auth;
  const src = herald.kube.source;
  let kube: KubeConfig = herald.kube;
  if (src?.type === 'manifests') kube = { ...kube, source: { ...src, directory: abs(src.directory) ?? src.directory } };
  else if (src?.type === 'kubernetes' && src.kubeconfig !== undefined) kube = { ...kube, source: { ...src, kubeconfig: abs(src.kubeconfig) ?? src.kubeconfig } };
  const tls = herald.web.tls;
  const web = tls ? { ...herald.web, tls: { certFile: abs(tls.certFile) ?? tls.certFile, keyFile: abs(tls.keyFile) ?? tls.keyFile } } : herald.web;
  return { ...herald, ruler, thresholds, auth, kube, web };
}

/** Reads Herald's config, the fallback and the drop-in Alertmanager config; throws ConfigFileError. */
export function readOperatorConfig(opts: AppOptions): OperatorConfig {
  const problems: string[] = [];
  let herald = DEFAULT_HERALD_CONFIG;
  if (opts.configFile) {
    const text = readText(opts.configFile, problems);
    if (text !== undefined) {
      const r = parseHeraldConfig(text);
      if (r.ok) herald = withResolvedPaths(r.value, opts.configFile);
      else problems.push(...formatAll(opts.configFile, r.issues));
    }
  }
  const load = (file: string | undefined, text: string): AlertmanagerConfig | undefined => {
    const r = loadConfig(text);
    if (r.ok) return r.value;
    problems.push(...formatAll(file ?? 'built-in fallback config', r.issues));
    return undefined;
  };
  const fbFile = herald.alertmanager.fallbackConfigFile;
  const fbText = fbFile ? readText(fbFile, problems) : BUILTIN_FALLBACK_CONFIG;
  const fallback = fbText === undefined ? undefined : load(fbFile, fbText);
  const pinned = new Map<string, AlertmanagerConfig>();
  if (opts.alertmanagerConfigFile) {
    const text = readText(opts.alertmanagerConfigFile, problems);
    const cfg = text === undefined ? undefined : load(opts.alertmanagerConfigFile, text);
    if (cfg) pinned.set(DEFAULT_TENANT, cfg);
  }
  const templates = new Map<AlertmanagerConfig, TemplateSource[]>();
  const withTemplates = (cfg: AlertmanagerConfig | undefined, file: string | undefined): void => {
    if (!cfg) return;
    const sources = readTemplateFiles(cfg, file, problems);
    const loaded = makeLoadTemplates(SYSTEM_CLOCK)(sources);
    // The message names the template file and line (Go's form); the config file says which config.
    if (!loaded.ok) problems.push(...loaded.issues.map((i) => `${file ?? 'built-in fallback config'}: ${i.message}`));
    templates.set(cfg, sources);
  };
  withTemplates(fallback, fbFile);
  withTemplates(pinned.get(DEFAULT_TENANT), opts.alertmanagerConfigFile);
  const scrape = readScrapeConfig(herald, opts.configFile, problems);
  if (problems.length > 0 || !fallback) throw new ConfigFileError(problems);
  return { herald, fallback, fallbackText: fbText ?? '', pinned, templates, scrape };
}

/** Splits `host:port`, `:port` or `[v6]:port`. */
export function parseListenAddress(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new ConfigFileError([`--web.listen-address: invalid address ${JSON.stringify(addr)}, want host:port`]);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigFileError([`--web.listen-address: invalid port ${port}`]);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}
