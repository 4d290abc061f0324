/**
 * Test fixtures for rule evaluation: a group builder over the in-memory backend, a recording sink,
 * a backend wrapper that records every append, and a clock that only moves when told.
 */
import type { Labels } from '../../core/labels.js';
import type { Clock } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { AlertingRuleConfig, AlertSink, EvalGroup, EvalSettings, OutgoingAlert, QueryBackend, RecordingRuleConfig, RuleGroupConfig, RuleSample, RuleSeries } from '../api.js';
import { memoryBackend } from '../backend/local.js';
import { createEvalGroup } from './group.js';
import type { EvalGroupParams } from './group.js';

export const MIN = 60_000;

export const SETTINGS: EvalSettings = {
  defaultIntervalMs: MIN,
  defaultQueryOffsetMs: 0,
  resendDelayMs: MIN,
  forGracePeriodMs: 10 * MIN,
  forOutageToleranceMs: 60 * MIN,
  externalLabels: { cluster: 'eu1' },
  externalURL: 'http://herald.example:9093',
};

export function fixedClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
  return c;
}

export function alert(name: string, expr: string, o: Partial<Omit<AlertingRuleConfig, 'kind' | 'alert' | 'expr'>> = {}): AlertingRuleConfig {
  return { kind: 'alerting', alert: name, expr, forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {}, ...o };
}

export function record(name: string, expr: string, labels: Labels = {}): RecordingRuleConfig {
  return { kind: 'recording', record: name, expr, labels };
}

export function groupConfig(rules: RuleGroupConfig['rules'], o: Partial<Omit<RuleGroupConfig, 'rules'>> = {}): RuleGroupConfig {
  return { name: 'g', limit: 0, labels: {}, rules, ...o };
}

export interface SentBatch {
  readonly tenant: string;
  readonly alerts: readonly OutgoingAlert[];
}

/** Keeps every batch handed to it. */
export class RecordingSink implements AlertSink {
  readonly batches: SentBatch[] = [];
  send(tenant: string, alerts: readonly OutgoingAlert[]): void {
    this.batches.push({ tenant, alerts });
  }
  /** The alerts of all batches so far, then forgets them. */
  take(): OutgoingAlert[] {
    const all = this.batches.flatMap((b) => b.alerts);
    this.batches.length = 0;
    return all;
  }
}

/** A backend recording each append; `failAppends` makes appends throw, `rejectAll` refuses every sample. */
export class SpyBackend implements QueryBackend {
  readonly appends: RuleSample[][] = [];
  readonly queries: { expr: string; t: number }[] = [];
  failAppends = false;
  rejectAll = false;
  failQueries: string | undefined;

  constructor(readonly inner: ReturnType<typeof memoryBackend> = memoryBackend()) {}

  get source(): ReturnType<typeof memoryBackend>['source'] {
    return this.inner.source;
  }

  queryVector(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSample[]> {
    this.queries.push({ expr, t: timeMs });
    if (this.failQueries !== undefined) return Promise.reject(new Error(this.failQueries));
    return this.inner.queryVector(expr, timeMs, signal);
  }

  queryMatrix(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSeries[]> {
    this.queries.push({ expr, t: timeMs });
    if (this.failQueries !== undefined) return Promise.reject(new Error(this.failQueries));
    return this.inner.queryMatrix(expr, timeMs, signal);
  }

  append(samples: readonly RuleSample[]): Promise<{ readonly rejected: number; readonly firstError?: string }> {
    if (this.failAppends) return Promise.reject(new Error('connection refused'));
    this.appends.push([...samples]);
    if (this.rejectAll) return Promise.resolve({ rejected: samples.length, firstError: 'out of order sample' });
    return this.inner.append(samples);
  }

  /** Every appended sample so far, flattened, then forgets them. */
  takeAppended(): RuleSample[] {
    const all = this.appends.flat();
    this.appends.length = 0;
    return all;
  }
}

export interface Harness {
  readonly group: EvalGroup;
  readonly backend: SpyBackend;
  readonly sink: RecordingSink;
  readonly clock: Clock & { t: number };
}

/** A group over a fresh SpyBackend (or the given one) with a recording sink. */
export function harness(config: RuleGroupConfig, o: Partial<EvalGroupParams> & { backend?: SpyBackend } = {}): Harness {
  const backend = o.backend ?? new SpyBackend();
  const sink = new RecordingSink();
  const clock = fixedClock();
  const group = createEvalGroup({
    tenant: 't1',
    namespace: 'ns',
    config,
    settings: SETTINGS,
    backend,
    sink,
    clock,
    logger: NOOP_LOGGER,
    ...o,
  });
  return { group, backend, sink, clock };
}

/** Loads `name{labels}` with value `v` at every minute from `fromMs` to `toMs` inclusive. */
export function loadSeries(backend: SpyBackend, labels: Labels, fromMs: number, toMs: number, v: number | ((t: number) => number) = 1): void {
  for (let t = fromMs; t <= toMs; t += MIN) backend.source.add(labels, t, typeof v === 'number' ? v : v(t));
}
