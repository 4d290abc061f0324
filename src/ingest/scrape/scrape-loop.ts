/**
 * One target's scrape, as Prometheus' scrapeLoop does it: GET with a timeout, parse, attach
 * target labels (honor_labels or `exported_` renames), metric_relabel_configs, sample_limit,
 * append with the scrape's start time, the five report series, and staleness markers for series
 * that vanished (or all of them when the scrape failed or the target went away).
 */
import { fingerprint } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { Clock, HttpClient, Logger } from '../../core/runtime.js';
import { STALE_NAN } from '../../core/stale-nan.js';
import type { AppendSeries, TenantTsdb } from '../../tsdb/api.js';
import { formatOf, parseExposition } from './exposition.js';
import type { ParsedSample } from './exposition.js';
import { relabel } from '../../core/relabel.js';
import type { ScrapeTarget } from './targets.js';

/** The part of a WHATWG fetch Response a scrape reads; global `fetch` satisfies ScrapeFetch. */
export interface FetchLikeResponse {
  readonly status: number;
  readonly statusText?: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** An HTTP GET; throws for transport errors and aborts. */
export type ScrapeFetch = (url: string, init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal }) => Promise<FetchLikeResponse>;

/** Adapts Herald's HttpClient (firewall, proxies) to ScrapeFetch. */
export function scrapeFetchFrom(client: HttpClient): ScrapeFetch {
  return async (url, init) => {
    const res = await client.request({ url, method: 'GET', headers: init.headers, signal: init.signal });
    const lower = new Map(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return { status: res.status, headers: { get: (name) => lower.get(name.toLowerCase()) ?? null }, text: () => Promise.resolve(res.body) };
  };
}

/** What Prometheus 2.x sends: OpenMetrics preferred, then the text format. */
export const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** Dependencies of a loop, injected by the manager. */
export interface ScrapeLoopDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch: ScrapeFetch;
  readonly tsdb: (tenant: string) => Promise<TenantTsdb>;
  readonly userAgent?: string;
}

const REPORT_NAMES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'] as const;

interface Outcome {
  readonly series: Map<string, { labels: Labels; t: number; v: number }>;
  readonly tracked: Map<string, Labels>;
  readonly scraped: number;
  readonly error?: string;
}

/** Prometheus' `--scrape.timestamp-tolerance` default (2 ms), clamped to 1% of the interval as there. */
export const SCRAPE_TIMESTAMP_TOLERANCE_MS = 2;

/**
 * The timestamp a scrape's samples get: the scheduled tick when the timer fired at most the
 * tolerance after it (timer jitter), else the actual time, as Prometheus' scrape loop aligns its
 * timestamps (scrape/scrape.go, AlignScrapeTimestamps).
 */
export function alignedTimestamp(nowMs: number, dueMs: number, intervalMs: number): number {
  const tolerance = Math.min(intervalMs / 100, SCRAPE_TIMESTAMP_TOLERANCE_MS);
  const late = nowMs - dueMs;
  return late >= 0 && late <= tolerance ? dueMs : nowMs;
}

/** Scrapes one target; `scrape()` runs once, `stop()` writes end-of-target staleness markers. */
export class ScrapeLoop {
  /** Series of the last scrape without explicit timestamps (staleness applies to these only). */
  private prev = new Map<string, Labels>();
  private reported = false;
  /** Health as Prometheus' /api/v1/targets shows it. */
  health: 'unknown' | 'up' | 'down' = 'unknown';
  lastError = '';
  lastScrapeMs = 0;

  constructor(public target: ScrapeTarget, private readonly deps: ScrapeLoopDeps) {}

  /**
   * One scrape and append. Never throws; failures become up=0 and a log line. `dueMs`: the tick the
   * scrape was scheduled for; samples are stamped with it when the timer fired within the
   * tolerance (alignedTimestamp), so regular series cost ~1 bit per timestamp in the chunks.
   */
  async scrape(dueMs?: number): Promise<void> {
    const { clock } = this.deps;
    const began = clock.now();
    const start = dueMs === undefined ? began : alignedTimestamp(began, dueMs, this.target.intervalMs);
    const fetched = await this.fetchBody();
    const duration = (clock.now() - began) / 1000;
    const out: Outcome = typeof fetched === 'string' ? { series: new Map(), tracked: new Map(), scraped: 0, error: fetched } : this.process(fetched.body, fetched.contentType, start);
    const batch: AppendSeries[] = [];
    for (const s of out.series.values()) batch.push({ labels: s.labels, t: [s.t], v: Float64Array.of(s.v) });
    let added = 0;
    for (const fp of out.tracked.keys()) if (!this.prev.has(fp)) added++;
    for (const [fp, labels] of this.prev) if (!out.tracked.has(fp)) batch.push(stale(labels, start));
    this.prev = out.tracked;
    const up = out.error === undefined;
    const post = up ? out.series.size : 0;
    const values = [up ? 1 : 0, duration, out.scraped, post, up ? added : 0];
    REPORT_NAMES.forEach((name, i) => batch.push({ labels: { ...this.target.labels, __name__: name }, t: [start], v: Float64Array.of(values[i] ?? 0) }));
    this.reported = true;
    this.health = up ? 'up' : 'down';
    this.lastError = out.error ?? '';
    this.lastScrapeMs = start;
    if (!up) this.deps.logger.warn({ target: this.target.url, job: this.target.job.jobName, err: out.error }, 'scrape failed');
    await this.append(batch);
  }

