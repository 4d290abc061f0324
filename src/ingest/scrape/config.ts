/**
 * The scrape config file: a subset of Prometheus' `global` + `scrape_configs`, plus Herald's
 * `tenant` per job (where its samples go). Unknown keys are errors; every issue has a line and
 * column. Defaults follow Prometheus (interval 1m, timeout 10s, /metrics, http).
 */
import { parseYaml } from '../../alertmanager/config/yaml-doc.js';
import { fail, ok, sortIssues } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { DEFAULT_TENANT, tenantIdProblem } from '../../core/tenant-id.js';
import { FieldReader } from './config-fields.js';
import { newRelabelRule } from '../../core/relabel.js';
import type { RawRelabelRule, RelabelRule } from '../../core/relabel.js';

/** A group of targets sharing labels (static_configs entry or one file SD group). */
export interface TargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Where it came from, for logs: `static/0`, or the file path and index. */
  readonly source: string;
}

/** One file_sd_configs entry. */
export interface FileSdConfig {
  readonly files: readonly string[];
  readonly refreshIntervalMs: number;
}

/** One validated scrape job. */
export interface ScrapeJob {
  readonly jobName: string;
  readonly tenant: string;
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly metricsPath: string;
  readonly scheme: 'http' | 'https';
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly authorization?: { readonly type: string; readonly credentials: string };
  readonly staticConfigs: readonly TargetGroup[];
  readonly fileSdConfigs: readonly FileSdConfig[];
  readonly relabelConfigs: readonly RelabelRule[];
  readonly metricRelabelConfigs: readonly RelabelRule[];
  /** 0 = no limit. */
  readonly sampleLimit: number;
}

/** A whole validated scrape config file. */
export interface ScrapeConfig {
  readonly global: { readonly scrapeIntervalMs: number; readonly scrapeTimeoutMs: number; readonly externalLabels: Readonly<Record<string, string>> };
  readonly jobs: readonly ScrapeJob[];
}

const JOB_KEYS = ['job_name', 'tenant', 'scrape_interval', 'scrape_timeout', 'metrics_path', 'scheme', 'params', 'honor_labels', 'honor_timestamps', 'basic_auth', 'authorization', 'bearer_token', 'static_configs', 'file_sd_configs', 'relabel_configs', 'metric_relabel_configs', 'sample_limit'];
const RELABEL_KEYS = ['action', 'source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement'];
const FILE_SD_EXT = /^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$/;

/**
 * Parses and validates scrape config YAML. Issues carry line/column ranges; `file` is only for the
 * caller's symmetry with other loaders (print issues with formatIssue(issue, file)).
 */
export function loadScrapeConfig(text: string, file = 'scrape config'): Result<ScrapeConfig> {
  void file;
  const doc = parseYaml(text);
  if (doc.issues.length > 0) return fail(doc.issues);
  const r = new FieldReader();
  const cfg = readConfig(r, doc.value);
  if (r.issues.length > 0) {
    const located = r.issues.map((it) => {
      const at = it.path ? doc.positionOf(it.path, it.code === 'unknown_field') : undefined;
      return at ? { ...it, range: { start: at } } : it;
    });
    return fail(sortIssues(located));
  }
  return ok(cfg);
}

function readConfig(r: FieldReader, v: unknown): ScrapeConfig {
  const top = r.map(v, [], ['global', 'scrape_configs']) ?? {};
  const g = r.map(top['global'], ['global'], ['scrape_interval', 'scrape_timeout', 'external_labels']) ?? {};
  const interval = r.duration(g['scrape_interval'], ['global', 'scrape_interval'], 60_000);
  const timeout = r.duration(g['scrape_timeout'], ['global', 'scrape_timeout'], 10_000);
  if (timeout > interval) r.bad(['global', 'scrape_timeout'], 'global scrape timeout greater than scrape interval');
  const global = { scrapeIntervalMs: interval, scrapeTimeoutMs: timeout, externalLabels: r.labels(g['external_labels'], ['global', 'external_labels']) };
  const jobs: ScrapeJob[] = [];
  const seen = new Set<string>();
  r.list(top['scrape_configs'], ['scrape_configs']).forEach((j, i) => {
    const job = readJob(r, j, ['scrape_configs', i], global);
    if (!job) return;
    if (seen.has(job.jobName)) r.bad(['scrape_configs', i, 'job_name'], `found multiple scrape configs with job name ${JSON.stringify(job.jobName)}`);
    seen.add(job.jobName);
    jobs.push(job);
  });
  return { global, jobs };
}

