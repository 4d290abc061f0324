/**
 * QueryBackend over a SeriesSource evaluated by Herald's own PromQL engine: the embedded store
 * (a tenant's TSDB) in production, a MemorySeriesSource in tests and `herald rules test`.
 * Queries follow Prometheus' EngineQueryFunc (rules/manager.go): an instant query whose vector or
 * scalar result becomes the rule's samples.
 */
import type { Labels } from '../../core/labels.js';
import { isStaleNaN, writeStaleNaN } from '../../core/stale-nan.js';
import { createEngine, formatParseError, MemorySeriesSource, parseExpr, PromQLQueryError } from '../../promql/index.js';
import type { Engine, Expr, QueryLimits, QueryValue, SeriesSource } from '../../promql/index.js';
import type { AppendResult, AppendSeries, TenantTsdb } from '../../tsdb/api.js';
import { FUNCTION_IMPLS } from '../../promql/functions/registry.js';
import { RuleQueryError } from '../api.js';
import type { QueryBackend, RuleSample, RuleSeries } from '../api.js';

/** Writes samples; returns refused ones (out of order, duplicate) without throwing. */
export type SampleAppender = (samples: readonly RuleSample[]) => Promise<{ readonly rejected: number; readonly firstError?: string }>;

const DEFAULT_ENGINE = createEngine(FUNCTION_IMPLS);
/**
 * Parsed expressions kept (first in, first out): above the number of distinct rule expressions of
 * a tenant, so that each evaluation finds its rules' expressions parsed (parsing costs ~100 µs,
 * an AST ~1.3 kB).
 */
const PARSE_CACHE_SIZE = 1 << 16;

/** A QueryBackend evaluating PromQL over `source` and writing through `append`. */
export class LocalQueryBackend implements QueryBackend {
  private readonly parsed = new Map<string, Expr>();

  constructor(
    // Not named `source`: memoryBackend's result adds a public `source`, and a private one would make that type `never`.
    private readonly seriesSource: SeriesSource,
    private readonly appendFn: SampleAppender,
    private readonly engine: Engine = DEFAULT_ENGINE,
    private readonly limits: QueryLimits = {},
  ) {}

  async queryVector(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSample[]> {
    const v = await this.run(expr, timeMs, signal);
    if (v.type === 'vector') return v.samples.map((s) => ({ labels: s.labels, t: s.t, v: s.v }));
    if (v.type === 'scalar') return [{ labels: {}, t: v.t, v: v.v }];
    throw new RuleQueryError('rule result is not a vector or scalar');
  }

  async queryMatrix(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSeries[]> {
    const v = await this.run(expr, timeMs, signal);
    if (v.type !== 'matrix') throw new RuleQueryError(`query result is a ${v.type}, not a range vector`);
    return v.series.map((s) => ({ labels: s.labels, t: Array.from(s.t), v: Array.from(s.v) }));
  }

  append(samples: readonly RuleSample[]): Promise<{ readonly rejected: number; readonly firstError?: string }> {
    return this.appendFn(samples);
  }

  private async run(expr: string, timeMs: number, signal?: AbortSignal): Promise<QueryValue> {
    const ast = this.parse(expr);
    try {
      const r = await this.engine.instantQuery(this.seriesSource, ast, timeMs, signal ? { ...this.limits, signal } : this.limits);
      return r.value;
    } catch (e) {
      if (e instanceof PromQLQueryError) throw new RuleQueryError(e.message);
      throw e;
    }
  }

  private parse(expr: string): Expr {
    const hit = this.parsed.get(expr);
    if (hit) return hit;
    const r = parseExpr(expr);
    if (!r.ok) {
      const first = r.errors[0];
      throw new RuleQueryError(first ? formatParseError(first) : `cannot parse ${JSON.stringify(expr)}`);
    }
    if (this.parsed.size >= PARSE_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(expr, r.expr);
    return r.expr;
  }
}

/** One staleness marker bit for bit, shared by every stale sample written (the store only reads it). */
const STALE_VALUE = staleValue();

function staleValue(): Float64Array {
  const v = new Float64Array(1);
  writeStaleNaN(v, 0);
  return v;
}

/**
 * Rule samples written through a store's append (`TenantTsdb.append` or another of its shape):
 * refused samples are counted, the first one's error kept.
 */
export function storeAppender(append: (batch: readonly AppendSeries[]) => Promise<AppendResult> | AppendResult): SampleAppender {
  return async (samples) => {
    // Stale markers go through a Float64Array (a plain array may lose the NaN payload); other
    // values as plain arrays, which cost far less to allocate than a typed array per sample.
    const r = await append(samples.map((s) => ({ labels: s.labels, t: [s.t], v: isStaleNaN(s.v) ? STALE_VALUE : [s.v] })));
    let rejected = 0;
    for (const x of r.rejected) rejected += x.count;
    const first = r.rejected[0];
    return first ? { rejected, firstError: first.example } : { rejected };
  };
}

/** The embedded store of one tenant as a rule backend. */
export function embeddedBackend(tsdb: TenantTsdb, engine?: Engine, limits?: QueryLimits): LocalQueryBackend {
  return new LocalQueryBackend(
    tsdb,
    storeAppender((batch) => tsdb.append(batch)),
    engine,
    limits,
  );
}

/**
 * An in-memory backend (tests, `herald rules test`): appends land in `source` immediately, and,
 * like the TSDB, a sample older than its series' newest or at the same time with another value is
 * refused (stale markers at an existing time are ignored, as Prometheus does).
 */
export function memoryBackend(source: MemorySeriesSource = new MemorySeriesSource(), engine?: Engine): LocalQueryBackend & { readonly source: MemorySeriesSource } {
  const newest = new Map<string, { t: number; v: number }>();
  const keyOf = (l: Labels): string => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const backend = new LocalQueryBackend(
    source,
    (samples) => {
      let rejected = 0;
      let firstError: string | undefined;
      for (const s of samples) {
        const k = keyOf(s.labels);
        const last = newest.get(k);
        if (last && (s.t < last.t || (s.t === last.t && !Object.is(s.v, last.v) && !(Number.isNaN(s.v) && Number.isNaN(last.v))))) {
          rejected++;
          firstError ??= s.t < last.t ? 'out of order sample' : 'duplicate sample for timestamp';
          continue;
        }
        newest.set(k, { t: s.t, v: s.v });
        if (isStaleNaN(s.v)) source.addStale(s.labels, s.t);
        else source.add(s.labels, s.t, s.v);
      }
      return Promise.resolve(firstError === undefined ? { rejected } : { rejected, firstError });
    },
    engine,
  );
  return Object.assign(backend, { source });
}
