/**
 * The threshold engine: platform defaults and tenant documents from a `conf.d` directory (polled)
 * and from the API (persisted in the StateStore, kind `thresholds`), resolved per tenant.
 *
 * Replaces the upstream threshold-exporter's load/WatchLoop (main.go, config.go) and fixes its
 * fail-open defects: a file with errors is reported (log, metrics, `problems()`) and its tenant keeps
 * its last good document; a broken or missing `_defaults.yaml` keeps the last good defaults; an
 * unreadable directory keeps everything. A tenant is owned by its directory file when it has one;
 * the API then refuses to change it (ThresholdsDirectoryOwnedError, a 409 at the edge).
 */
import type { Issue, Result } from '../../core/result.js';
import { fail, formatIssue, issue, ok } from '../../core/result.js';
import type { Clock, Logger, TimerHandle } from '../../core/runtime.js';
import type { StateStore } from '../../core/state-store.js';
import { compareStrings } from '../../core/labels.js';
import { tenantIdProblem } from '../../core/tenant-id.js';
import type { ResolvedTenant, TenantThresholds, ThresholdDefaults, ThresholdProblem, ThresholdService } from '../api.js';
import { EMPTY_DEFAULTS, parseDefaults } from '../config/defaults.js';
import { resolveTenant } from '../config/resolve.js';
import { checkTenantDocument } from '../config/tenant-document.js';
import { ConfDirectory } from './conf-dir.js';
import type { ConfDirFs } from './conf-dir.js';
import { NOOP_THRESHOLD_METRICS } from './metrics.js';
import type { ThresholdMetrics } from './metrics.js';
import { applyPatch } from './patch.js';
import type { ThresholdPatch } from './patch.js';

/** The upstream exporter's reload interval. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;
/** StateStore key of a tenant's API document (kind `thresholds`). */
export const DOCUMENT_KEY = 'document';
const DEFAULTS_FILE = '_defaults.yaml';
const DEFAULTS_FILES = [DEFAULTS_FILE, '_defaults.yml'];

/** An API change to a tenant whose thresholds live in the directory. */
export class ThresholdsDirectoryOwnedError extends Error {
  readonly code = 'directory_owned';
  constructor(
    readonly tenant: string,
    readonly file: string,
  ) {
    super(`the thresholds of tenant ${JSON.stringify(tenant)} are managed in ${file}; change them there`);
  }
}

/** Called with the tenants whose resolved thresholds changed. */
export type ThresholdChangeListener = (tenants: readonly string[]) => void;

/** What the series writer and the rule packs need beside ThresholdService. */
export interface ThresholdChanges {
  onChange(listener: ThresholdChangeListener): () => void;
}

export interface ThresholdEngineOptions {
  /** The conf.d directory; none = API documents only (and empty defaults). */
  readonly directory?: string;
  readonly fs?: ConfDirFs;
  /** Where API documents live; none = API documents are kept in memory only. */
  readonly store?: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: ThresholdMetrics;
  readonly pollIntervalMs?: number;
}

/** A document (file or API) with its last good settings. */
interface DocState {
  readonly source: string;
  readonly text: string;
  /** Content hash of a directory file (undefined: API document, or re-read next poll). */
  readonly hash: string | undefined;
  /** Last good settings (or, while none was ever good, the valid part of the latest text). */
  readonly good: TenantThresholds;
  /** Whether `good` came from a document without issues. */
  readonly everGood: boolean;
  readonly issues: readonly Issue[];
}

