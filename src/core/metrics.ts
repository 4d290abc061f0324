/**
 * Metric handles engines write to. They match prom-client's method shapes so src/app.ts passes
 * prom-client objects directly; tests pass the no-op or recording versions.
 */
export type MetricLabels = Record<string, string>;

export interface CounterLike {
  inc(labels: MetricLabels, value?: number): void;
}

export interface GaugeLike {
  set(labels: MetricLabels, value: number): void;
}

export interface HistogramLike {
  observe(labels: MetricLabels, value: number): void;
}

export const NOOP_COUNTER: CounterLike = { inc: () => undefined };
export const NOOP_GAUGE: GaugeLike = { set: () => undefined };
export const NOOP_HISTOGRAM: HistogramLike = { observe: () => undefined };
