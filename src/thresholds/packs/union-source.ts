/**
 * One SeriesSource over every tenant's store, for rule packs evaluated once for all tenants
 * (`x > on(tenant) group_left thr`). Each series gets `tenant=<id of the store it came from>`,
 * replacing a `tenant` label the data carried, so a tenant cannot write series that pass for
 * another's. Matchers on `tenant` are answered from the tenant ids before any store is asked
 * (stores of other tenants are never touched); the other matchers go to each store, which answers
 * an absent metric name from its postings at almost no cost, so a selector for a metric that most
 * of 1,000 tenants lack stays cheap. Results are merged into label order, as storage.Querier
 * promises; two series of one store that become equal once relabelled are merged sample by sample
 * (Prometheus' storage.ChainedSeriesMerge: the first series wins at equal timestamps).
 *
 * Rules ask the same selectors (the same parsed matcher arrays) every evaluation, so per matcher
 * array the union keeps the matchers it hands the stores (one array each time: the stores' own
 * match caches hit) and the label order of its last answer (reused while the stores return the
 * same series in the same order, an identity check instead of a sort over every tenant's series).
 *
 * At 1,000 tenants a selector is 1,000 store reads, so the per-tenant path allocates as little as
 * it can: a store PackTenants hands out synchronously is read without awaiting its lookup, and the
 * answer is gathered in flat arrays (no object per series) until the output is built.
 */
import { compareStrings } from '../../core/labels.js';
import { isStaleNaN, writeStaleNaN } from '../../core/stale-nan.js';
import type { Labels } from '../../core/labels.js';
import type { Matcher } from '../../core/matcher.js';
import type { Logger } from '../../core/runtime.js';
import { NOOP_LOGGER } from '../../core/runtime.js';
import type { SelectHints, SeriesSource, StoredSeries } from '../../promql/index.js';
import { TENANT_LABEL } from './tenants.js';
import type { TenantRouter } from './tenants.js';

/** Stores read at the same time by one select (the embedded stores answer at once; remote ones do not). */
export const DEFAULT_UNION_CONCURRENCY = 16;

export interface UnionSourceOptions {
  readonly router: TenantRouter;
  readonly concurrency?: number;
  readonly logger?: Logger;
  /** A store whose select failed for another reason than the query's abort (its series are left out). */
  readonly onStoreError?: (tenant: string, error: unknown) => void;
}

/** A relabelled series' labels and their sorted pairs, kept per label object the store hands out. */
interface Relabelled {
  readonly tenant: string;
  readonly labels: Labels;
  readonly pairs: readonly (readonly [string, string])[];
  /**
   * `name\0value\0...` over the sorted pairs: comparing keys with `<` orders label sets as
   * labels.Compare does, unless a name or value holds a character the key cannot order that way
   * (NUL, or a UTF-16 surrogate, which `<` puts before U+E000-U+FFFF); then `key` is undefined.
   */
  readonly key: string | undefined;
}

interface Entry {
  readonly r: Relabelled;
  t: Float64Array;
  v: Float64Array;
}

/** One answer gathered over every tenant: per series, its relabelled set and samples (parallel arrays). */
interface Gathered {
  readonly rs: Relabelled[];
  readonly ts: Float64Array[];
  readonly vs: Float64Array[];
}

/** A matcher array split into its `tenant` matchers and the rest (the array the stores are asked with). */
interface SplitMatchers {
  readonly onTenant: readonly Matcher[];
  readonly rest: readonly Matcher[];
}

/** The series of the last answer for one matcher array, as gathered and as sorted (indexes into gathered). */
interface LastOrder {
  readonly gathered: readonly Relabelled[];
  readonly order: Uint32Array;
}

/** Every tenant's store as one SeriesSource with a `tenant` label on each series. */
export class UnionSeriesSource implements SeriesSource {
  private readonly concurrency: number;
  private readonly logger: Logger;
  /** Stores return the same labels object for a series every time: the relabelled set is built once. */
  private readonly relabelled = new WeakMap<Labels, Relabelled>();
  private readonly splits = new WeakMap<readonly Matcher[], SplitMatchers>();
  private readonly orders = new WeakMap<readonly Matcher[], LastOrder>();

