/**
 * The write and alert side of the platform evaluation: rule output computed once over every tenant
 * (UnionSeriesSource) is split back by its `tenant` label. Recording results, ALERTS and
 * ALERTS_FOR_STATE go into that tenant's own store with the label kept (so the tenant's queries,
 * and `for` restore through the union source, see them); alerts go to that tenant's Alertmanager.
 * Outputs without a known tenant go to the platform tenant (TenantRouter).
 */
import type { Engine, QueryLimits } from '../../promql/index.js';
import type { AlertSink, OutgoingAlert, QueryBackend, RuleSample, RuleSeries } from '../../ruler/api.js';
import { LocalQueryBackend } from '../../ruler/backend/index.js';
import type { AppendOutcome, TenantRouter } from './tenants.js';

/** Tenant stores written at the same time by one append. */
export const DEFAULT_APPEND_CONCURRENCY = 8;

export interface SplittingBackendOptions {
  readonly router: TenantRouter;
  /** Usually a UnionSeriesSource over the same router. */
  readonly source: ConstructorParameters<typeof LocalQueryBackend>[0];
  readonly engine?: Engine;
  readonly limits?: QueryLimits;
  readonly concurrency?: number;
}

/** Thrown when writing into some tenants' stores failed (the other tenants' samples were written). */
export class TenantAppendError extends Error {
  constructor(readonly failures: ReadonlyMap<string, unknown>) {
    const [first] = failures;
    const why = first ? `tenant "${first[0]}": ${first[1] instanceof Error ? first[1].message : String(first[1])}` : '';
    super(`writing rule output failed for ${failures.size} tenant(s): ${why}`);
    this.name = 'TenantAppendError';
  }
}

/** Queries over the union of tenants; writes each sample into the store of the tenant it names. */
export class SplittingBackend implements QueryBackend {
  private readonly local: LocalQueryBackend;
  private readonly router: TenantRouter;
  private readonly concurrency: number;

  constructor(opts: SplittingBackendOptions) {
    this.router = opts.router;
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_APPEND_CONCURRENCY));
    this.local = new LocalQueryBackend(opts.source, (samples) => this.split(samples), opts.engine, opts.limits);
  }

  queryVector(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSample[]> {
    return this.local.queryVector(expr, timeMs, signal);
  }

  queryMatrix(expr: string, timeMs: number, signal?: AbortSignal): Promise<RuleSeries[]> {
    return this.local.queryMatrix(expr, timeMs, signal);
  }

  append(samples: readonly RuleSample[]): Promise<AppendOutcome> {
    return this.local.append(samples);
  }

  /**
   * Appends per tenant. Refused samples add up (the first error names its tenant); a tenant whose
   * store cannot be written does not stop the others, and the batch then throws TenantAppendError.
   */
  private async split(samples: readonly RuleSample[]): Promise<AppendOutcome> {
    await this.router.list();
    const byTenant = new Map<string, RuleSample[]>();
    for (const s of samples) {
      const t = this.router.route(s.labels);
      const list = byTenant.get(t);
      if (list) list.push(s);
      else byTenant.set(t, [s]);
    }
    const batches = [...byTenant];
    let rejected = 0;
    let firstError: string | undefined;
    const failures = new Map<string, unknown>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const [tenant, batch] = batches[next++] as [string, RuleSample[]];
        try {
          const r = await this.router.tenants.append(tenant, batch);
          rejected += r.rejected;
          if (r.rejected > 0 && firstError === undefined) firstError = `tenant "${tenant}": ${r.firstError ?? `${r.rejected} samples refused`}`;
        } catch (e) {
          failures.set(tenant, e);
        }
      }
    };
    const workers: Promise<void>[] = [];
    for (let k = 0; k < Math.min(this.concurrency, batches.length); k++) workers.push(worker());
    await Promise.all(workers);
    if (failures.size > 0) throw new TenantAppendError(failures);
    return firstError === undefined ? { rejected } : { rejected, firstError };
  }
}

/**
 * An AlertSink for pack groups: each alert goes to the tenant its `tenant` label names (the
 * platform tenant otherwise), one send per tenant, in the order the alerts came.
 */
export class SplittingAlertSink implements AlertSink {
  constructor(
    private readonly router: TenantRouter,
    private readonly target: AlertSink,
  ) {}

  /** `tenant` (the pack group's own, i.e. the platform tenant) is not used: each alert's label decides. */
  send(_tenant: string, alerts: readonly OutgoingAlert[]): void {
    const byTenant = new Map<string, OutgoingAlert[]>();
    for (const a of alerts) {
      const t = this.router.route(a.labels);
      const list = byTenant.get(t);
      if (list) list.push(a);
      else byTenant.set(t, [a]);
    }
    for (const [t, list] of byTenant) this.target.send(t, list);
  }
}