export class ThresholdEngine implements ThresholdService, ThresholdChanges {
  private currentDefaults: ThresholdDefaults = EMPTY_DEFAULTS;
  private defaultsHash: string | undefined;
  private readonly dir: ConfDirectory | undefined;
  private readonly files = new Map<string, DocState>();
  private readonly api = new Map<string, DocState>();
  /** Problems of the directory itself, `_defaults.yaml` and files that name no tenant, by source. */
  private readonly platformProblems = new Map<string, ThresholdProblem>();
  private readonly resolvedCache = new Map<string, { readonly resolved: ResolvedTenant; readonly sig: string }>();
  private readonly listeners = new Set<ThresholdChangeListener>();
  private readonly metrics: ThresholdMetrics;
  private readonly log: Logger;  private lastDefaultsProblem: ThresholdProblem | undefined;
  private reportedSources = new Set<string>();
  private timer: TimerHandle | undefined;
  private stopped = true;
  /** Serialises polls and API changes. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ThresholdEngineOptions) {
    if (opts.directory !== undefined && !opts.fs) throw new Error('ThresholdEngine: a directory needs fs functions');
    this.dir = opts.directory !== undefined && opts.fs ? new ConfDirectory(opts.directory, opts.fs) : undefined;
    this.metrics = opts.metrics ?? NOOP_THRESHOLD_METRICS;
    this.log = opts.logger.child({ component: 'thresholds' });
  }

  get defaults(): ThresholdDefaults {
    return this.currentDefaults;
  }

  /** Loads API documents and the directory, then polls the directory. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.serial(() => this.loadStored());
    await this.poll();
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Re-reads the directory now (also what /-/reload calls); returns the tenants that changed. */
  poll(): Promise<readonly string[]> {
    return this.serial(() => this.pollDirectory());
  }

