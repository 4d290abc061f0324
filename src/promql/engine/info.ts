/**
 * The experimental info() function (Prometheus' promql/info.go): enriches each series of its first
 * argument with the data labels of the info series (target_info, or those the second argument's
 * `__name__` matchers pick) sharing its identifying labels (instance, job).
 *
 * Herald fetches every series before evaluating, so phase one selects the info series by name and
 * data-label matchers only (infoPlan's selector); the restriction to the identifying label values
 * the first argument holds, which upstream puts into its select, is applied here.
 */
import type { Labels } from '../../core/labels.js';
import { mustMatcher } from '../../core/matcher.js';
import type { Matcher } from '../../core/matcher.js';
import type { Call, Expr, VectorSelector } from '../ast.js';
import type { Evaluating } from './context.js';
import { execError } from './errors.js';
import { selectVector } from './selector.js';
import { Collector, labelsKey, labelsString } from './series.js';
import type { StepSeries, StepVector } from './series.js';

const TARGET_INFO = 'target_info';
const IDENTIFYING = ['instance', 'job'] as const;

/** What an info() call selects and matches, worked out once per call node. */
export interface InfoPlan {
  /** The synthetic selector phase one fetches the candidate info series with. */
  readonly selector: VectorSelector;
  /** `__name__` matchers a series must all pass to be an info series (effectiveInfoNameMatchers). */
  readonly names: readonly Matcher[];
  /** The second argument's other matchers by label name: the data labels to copy. */
  readonly data: ReadonlyMap<string, readonly Matcher[]>;
}

const plans = new WeakMap<Call, InfoPlan>();

function unwrap(e: Expr): Expr {
  while (e.kind === 'ParenExpr' || e.kind === 'StepInvariantExpr') e = e.expr;
  return e;
}

/** Positive name matchers as given; only negative ones get `.+_info` in front; none means target_info. */
function effectiveNames(ms: readonly Matcher[]): Matcher[] {
  if (ms.some((m) => m.type === '=' || m.type === '=~')) return [...ms];
  if (ms.length > 0) return [mustMatcher('__name__', '=~', '.+_info'), ...ms];
  return [mustMatcher('__name__', '=', TARGET_INFO)];
}

/**
 * The `@` time and offset the info series are evaluated at: those of the first selector in the
 * first argument, shifted by the offsets of the subqueries around it up to one carrying `@`.
 */
function anchorOf(e: Expr): { at: number | undefined; offset: number } | undefined {
  const path: Expr[] = [];
  const find = (x: Expr): VectorSelector | undefined => {
    if (x.kind === 'VectorSelector') return x;
    if (x.kind === 'MatrixSelector') return x.vectorSelector;
    path.push(x);
    let kids: Expr[] = [];
    if (x.kind === 'AggregateExpr') kids = x.param === undefined ? [x.expr] : [x.param, x.expr];
    else if (x.kind === 'BinaryExpr') kids = [x.lhs, x.rhs];
    else if (x.kind === 'Call') kids = [...x.args];
    else if (x.kind === 'SubqueryExpr' || x.kind === 'ParenExpr' || x.kind === 'UnaryExpr' || x.kind === 'StepInvariantExpr') kids = [x.expr];
    for (const k of kids) {
      const found = find(k);
      if (found !== undefined) return found;
    }
    path.pop();
    return undefined;
  };
  const vs = find(e);
  if (vs === undefined) return undefined;
  let at = vs.timestampMs;
  let offset = vs.offsetMs;
  for (let i = path.length - 1; at === undefined && i >= 0; i--) {
    const n = path[i] as Expr;
    if (n.kind !== 'SubqueryExpr') continue;
    offset += n.offsetMs;
    at = n.timestampMs;
  }
  return { at, offset };
}

/** The selection and matching plan of an info() call (cached per node: both phases use it). */
export function infoPlan(call: Call): InfoPlan {
  const known = plans.get(call);
  if (known !== undefined) return known;
  const arg = call.args[1] === undefined ? undefined : unwrap(call.args[1]);
  const given = arg?.kind === 'VectorSelector' ? arg.matchers : [];
  const nameMatchers = given.filter((m) => m.name === '__name__');
  const data = new Map<string, Matcher[]>();
  for (const m of given) {
    if (m.name === '__name__') continue;
    const list = data.get(m.name);
    if (list === undefined) data.set(m.name, [m]);
    else list.push(m);
  }
  const names = effectiveNames(nameMatchers);
  const anchor = anchorOf(call.args[0] as Expr) ?? { at: undefined, offset: 0 };
  const matchers = [...given.filter((m) => m.name !== '__name__'), ...names];
  const base = { kind: 'VectorSelector' as const, name: '', matchers, offsetMs: anchor.offset, pos: call.pos };
  const selector: VectorSelector = anchor.at === undefined ? base : { ...base, timestampMs: anchor.at };
  const plan = { selector, names, data };
  plans.set(call, plan);
  return plan;
}

