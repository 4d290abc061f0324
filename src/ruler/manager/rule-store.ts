/**
 * The tenant rules behind the Mimir ruler config API: groups written through the API, kept in the
 * StateStore (kind 'rules'), merged with the read-only namespaces of the rules directory.
 * Follows Mimir's pkg/ruler/api.go (CreateRuleGroup replaces a group of the same name; limits
 * checked before storing, 400) and rulestore's errors ("group does not exist", "group namespace
 * does not exist", 404). A namespace the rules directory defines cannot be changed (409), as
 * Mimir refuses writes to protected namespaces.
 *
 * Listing: namespaces sorted by name; API groups sorted by name inside a namespace (Mimir lists
 * object-store keys, so insertion order is not kept there either); directory groups in file order.
 */
import { compareStrings } from '../../core/labels.js';
import type { Logger } from '../../core/runtime.js';
import type { StateOp, StateStore } from '../../core/state-store.js';
import { RuleStoreError } from '../api.js';
import type { RuleGroupConfig, RuleStore, TenantRules } from '../api.js';
import { decodeGroup, encodeGroup, ruleKey, splitRuleKey } from './codec.js';
import { assertMaxRuleGroups, assertMaxRulesPerGroup, assertMinInterval } from './limits.js';
import type { RulerLimits } from './limits.js';
import type { RulesDirectory } from './rules-dir.js';
import type { TenantLocks } from './tenant-locks.js';

/** Read-only namespaces pushed from outside (the kube reconciler): tenant -> namespace -> groups. */
export class ExternalRules {
  private readonly byTenant = new Map<string, ReadonlyMap<string, readonly RuleGroupConfig[]>>();

  /** Replaces every namespace of the tenant (empty: none left). */
  set(tenant: string, namespaces: ReadonlyMap<string, readonly RuleGroupConfig[]>): void {
    if (namespaces.size === 0) this.byTenant.delete(tenant);
    else this.byTenant.set(tenant, new Map(namespaces));
  }

  rules(tenant: string): ReadonlyMap<string, readonly RuleGroupConfig[]> {
    return this.byTenant.get(tenant) ?? new Map();
  }

  owns(tenant: string, namespace: string): boolean {
    return this.byTenant.get(tenant)?.has(namespace) ?? false;
  }

  tenants(): string[] {
    return [...this.byTenant.keys()];
  }
}

export interface RuleStoreDeps {
  readonly state: StateStore;
  /** The rules directory, when one is configured (it may change on reload). */
  readonly directory: () => RulesDirectory | undefined;
  /** Namespaces owned by Kubernetes objects (PrometheusRule), read-only like the directory's. */
  readonly external: ExternalRules;
  readonly limits: (tenant: string) => RulerLimits;
  readonly locks: TenantLocks;
  readonly logger: Logger;
  /** Applies the tenant's changed rules to the running ruler; called inside the tenant's lock. */
  readonly changed: (tenant: string) => Promise<void>;
}

/** tenant -> namespace -> group name -> group */
type ApiRules = Map<string, Map<string, Map<string, RuleGroupConfig>>>;

/** RuleStore over the StateStore and the rules directory. */
export class MergedRuleStore implements RuleStore {
  private api: ApiRules = new Map();
  private loading: Promise<void> | undefined;

  constructor(private readonly deps: RuleStoreDeps) {}

  /** Reads every tenant's API groups from the StateStore (once; later calls wait for the first). */
  load(): Promise<void> {
    this.loading ??= this.readAll();
    return this.loading;
  }

  /** Tenants with API groups or rules directory namespaces. */
  async tenants(): Promise<string[]> {
    await this.load();
    const all = new Set([...this.api.keys(), ...(this.deps.directory()?.tenants() ?? []), ...this.deps.external.tenants()]);
    return [...all].sort(compareStrings);
  }

  async list(tenant: string): Promise<TenantRules> {
    await this.load();
    return this.merged(tenant);
  }

  putGroup(tenant: string, namespace: string, group: RuleGroupConfig): Promise<void> {
    return this.deps.locks.run(tenant, async () => {
      await this.load();
      checkNamespace(namespace);
      this.checkWritable(tenant, namespace);
      const limits = this.deps.limits(tenant);
      assertMaxRulesPerGroup(limits, group.rules.length);
      assertMinInterval(limits, group);
      const replaces = this.api.get(tenant)?.get(namespace)?.has(group.name) ?? false;
      let total = 0;
      for (const groups of this.merged(tenant).values()) total += groups.length;
      assertMaxRuleGroups(limits, total + (replaces ? 0 : 1));
      await this.deps.state.write([{ op: 'put', tenant, kind: 'rules', key: ruleKey(namespace, group.name), value: encodeGroup(group) }]);
      this.namespaceMap(tenant, namespace).set(group.name, group);
      await this.deps.changed(tenant);
    });
  }