  constructor(private readonly opts: UnionSourceOptions) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_UNION_CONCURRENCY));
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  async select(matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<readonly StoredSeries[]> {
    if (signal.aborted) throw signal.reason as Error;
    const { onTenant, rest } = this.split(matchers);
    const tenants = selectTenants(await this.opts.router.list(), onTenant);
    if (tenants.length === 0) return [];
    const perTenant = await this.fanOut(tenants, rest, hints, signal);
    const g: Gathered = { rs: [], ts: [], vs: [] };
    for (let i = 0; i < tenants.length; i++) {
      const found = perTenant[i];
      if (!found) continue;
      const tenant = tenants[i] as string;
      for (const s of found) {
        g.rs.push(this.relabel(s.labels, tenant));
        g.ts.push(s.t);
        g.vs.push(s.v);
      }
    }
    const last = this.orders.get(matchers);
    if (last && sameSeries(last.gathered, g.rs)) return inOrder(g, last.order);
    const order = sortedOrder(g.rs);
    // An order is kept only when no two series merged: then it is a permutation the next answer can reuse.
    if (distinct(g.rs, order)) {
      this.orders.set(matchers, { gathered: g.rs, order });
      return inOrder(g, order);
    }
    this.orders.delete(matchers);
    return mergeSorted(g.rs.map((r, i) => ({ r, t: g.ts[i] as Float64Array, v: g.vs[i] as Float64Array })));
  }

  private split(matchers: readonly Matcher[]): SplitMatchers {
    const known = this.splits.get(matchers);
    if (known) return known;
    const onTenant: Matcher[] = [];
    const rest: Matcher[] = [];
    for (const m of matchers) (m.name === TENANT_LABEL ? onTenant : rest).push(m);
    const split = { onTenant, rest };
    this.splits.set(matchers, split);
    return split;
  }

  /** Each tenant's answer, in the order of `tenants` (undefined for a store that failed). */
  private async fanOut(tenants: readonly string[], matchers: readonly Matcher[], hints: SelectHints, signal: AbortSignal): Promise<(readonly StoredSeries[] | undefined)[]> {
    const out = new Array<readonly StoredSeries[] | undefined>(tenants.length);
    const stores = this.opts.router.tenants;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tenants.length) {
        const i = next++;
        const tenant = tenants[i] as string;
        try {
          const found = stores.source(tenant);
          const src = found instanceof Promise ? await found : found;
          out[i] = await src.select(matchers, hints, signal);
        } catch (e) {
          if (signal.aborted) throw e;
          this.logger.warn({ tenant, err: e instanceof Error ? e.message : String(e) }, 'rule packs: reading a tenant store failed; its series are left out of this query');
          this.opts.onStoreError?.(tenant, e);
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let k = 0; k < Math.min(this.concurrency, tenants.length); k++) workers.push(worker());
    await Promise.all(workers);
    return out;
  }

  private relabel(labels: Labels, tenant: string): Relabelled {
    const known = this.relabelled.get(labels);
    if (known && known.tenant === tenant) return known;
    const out: Record<string, string> = {};
    const names = Object.keys(labels);
    if (labels[TENANT_LABEL] === undefined) names.push(TENANT_LABEL);
    names.sort(compareStrings);
    const pairs: (readonly [string, string])[] = [];
    let key = '';
    let orderable = true;
    for (const n of names) {
      const v = n === TENANT_LABEL ? tenant : (labels[n] as string);
      out[n] = v;
      pairs.push([n, v]);
      key += `${n}\u0000${v}\u0000`;
      if (orderable && (unorderable(n) || unorderable(v))) orderable = false;
    }
    const r: Relabelled = { tenant, labels: labels[TENANT_LABEL] === tenant ? labels : Object.freeze(out), pairs, key: orderable ? key : undefined };
    this.relabelled.set(labels, r);
    return r;
  }
}

