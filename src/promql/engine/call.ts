/**
 * Function calls: the engine's own functions (time, vector, scalar, timestamp, absent,
 * absent_over_time) and the kernels of ../functions driven over all steps: range kernels per
 * series and window, element kernels per sample, vector kernels per step.
 */
import type { Labels } from '../../core/labels.js';
import type { Call, Expr } from '../ast.js';
import { exprType } from '../ast.js';
import type { ElementKernel, FunctionImpl, KernelSample, VectorKernel } from '../functions/types.js';
import type { Evaluating, RangeArg } from './context.js';
import { upperBound } from './context.js';
import { execError } from './errors.js';
import { extendedKernel, rangeArgMode, windowReach } from './extended-range.js';
import { evalInfo } from './info.js';
import { rangeCall, scalarArgs } from './range-call.js';
import { selectVector } from './selector.js';
import { Collector, labelsKey, mergeSameLabels, newSeries, withoutName } from './series.js';
import type { StepScalar, StepSeries, StepVector } from './series.js';

const SORT_FUNCS = new Set(['sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc']);

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr') e = e.expr;
  return e;
}

function implOf(ev: Evaluating, e: Call): FunctionImpl {
  const impl = ev.ctx.impls.functions.get(e.func.name);
  if (impl === undefined) throw execError(`function "${e.func.name}" is not implemented`);
  return impl;
}

/** Labels exactly fixed by a selector's equality matchers (createLabelsForAbsentFunction). */
export function absentLabels(e: Expr): Labels {
  const inner = unwrap(e);
  const vs = inner.kind === 'VectorSelector' ? inner : inner.kind === 'MatrixSelector' ? inner.vectorSelector : undefined;
  if (vs === undefined) return {};
  const out: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of vs.matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      out[m.name] = m.value;
      has.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  return out;
}

function elementAsScalar(kernel: ElementKernel): (args: readonly number[]) => number {
  return (args) => kernel(NaN, args, 0);
}

/** A call whose result is a scalar: time(), scalar(v), and scalar kernels such as pi(). */
export function callScalar(ev: Evaluating, e: Call): StepScalar {
  const { n, ts } = ev.grid;
  const out = new Float64Array(n);
  switch (e.func.name) {
    case 'time':
      for (let i = 0; i < n; i++) out[i] = (ts[i] as number) / 1000;
      return out;
    case 'scalar': {
      const vec = ev.vector(e.args[0] as Expr);
      for (let i = 0; i < n; i++) {
        let found = 0;
        let v = NaN;
        for (const s of vec) {
          if (!s.has[i]) continue;
          found++;
          v = s.v[i] as number;
        }
        out[i] = found === 1 ? v : NaN;
      }
      return out;
    }
  }
  const impl = ev.ctx.impls.functions.get(e.func.name);
  const fn = ev.ctx.impls.scalars.get(e.func.name) ?? (impl?.kind === 'element' ? elementAsScalar(impl.kernel) : undefined);
  if (fn === undefined) throw execError(`function "${e.func.name}" is not implemented`);
  const args = e.args.map((a) => ev.scalar(a));
  const sc: number[] = new Array<number>(args.length);
  for (let i = 0; i < n; i++) {
    args.forEach((a, k) => (sc[k] = a[i] as number));
    out[i] = fn(sc);
  }
  return out;
}

/** A call whose result is an instant vector. */
export function callVector(ev: Evaluating, e: Call): StepVector {
  const { n } = ev.grid;
  const name = e.func.name;
  if (SORT_FUNCS.has(name) && ev.grid.start !== ev.grid.end) {
    ev.ctx.annotations.warn('sort is ineffective for range queries since results are always ordered by labels');
  }
  const matrixIdx = e.args.findIndex((a) => exprType(a) === 'matrix');
  const mode = matrixIdx >= 0 ? rangeArgMode(e.args[matrixIdx] as Expr) : undefined;
  if (mode !== undefined) {
    // Every function the modifiers allow (rate, increase, delta, changes, resets) drops the name.
    return rangeCall(ev, e, matrixIdx, extendedKernel(mode, name), true, windowReach(mode, ev.ctx.lookbackMs));
  }
  switch (name) {
    case 'vector': {
      const sc = ev.scalar(e.args[0] as Expr);
      const s = newSeries({}, n);
      s.has.fill(1);
      s.v.set(sc);
      return [s];
    }
    case 'timestamp':
      return timestampCall(ev, e.args[0] as Expr);
    case 'absent': {
      const vec = ev.vector(e.args[0] as Expr);
      const s = newSeries(absentLabels(e.args[0] as Expr), n);
      for (let i = 0; i < n; i++) {
        if (vec.some((x) => x.has[i])) continue;
        s.has[i] = 1;
        s.v[i] = 1;
      }
      return s.has.includes(1) ? [s] : [];
    }
    case 'absent_over_time':
      return absentOverTime(ev, e);
    case 'info':
      return evalInfo(ev, e);
  }
  const impl = implOf(ev, e);
  if (matrixIdx >= 0) {
    if (impl.kind !== 'range') throw execError(`function "${name}" has no range kernel`);
    return rangeCall(ev, e, matrixIdx, impl.kernel, impl.dropsName);
  }
  if (impl.kind === 'element') return elementCall(ev, e, impl.kernel, impl.dropsName);
  if (impl.kind === 'vector') return vectorCall(ev, e, impl.kernel);
  throw execError(`function "${name}" is not implemented`);
}

