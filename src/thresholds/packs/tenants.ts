/**
 * How the platform evaluation reaches every tenant's data: the tenants to read, each one's store
 * for reading, and an appender for rule output. A TenantRouter decides which tenant an output
 * (recording sample, ALERTS series, alert) belongs to, from its `tenant` label: a tenant the
 * listing knows, else the platform tenant, so a pack's stray label can never create a store or
 * reach a path that is no tenant.
 */
import type { Labels } from '../../core/labels.js';
import type { SeriesSource } from '../../promql/index.js';
import type { RuleSample } from '../../ruler/api.js';
import { storeAppender } from '../../ruler/backend/local.js';
import type { SampleAppender } from '../../ruler/backend/local.js';
import type { TenantTsdb, TsdbSet } from '../../tsdb/api.js';
import { Head } from '../../tsdb/head.js';

/** The label that names a series' tenant in the platform evaluation. */
export const TENANT_LABEL = 'tenant';
/** Where outputs without a (known) tenant label go unless configured otherwise. */
export const DEFAULT_PLATFORM_TENANT = 'platform';

/** What an append into one tenant's store reports (QueryBackend.append's result). */
export interface AppendOutcome {
  readonly rejected: number;
  readonly firstError?: string;
}

/** Every tenant's store, as the packs see them. */
export interface PackTenants {
  /** The tenants whose data the packs read. Called on every selector: keep it cheap (a cached list). */
  list(): readonly string[] | Promise<readonly string[]>;
  /** The tenant's store for reading; synchronously once it is open (saves an await per tenant and selector). */
  source(tenant: string): SeriesSource | Promise<SeriesSource>;
  /** Writes rule output into the tenant's store; refused samples are counted, transport failures throw. */
  append(tenant: string, samples: readonly RuleSample[]): Promise<AppendOutcome>;
}

/** Routes outputs to tenants by their `tenant` label; remembers the last listing for synchronous callers. */
export class TenantRouter {
  private known: ReadonlySet<string> = new Set();
  private lastList: readonly string[] | undefined;

  constructor(
    readonly tenants: PackTenants,
    readonly platformTenant: string = DEFAULT_PLATFORM_TENANT,
  ) {}

  /** The current tenants (and refreshes the set `route` checks against). */
  async list(): Promise<readonly string[]> {
    const listed = this.tenants.list();
    const list = Array.isArray(listed) ? (listed as readonly string[]) : await listed;
    if (list !== this.lastList) {
      this.lastList = list;
      this.known = new Set(list);
    }
    return list;
  }

  /** The tenant an output with `labels` belongs to: its `tenant` label when that is a known tenant, else the platform tenant. */
  route(labels: Labels): string {
    const t = labels[TENANT_LABEL];
    return t !== undefined && t !== '' && this.known.has(t) ? t : this.platformTenant;
  }
}

/**
 * PackTenants over the embedded stores: `list` names the tenants (the caller's cached registry),
 * reads and writes go to `tsdb.get(tenant)`; writes keep stale markers bit-exact (storeAppender).
 * An embedded head takes the output with its WAL write deferred to the end of the event loop's
 * turn (Head.appendDeferred): a group's rules write every tenant's store, and one WAL write per
 * store and turn instead of one per rule is most of what writing costs at 1,000 tenants.
 */
export function tsdbPackTenants(tsdb: TsdbSet, list: () => readonly string[] | Promise<readonly string[]>): PackTenants {
  // Stores that finished opening (a TsdbSet keeps a tenant's store for its lifetime), with their writer.
  const open = new Map<string, { readonly store: TenantTsdb; readonly write: SampleAppender }>();
  const opened = async (tenant: string): Promise<{ readonly store: TenantTsdb; readonly write: SampleAppender }> => {
    const store = await tsdb.get(tenant);
    const known = open.get(tenant);
    if (known?.store === store) return known;
    const entry = { store, write: store instanceof Head ? storeAppender((batch) => store.appendDeferred(batch)) : storeAppender((batch) => store.append(batch)) };
    open.set(tenant, entry);
    return entry;
  };
  return {
    list,
    source: (tenant) => open.get(tenant)?.store ?? opened(tenant).then((e) => e.store),
    append(tenant, samples) {
      const known = open.get(tenant);
      return known ? known.write(samples) : opened(tenant).then((e) => e.write(samples));
    },
  };
}
