/**
 * The PromQL evaluator: instant and range queries over a SeriesSource with results identical to
 * Prometheus 3.x (promql/engine.go).
 */
import type { Expr } from '../ast.js';
import { PromQLQueryError } from '../api.js';
import type { QueryOptions, QueryResult } from '../api.js';
import { FUNCTION_IMPLS } from '../functions/registry.js';
import type { FunctionImpl } from '../functions/types.js';
import type { SeriesSource } from '../value.js';
import { ENGINE_FUNCTIONS } from './engine-functions.js';
import { prepareInstant, withDurations } from './instant-prepare.js';
import { runQuery } from './query.js';
import type { Impls, ScalarFunction } from './context.js';

export { preprocessExpr } from './preprocess.js';
export { checkRangeResolution, DEFAULT_MAX_POINTS_PER_SERIES } from './errors.js';
export { ENGINE_FUNCTIONS } from './engine-functions.js';

/** The two query kinds, bound to one set of function kernels. */
export interface Engine {
  instantQuery(source: SeriesSource, expr: Expr, timeMs: number, options?: QueryOptions): Promise<QueryResult>;
  rangeQuery(source: SeriesSource, expr: Expr, startMs: number, endMs: number, stepMs: number, options?: QueryOptions): Promise<QueryResult>;
}

/** Engine-wide switches that upstream sets with --enable-feature. */
export interface EngineFeatures {
  /** promql-delayed-name-removal (off by default, as upstream; the promqltest scripts turn it on). */
  readonly delayedNameRemoval?: boolean;
  /** Scalar functions of scalars not in the kernel map. */
  readonly scalarFunctions?: ReadonlyMap<string, ScalarFunction>;
}

/** An engine using `functions` as kernels (the engine's own functions are always available). */
export function createEngine(functions: ReadonlyMap<string, FunctionImpl>, features: EngineFeatures = {}): Engine {
  const scalarFunctions = features.scalarFunctions ?? new Map<string, ScalarFunction>();
  const delayed = features.delayedNameRemoval ?? false;
  const impls: Impls = { functions: new Map<string, FunctionImpl>([...ENGINE_FUNCTIONS, ...functions]), scalars: scalarFunctions };
  return {
    instantQuery: async (source, expr, timeMs, options = {}) => runQuery(source, prepareInstant(expr, timeMs), timeMs, timeMs, 0, options, impls, delayed, true),
    rangeQuery: async (source, expr, startMs, endMs, stepMs, options = {}) => {
      if (stepMs <= 0) {
        throw new PromQLQueryError('bad_data', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
      }
      if (endMs < startMs) throw new PromQLQueryError('bad_data', 'end timestamp must not be before start time');
      return runQuery(source, withDurations(expr, stepMs, endMs - startMs), startMs, endMs, stepMs, options, impls, delayed);
    },
  };
}

const DEFAULT_ENGINE = createEngine(FUNCTION_IMPLS);

/** Evaluates `expr` at one instant. */
export function instantQuery(source: SeriesSource, expr: Expr, timeMs: number, options?: QueryOptions): Promise<QueryResult> {
  return DEFAULT_ENGINE.instantQuery(source, expr, timeMs, options);
}

/** Evaluates `expr` at every step of [startMs, endMs]; the result is a Matrix sorted by labels. */
export function rangeQuery(source: SeriesSource, expr: Expr, startMs: number, endMs: number, stepMs: number, options?: QueryOptions): Promise<QueryResult> {
  return DEFAULT_ENGINE.rangeQuery(source, expr, startMs, endMs, stepMs, options);
}
