/**
 * From target groups to scrape targets, as Prometheus' scrape.PopulateLabels does: defaults
 * (`job`, `__scheme__`, `__metrics_path__`, `__param_*`, interval/timeout), relabel_configs,
 * `instance` from `__address__`, reserved `__` labels dropped, and the URL to GET.
 */
import { parseYaml } from '../../alertmanager/config/yaml-doc.js';
import { parseDuration, formatDuration } from '../../core/duration.js';
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import { readTargetGroup } from './config.js';
import type { ScrapeJob, TargetGroup } from './config.js';
import { FieldReader } from './config-fields.js';
import { relabel } from '../../core/relabel.js';

/** One target to scrape, with its final labels and URL. */
export interface ScrapeTarget {
  /** Identity across reloads: job, tenant, URL and labels. */
  readonly key: string;
  readonly job: ScrapeJob;
  /** Labels attached to every sample (job, instance, group labels after relabeling). */
  readonly labels: Labels;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** Targets of one group, plus why some were refused (a target dropped by relabeling is not an error). */
export interface GroupTargets {
  readonly targets: ScrapeTarget[];
  readonly errors: string[];
}

/** Builds the targets of one group of a job. */
export function groupTargets(job: ScrapeJob, group: TargetGroup): GroupTargets {
  const targets: ScrapeTarget[] = [];
  const errors: string[] = [];
  for (const address of group.targets) {
    const t = populate(job, { ...group.labels, __address__: address });
    if (typeof t === 'string') errors.push(`${group.source}: ${t}`);
    else if (t) targets.push(t);
  }
  return { targets, errors };
}

function populate(job: ScrapeJob, start: Record<string, string>): ScrapeTarget | string | undefined {
  const lb: Record<string, string> = { ...start };
  const dflt = (k: string, v: string): void => {
    if (lb[k] === undefined) lb[k] = v;
  };
  dflt('job', job.jobName);
  dflt('__scrape_interval__', formatDuration(job.scrapeIntervalMs));
  dflt('__scrape_timeout__', formatDuration(job.scrapeTimeoutMs));
  dflt('__metrics_path__', job.metricsPath);
  dflt('__scheme__', job.scheme);
  for (const [k, vs] of Object.entries(job.params)) if (vs[0] !== undefined) dflt(`__param_${k}`, vs[0]);
  const out = relabel(lb, job.relabelConfigs);
  if (!out) return undefined;
  const address = out['__address__'];
  if (address === undefined || address === '') return 'no address';
  if (address.includes('/')) return `invalid address "${address}"`;
  const interval = parseDuration(out['__scrape_interval__'] ?? '');
  const timeout = parseDuration(out['__scrape_timeout__'] ?? '');
  if (!interval.ok || interval.value <= 0) return `error parsing scrape interval: ${JSON.stringify(out['__scrape_interval__'])}`;
  if (!timeout.ok || timeout.value <= 0) return `error parsing scrape timeout: ${JSON.stringify(out['__scrape_timeout__'])}`;
  if (timeout.value > interval.value) return `scrape timeout cannot be greater than scrape interval (${JSON.stringify(out['__scrape_timeout__'])} > ${JSON.stringify(out['__scrape_interval__'])})`;
  const url = buildUrl(job, out, address);
  if (typeof url !== 'string') return url.error;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(out)) if (!k.startsWith('__')) labels[k] = v;
  if (labels['instance'] === undefined) labels['instance'] = address;
  return { key: `${job.tenant}\u0000${job.jobName}\u0000${url}\u0000${fingerprint(labels)}`, job, labels, url, intervalMs: interval.value, timeoutMs: timeout.value };
}

function buildUrl(job: ScrapeJob, lb: Record<string, string>, address: string): string | { error: string } {
  const params = new Map<string, string[]>(Object.entries(job.params).map(([k, v]) => [k, [...v]]));
  for (const [k, v] of Object.entries(lb)) {
    if (!k.startsWith('__param_')) continue;
    const name = k.slice('__param_'.length);
    const cur = params.get(name);
    if (cur && cur.length > 0) cur[0] = v;
    else params.set(name, [v]);
  }
  const scheme = lb['__scheme__'] ?? job.scheme;
  try {
    const u = new URL(`${scheme}://${address}`);
    u.pathname = lb['__metrics_path__'] ?? job.metricsPath;
    for (const [k, vs] of params) for (const v of vs) u.searchParams.append(k, v);
    return u.toString();
  } catch {
    return { error: `invalid URL for address "${address}"` };
  }
}

/** Parses a file SD file (JSON or YAML list of `{targets, labels}`), adding `__meta_filepath`. */
export function parseTargetGroupFile(text: string, file: string): Result<TargetGroup[]> {
  let value: unknown;
  if (/\.json$/i.test(file)) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return fail([issue('invalid_file', `${file}: ${e instanceof Error ? e.message : String(e)}`)]);
    }
  } else {
    const doc = parseYaml(text);
    if (doc.issues.length > 0) return fail(doc.issues.map((it) => ({ ...it, message: `${file}: ${it.message}` })));
    value = doc.value;
  }
  const r = new FieldReader();
  const groups: TargetGroup[] = [];
  r.list(value, []).forEach((g, i) => {
    const tg = readTargetGroup(r, g, [i], `${file}:${i}`);
    if (tg) groups.push({ ...tg, labels: { ...tg.labels, __meta_filepath: file } });
  });
  if (r.issues.length > 0) return fail(r.issues.map((it) => ({ ...it, message: `${file}: ${it.message}` })));
  return ok(groups);
}
