/**
 * Fakes for notifier and pipeline tests: a manual clock, a recording HTTP client and recording
 * metrics. Not used by production code.
 */
import type { CounterLike, GaugeLike, HistogramLike, MetricLabels } from '../../core/metrics.js';
import type { Clock, HttpClient, HttpRequest, HttpResponse, TimerHandle } from '../../core/runtime.js';
import type { AlertmanagerMetrics } from '../options.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to; `drive` runs a promise to completion through its timers. */
export class ManualClock implements Clock {
  private seq = 0;
  private timers: Timer[] = [];

  constructor(public t: number) {}

  now(): number {
    return this.t;
  }

  schedule(ms: number, fn: () => void): TimerHandle {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = (): void => {
        h.cancel();
        reject(signal?.reason as Error);
      };
      const h = this.schedule(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Number of live timers. */
  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Fires the earliest live timer, moving time to it. Returns false when none is left. */
  fireNext(): boolean {
    this.timers = this.timers.filter((t) => !t.cancelled);
    if (this.timers.length === 0) return false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift() as Timer;
    if (next.at > this.t) this.t = next.at;
    next.fn();
    return true;
  }

  /** Awaits `p`, firing timers whenever everything else is idle. */
  async drive<T>(p: Promise<T>): Promise<T> {
    let done = false;
    const watched = p.finally(() => {
      done = true;
    });
    for (let i = 0; i < 100_000; i++) {
      await new Promise<void>((r) => setImmediate(r));
      if (done) return watched;
      if (!this.fireNext()) {
        await new Promise<void>((r) => setImmediate(r));
        if (done) return watched;
        throw new Error('ManualClock.drive: promise pending with no timers left');
      }
    }
    throw new Error('ManualClock.drive: too many timer firings');
  }
}

/** Answers requests from a script (last entry repeats); records every request. */
export class FakeHttp implements HttpClient {
  readonly requests: HttpRequest[] = [];

  constructor(private readonly script: ReadonlyArray<HttpResponse | Error | ((req: HttpRequest) => Promise<HttpResponse>)> = [{ status: 200, headers: {}, body: '' }]) {}

  request(req: HttpRequest): Promise<HttpResponse> {
    const step = this.script[Math.min(this.requests.length, this.script.length - 1)];
    this.requests.push(req);
    if (step === undefined) return Promise.resolve({ status: 200, headers: {}, body: '' });
    if (step instanceof Error) return Promise.reject(step);
    if (typeof step === 'function') return step(req);
    return Promise.resolve(step);
  }
}

/** A metric that records every observation as `name{k=v,...}` -> sum. */
export class RecordingMetric implements CounterLike, GaugeLike, HistogramLike {
  readonly values = new Map<string, number>();

  constructor(private readonly name: string) {}

  private key(labels: MetricLabels): string {
    const parts = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`);
    return `${this.name}{${parts.join(',')}}`;
  }

  inc(labels: MetricLabels, value = 1): void {
    const k = this.key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + value);
  }

  set(labels: MetricLabels, value: number): void {
    this.values.set(this.key(labels), value);
  }

  observe(labels: MetricLabels, _value: number): void {
    this.inc(labels, 1);
  }
}

/** AlertmanagerMetrics where every series records into one flat map for assertions. */
export function recordingMetrics(): AlertmanagerMetrics & { snapshot(): Record<string, number> } {
  const names = [
    'alertsReceived',
    'alertsInvalid',
    'notificationsTotal',
    'notificationsFailed',
    'notificationRequestsTotal',
    'notificationRequestsFailed',
    'notificationLatency',
    'silences',
    'alerts',
    'aggregationGroups',
    'aggregationGroupLimitReached',
    'notificationsSuppressed',
  ] as const;
  const m = Object.fromEntries(names.map((n) => [n, new RecordingMetric(n)])) as unknown as Record<(typeof names)[number], RecordingMetric>;
  return {
    ...m,
    snapshot(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const n of names) for (const [k, v] of m[n].values) out[k] = v;
      return out;
    },
  };
}