  /** Writes staleness markers at `atMs` for every series this target produced (it went away). */
  async markStale(atMs: number): Promise<void> {
    const batch = [...this.prev.values()].map((l) => stale(l, atMs));
    if (this.reported) for (const name of REPORT_NAMES) batch.push(stale({ ...this.target.labels, __name__: name }, atMs));
    this.prev = new Map();
    this.reported = false;
    if (batch.length > 0) await this.append(batch);
  }

  private async fetchBody(): Promise<{ body: string; contentType: string } | string> {
    const { url, timeoutMs, job } = this.target;
    const ctrl = new AbortController();
    const timer = this.deps.clock.schedule(timeoutMs, () => ctrl.abort(new Error('context deadline exceeded')));
    const headers: Record<string, string> = { Accept: SCRAPE_ACCEPT, 'X-Prometheus-Scrape-Timeout-Seconds': String(timeoutMs / 1000) };
    if (this.deps.userAgent) headers['User-Agent'] = this.deps.userAgent;
    if (job.basicAuth) headers['Authorization'] = `Basic ${Buffer.from(`${job.basicAuth.username}:${job.basicAuth.password}`).toString('base64')}`;
    if (job.authorization) headers['Authorization'] = `${job.authorization.type} ${job.authorization.credentials}`;
    try {
      const res = await raceAbort(this.deps.fetch(url, { method: 'GET', headers, signal: ctrl.signal }), ctrl.signal);
      if (res.status !== 200) return `server returned HTTP status ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      const body = await raceAbort(res.text(), ctrl.signal);
      return { body, contentType: res.headers.get('content-type') ?? '' };
    } catch (e) {
      const msg = ctrl.signal.aborted ? 'context deadline exceeded' : e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
      return `Get ${JSON.stringify(url)}: ${msg}`;
    } finally {
      timer.cancel();
    }
  }

  private process(body: string, contentType: string, start: number): Outcome {
    const parsed = parseExposition(body, formatOf(contentType));
    if (!parsed.ok) return { series: new Map(), tracked: new Map(), scraped: 0, error: parsed.issues[0]?.message ?? 'parse error' };
    const { job } = this.target;
    const series = new Map<string, { labels: Labels; t: number; v: number }>();
    const tracked = new Map<string, Labels>();
    for (const s of parsed.value) {
      const labels = relabel(withTargetLabels(s.labels, this.target.labels, job.honorLabels), job.metricRelabelConfigs);
      if (!labels || Object.keys(labels).length === 0) continue;
      const fp = fingerprint(labels);
      if (series.has(fp)) continue; // Prometheus: "duplicate sample for timestamp", first one wins
      const explicit = job.honorTimestamps && s.timestampMs !== undefined;
      series.set(fp, { labels, t: explicit && s.timestampMs !== undefined ? s.timestampMs : start, v: s.value });
      if (!explicit) tracked.set(fp, labels);
    }
    if (job.sampleLimit > 0 && series.size > job.sampleLimit) {
      return { series: new Map(), tracked: new Map(), scraped: parsed.value.length, error: `sample limit exceeded (${series.size} > ${job.sampleLimit})` };
    }
    return { series, tracked, scraped: parsed.value.length };
  }

  private async append(batch: AppendSeries[]): Promise<void> {
    try {
      const db = await this.deps.tsdb(this.target.job.tenant);
      const res = await db.append(batch);
      for (const r of res.rejected) this.deps.logger.warn({ target: this.target.url, reason: r.reason, count: r.count, example: r.example }, 'scrape samples rejected by the TSDB');
    } catch (e) {
      this.deps.logger.error({ target: this.target.url, err: e instanceof Error ? e.message : String(e) }, 'appending scraped samples failed');
    }
  }
}

/**
 * Target labels onto a sample's labels. With honor_labels the sample wins; otherwise a clashing
 * sample label is kept as `exported_<name>` (more `exported_` prefixes while that is taken too).
 */
export function withTargetLabels(sample: ParsedSample['labels'], target: Labels, honor: boolean): Record<string, string> {
  const lb: Record<string, string> = {};
  for (const [k, v] of Object.entries(sample)) if (v !== '') lb[k] = v;
  if (honor) {
    for (const [k, v] of Object.entries(target)) if (lb[k] === undefined) lb[k] = v;
    return lb;
  }
  const clashes: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(target)) {
    const old = lb[k];
    if (old !== undefined) clashes.push([k, old]);
    lb[k] = v;
  }
  clashes.sort((a, b) => a[0].length - b[0].length); // Prometheus resolves shorter names first
  for (const [k, old] of clashes) {
    let name = `exported_${k}`;
    while (lb[name] !== undefined) name = `exported_${name}`;
    lb[name] = old;
  }
  return lb;
}

function stale(labels: Labels, t: number): AppendSeries {
  return { labels, t: [t], v: Float64Array.of(STALE_NAN) };
}

/** Rejects when the signal aborts, for fetch-like functions that ignore it. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
