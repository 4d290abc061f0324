/**
 * Range-vector function calls (rate, *_over_time, ...): a range kernel of ../functions driven
 * over every series and step of its range argument.
 */
import type { Labels } from '../../core/labels.js';
import type { Call, Expr } from '../ast.js';
import { exprType } from '../ast.js';
import type { RangeKernel } from '../functions/types.js';
import type { Evaluating } from './context.js';
import { upperBound, upperBoundFrom } from './context.js';
import type { WindowReach } from './extended-range.js';
import { allocFlags, allocValues, labelsKey, mergeSameLabels, withoutName } from './series.js';
import type { StepScalar, StepVector } from './series.js';

const COUNTER_SUFFIXES = ['_total', '_sum', '_count', '_bucket'];
const EMPTY = new Float64Array(0);
const NO_LABELS: Labels = Object.freeze({});

/** The scalar arguments of a call, but the one at `skip`, evaluated over the grid. */
export function scalarArgs(ev: Evaluating, args: readonly Expr[], skip: number): StepScalar[] {
  const out: StepScalar[] = [];
  args.forEach((a, i) => {
    if (i !== skip && exprType(a) === 'scalar') out.push(ev.scalar(a));
  });
  return out;
}

/**
 * Drives a range kernel over every series and step. Hot path: the window slides forward with the
 * steps (no binary search per step), one window and one context object are reused for all calls,
 * and a series' output labels are only worked out when it yields a sample.
 */
export function rangeCall(ev: Evaluating, e: Call, matrixIdx: number, kernel: RangeKernel, dropsName: boolean, reach?: WindowReach): StepVector {
  const { n, ts } = ev.grid;
  const scalars = scalarArgs(ev, e.args, matrixIdx);
  const ns = scalars.length;
  const arg = ev.rangeArg(e.args[matrixIdx] as Expr);
  const { rangeMs, offsetMs, atMs } = arg;
  const samples = ev.ctx.samples;
  const delayed = ev.ctx.delayedNameRemoval;
  const sc: number[] = new Array<number>(ns).fill(NaN);
  const out: StepVector = [];
  // Anchored/smoothed windows reach beyond the range; their kernels get the selector's own range.
  const before = reach?.before ?? 0;
  const after = reach?.after ?? 0;
  const isRate = reach === undefined && (e.func.name === 'rate' || e.func.name === 'increase');
  const window: { t: Float64Array; v: Float64Array; from: number; to: number } = { t: EMPTY, v: EMPTY, from: 0, to: 0 };
  const kctx = { rangeStartMs: 0, rangeEndMs: 0, evalTimeMs: 0, scalars: sc, labels: NO_LABELS, annotations: ev.ctx.annotations };
  for (const s of arg.series) {
    ev.ctx.check();
    const t = s.t;
    window.t = t;
    window.v = s.v;
    kctx.labels = s.labels;
    let v: Float64Array | undefined;
    let has: Uint8Array | undefined;
    let from = 0;
    let to = 0;
    for (let i = 0; i < n; i++) {
      const stepTs = ts[i] as number;
      const end = (atMs ?? stepTs) - offsetMs;
      const start = end - rangeMs;
      if (atMs === undefined) {
        from = upperBoundFrom(t, start - before, from);
        to = upperBoundFrom(t, end + after, to < from ? from : to);
      } else {
        from = upperBound(t, start - before);
        to = upperBound(t, end + after, from);
      }
      if (to <= from) continue;
      samples.peek(to - from);
      window.from = from;
      window.to = to;
      kctx.rangeStartMs = start;
      kctx.rangeEndMs = end;
      kctx.evalTimeMs = stepTs;
      for (let k = 0; k < ns; k++) sc[k] = (scalars[k] as StepScalar)[i] as number;
      const r = kernel(window, kctx);
      if (r === undefined) continue;
      if (v === undefined || has === undefined) {
        v = allocValues(n);
        has = allocFlags(n);
      }
      has[i] = 1;
      v[i] = r;
    }
    if (v === undefined || has === undefined) continue;
    const key = labelsKey(s.labels);
    const id = dropsName || s.dropName === true ? withoutName(s.labels, key, delayed) : { labels: s.labels, key, dropName: false };
    out.push({ labels: id.labels, key: id.key, v, has, dropName: id.dropName });
    const metric = s.labels.__name__;
    if (isRate && metric !== undefined && metric !== '' && !COUNTER_SUFFIXES.some((x) => metric.endsWith(x))) {
      ev.ctx.annotations.info(`metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${JSON.stringify(metric)}`);
    }
  }
  return delayed ? out : mergeSameLabels(out, true);
}