  deleteGroup(tenant: string, namespace: string, name: string): Promise<void> {
    return this.deps.locks.run(tenant, async () => {
      await this.load();
      this.checkWritable(tenant, namespace);
      const ns = this.api.get(tenant)?.get(namespace);
      if (!ns?.has(name)) throw new RuleStoreError(404, 'group does not exist');
      await this.deps.state.write([{ op: 'delete', tenant, kind: 'rules', key: ruleKey(namespace, name) }]);
      ns.delete(name);
      this.prune(tenant, namespace);
      await this.deps.changed(tenant);
    });
  }

  deleteNamespace(tenant: string, namespace: string): Promise<void> {
    return this.deps.locks.run(tenant, async () => {
      await this.load();
      this.checkWritable(tenant, namespace);
      const ns = this.api.get(tenant)?.get(namespace);
      if (!ns || ns.size === 0) throw new RuleStoreError(404, 'group namespace does not exist');
      const ops: StateOp[] = [...ns.keys()].map((name) => ({ op: 'delete', tenant, kind: 'rules', key: ruleKey(namespace, name) }));
      await this.deps.state.write(ops);
      ns.clear();
      this.prune(tenant, namespace);
      await this.deps.changed(tenant);
    });
  }

  /** The tenant's rules now (call after load()). */
  merged(tenant: string): TenantRules {
    const dir = this.deps.directory();
    const fromDir = dir?.rules(tenant) ?? new Map<string, readonly RuleGroupConfig[]>();
    const fromApi = this.api.get(tenant) ?? new Map<string, Map<string, RuleGroupConfig>>();
    const fromKube = this.deps.external.rules(tenant);
    const names = new Set([...fromDir.keys(), ...fromKube.keys(), ...fromApi.keys()]);
    const out = new Map<string, readonly RuleGroupConfig[]>();
    for (const ns of [...names].sort(compareStrings)) {
      if (this.deps.external.owns(tenant, ns) && !dir?.owns(tenant, ns)) {
        const groups = fromKube.get(ns);
        if (groups && groups.length > 0) out.set(ns, groups);
        continue;
      }
      if (dir?.owns(tenant, ns)) {
        const groups = fromDir.get(ns);
        if (groups && groups.length > 0) out.set(ns, groups);
        continue;
      }
      const groups = fromApi.get(ns);
      if (groups && groups.size > 0) out.set(ns, [...groups.keys()].sort(compareStrings).map((n) => groups.get(n) as RuleGroupConfig));
    }
    return out;
  }

  private async readAll(): Promise<void> {
    const records = await this.deps.state.load('rules');
    const api: ApiRules = new Map();
    for (const r of records) {
      const key = splitRuleKey(r.key);
      const decoded = key ? decodeGroup(r.value) : ({ ok: false, error: 'key has no namespace separator' } as const);
      if (!key || !decoded.ok) {
        this.deps.logger.error({ tenant: r.tenant, key: r.key, err: decoded.ok ? 'bad key' : decoded.error }, 'skipping unreadable stored rule group');
        continue;
      }
      const [namespace, name] = key;
      let byNs = api.get(r.tenant);
      if (!byNs) api.set(r.tenant, (byNs = new Map<string, Map<string, RuleGroupConfig>>()));
      let groups = byNs.get(namespace);
      if (!groups) byNs.set(namespace, (groups = new Map<string, RuleGroupConfig>()));
      groups.set(name, decoded.group.name === name ? decoded.group : { ...decoded.group, name });
    }
    this.api = api;
  }

  private checkWritable(tenant: string, namespace: string): void {
    if (this.deps.directory()?.owns(tenant, namespace)) {
      throw new RuleStoreError(409, `namespace "${namespace}" is defined by the rules directory and cannot be changed through the API`);
    }
    if (this.deps.external.owns(tenant, namespace)) {
      throw new RuleStoreError(409, `namespace "${namespace}" is defined by a PrometheusRule object and cannot be changed through the API`);
    }
  }

  private namespaceMap(tenant: string, namespace: string): Map<string, RuleGroupConfig> {
    let byNs = this.api.get(tenant);
    if (!byNs) this.api.set(tenant, (byNs = new Map<string, Map<string, RuleGroupConfig>>()));
    let groups = byNs.get(namespace);
    if (!groups) byNs.set(namespace, (groups = new Map<string, RuleGroupConfig>()));
    return groups;
  }

  private prune(tenant: string, namespace: string): void {
    const byNs = this.api.get(tenant);
    if (byNs?.get(namespace)?.size === 0) byNs.delete(namespace);
    if (byNs?.size === 0) this.api.delete(tenant);
  }
}

function checkNamespace(namespace: string): void {
  if (namespace === '') throw new RuleStoreError(400, 'namespace must not be empty');
  if (namespace.includes('\u0000')) throw new RuleStoreError(400, 'namespace must not contain NUL characters');
}
