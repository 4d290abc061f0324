/**
 * What every part of one query's evaluation shares: fetched series, limits, the clock check,
 * the function kernels and the annotation collector.
 */
import type { Labels } from '../../core/labels.js';
import type { Expr, VectorSelector } from '../ast.js';
import type { AnnotationSink, FunctionImpl } from '../functions/types.js';
import type { Annotation } from '../value.js';
import { tooManySamples } from './errors.js';
import type { Selected } from './select.js';
import type { Grid, StepScalar, StepVector } from './series.js';

/** De-duplicates annotations by text, keeping the order they were first raised. */
export class AnnotationCollector implements AnnotationSink {
  private readonly seen = new Map<string, Annotation>();
  add(a: Annotation): void {
    if (!this.seen.has(a.message)) this.seen.set(a.message, a);
  }
  warn(message: string): void {
    this.add({ level: 'warning', message: `PromQL warning: ${message}` });
  }
  info(message: string): void {
    this.add({ level: 'info', message: `PromQL info: ${message}` });
  }
  list(): Annotation[] {
    return [...this.seen.values()];
  }
}

/** Tracks samples held in memory against --query.max-samples. */
export class SampleCounter {
  current = 0;
  constructor(private readonly max: number) {}
  add(n: number): void {
    this.current += n;
    if (this.current > this.max) throw tooManySamples();
  }
  /** Fails when `extra` more samples would not fit (a range window held while a kernel runs). */
  peek(extra: number): void {
    if (this.current + extra > this.max) throw tooManySamples();
  }
}

/** A function of scalars returning a scalar (pi, max_of, min_of). */
export type ScalarFunction = (args: readonly number[]) => number;

/** The function implementations a query may call. */
export interface Impls {
  readonly functions: ReadonlyMap<string, FunctionImpl>;
  readonly scalars: ReadonlyMap<string, ScalarFunction>;
}

/** The shared state of one query's evaluation. */
export interface EvalContext {
  readonly selected: Selected;
  readonly lookbackMs: number;
  readonly defaultSubqueryStepMs: number;
  readonly impls: Impls;
  /** Prometheus' promql-delayed-name-removal feature flag. */
  readonly delayedNameRemoval: boolean;
  readonly annotations: AnnotationCollector;
  readonly samples: SampleCounter;
  /** Throws the timeout / cancellation error when the query must stop. */
  check(): void;
}

/** Raw points of one series for range functions: ascending, without staleness markers. */
export interface RangeSeries {
  readonly labels: Labels;
  /** Set for subquery results whose name removal is delayed. */
  readonly dropName?: boolean;
  readonly t: Float64Array;
  readonly v: Float64Array;
}

/** A range-vector argument: its series and how each step's window (end - range, end] is placed. */
export interface RangeArg {
  readonly series: readonly RangeSeries[];
  readonly rangeMs: number;
  readonly offsetMs: number;
  /** The `@` time; when set every step uses the same window. */
  readonly atMs: number | undefined;
  /** The selector when the argument is a plain range selector (for absent_over_time labels). */
  readonly selector: VectorSelector | undefined;
}

/** The evaluator as seen by the operator and function modules. */
export interface Evaluating {
  readonly grid: Grid;
  readonly ctx: EvalContext;
  scalar(e: Expr): StepScalar;
  vector(e: Expr): StepVector;
  rangeArg(e: Expr): RangeArg;
}

/** Index of the first element of `t` greater than `x` (t ascending). */
export function upperBound(t: Float64Array, x: number, lo = 0): number {
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * upperBound for a probe that only moves forward (sliding windows over ascending steps): a few
 * linear steps from `lo` cover the usual case of one or two new samples per step, and a binary
 * search takes over when the window jumps further. Requires t[lo - 1] <= x, as upperBound does.
 */
export function upperBoundFrom(t: Float64Array, x: number, lo: number): number {
  const len = t.length;
  for (let k = 0; k < 8; k++, lo++) {
    if (lo >= len || (t[lo] as number) > x) return lo;
  }
  return upperBound(t, x, lo);
}