/** The tenants every tenant matcher accepts (an equality matcher is a set lookup, not a scan). */
export function selectTenants(tenants: readonly string[], matchers: readonly Matcher[]): readonly string[] {
  if (matchers.length === 0) return tenants;
  const eq = matchers.find((m) => m.type === '=');
  const candidates = eq ? (tenants.includes(eq.value) ? [eq.value] : []) : tenants;
  return candidates.filter((t) => matchers.every((m) => m.matches(t)));
}

/** True when `s` holds NUL or a UTF-16 surrogate (see Relabelled.key). */
function unorderable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

function compareRelabelled(a: Relabelled, b: Relabelled): number {
  const ka = a.key;
  const kb = b.key;
  if (ka !== undefined && kb !== undefined) return ka < kb ? -1 : ka > kb ? 1 : 0;
  return comparePairs(a.pairs, b.pairs);
}

/** Go's labels.Compare over sorted pairs. */
function comparePairs(a: Relabelled['pairs'], b: Relabelled['pairs']): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i] as readonly [string, string];
    const [bn, bv] = b[i] as readonly [string, string];
    if (an !== bn) return compareStrings(an, bn);
    if (av !== bv) return compareStrings(av, bv);
  }
  return a.length - b.length;
}

/** True when `rs` are the series of `gathered`, the same objects in the same order. */
function sameSeries(gathered: readonly Relabelled[], rs: readonly Relabelled[]): boolean {
  if (gathered.length !== rs.length) return false;
  for (let i = 0; i < rs.length; i++) if (gathered[i] !== rs[i]) return false;
  return true;
}

/** Indexes of `rs` in label order. */
function sortedOrder(rs: readonly Relabelled[]): Uint32Array {
  const order = new Uint32Array(rs.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => compareRelabelled(rs[a] as Relabelled, rs[b] as Relabelled));
}

/** True when no two neighbours in `order` have equal labels. */
function distinct(rs: readonly Relabelled[], order: Uint32Array): boolean {
  for (let i = 1; i < order.length; i++) {
    if (compareRelabelled(rs[order[i - 1] as number] as Relabelled, rs[order[i] as number] as Relabelled) === 0) return false;
  }
  return true;
}

function inOrder(g: Gathered, order: Uint32Array): StoredSeries[] {
  const out = new Array<StoredSeries>(order.length);
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    out[i] = { labels: (g.rs[k] as Relabelled).labels, t: g.ts[k] as Float64Array, v: g.vs[k] as Float64Array };
  }
  return out;
}

/** Sorts by labels and merges series that ended up with equal labels. */
function mergeSorted(entries: Entry[]): StoredSeries[] {
  entries.sort((a, b) => compareRelabelled(a.r, b.r));
  const out: StoredSeries[] = [];
  let prev: Entry | undefined;
  for (const e of entries) {
    if (prev && compareRelabelled(prev.r, e.r) === 0) {
      const merged = mergeSamples(prev, e);
      prev.t = merged.t;
      prev.v = merged.v;
      out[out.length - 1] = { labels: prev.r.labels, t: prev.t, v: prev.v };
      continue;
    }
    prev = e;
    out.push({ labels: e.r.labels, t: e.t, v: e.v });
  }
  return out;
}

/** Both series' samples in time order; at an equal timestamp the first series' sample is kept. */
function mergeSamples(a: { t: Float64Array; v: Float64Array }, b: { t: Float64Array; v: Float64Array }): { t: Float64Array; v: Float64Array } {
  const t = new Float64Array(a.t.length + b.t.length);
  const v = new Float64Array(t.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.t.length || j < b.t.length) {
    const ta = i < a.t.length ? (a.t[i] as number) : Infinity;
    const tb = j < b.t.length ? (b.t[j] as number) : Infinity;
    const fromA = ta <= tb;
    const x = fromA ? (a.v[i] as number) : (b.v[j] as number);
    t[n] = fromA ? ta : tb;
    if (isStaleNaN(x)) writeStaleNaN(v, n);
    else v[n] = x;
    n++;
    if (fromA) {
      i++;
      if (ta === tb) j++;
    } else j++;
  }
  return { t: t.subarray(0, n), v: v.subarray(0, n) };
}
