/**
 * Fixtures for the pack tests: tenant stores in memory (memoryBackend per tenant, with the TSDB's
 * out-of-order refusal), an in-memory pack directory, a clock moved by hand, and a sink that keeps
 * what it got per tenant. Not used by production code.
 */
import type { Labels } from '../../core/labels.js';
import type { AlertSink, OutgoingAlert } from '../../ruler/api.js';
import { memoryBackend } from '../../ruler/backend/index.js';
import type { RulesDirFs } from '../../ruler/manager/index.js';
import type { PackTenants } from './tenants.js';

export { T0 } from '../../ruler/manager/test-kit.test-util.js';

export type MemoryStore = ReturnType<typeof memoryBackend>;

/** Memory stores for `ids` (listed) and for each of `unlisted` (writable, but not read by the packs). */
export function memoryTenants(ids: readonly string[], unlisted: readonly string[] = []): { tenants: PackTenants; stores: Map<string, MemoryStore>; appends: string[] } {
  const stores = new Map<string, MemoryStore>([...ids, ...unlisted].map((id) => [id, memoryBackend()]));
  const appends: string[] = [];
  const get = (t: string): MemoryStore => {
    const s = stores.get(t);
    if (!s) throw new Error(`no store for tenant ${t}`);
    return s;
  };
  return {
    stores,
    appends,
    tenants: {
      list: () => ids,
      source: (t) => get(t).source,
      append: (t, samples) => {
        appends.push(t);
        return get(t).append(samples);
      },
    },
  };
}

/** The latest value of the series with exactly `labels` in `store` at or before `t`, or undefined. */
export async function valueAt(store: MemoryStore, labels: Labels, t: number): Promise<number | undefined> {
  const all = await store.source.select([], { startMs: t - 3_600_000, endMs: t, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
  const want = JSON.stringify(Object.entries(labels).sort());
  const s = all.find((x) => JSON.stringify(Object.entries(x.labels).sort()) === want);
  return s && s.v.length > 0 ? s.v[s.v.length - 1] : undefined;
}

/** Names (`__name__`) of every series in the store, sorted, with their tenant label. */
export async function seriesNames(store: MemoryStore): Promise<string[]> {
  const all = await store.source.select([], { startMs: -Infinity, endMs: Infinity, stepMs: 0, rangeMs: 0 }, new AbortController().signal);
  return all.map((s) => `${s.labels['__name__'] ?? ''}{tenant=${s.labels['tenant'] ?? ''}}`).sort();
}

/** Keeps every send, per tenant. */
export class TenantSink implements AlertSink {
  readonly sent: { tenant: string; alerts: readonly OutgoingAlert[] }[] = [];
  send(tenant: string, alerts: readonly OutgoingAlert[]): void {
    this.sent.push({ tenant, alerts });
  }
  /** `tenant: alertname` of every firing (endsAt after `now`) alert sent since the last take(), sorted. */
  take(now: number): string[] {
    const out = this.sent.flatMap((b) => b.alerts.filter((a) => a.endsAt > now).map((a) => `${b.tenant}: ${a.labels['alertname'] ?? ''}`));
    this.sent.length = 0;
    return [...new Set(out)].sort();
  }
}

/** A directory of files held in memory; `write` bumps the mtime. */
export class MemoryFs implements RulesDirFs {
  private readonly files = new Map<string, { text: string; mtimeMs: number }>();
  private tick = 0;
  failReadDir = false;

  constructor(readonly root: string) {}

  write(name: string, text: string): void {
    this.files.set(`${this.root}/${name}`, { text, mtimeMs: ++this.tick });
  }

  remove(name: string): void {
    this.files.delete(`${this.root}/${name}`);
  }

  readDir(path: string): Promise<string[]> {
    if (this.failReadDir || path !== this.root) return Promise.reject(new Error(`ENOENT: ${path}`));
    return Promise.resolve([...this.files.keys()].map((f) => f.slice(this.root.length + 1)));
  }

  readFile(path: string): Promise<string> {
    const f = this.files.get(path);
    return f ? Promise.resolve(f.text) : Promise.reject(new Error(`ENOENT: ${path}`));
  }

  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; mtimeMs: number; size: number }> {
    const f = this.files.get(path);
    if (!f) return Promise.reject(new Error(`ENOENT: ${path}`));
    return Promise.resolve({ isDirectory: () => false, isFile: () => true, mtimeMs: f.mtimeMs, size: f.text.length });
  }
}

// The ruler manager's fake clock: pack groups run on the same GroupRunner.
export { settle, TestClock } from '../../ruler/manager/test-kit.test-util.js';
