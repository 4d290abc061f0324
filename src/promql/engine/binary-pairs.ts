/**
 * Vector matching for vector/vector operators: match signatures, result labels (resultMetric) and
 * the step-invariant fast path for pairings that cannot fail at any step.
 */
import { compareStrings } from '../../core/labels.js';
import type { Labels } from '../../core/labels.js';
import type { BinaryExpr, VectorMatching } from '../ast.js';
import { ARITHMETIC, COMPARISON, scalarBinop } from './binary-ops.js';
import { dropMetricName, labelsKey, newSeries } from './series.js';
import type { StepSeries, StepVector } from './series.js';

/** What the per-operation helpers need from the evaluation. */
export interface OpCtx {
  readonly n: number;
  readonly numSigs: number;
  readonly delayed: boolean;
  check(): void;
}

/** Signatures of frozen label sets for the last matching they were asked for (see signatureOf). */
const signatures = new WeakMap<Labels, { readonly cfg: string; readonly sig: string }>();

/**
 * A function giving each series' match signature (the matched labels' name/value pairs in name
 * order). Built once per operation: with `on` the few listed labels are looked up directly in
 * name order instead of sorting every series' label names. Signatures of frozen label sets (the
 * sources' series) are remembered, since rules and dashboards repeat the same operations.
 */
export function signatureOf(m: VectorMatching): (labels: Labels) => string {
  const cfg = JSON.stringify([m.on, m.matchingLabels]);
  const compute = m.on ? onSignature([...new Set(m.matchingLabels)].sort(compareStrings)) : ignoringSignature(m.matchingLabels);
  return (labels) => {
    if (!Object.isFrozen(labels)) return compute(labels);
    const known = signatures.get(labels);
    if (known !== undefined && known.cfg === cfg) return known.sig;
    const sig = compute(labels);
    signatures.set(labels, { cfg, sig });
    return sig;
  };
}

function onSignature(names: readonly string[]): (labels: Labels) => string {
  return (labels) => {
    let out = '';
    for (const n of names) {
      const v = labels[n];
      if (v !== undefined) out += n + '\xff' + v + '\xff';
    }
    return out;
  };
}

function ignoringSignature(ignored: readonly string[]): (labels: Labels) => string {
  return (labels) => {
    let out = '';
    const names = Object.keys(labels).sort(compareStrings);
    for (const n of names) if (n !== '__name__' && !ignored.includes(n)) out += n + '\xff' + (labels[n] as string) + '\xff';
    return out;
  };
}

/** The labels a match group is identified by, for error messages. */
export function matchLabels(labels: Labels, m: VectorMatching): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (m.on ? m.matchingLabels.includes(k) : k !== '__name__' && !m.matchingLabels.includes(k)) out[k] = v;
  }
  return out;
}

