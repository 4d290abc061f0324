/**
 * Instant-vector and range-vector selection from fetched series: lookback with left-open window
 * (a sample exactly `lookback` old is not used), staleness markers ending a series, offset and `@`
 * (Prometheus' vectorSelectorSingle, matrixIterSlice).
 */
import { isStaleNaN } from '../../core/stale-nan.js';
import type { VectorSelector } from '../ast.js';
import type { StoredSeries } from '../value.js';
import type { EvalContext, RangeSeries } from './context.js';
import { upperBound, upperBoundFrom } from './context.js';
import { labelsKey, newSeries } from './series.js';
import type { Grid, StepVector } from './series.js';

function stored(ctx: EvalContext, vs: VectorSelector): readonly StoredSeries[] {
  return ctx.selected.get(vs) ?? [];
}

/**
 * Evaluates an instant selector over the grid. With `timestamps`, each value is the chosen
 * sample's timestamp in seconds (for timestamp()) instead of its value.
 */
export function selectVector(ctx: EvalContext, grid: Grid, vs: VectorSelector, timestamps = false): StepVector {
  const out: StepVector = [];
  const lookback = ctx.lookbackMs;
  const at = vs.timestampMs;
  const offset = vs.offsetMs;
  const all = stored(ctx, vs);
  for (let k = 0; k < all.length; k++) {
    // Cancellation and the deadline are checked every 64 series: reading the clock per series costs more than the selection.
    if ((k & 63) === 0) ctx.check();
    const s = all[k] as StoredSeries;
    const st = s.t;
    const sv = s.v;
    const series = newSeries(s.labels, grid.n, labelsKey(s.labels));
    let any = false;
    let j = 0;
    for (let i = 0; i < grid.n; i++) {
      const ref = (at ?? grid.ts[i] ?? 0) - offset;
      // Steps ascend, so the last sample at or before ref only moves forward (see upperBoundFrom).
      j = at === undefined ? upperBoundFrom(st, ref, j) : upperBound(st, ref);
      const idx = j - 1;
      if (idx < 0) continue;
      const t = st[idx] as number;
      const v = sv[idx] as number;
      if (t <= ref - lookback || isStaleNaN(v)) continue;
      series.has[i] = 1;
      series.v[i] = timestamps ? t / 1000 : v;
      any = true;
    }
    if (any) out.push(series);
  }
  return out;
}

/** The selector's series without staleness markers, for range windows. */
export function rangeSeries(ctx: EvalContext, vs: VectorSelector): RangeSeries[] {
  return stored(ctx, vs).map((s) => {
    let stale = 0;
    const sv = s.v;
    // Indexed loop with the cheap NaN test first: this runs over every selected sample.
    for (let i = 0; i < sv.length; i++) {
      const x = sv[i] as number;
      if (x !== x && isStaleNaN(x)) stale++;
    }
    // The stored series already has the RangeSeries shape: no copy, no extra object per series.
    if (stale === 0) return s;
    const t = new Float64Array(s.t.length - stale);
    const v = new Float64Array(s.t.length - stale);
    let k = 0;
    for (let i = 0; i < s.t.length; i++) {
      if (isStaleNaN(s.v[i] as number)) continue;
      t[k] = s.t[i] as number;
      v[k++] = s.v[i] as number;
    }
    return { labels: s.labels, t, v };
  });
}