function signature(name: string, labels: Labels): string {
  let sig = name;
  for (const l of IDENTIFYING) {
    const v = labels[l];
    if (v !== undefined && v !== '') sig += `\xff${l}\xff${v}`;
  }
  return sig;
}

/** The info series whose identifying labels take values the (non-info) base series have. */
function candidates(ev: Evaluating, plan: InfoPlan, base: StepVector, ignored: readonly boolean[]): StepVector {
  const values = new Map<string, Set<string>>();
  base.forEach((s, k) => {
    if (ignored[k]) return;
    for (const l of IDENTIFYING) {
      const v = s.labels[l];
      if (v === undefined || v === '') continue;
      let set = values.get(l);
      if (set === undefined) values.set(l, (set = new Set()));
      set.add(v);
    }
  });
  if (values.size === 0) return [];
  // Values are the timestamps (s) of the samples picked, as upstream's evalSeries(recordOrigT).
  const all = selectVector(ev.ctx, ev.grid, plan.selector, true);
  return all.filter((s) => [...values].every(([l, set]) => set.has(s.labels[l] ?? '')));
}

/** The newest info sample per signature at step i; two equally new ones are an error. */
function infoAt(info: StepVector, sigs: readonly string[], i: number): Map<string, { s: StepSeries; t: number }> {
  const out = new Map<string, { s: StepSeries; t: number }>();
  info.forEach((s, k) => {
    if (!s.has[i]) return;
    const t = Math.round((s.v[i] as number) * 1000);
    const sig = sigs[k] as string;
    const prev = out.get(sig);
    if (prev === undefined || prev.t < t) out.set(sig, { s, t });
    else if (prev.t === t) {
      throw execError(`found duplicate series for info metric: existing ${labelsString(prev.s.labels)} @ ${prev.t}, new ${labelsString(s.labels)} @ ${t}`);
    }
  });
  return out;
}

/** Evaluates `info(v [, {selector}])` over the grid. */
export function evalInfo(ev: Evaluating, call: Call): StepVector {
  const plan = infoPlan(call);
  const base = ev.vector(call.args[0] as Expr);
  const ignored = base.map((s) => plan.names.every((m) => m.matches(s.labels.__name__ ?? '')));
  const info = candidates(ev, plan, base, ignored);
  const infoNames = [...new Set(info.map((s) => s.labels.__name__ ?? ''))];
  const infoSigs = info.map((s) => signature(s.labels.__name__ ?? '', s.labels));
  const baseSigs = base.map((s) => infoNames.map((name) => signature(name, s.labels)));
  const allMatchEmpty = [...plan.data.values()].every((ms) => ms.every((m) => m.matches('')));
  const out = new Collector(ev.grid.n);
  for (let i = 0; i < ev.grid.n; i++) {
    if (i % 64 === 0) ev.ctx.check();
    const bySig = infoAt(info, infoSigs, i);
    base.forEach((s, k) => {
      if (!s.has[i]) return;
      const v = s.v[i] as number;
      if (ignored[k]) {
        out.add(s.labels, s.key, i, v, s.dropName);
        return;
      }
      const added: Record<string, string> = {};
      let matched = 0;
      for (const sig of baseSigs[k] as string[]) {
        const hit = bySig.get(sig);
        if (hit === undefined) continue;
        matched++;
        for (const name of Object.keys(hit.s.labels).sort()) {
          if (name === '__name__') continue;
          if (plan.data.size > 0 && !plan.data.has(name)) continue;
          const value = hit.s.labels[name] as string;
          const had = added[name];
          if (had !== undefined && had !== '' && had !== value) throw execError(`conflicting label: ${name}`);
          if (s.labels[name] !== undefined) continue;
          added[name] = value;
        }
      }
      if (matched === 0 && !allMatchEmpty) return;
      if (matched === 0) {
        out.add(s.labels, s.key, i, v, s.dropName);
        return;
      }
      const labels: Labels = { ...s.labels, ...added };
      out.add(labels, labelsKey(labels), i, v, s.dropName);
    });
  }
  return out.list;
}
