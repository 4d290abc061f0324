/**
 * The experimental `anchored` / `smoothed` selector modifiers (Prometheus'
 * promql-extended-range-selectors): which kernel a call uses, how far its windows reach beyond the
 * selector's range, bare extended range selectors in a matrix result, and smoothed instant
 * selectors. Plain selectors never reach this module, so the usual paths pay nothing for it.
 */
import type { Expr, VectorSelector } from '../ast.js';
import { ANCHORED_KERNELS, SMOOTHED_KERNELS, extendWindow } from '../functions/range-extended.js';
import type { RangeKernel } from '../functions/types.js';
import { selectorExtensions } from '../parser/extensions.js';
import type { RangeSeries } from './context.js';
import { upperBound } from './context.js';
import { execError } from './errors.js';
import { labelsKey, newSeries } from './series.js';
import type { Grid, StepVector } from './series.js';

export type ExtendedMode = 'anchored' | 'smoothed';

/** How far a window reaches beyond the selector's own range (rangeCall's sample window). */
export interface WindowReach {
  readonly before: number;
  readonly after: number;
}

/** The modifier on a selector, undefined for a plain one. */
export function selectorMode(vs: VectorSelector): ExtendedMode | undefined {
  const ext = selectorExtensions(vs);
  if (ext.anchored === true) return 'anchored';
  if (ext.smoothed === true) return 'smoothed';
  return undefined;
}

/** The modifier of a range argument written as a range selector (possibly parenthesised). */
export function rangeArgMode(arg: Expr): ExtendedMode | undefined {
  let x = arg;
  while (x.kind === 'ParenExpr' || x.kind === 'StepInvariantExpr') x = x.expr;
  return x.kind === 'MatrixSelector' ? selectorMode(x.vectorSelector) : undefined;
}

const KERNELS: Record<ExtendedMode, ReadonlyMap<string, RangeKernel>> = { anchored: ANCHORED_KERNELS, smoothed: SMOOTHED_KERNELS };

/** The kernel `fn` uses under `mode`, or upstream's error for a function the modifier does not support. */
export function extendedKernel(mode: ExtendedMode, fn: string): RangeKernel {
  const kernels = KERNELS[mode];
  const k = kernels.get(fn);
  if (k === undefined) throw execError(`${mode} modifier can only be used with: ${[...kernels.keys()].sort().join(', ')} - not with ${fn}`);
  return k;
}

/** Samples in (start - lookback, end] for anchored, (start - lookback, end + lookback] for smoothed. */
export function windowReach(mode: ExtendedMode, lookbackMs: number): WindowReach {
  return { before: lookbackMs, after: mode === 'smoothed' ? lookbackMs : 0 };
}

/**
 * One series of a bare `v[d] anchored|smoothed` at an instant query's time (matrixSelector with
 * extendFloats): undefined when no sample lies in the range.
 */
export function extendedMatrixSeries(s: RangeSeries, mode: ExtendedMode, startMs: number, endMs: number, lookbackMs: number): { t: Float64Array; v: Float64Array } | undefined {
  const reach = windowReach(mode, lookbackMs);
  const from = upperBound(s.t, startMs - reach.before);
  const to = upperBound(s.t, endMs + reach.after, from);
  if (to <= from) return undefined;
  const x = extendWindow({ t: s.t, v: s.v, from, to }, startMs, endMs, mode === 'smoothed');
  if (x.t.length === 0) return undefined;
  return { t: Float64Array.from(x.t), v: Float64Array.from(x.v) };
}

/**
 * A `v smoothed` instant selector (smoothSeries): at each step the sample exactly at the reference
 * time, else the value interpolated between its neighbours within the lookback on either side,
 * else the last earlier one.
 */
export function smoothVector(series: readonly RangeSeries[], grid: Grid, vs: VectorSelector, lookbackMs: number): StepVector {
  const out: StepVector = [];
  for (const s of series) {
    const { t, v } = s;
    const o = newSeries(s.labels, grid.n, labelsKey(s.labels));
    let any = false;
    for (let i = 0; i < grid.n; i++) {
      const ref = (vs.timestampMs ?? grid.ts[i] ?? 0) - vs.offsetMs;
      const from = upperBound(t, ref - lookbackMs);
      const to = upperBound(t, ref + lookbackMs, from);
      if (to <= from) continue;
      // First sample at or after ref (sort.Search for T >= ref) within [from, to).
      let k = upperBound(t, ref - 1, from);
      if (k > to) k = to;
      let value: number;
      if (k < to && t[k] === ref) value = v[k] as number;
      else if (k > from && k < to) {
        const t1 = t[k - 1] as number;
        const y1 = v[k - 1] as number;
        value = y1 + (((v[k] as number) - y1) * (ref - t1)) / ((t[k] as number) - t1);
      } else if (k > from) value = v[k - 1] as number;
      else continue;
      o.has[i] = 1;
      o.v[i] = value;
      any = true;
    }
    if (any) out.push(o);
  }
  return out;
}