function timestampCall(ev: Evaluating, arg: Expr): StepVector {
  const inner = unwrap(arg);
  let vec: StepVector;
  if (inner.kind === 'VectorSelector') {
    vec = selectVector(ev.ctx, ev.grid, inner, true);
  } else {
    vec = ev.vector(arg).map((s) => {
      const o = newSeries(s.labels, ev.grid.n, s.key);
      o.has.set(s.has);
      for (let i = 0; i < ev.grid.n; i++) o.v[i] = (ev.grid.ts[i] as number) / 1000;
      return o;
    });
  }
  const delayed = ev.ctx.delayedNameRemoval;
  const out = vec.map((s) => ({ ...withoutName(s.labels, s.key, delayed), v: s.v, has: s.has }));
  return delayed ? out : mergeSameLabels(out);
}

/** Step i's window (end - range, end] of a range argument. */
function windowEnd(arg: RangeArg, stepTs: number): number {
  return (arg.atMs ?? stepTs) - arg.offsetMs;
}

function absentOverTime(ev: Evaluating, e: Call): StepVector {
  const { n, ts } = ev.grid;
  const arg = ev.rangeArg(e.args[0] as Expr);
  const found = new Uint8Array(n);
  for (const s of arg.series) {
    for (let i = 0; i < n; i++) {
      if (found[i]) continue;
      const end = windowEnd(arg, ts[i] as number);
      const from = upperBound(s.t, end - arg.rangeMs);
      if (upperBound(s.t, end, from) > from) found[i] = 1;
    }
  }
  if (!found.includes(0)) return [];
  const out = newSeries(absentLabels(e.args[0] as Expr), n);
  for (let i = 0; i < n; i++) {
    if (found[i]) continue;
    out.has[i] = 1;
    out.v[i] = 1;
  }
  return [out];
}

function vectorArgIndex(e: Call): number {
  return e.args.findIndex((a) => exprType(a) === 'vector');
}

function elementCall(ev: Evaluating, e: Call, kernel: ElementKernel, dropsName: boolean): StepVector {
  const { n, ts } = ev.grid;
  const vi = vectorArgIndex(e);
  const scalars = scalarArgs(ev, e.args, vi);
  let input: StepVector;
  if (vi >= 0) {
    input = ev.vector(e.args[vi] as Expr);
  } else {
    const s = newSeries({}, n);
    s.has.fill(1);
    for (let i = 0; i < n; i++) s.v[i] = (ts[i] as number) / 1000;
    input = [s];
  }
  const sc: number[] = new Array<number>(scalars.length);
  const out: StepVector = [];
  for (const s of input) {
    const id = dropsName ? withoutName(s.labels, s.key, ev.ctx.delayedNameRemoval) : s;
    const o = newSeries(id.labels, n, id.key, id.dropName);
    for (let i = 0; i < n; i++) {
      if (!s.has[i]) continue;
      scalars.forEach((a, k) => (sc[k] = a[i] as number));
      o.has[i] = 1;
      o.v[i] = kernel(s.v[i] as number, sc, ts[i] as number);
    }
    out.push(o);
  }
  return ev.ctx.delayedNameRemoval ? out : mergeSameLabels(out);
}

function vectorCall(ev: Evaluating, e: Call, kernel: VectorKernel): StepVector {
  const { n, ts } = ev.grid;
  const vi = vectorArgIndex(e);
  const scalars = scalarArgs(ev, e.args, vi);
  const strings = e.args.flatMap((a) => {
    const x = unwrap(a);
    return x.kind === 'StringLiteral' ? [x.value] : [];
  });
  const input = vi >= 0 ? ev.vector(e.args[vi] as Expr) : [];
  const byLabels = new Map<Labels, StepSeries>(input.map((s) => [s.labels, s]));
  const setsName = (e.func.name === 'label_replace' || e.func.name === 'label_join') && strings[0] === '__name__';
  const out = new Collector(n);
  const sc: number[] = new Array<number>(scalars.length);
  for (let i = 0; i < n; i++) {
    if (i % 64 === 0) ev.ctx.check();
    const samples: KernelSample[] = [];
    const from: StepSeries[] = [];
    for (const s of input) {
      if (!s.has[i]) continue;
      samples.push({ labels: s.labels, v: s.v[i] as number });
      from.push(s);
    }
    scalars.forEach((a, k) => (sc[k] = a[i] as number));
    const res = kernel(samples, { evalTimeMs: ts[i] as number, scalars: sc, strings, annotations: ev.ctx.annotations });
    if (res instanceof Error) throw execError(res.message);
    res.forEach((r, j) => {
      const src = byLabels.get(r.labels) ?? (res.length === from.length ? from[j] : undefined);
      const key = src?.labels === r.labels ? src.key : labelsKey(r.labels);
      const dropName = r.keepName === true && !setsName && src?.dropName === true;
      out.add(r.labels, key, i, r.v, dropName);
    });
  }
  return out.list;
}