/** Labels of an output sample of `l op r` (resultMetric). */
export function resultLabels(l: Labels, r: Labels, e: BinaryExpr, m: VectorMatching, delayed: boolean): Labels {
  const drop = (e.returnBool && !delayed) || ARITHMETIC.has(e.op);
  const base = drop ? dropMetricName(l) : l;
  // Built by filtering rather than copy-and-delete: `delete` turns objects into slow dictionaries.
  const out: Record<string, string> = {};
  for (const k of Object.keys(base)) {
    if (m.card === 'one-to-one' && (m.on ? !m.matchingLabels.includes(k) : m.matchingLabels.includes(k))) continue;
    if (m.include.includes(k)) {
      const v = r[k];
      if (v === undefined || v === '') continue;
    }
    out[k] = base[k] as string;
  }
  for (const name of m.include) {
    const v = r[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}

/** Result labels of frozen lhs/rhs pairs, per lhs label set, for the operation `cfg` names. */
const pairs = new WeakMap<Labels, { readonly r: Labels; readonly cfg: string; readonly labels: Labels; readonly key: string }>();

/** What resultLabels depends on besides the two label sets. */
function resultConfig(e: BinaryExpr, m: VectorMatching, delayed: boolean): string {
  const drop = (e.returnBool && !delayed) || ARITHMETIC.has(e.op);
  return JSON.stringify([drop, m.card, m.on, m.matchingLabels, m.include]);
}

/**
 * resultLabels with its key. For frozen inputs (the sources' series and their name-dropped
 * copies) the frozen result is remembered, so repeated queries skip building labels and keys.
 */
function pairLabels(l: Labels, r: Labels, e: BinaryExpr, m: VectorMatching, delayed: boolean, cfg: string): { labels: Labels; key: string } {
  const cacheable = Object.isFrozen(l) && Object.isFrozen(r);
  if (cacheable) {
    const known = pairs.get(l);
    if (known !== undefined && known.r === r && known.cfg === cfg) return known;
  }
  const labels = resultLabels(l, r, e, m, delayed);
  if (!cacheable) return { labels, key: labelsKey(labels) };
  const frozen = Object.freeze(labels);
  const entry = { r, cfg, labels: frozen, key: labelsKey(frozen) };
  pairs.set(l, entry);
  return entry;
}

/**
 * The usual case of vector matching without per-step work: every signature has at most one rhs
 * series, one-to-one matching has at most one lhs series per signature, and all output label sets
 * differ. Then no step can raise a matching error, each lhs series pairs with a fixed rhs series,
 * and output labels are worked out once per pair. Returns undefined when any condition fails (the
 * step-by-step path then finds and reports the error exactly as Prometheus does).
 */
export function fixedPairs(
  e: BinaryExpr,
  m: VectorMatching,
  lhs: StepVector,
  rhs: StepVector,
  lsig: Int32Array,
  rsig: Int32Array,
  c: OpCtx,
  swapped: boolean,
): StepVector | undefined {
  const rightOf = new Int32Array(c.numSigs).fill(-1);
  for (let j = 0; j < rhs.length; j++) {
    const sig = rsig[j] as number;
    if (rightOf[sig] !== -1) return undefined;
    rightOf[sig] = j;
  }
  const leftSeen = m.card === 'one-to-one' ? new Uint8Array(c.numSigs) : undefined;
  const keys = new Set<string>();
  const cfg = resultConfig(e, m, c.delayed);
  const matched: Array<{ li: number; ri: number; labels: Labels; key: string }> = [];
  for (let li = 0; li < lhs.length; li++) {
    const sig = lsig[li] as number;
    const ri = rightOf[sig] as number;
    if (ri < 0) continue;
    if (leftSeen !== undefined) {
      if (leftSeen[sig]) return undefined;
      leftSeen[sig] = 1;
    }
    const { labels, key } = pairLabels((lhs[li] as StepSeries).labels, (rhs[ri] as StepSeries).labels, e, m, c.delayed, cfg);
    if (keys.has(key)) return undefined;
    keys.add(key);
    matched.push({ li, ri, labels, key });
  }
  const { n } = c;
  const op = e.op;
  const cmp = COMPARISON.has(op);
  const made: Array<{ s: StepSeries; first: number }> = [];
  for (let p = 0; p < matched.length; p++) {
    if (p % 256 === 0) c.check();
    const { li, ri, labels, key } = matched[p] as (typeof matched)[number];
    const ls = lhs[li] as StepSeries;
    const rs = rhs[ri] as StepSeries;
    let o: StepSeries | undefined;
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (!ls.has[i] || !rs.has[i]) continue;
      const lv = ls.v[i] as number;
      const rv = rs.v[i] as number;
      const a = swapped ? rv : lv;
      const b = swapped ? lv : rv;
      // vectorElemBinop without its tuple: a comparison keeps the (unswapped) lhs value when true.
      const raw = scalarBinop(op, a, b);
      const keep = !cmp || raw === 1;
      if (!keep && !e.returnBool) continue;
      const val = e.returnBool ? (keep ? 1 : 0) : cmp ? a : raw;
      if (o === undefined) {
        o = newSeries(labels, n, key, e.returnBool);
        first = i;
      }
      o.has[i] = 1;
      o.v[i] = val;
    }
    if (o !== undefined) made.push({ s: o, first });
  }
  // The step-by-step path lists series by the step they first appear at, then in lhs order.
  made.sort((x, y) => x.first - y.first);
  return made.map((x) => x.s);
}