  onChange(listener: ThresholdChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tenants(): readonly string[] {
    return [...new Set([...this.files.keys(), ...this.api.keys()])].sort(compareStrings);
  }

  resolved(tenant: string): ResolvedTenant {
    return this.resolvedCache.get(tenant)?.resolved ?? resolveTenant(tenant, this.currentDefaults, undefined);
  }

  document(tenant: string): { readonly text: string; readonly source: 'directory' | 'api' } | undefined {
    const f = this.files.get(tenant);
    if (f) return { text: f.text, source: 'directory' };
    const a = this.api.get(tenant);
    return a ? { text: a.text, source: 'api' } : undefined;
  }

  problems(): readonly ThresholdProblem[] {
    const out: ThresholdProblem[] = [...this.platformProblems.values()];
    for (const [tenant, d] of [...this.files, ...this.api]) if (d.issues.length > 0) out.push({ source: d.source, tenant, issues: d.issues });
    return out.sort((a, b) => compareStrings(a.source, b.source));
  }

  /**
   * Replaces a tenant's API document. Invalid documents are refused with every issue and never
   * stored. Throws ThresholdsDirectoryOwnedError when the directory owns the tenant.
   */
  putDocument(tenant: string, text: string): Promise<Result<ResolvedTenant>> {
    return this.serial(() => this.put(tenant, text));
  }

  /** Changes keys of a tenant's API document (null = back to the default), keeping its comments. */
  patchDocument(tenant: string, changes: ThresholdPatch): Promise<Result<ResolvedTenant>> {
    return this.serial(() => {
      const text = applyPatch(this.api.get(tenant)?.text ?? '', changes);
      return text.ok ? this.put(tenant, text.value) : Promise.resolve(text);
    });
  }

  /** Deletes a tenant's API document; false when it had none. Throws ThresholdsDirectoryOwnedError. */
  deleteDocument(tenant: string): Promise<boolean> {
    return this.serial(async () => {
      const owner = this.files.get(tenant);
      if (owner) throw new ThresholdsDirectoryOwnedError(tenant, owner.source);
      if (!this.api.has(tenant)) return false;
      await this.opts.store?.write([{ op: 'delete', tenant, kind: 'thresholds', key: DOCUMENT_KEY }]);
      this.api.delete(tenant);
      this.log.info({ tenant }, 'threshold document deleted');
      this.refresh([tenant]);
      return true;
    });
  }

  private async put(tenant: string, text: string): Promise<Result<ResolvedTenant>> {
    const problem = tenantIdProblem(tenant);
    if (problem !== undefined) return fail([issue('tenant', problem)]);
    const owner = this.files.get(tenant);
    if (owner) throw new ThresholdsDirectoryOwnedError(tenant, owner.source);
    const check = checkTenantDocument(text, this.currentDefaults);
    if (check.issues.length > 0) return fail(check.issues);
    await this.opts.store?.write([{ op: 'put', tenant, kind: 'thresholds', key: DOCUMENT_KEY, value: text }]);
    this.api.set(tenant, { source: apiSource(tenant), text, hash: undefined, good: check.value, everGood: true, issues: [] });
    this.metrics.reloads.inc({ result: 'success' });
    this.log.info({ tenant }, 'threshold document stored');
    this.refresh([tenant]);
    return ok(this.resolved(tenant));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = this.opts.clock.schedule(this.opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, () => {
      this.poll().then(
        () => this.scheduleNext(),
        (e: unknown) => {
          this.log.error({ err: String(e) }, 'threshold directory poll failed');
          this.scheduleNext();
        },
      );
    });
  }

  private async loadStored(): Promise<void> {
    if (!this.opts.store) return;
    let records;
    try {
      records = await this.opts.store.load('thresholds');
    } catch (e) {
      this.log.error({ err: String(e) }, 'cannot load stored threshold documents');
      return;
    }
    for (const r of records) {
      if (r.key !== DOCUMENT_KEY) continue;
      this.api.set(r.tenant, this.evaluate(apiSource(r.tenant), r.value, undefined, undefined));
    }
    this.refresh(undefined);
  }

  private async pollDirectory(): Promise<readonly string[]> {
    if (!this.dir) return [];
    let snap;
    try {
      snap = await this.dir.read();
      this.platformProblems.delete(this.dir.root);
    } catch (e) {
      // An unmounted volume must not switch every tenant's thresholds off.
      const message = `cannot read the thresholds directory: ${e instanceof Error ? e.message : String(e)}; keeping what was loaded before`;
      this.platformProblems.set(this.dir.root, { source: this.dir.root, issues: [issue('read', message)] });
      this.log.error({ dir: this.dir.root, err: message }, 'thresholds directory unreadable');
      this.reportMetrics();
      return [];
    }
    for (const source of [...this.platformProblems.keys()]) if (source !== this.dir.root) this.platformProblems.delete(source);

    const defaultsChanged = this.loadDefaults(snap.files, snap.unreadable);
    const touched = new Set<string>();
    const next = new Map<string, DocState>();
    for (const [name, error] of snap.unreadable) {
      if (DEFAULTS_FILES.includes(name)) continue;
      const tenant = tenantOf(name);
      const prev = this.files.get(tenant);
      const source = `${this.dir.root}/${name}`;
      const issues = [issue('read', `cannot read the file: ${error}`)];
      if (prev) next.set(tenant, { ...prev, hash: undefined, issues });
      else this.platformProblems.set(source, { source, tenant, issues });
    }
    for (const [name, file] of snap.files) {
      if (DEFAULTS_FILES.includes(name)) continue;
      const tenant = tenantOf(name);
      if (name.startsWith('_')) {
        this.platformProblems.set(file.path, { source: file.path, issues: [issue('reserved', 'file names starting with "_" are reserved for the platform; only _defaults.yaml is read')] });
        continue;
      }
      const idProblem = tenantIdProblem(tenant);
      if (idProblem !== undefined) {
        this.platformProblems.set(file.path, { source: file.path, issues: [issue('tenant', `the file name is not a tenant id: ${idProblem}`)] });
        continue;
      }
      const taken = next.get(tenant);
      if (taken && taken.source !== file.path) {
        this.platformProblems.set(file.path, { source: file.path, tenant, issues: [issue('conflict', `tenant ${JSON.stringify(tenant)} is already defined by ${taken.source}; this file is ignored`)] });
        continue;
      }
      const prev = this.files.get(tenant);
      if (prev && prev.source === file.path && prev.hash === file.hash && !defaultsChanged) {
        next.set(tenant, prev);
        continue;
      }
      next.set(tenant, this.evaluate(file.path, file.text, file.hash, prev?.source === file.path ? prev : undefined));
      touched.add(tenant);
    }
    for (const tenant of this.files.keys()) if (!next.has(tenant)) touched.add(tenant);
    for (const tenant of next.keys()) if (!this.files.has(tenant)) touched.add(tenant);
    this.files.clear();
    for (const [t, d] of next) this.files.set(t, d);
    if (defaultsChanged) {
      for (const [tenant, d] of this.api) this.api.set(tenant, this.evaluate(d.source, d.text, undefined, d));
    }
    return this.refresh(defaultsChanged ? undefined : [...touched]);
  }

  /** Loads `_defaults.yaml` when it changed; true when the defaults in force changed. */
  private loadDefaults(files: ReadonlyMap<string, { path: string; text: string; hash: string }>, unreadable: ReadonlyMap<string, string>): boolean {
    const root = this.dir?.root ?? '';
    const present = DEFAULTS_FILES.filter((n) => files.has(n));
    const name = present[0];
    if (present.length > 1) {
      const extra = `${root}/${present[1] as string}`;
      this.platformProblems.set(extra, { source: extra, issues: [issue('conflict', `${name as string} is the defaults file; this file is ignored`)] });
    }
    const file = name === undefined ? undefined : files.get(name);
    if (!file) {
      const bad = DEFAULTS_FILES.find((n) => unreadable.has(n));
      const source = `${root}/${bad ?? DEFAULTS_FILE}`;
      const message = bad ? `cannot read the file: ${unreadable.get(bad) ?? ''}` : '_defaults.yaml is missing';
      this.platformProblems.set(source, { source, issues: [issue(bad ? 'read' : 'missing', `${message}; keeping the defaults loaded before`)] });
      return false;
    }
    if (file.hash === this.defaultsHash) {
      const last = this.lastDefaultsProblem;
      if (last) this.platformProblems.set(last.source, last);
      return false;
    }
    this.defaultsHash = file.hash;
    const r = parseDefaults(file.text, file.path);
    if (!r.ok) {
      this.lastDefaultsProblem = { source: file.path, issues: r.issues };
      this.platformProblems.set(file.path, this.lastDefaultsProblem);
      this.metrics.reloads.inc({ result: 'failure' });
      this.log.error({ file: file.path, errors: r.issues.map((i) => formatIssue(i, file.path)) }, 'invalid _defaults.yaml; keeping the defaults loaded before');
      return false;
    }
    this.lastDefaultsProblem = undefined;
    this.currentDefaults = r.value;
    this.metrics.reloads.inc({ result: 'success' });
    this.log.info({ file: file.path, keys: r.value.defaults.size, filters: r.value.stateFilters.size }, 'threshold defaults loaded');
    return true;
  }

  /** Validates a document against the defaults in force; a bad one keeps `prev`'s good settings. */
  private evaluate(source: string, text: string, hash: string | undefined, prev: DocState | undefined): DocState {
    const check = checkTenantDocument(text, this.currentDefaults);
    const base = { source, text, hash };
    if (check.issues.length === 0) {
      this.metrics.reloads.inc({ result: 'success' });
      return { ...base, good: check.value, everGood: true, issues: [] };
    }
    this.metrics.reloads.inc({ result: 'failure' });
    const keep = prev?.everGood === true;
    this.log.error({ source, errors: check.issues.map((i) => formatIssue(i, source)) }, keep ? 'invalid threshold document; keeping its last good thresholds' : 'invalid threshold document; using its valid keys');
    return keep ? { ...base, good: prev.good, everGood: true, issues: check.issues } : { ...base, good: check.value, everGood: false, issues: check.issues };
  }

  /** Re-resolves `tenants` (all when undefined), notifies listeners of those that changed. */
  private refresh(tenants: readonly string[] | undefined): string[] {
    const names = tenants ?? [...new Set([...this.tenants(), ...this.resolvedCache.keys()])];
    const changed: string[] = [];
    for (const tenant of names) {
      const doc = this.files.get(tenant) ?? this.api.get(tenant);
      const prev = this.resolvedCache.get(tenant);
      if (!doc) {
        if (prev) {
          this.resolvedCache.delete(tenant);
          this.metrics.thresholds.set({ tenant }, 0);
          changed.push(tenant);
        }
        continue;
      }
      const resolved = resolveTenant(tenant, this.currentDefaults, doc.good);
      const sig = JSON.stringify([resolved.thresholds, resolved.stateFilters]);
      this.metrics.thresholds.set({ tenant }, resolved.thresholds.length);
      if (prev?.sig === sig) continue;
      this.resolvedCache.set(tenant, { resolved, sig });
      changed.push(tenant);
    }
    this.reportMetrics();
    changed.sort(compareStrings);
    if (changed.length > 0) {
      for (const l of this.listeners) {
        try {
          l(changed);
        } catch (e) {
          this.log.error({ err: String(e) }, 'threshold change listener failed');
        }
      }
    }
    return changed;
  }

  private reportMetrics(): void {
    const now = new Set<string>();
    for (const p of this.problems()) {
      now.add(p.source);
      this.metrics.loadErrors.set({ source: p.source }, p.issues.length);
    }
    for (const s of this.reportedSources) if (!now.has(s)) this.metrics.loadErrors.set({ source: s }, 0);
    this.reportedSources = now;
  }
}

function apiSource(tenant: string): string {
  return `api:${tenant}`;
}

function tenantOf(fileName: string): string {
  return fileName.replace(/\.ya?ml$/, '');
}
