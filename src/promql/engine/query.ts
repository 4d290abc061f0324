/**
 * Runs a query end to end: preprocess, fetch every selector's series (async, cancellable), then
 * evaluate synchronously and shape the result as Prometheus' API returns it.
 */
import { compareLabels } from '../../core/labels.js';
import type { Expr } from '../ast.js';
import { exprType } from '../ast.js';
import { PromQLQueryError } from '../api.js';
import type { QueryOptions, QueryResult } from '../api.js';
import type { QueryValue, SeriesSource, Series } from '../value.js';
import { AnnotationCollector, SampleCounter } from './context.js';
import type { EvalContext, Impls } from './context.js';
import { canceled, timedOut } from './errors.js';
import { Evaluator, toPointsAll } from './evaluator.js';
import { preprocessExpr } from './preprocess.js';
import { populateSeries } from './select.js';
import type { SelectParams } from './select.js';
import { finishNames, makeGrid } from './series.js';

const DEFAULTS = {
  lookbackDeltaMs: 5 * 60_000,
  timeoutMs: 2 * 60_000,
  maxSamples: 50_000_000,
  defaultSubqueryStepMs: 60_000,
};

const EVAL_PHASE = 'expression evaluation';

function documentedType(e: Expr): string {
  const t = exprType(e);
  return t === 'matrix' ? 'range vector' : t === 'vector' ? 'instant vector' : t;
}

/** Evaluates `expr` over [start, end] every `step` (step 0: one instant at start); `preprocessed`: PreprocessExpr already ran. */
export async function runQuery(
  source: SeriesSource,
  input: Expr,
  startMs: number,
  endMs: number,
  stepMs: number,
  options: QueryOptions,
  impls: Impls,
  delayedNameRemoval = false,
  preprocessed = false,
): Promise<QueryResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? DEFAULTS.timeoutMs);
  const signal = options.signal ?? new AbortController().signal;
  const check = (phase: string): void => {
    if (signal.aborted) throw canceled(phase);
    if (now() > deadline) throw timedOut(phase);
  };
  const instant = stepMs === 0;
  if (!instant && exprType(input) !== 'vector' && exprType(input) !== 'scalar') {
    throw new PromQLQueryError('bad_data', `invalid expression type "${documentedType(input)}" for range query, must be Scalar or instant Vector`);
  }
  const expr = preprocessed ? input : preprocessExpr(input, startMs, endMs, stepMs);
  const params: SelectParams = {
    startMs,
    endMs,
    stepMs,
    lookbackMs: options.lookbackDeltaMs ?? DEFAULTS.lookbackDeltaMs,
    defaultSubqueryStepMs: options.defaultSubqueryStepMs ?? DEFAULTS.defaultSubqueryStepMs,
  };
  check('query preparation');
  let selected;
  try {
    selected = await populateSeries(source, expr, params, signal);
  } catch (err) {
    if (signal.aborted) throw canceled(EVAL_PHASE);
    if (err instanceof PromQLQueryError) throw err;
    throw new PromQLQueryError('execution', `expanding series: ${err instanceof Error ? err.message : String(err)}`);
  }
  const annotations = new AnnotationCollector();
  const ctx: EvalContext = {
    selected,
    lookbackMs: params.lookbackMs,
    defaultSubqueryStepMs: params.defaultSubqueryStepMs,
    impls,
    delayedNameRemoval,
    annotations,
    samples: new SampleCounter(options.maxSamples ?? DEFAULTS.maxSamples),
    check: () => check(EVAL_PHASE),
  };
  const grid = makeGrid(startMs, instant ? startMs : endMs, stepMs);
  const ev = new Evaluator(grid, ctx);
  const value = evaluate(ev, expr, instant);
  check(EVAL_PHASE);
  return { value, annotations: annotations.list() };
}

function evaluate(ev: Evaluator, expr: Expr, instant: boolean): QueryValue {
  const t = ev.grid.start;
  switch (exprType(expr)) {
    case 'string': {
      let e = expr;
      while (e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr') e = e.expr;
      return { type: 'string', t, v: e.kind === 'StringLiteral' ? e.value : '' };
    }
    case 'scalar': {
      const v = ev.scalar(expr);
      if (instant) return { type: 'scalar', t, v: v[0] ?? NaN };
      return { type: 'matrix', series: [{ labels: {}, t: Float64Array.from(ev.grid.ts), v }] };
    }
    case 'matrix': {
      const m = ev.matrix(expr);
      return { type: 'matrix', series: [...m.series].sort((a, b) => compareLabels(a.labels, b.labels)) };
    }
    case 'vector': {
      const vec = finishNames(ev.vector(expr));
      if (instant) return { type: 'vector', samples: vec.filter((s) => s.has[0]).map((s) => ({ labels: s.labels, t, v: s.v[0] as number })) };
      const series: Series[] = toPointsAll(vec, ev.grid).filter((s) => s.t.length > 0);
      series.sort((a, b) => compareLabels(a.labels, b.labels));
      return { type: 'matrix', series };
    }
  }
}
