/**
 * The contract between the engine (../engine) and the function kernels (this folder). The engine
 * owns argument evaluation, stepping, label handling of whole vectors and output assembly; a
 * kernel computes one value. Mirrors the split in Prometheus' promql/functions.go, where each
 * FunctionCall gets evaluated arguments for one step.
 */
import type { Labels } from '../../core/labels.js';
import type { Annotation } from '../value.js';

/** Collects annotations raised while evaluating; the engine de-duplicates them. */
export interface AnnotationSink {
  add(a: Annotation): void;
}

/**
 * The raw samples a range-vector argument holds for one series at one step:
 * indices [from, to) of `t`/`v`, already restricted to the window (rangeStart, rangeEnd]
 * (left-open as in Prometheus 3.x) and without staleness markers.
 */
export interface RangeWindow {
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly from: number;
  readonly to: number;
}

export interface RangeKernelContext {
  /** Window bounds in ms: (rangeStartMs, rangeEndMs]. */
  readonly rangeStartMs: number;
  readonly rangeEndMs: number;
  /** The step's evaluation time (rangeEndMs + offset). */
  readonly evalTimeMs: number;
  /** Scalar arguments at this step, in argument order without the range vector (e.g. predict_linear's t). */
  readonly scalars: readonly number[];
  /** The series' labels (for annotations naming the metric). */
  readonly labels: Labels;
  /** Position of the call in the query text, for annotations. */
  readonly annotations: AnnotationSink;
}

/**
 * A function of one range-vector argument evaluated per series and step (rate, *_over_time, ...).
 * Returns the output value, or undefined when the series yields no sample at this step.
 */
export type RangeKernel = (w: RangeWindow, ctx: RangeKernelContext) => number | undefined;

/**
 * A function applied to each sample of an instant vector independently (abs, clamp, day_of_month...).
 * `scalars` are the scalar arguments at this step; `evalTimeMs` the step time.
 */
export type ElementKernel = (v: number, scalars: readonly number[], evalTimeMs: number) => number;

/** One output sample of a whole-vector function. */
export interface KernelSample {
  readonly labels: Labels;
  readonly v: number;
  /** Set when the function keeps its input's __name__ despite changing its value. */
  readonly keepName?: boolean;
}

export interface VectorKernelContext {
  readonly evalTimeMs: number;
  /** Scalar arguments at this step (e.g. histogram_quantile's φ). */
  readonly scalars: readonly number[];
  /** String arguments (label_replace's dst, replacement, src, regex...). */
  readonly strings: readonly string[];
  readonly annotations: AnnotationSink;
}

/**
 * A function that needs the whole instant vector of one step (label_replace, histogram_quantile,
 * sort, absent...). It returns the output vector for that step, or an Error whose message is the
 * query's error text (e.g. "vector cannot contain metrics with the same labelset").
 */
export type VectorKernel = (input: readonly KernelSample[], ctx: VectorKernelContext) => readonly KernelSample[] | Error;

/** How a function is evaluated; `dropsName` says whether output samples lose __name__. */
export type FunctionImpl =
  | { readonly kind: 'range'; readonly kernel: RangeKernel; readonly dropsName: boolean }
  | { readonly kind: 'element'; readonly kernel: ElementKernel; readonly dropsName: boolean }
  | { readonly kind: 'vector'; readonly kernel: VectorKernel }
  /** Functions the engine implements itself (time, vector, scalar, absent_over_time...): named here so lookups never miss. */
  | { readonly kind: 'engine' };
