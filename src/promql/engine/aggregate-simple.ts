/**
 * The simple aggregations (sum, count, group, min, max), evaluated series by series: the hot path
 * of dashboards' `sum by (...) (rate(...))`.
 */
import type { Evaluating } from './context.js';
import type { StepSeries, StepVector } from './series.js';

/** Compensation cells of a sum held at once: steps are taken in blocks so this stays bounded. */
const MAX_CELLS = 1 << 20;

/**
 * sum, count, group, min and max walking the input series by series (each series' arrays are
 * read front to back) instead of step by step over all series. Every (group, step) cell still
 * sees its series in input order, so the floating-point result is the same. Sums keep a Neumaier
 * compensation per (group, step) cell, so steps go in blocks of at most MAX_CELLS cells.
 */
export function seriesMajor(
  ev: Evaluating,
  op: 'sum' | 'count' | 'group' | 'min' | 'max',
  input: StepVector,
  groupOf: Int32Array,
  out: StepSeries[],
  maxCells = MAX_CELLS,
): void {
  const n = ev.grid.n;
  const block = Math.max(1, Math.min(n, Math.floor(maxCells / Math.max(1, out.length))));
  const comp = op === 'sum' ? new Float64Array(out.length * block) : undefined;
  for (let from = 0; from < n; from += block) {
    const to = Math.min(n, from + block);
    comp?.fill(0);
    for (let si = 0; si < input.length; si++) {
      if (si % 256 === 0) ev.ctx.check();
      const s = input[si] as StepSeries;
      const g = groupOf[si] as number;
      const o = out[g] as StepSeries;
      const sv = s.v;
      const sh = s.has;
      const ov = o.v;
      const oh = o.has;
      let any = false;
      for (let i = from; i < to; i++) {
        if (!sh[i]) continue;
        any = true;
        const f = sv[i] as number;
        if (!oh[i]) {
          oh[i] = 1;
          ov[i] = op === 'count' || op === 'group' ? 1 : f;
          continue;
        }
        const cur = ov[i] as number;
        switch (op) {
          case 'sum': {
            // kahanInc, inlined without its tuple.
            const c = comp as Float64Array;
            const at = g * block + (i - from);
            const t = cur + f;
            if (t === Infinity || t === -Infinity) c[at] = 0;
            else if (Math.abs(cur) >= Math.abs(f)) c[at] = (c[at] as number) + (cur - t + f);
            else c[at] = (c[at] as number) + (f - t + cur);
            ov[i] = t;
            break;
          }
          case 'count':
            ov[i] = cur + 1;
            break;
          case 'max':
            if (cur < f || Number.isNaN(cur)) ov[i] = f;
            break;
          case 'min':
            if (cur > f || Number.isNaN(cur)) ov[i] = f;
            break;
          default:
            break;
        }
      }
      if (any && s.dropName) o.dropName = true;
    }
    if (comp === undefined) continue;
    for (let g = 0; g < out.length; g++) {
      const o = out[g] as StepSeries;
      for (let i = from; i < to; i++) if (o.has[i]) o.v[i] = (o.v[i] as number) + (comp[g * block + (i - from)] as number);
    }
  }
}
