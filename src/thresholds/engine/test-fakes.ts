/**
 * Test doubles for the threshold engine: an in-memory conf.d (ConfDirFs) whose files tests edit,
 * break and touch, and metric handles that record what they were given.
 */
import type { CounterLike, GaugeLike, MetricLabels } from '../../core/metrics.js';
import type { ConfDirFs } from './conf-dir.js';
import type { ThresholdMetrics } from './metrics.js';

/** A flat directory in memory: `root/name` files and `root/name` subdirectories. */
export class MemoryConfDir implements ConfDirFs {
  readonly files = new Map<string, { text: string; mtimeMs: number }>();
  readonly subdirs = new Set<string>();
  /** Names whose reads fail (permission denied and the like). */
  readonly unreadable = new Set<string>();
  listFails = false;
  reads = 0;
  private tick = 1;

  constructor(readonly root = '/conf.d') {}

  write(name: string, text: string): void {
    this.files.set(name, { text, mtimeMs: this.tick++ });
  }

  /** Changes the mtime only (a ConfigMap swap with the same content). */
  touch(name: string): void {
    const f = this.files.get(name);
    if (f) f.mtimeMs = this.tick++;
  }

  remove(name: string): void {
    this.files.delete(name);
  }

  readDir(path: string): Promise<string[]> {
    if (this.listFails || path !== this.root) return Promise.reject(new Error(`ENOENT: no such file or directory, scandir '${path}'`));
    return Promise.resolve([...this.files.keys(), ...this.subdirs]);
  }

  readFile(path: string): Promise<string> {
    this.reads++;
    const name = this.nameOf(path);
    const f = this.files.get(name);
    if (!f || this.unreadable.has(name)) return Promise.reject(new Error(`EACCES: permission denied, open '${path}'`));
    return Promise.resolve(f.text);
  }

  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; mtimeMs: number; size: number }> {
    const name = this.nameOf(path);
    if (this.subdirs.has(name)) return Promise.resolve({ isDirectory: () => true, isFile: () => false, mtimeMs: 0, size: 0 });
    const f = this.files.get(name);
    if (!f) return Promise.reject(new Error(`ENOENT: no such file or directory, stat '${path}'`));
    return Promise.resolve({ isDirectory: () => false, isFile: () => true, mtimeMs: f.mtimeMs, size: Buffer.byteLength(f.text) });
  }

  private nameOf(path: string): string {
    return path.startsWith(`${this.root}/`) ? path.slice(this.root.length + 1) : path;
  }
}

/** Metric handles that keep the last value per label set (gauges) or the sum (counters). */
export class RecordingThresholdMetrics implements ThresholdMetrics {
  readonly values = new Map<string, number>();
  readonly loadErrors: GaugeLike = { set: (l, v) => void this.values.set(key('load_errors', l), v) };
  readonly reloads: CounterLike = { inc: (l, v = 1) => void this.values.set(key('reloads', l), (this.values.get(key('reloads', l)) ?? 0) + v) };
  readonly thresholds: GaugeLike = { set: (l, v) => void this.values.set(key('thresholds', l), v) };

  get(name: string, labels: MetricLabels): number | undefined {
    return this.values.get(key(name, labels));
  }
}

function key(name: string, labels: MetricLabels): string {
  return `${name}${JSON.stringify(Object.entries(labels).sort())}`;
}
