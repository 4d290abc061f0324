/**
 * Fixtures for the manager's tests: a clock moved by hand that lets async work settle between
 * timers, an EvalGroup fake that records what the manager asks of it, rule group builders, and the
 * StateStore for kind 'rules'. Not used by production code.
 */
import type { Clock, TimerHandle } from '../../core/runtime.js';
import type { EvalGroup, GroupView, QueryBackend, RuleGroupConfig, RulerMetrics } from '../api.js';
import type { EvalGroupParams } from '../eval/index.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Lets promise chains and setImmediate callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

/** A clock that moves only in advance(); due timers fire in order, async work settles between them. */
export class TestClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;

  constructor(public t = T0) {}

  now(): number {
    return this.t;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      this.timers = this.timers.filter((x) => x.live);
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = Math.max(this.t, end);
    await settle();
  }

  /** Due times of live timers, relative to now. */
  dueIn(): number[] {
    return this.timers.filter((x) => x.live).map((x) => x.at - this.t).sort((a, b) => a - b);
  }

  /** Live timers. */
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }
}

/** What the manager did to one fake group. */
export interface GroupCall {
  readonly what: 'evaluate' | 'restore' | 'markStale';
  /** The timestamp passed. */
  readonly ts: number;
  /** The clock when called. */
  readonly at: number;
}

/** An EvalGroup that records calls; `durationMs(n)` is how long its n-th evaluation (from 1) takes. */
export class FakeGroup implements EvalGroup {
  readonly tenant: string;
  readonly namespace: string;
  readonly name: string;
  readonly intervalMs: number;
  readonly calls: GroupCall[] = [];
  copiedFrom: EvalGroup | undefined;
  readonly signals: AbortSignal[] = [];

  constructor(
    readonly params: EvalGroupParams,
    private readonly clock: TestClock,
    private readonly durationMs: (n: number) => number = () => 0,
  ) {
    this.tenant = params.tenant;
    this.namespace = params.namespace;
    this.name = params.config.name;
    this.intervalMs = params.config.intervalMs ?? params.settings.defaultIntervalMs;
  }

  evaluations(): number[] {
    return this.calls.filter((c) => c.what === 'evaluate').map((c) => c.ts);
  }

  evaluate(ts: number, signal?: AbortSignal): Promise<void> {
    this.calls.push({ what: 'evaluate', ts, at: this.clock.t });
    if (signal) this.signals.push(signal);
    this.clock.t += this.durationMs(this.evaluations().length);
    return Promise.resolve();
  }

  restoreForState(ts: number): Promise<void> {
    this.calls.push({ what: 'restore', ts, at: this.clock.t });
    return Promise.resolve();
  }

  copyStateFrom(previous: EvalGroup): void {
    this.copiedFrom = previous;
  }

  markStale(ts: number): Promise<void> {
    this.calls.push({ what: 'markStale', ts, at: this.clock.t });
    return Promise.resolve();
  }

  sameDefinition(namespace: string, config: RuleGroupConfig): boolean {
    return namespace === this.namespace && JSON.stringify(config) === JSON.stringify(this.params.config);
  }

  view(): GroupView {
    return { name: this.name, file: this.namespace, intervalSeconds: this.intervalMs / 1000, limit: this.params.config.limit, rules: [], evaluationTime: 0, lastEvaluation: 0 };
  }
}

/** A createGroup that makes FakeGroups and keeps every one made, in order. */
export function fakeFactory(clock: TestClock, durationMs?: (group: string, n: number) => number): { create: (p: EvalGroupParams) => EvalGroup; made: FakeGroup[]; find(ns: string, name: string): FakeGroup[] } {
  const made: FakeGroup[] = [];
  return {
    made,
    create: (p) => {
      const g = new FakeGroup(p, clock, durationMs ? (n) => durationMs(p.config.name, n) : undefined);
      made.push(g);
      return g;
    },
    find: (ns, name) => made.filter((g) => g.namespace === ns && g.name === name),
  };
}

/** A recording rule group; `n` rules named `<name>:rN`. */
export function group(name: string, o: { intervalMs?: number; rules?: number; expr?: string } = {}): RuleGroupConfig {
  const rules = Array.from({ length: o.rules ?? 1 }, (_, i) => ({ kind: 'recording' as const, record: `${name}:r${i}`, expr: o.expr ?? 'up', labels: {} }));
  return o.intervalMs === undefined ? { name, limit: 0, labels: {}, rules } : { name, intervalMs: o.intervalMs, limit: 0, labels: {}, rules };
}

export const NULL_BACKEND: QueryBackend = {
  queryVector: () => Promise.resolve([]),
  queryMatrix: () => Promise.resolve([]),
  append: () => Promise.resolve({ rejected: 0 }),
};

/** Metrics calls as text lines. */
export class RecordingMetrics implements RulerMetrics {
  readonly lines: string[] = [];
  ruleEvaluated(): void {}
  groupEvaluated(): void {}
  groupMissed(tenant: string, group: string, missed: number): void {
    this.lines.push(`missed ${tenant} ${group} ${missed}`);
  }
  groupConfigured(tenant: string, group: string, rules: number, intervalSeconds: number): void {
    this.lines.push(`configured ${tenant} ${group} ${rules} ${intervalSeconds}`);
  }
}


/** An in-memory file tree for the rules directory (paths joined with "/"); mtime bumps on every write. */
export class MemoryFs {
  readonly files = new Map<string, { text: string; mtimeMs: number }>();
  private clock = 0;
  reads = 0;

  write(path: string, text: string): void {
    this.files.set(path, { text, mtimeMs: ++this.clock });
  }

  remove(path: string): void {
    this.files.delete(path);
  }

  readDir = (path: string): Promise<string[]> => {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set<string>();
    for (const f of this.files.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0] as string);
    return names.size > 0 ? Promise.resolve([...names]) : Promise.reject(new Error(`ENOENT: no such file or directory, scandir '${path}'`));
  };

  readFile = (path: string): Promise<string> => {
    this.reads++;
    const f = this.files.get(path);
    return f ? Promise.resolve(f.text) : Promise.reject(new Error(`ENOENT: no such file or directory, open '${path}'`));
  };

  stat = (path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; mtimeMs: number; size: number }> => {
    const f = this.files.get(path);
    if (f) return Promise.resolve({ isDirectory: () => false, isFile: () => true, mtimeMs: f.mtimeMs, size: f.text.length });
    const dir = [...this.files.keys()].some((k) => k.startsWith(`${path}/`));
    return dir ? Promise.resolve({ isDirectory: () => true, isFile: () => false, mtimeMs: 0, size: 0 }) : Promise.reject(new Error(`ENOENT: no such file or directory, stat '${path}'`));
  };
}
