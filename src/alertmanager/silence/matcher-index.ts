/**
 * Finds the silences that could match a label set without testing every silence. Each silence is
 * filed under one label name and the values it requires there: a `name="value"` matcher (non-empty
 * value, `alertname` preferred) or a `name=~"a|b|c"` matcher of literal alternatives. An alert can
 * only match the silence when it carries one of those values. Failing that, a silence with a
 * positive regex that has a literal prefix (`host-1[0-9]+`) is filed under that prefix, found by one
 * lookup per distinct prefix length. The rest (other regexes, negative matchers only) sit in a list
 * that is always scanned, with RE2-sparing matcher plans.
 * This plays the role of upstream's version index (silence/silence.go QSince), which spares the
 * Silencer a full scan.
 */
import type { Labels } from '../../core/labels.js';
import { MatcherPlan, literalAlternatives, literalPrefix } from './matcher-plan.js';
import type { Silence } from './types.js';

/** A silence with its compiled matcher plan. */
export interface IndexedSilence {
  readonly silence: Silence;
  readonly plan: MatcherPlan;
}

type Bucket = Map<string, IndexedSilence>;

interface Home {
  readonly kind: 'eq' | 'prefix' | 'none';
  readonly name?: string;
  readonly values?: readonly string[];
}

/** Silences filed by a required value prefix of one label. */
interface PrefixTable {
  /** Distinct prefix lengths, ascending. */
  lengths: number[];
  readonly byPrefix: Map<string, Bucket>;
}

/** Silences indexed by the values of one required label each. */
export class SilenceIndex {
  /** label name -> label value -> silence id -> silence */
  private readonly byEq = new Map<string, Map<string, Bucket>>();
  /** label name -> silences by required value prefix */
  private readonly byPrefix = new Map<string, PrefixTable>();
  /** Silences with nothing to file them under. */
  private readonly unindexed: Bucket = new Map();
  /** Where each silence is filed, for removal. */
  private readonly home = new Map<string, Home>();

  get size(): number {
    return this.home.size;
  }

  /** Files a silence (replacing an earlier version with the same id). */
  add(s: Silence): void {
    this.remove(s.id);
    const entry: IndexedSilence = { silence: s, plan: new MatcherPlan(s.matchers) };
    const key = indexKey(s);
    if (key === undefined) {
      const p = prefixKey(s);
      if (p === undefined) {
        this.unindexed.set(s.id, entry);
        this.home.set(s.id, { kind: 'none' });
        return;
      }
      let table = this.byPrefix.get(p.name);
      if (!table) {
        table = { lengths: [], byPrefix: new Map() };
        this.byPrefix.set(p.name, table);
      }
      let bucket = table.byPrefix.get(p.prefix);
      if (!bucket) {
        bucket = new Map();
        table.byPrefix.set(p.prefix, bucket);
        if (!table.lengths.includes(p.prefix.length)) table.lengths = [...table.lengths, p.prefix.length].sort((a, b) => a - b);
      }
      bucket.set(s.id, entry);
      this.home.set(s.id, { kind: 'prefix', name: p.name, values: [p.prefix] });
      return;
    }
    let values = this.byEq.get(key.name);
    if (!values) {
      values = new Map();
      this.byEq.set(key.name, values);
    }
    for (const v of key.values) {
      let bucket = values.get(v);
      if (!bucket) {
        bucket = new Map();
        values.set(v, bucket);
      }
      bucket.set(s.id, entry);
    }
    this.home.set(s.id, { kind: 'eq', name: key.name, values: key.values });
  }

  /** Removes a silence if filed. */
  remove(id: string): void {
    const h = this.home.get(id);
    if (!h) return;
    this.home.delete(id);
    if (h.kind === 'none' || h.name === undefined || h.values === undefined) {
      this.unindexed.delete(id);
    } else if (h.kind === 'prefix') {
      const table = this.byPrefix.get(h.name);
      const prefix = h.values[0] as string;
      const bucket = table?.byPrefix.get(prefix);
      bucket?.delete(id);
      if (table && bucket?.size === 0) {
        table.byPrefix.delete(prefix);
        let lengthUsed = false;
        for (const p of table.byPrefix.keys()) {
          if (p.length === prefix.length) {
            lengthUsed = true;
            break;
          }
        }
        if (!lengthUsed) table.lengths = table.lengths.filter((l) => l !== prefix.length);
        if (table.byPrefix.size === 0) this.byPrefix.delete(h.name);
      }
    } else {
      const values = this.byEq.get(h.name);
      if (!values) return;
      for (const v of h.values) {
        const bucket = values.get(v);
        bucket?.delete(id);
        if (bucket?.size === 0) values.delete(v);
      }
      if (values.size === 0) this.byEq.delete(h.name);
    }
  }

  /**
   * Appends to `out` every silence that may match `labels`: a superset of the matching ones, each
   * once (a label has one value, so one bucket per name is hit). Filling a caller's array keeps the
   * hot path free of per-call closures.
   */
  collect(labels: Labels, out: IndexedSilence[]): void {
    for (const [name, values] of this.byEq) {
      const v = labels[name];
      if (v === undefined) continue;
      const bucket = values.get(v);
      if (bucket) for (const s of bucket.values()) out.push(s);
    }
    for (const [name, table] of this.byPrefix) {
      const v = labels[name];
      // A non-empty required prefix never matches an absent label ('').
      if (v === undefined) continue;
      const lengths = table.lengths;
      for (let i = 0; i < lengths.length; i++) {
        const len = lengths[i] as number;
        if (len > v.length) break;
        const bucket = table.byPrefix.get(v.slice(0, len));
        if (bucket) for (const s of bucket.values()) out.push(s);
      }
    }
    for (const s of this.unindexed.values()) out.push(s);
  }
}

function indexKey(s: Silence): { name: string; values: readonly string[] } | undefined {
  let best: { name: string; values: readonly string[] } | undefined;
  let bestAlts: { name: string; values: readonly string[] } | undefined;
  for (const m of s.matchers) {
    if (m.type === '=' && m.value !== '') {
      if (m.name === 'alertname') return { name: m.name, values: [m.value] };
      best ??= { name: m.name, values: [m.value] };
    } else if (m.type === '=~' && bestAlts === undefined) {
      const alts = literalAlternatives(m.value);
      // An alternative '' would match alerts without the label, which no bucket lookup sees.
      if (alts !== undefined && !alts.has('')) bestAlts = { name: m.name, values: [...alts] };
    }
  }
  return best ?? bestAlts;
}

/** A positive regex matcher with a non-empty literal prefix, for silences with no indexKey. */
function prefixKey(s: Silence): { name: string; prefix: string } | undefined {
  let best: { name: string; prefix: string } | undefined;
  for (const m of s.matchers) {
    if (m.type !== '=~') continue;
    const prefix = literalPrefix(m.value);
    if (prefix !== '' && (best === undefined || prefix.length > best.prefix.length)) best = { name: m.name, prefix };
  }
  return best;
}