function readJob(r: FieldReader, v: unknown, path: Array<string | number>, global: ScrapeConfig['global']): ScrapeJob | undefined {
  const j = r.map(v, path, JOB_KEYS);
  if (!j) return undefined;
  const at = (k: string): Array<string | number> => [...path, k];
  const jobName = r.string(j['job_name'], at('job_name'), '');
  if (jobName === '') r.bad(at('job_name'), 'job_name is empty');
  const tenant = r.string(j['tenant'], at('tenant'), DEFAULT_TENANT);
  const tp = tenantIdProblem(tenant);
  if (tp) r.bad(at('tenant'), tp);
  const interval = r.duration(j['scrape_interval'], at('scrape_interval'), global.scrapeIntervalMs);
  let timeout = r.duration(j['scrape_timeout'], at('scrape_timeout'), Math.min(global.scrapeTimeoutMs, interval));
  if (timeout > interval) {
    r.bad(at('scrape_timeout'), `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(jobName)}`);
    timeout = interval;
  }
  const metricsPath = r.string(j['metrics_path'], at('metrics_path'), '/metrics');
  const scheme = r.string(j['scheme'], at('scheme'), 'http');
  if (scheme !== 'http' && scheme !== 'https') r.bad(at('scheme'), `invalid scheme ${JSON.stringify(scheme)}: must be http or https`);
  const params: Record<string, string[]> = {};
  const po = r.map(j['params'], at('params'), Object.keys((j['params'] as object | null) ?? {}));
  for (const [k, pv] of Object.entries(po ?? {})) params[k] = r.strings(pv, [...at('params'), k]);
  const auth = readAuth(r, j, path);
  const staticConfigs: TargetGroup[] = [];
  r.list(j['static_configs'], at('static_configs')).forEach((sc, i) => {
    const g = readTargetGroup(r, sc, [...at('static_configs'), i], `static/${i}`);
    if (g) staticConfigs.push(g);
  });
  const fileSdConfigs = r.list(j['file_sd_configs'], at('file_sd_configs')).map((fc, i) => {
    const p = [...at('file_sd_configs'), i];
    const m = r.map(fc, p, ['files', 'refresh_interval']) ?? {};
    const files = r.strings(m['files'], [...p, 'files']);
    files.forEach((f, k) => {
      if (!FILE_SD_EXT.test(f)) r.bad([...p, 'files', k], `path name ${JSON.stringify(f)} is not valid for file discovery`);
      else if (f.includes('*')) r.bad([...p, 'files', k], `glob patterns are not supported by Herald: ${JSON.stringify(f)}`);
    });
    return { files, refreshIntervalMs: r.duration(m['refresh_interval'], [...p, 'refresh_interval'], 300_000) };
  });
  return {
    jobName,
    tenant,
    scrapeIntervalMs: interval,
    scrapeTimeoutMs: timeout,
    metricsPath,
    scheme: scheme === 'https' ? 'https' : 'http',
    params,
    honorLabels: r.bool(j['honor_labels'], at('honor_labels'), false),
    honorTimestamps: r.bool(j['honor_timestamps'], at('honor_timestamps'), true),
    ...auth,
    staticConfigs,
    fileSdConfigs,
    relabelConfigs: readRelabels(r, j['relabel_configs'], at('relabel_configs')),
    metricRelabelConfigs: readRelabels(r, j['metric_relabel_configs'], at('metric_relabel_configs')),
    sampleLimit: r.uint(j['sample_limit'], at('sample_limit'), 0),
  };
}

function readAuth(r: FieldReader, j: Record<string, unknown>, path: Array<string | number>): Pick<ScrapeJob, 'basicAuth' | 'authorization'> {
  const out: { -readonly [K in 'basicAuth' | 'authorization']?: NonNullable<ScrapeJob[K]> } = {};
  const given = ['basic_auth', 'authorization', 'bearer_token'].filter((k) => j[k] !== undefined && j[k] !== null);
  if (given.length > 1) r.bad(path, `at most one of basic_auth, authorization & bearer_token must be configured (got ${given.join(', ')})`);
  if (j['basic_auth'] != null) {
    const b = r.map(j['basic_auth'], [...path, 'basic_auth'], ['username', 'password']) ?? {};
    out.basicAuth = { username: r.string(b['username'], [...path, 'basic_auth', 'username'], ''), password: r.string(b['password'], [...path, 'basic_auth', 'password'], '') };
  }
  if (j['authorization'] != null) {
    const a = r.map(j['authorization'], [...path, 'authorization'], ['type', 'credentials']) ?? {};
    const type = r.string(a['type'], [...path, 'authorization', 'type'], 'Bearer');
    if (type.toLowerCase() === 'basic') r.bad([...path, 'authorization', 'type'], `authorization type cannot be set to "basic", use "basic_auth" instead`);
    out.authorization = { type, credentials: r.string(a['credentials'], [...path, 'authorization', 'credentials'], '') };
  }
  if (j['bearer_token'] != null) out.authorization = { type: 'Bearer', credentials: r.string(j['bearer_token'], [...path, 'bearer_token'], '') };
  return out;
}

function readRelabels(r: FieldReader, v: unknown, path: Array<string | number>): RelabelRule[] {
  const out: RelabelRule[] = [];
  r.list(v, path).forEach((rv, i) => {
    const m = r.map(rv, [...path, i], RELABEL_KEYS);
    if (!m) return;
    const p = [...path, i];
    const raw: Record<string, unknown> & { -readonly [K in keyof RawRelabelRule]: RawRelabelRule[K] } = {};
    for (const k of ['action', 'separator', 'regex', 'target_label', 'replacement']) if (m[k] !== undefined && m[k] !== null) raw[k] = r.string(m[k], [...p, k], '');
    if (m['source_labels'] != null) raw['source_labels'] = r.strings(m['source_labels'], [...p, 'source_labels']);
    if (m['modulus'] != null) raw['modulus'] = r.uint(m['modulus'], [...p, 'modulus'], 0);
    const rule = newRelabelRule(raw, p);
    if (rule.ok) out.push(rule.value);
    else r.issues.push(...rule.issues);
  });
  return out;
}

/** Reads one target group (`{targets, labels}`); shared with file SD. Records issues in `r`. */
export function readTargetGroup(r: FieldReader, v: unknown, path: ReadonlyArray<string | number>, source: string): TargetGroup | undefined {
  const m = r.map(v, path, ['targets', 'labels']);
  if (!m) return undefined;
  const targets = r.strings(m['targets'], [...path, 'targets']);
  targets.forEach((t, i) => {
    if (t === '' || t.includes('/')) r.bad([...path, 'targets', i], `${JSON.stringify(t)} is not a valid hostname`);
  });
  return { targets, labels: r.labels(m['labels'], [...path, 'labels']), source };
}
