/**
 * The issue 8 reconciler: a snapshot of Kubernetes objects (from the watcher, or a GitOps manifest
 * directory) -> every tenant's live configuration. Objects are assigned to tenants (tenancy/);
 * each tenant's AlertmanagerConfig objects are rendered onto its base configuration (render/), with
 * the platform route put first (platform-route.ts); its PrometheusRule objects become rule
 * namespaces `<namespace>/<name>` (rules/). Outputs go through injected sinks, each only when it
 * changed, as a controller's reconcile loop does (prometheus-operator pkg/alertmanager/operator.go
 * writes the generated secret only when its content differs; Alloy's mimir.rules.kubernetes diffs
 * rule namespaces before calling the ruler API).
 *
 * A tenant is managed while at least one object is assigned to it. A bad object is rejected alone
 * (its status says why); a tenant that has no object left gets an empty rule set and `null` for
 * its Alertmanager configuration, meaning: back to its own (uploaded or fallback) configuration.
 * Objects the selectors or the operator leave out get no status (another Herald may own them).
 */
import { compareStrings } from '../../core/labels.js';
import { formatIssue } from '../../core/result.js';
import type { Logger } from '../../core/runtime.js';
import type { RuleGroupConfig } from '../../ruler/api.js';
import type { AlertmanagerConfigObject, MonitoringObject, NamespaceInfo, ObjectStatus, PrometheusRuleObject, SecretReader } from '../api.js';
import { InvalidBaseConfigError, prepareBase, renderAlertmanagerConfigs } from '../render/index.js';
import type { PreparedBase } from '../render/index.js';
import { prometheusRuleToGroups, ruleOptionsFor } from '../rules/index.js';
import { assignTenant, matchesSelector, optOutLabel } from '../tenancy/index.js';
import type { KubeConfig } from '../tenancy/index.js';
import type { PlatformRouting } from './platform-route.js';
import { inhibitRuleCount, platformRoutingProblem, withPlatformReceiver, withPlatformRoute } from './platform-route.js';

/** What a source hands over: the watcher's KubeSnapshot and the manifest poller's have this shape. */
export interface ReconcileInput {
  readonly objects: readonly MonitoringObject[];
  readonly namespaces: readonly NamespaceInfo[];
  readonly secrets: SecretReader;
}

/** A tenant's kube-owned rule namespaces (`<namespace>/<name>` -> groups), sorted by name. */
export type TenantRuleNamespaces = ReadonlyMap<string, readonly RuleGroupConfig[]>;

/** Where the results go. Each is called only when its value changed; a throw is logged and retried on the next run. */
export interface ReconcilerSinks {
  /** The tenant's rendered configuration; `null`: the tenant has no object left, back to its own configuration. */
  readonly applyAlertmanagerConfig: (tenant: string, yaml: string | null) => Promise<void>;
  /** Full replacement of the tenant's kube-owned rule namespaces (empty: none left). */
  readonly applyRules: (tenant: string, namespaces: TenantRuleNamespaces) => Promise<void>;
  /** The outcome of one object (the watcher's writeStatus; absent for the GitOps directory). */
  readonly writeStatus?: (obj: MonitoringObject, status: ObjectStatus) => Promise<void>;
}

export interface ReconcilerOptions {
  readonly config: KubeConfig;
  /** The tenant's base Alertmanager configuration: its uploaded one, or the fallback. */
  readonly baseConfig: (tenant: string) => Promise<string>;
  /** The platform's receiver (a `receivers` entry); absent: no platform route. The label comes from `config.rules.platformLabel`. */
  readonly platformReceiver?: Readonly<Record<string, unknown>>;
  readonly sinks: ReconcilerSinks;
  readonly logger: Logger;
}

/** What one run did. */
export interface ReconcileReport {
  /** Tenants with at least one object. */
  readonly tenants: readonly string[];
  /** Tenants whose Alertmanager configuration / rules were applied in this run. */
  readonly appliedConfigs: readonly string[];
  readonly appliedRules: readonly string[];
  /** Every selected object's outcome, keyed `<Kind> <namespace>/<name>`. */
  readonly statuses: ReadonlyMap<string, ObjectStatus>;
  /** Tenants whose configuration could not be built at all (kept as it was), with why. */
  readonly tenantErrors: ReadonlyMap<string, string>;
}

export interface Reconciler {
  /** Reconciles a snapshot; runs are serialised (a call waits for the one before). */
  reconcile(input: ReconcileInput): Promise<ReconcileReport>;
  /** Runs again on the last snapshot (e.g. after a tenant uploaded a new base configuration). */
  refresh(): Promise<ReconcileReport | undefined>;
  /** Tenants with at least one object after the last run. */
  tenants(): string[];
}

/** A tenant's last Alertmanager render, reused while its base, objects and the secrets it read are the same. */
interface AmCacheEntry {
  readonly key: string;
  readonly secretReads: ReadonlyArray<readonly [string, string, string, string | undefined]>;
  readonly result: { yaml: string } | { problem: string };
  readonly statuses: ReadonlyArray<readonly [string, ObjectStatus]>;
}

/**
 * What rendering needs of one base configuration, worked out once per distinct base: tenants
 * mostly share the fallback one, and parsing it again for each of a thousand tenants was most of
 * a reconcile of small tenants.
 */
interface BaseWork {
  /** Inhibit rules of the base (before the platform receiver is added). */
  readonly inhibitRules: number;
  /** The base with the platform receiver (the base itself without a platform), or why not. */
  readonly withReceiver: { readonly yaml: string } | { readonly problem: string };
  /** withReceiver's yaml checked and parsed for render/, or the error that gave; set on first use. */
  prepared?: PreparedBase | InvalidBaseConfigError;
}

interface TenantObjects {
  readonly amcfgs: AlertmanagerConfigObject[];
  readonly rules: PrometheusRuleObject[];
}

/** `<Kind> <namespace>/<name>`, as messages and report keys name objects. */
export function objectId(o: MonitoringObject): string {
  return `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether the operator's selectors take the object at all (before any tenant mapping). */
function selected(o: MonitoringObject, ns: NamespaceInfo, cfg: KubeConfig): boolean {
  const t = cfg.tenancy;
  if (t.excludedNamespaces.includes(ns.name)) return false;
  if (ns.labels[optOutLabel(t.optOutLabelPrefix)] === 'false') return false;
  return matchesSelector(t.namespaceSelector, ns.labels) && matchesSelector(t.objectSelector, o.metadata.labels ?? {});
}

/** Whether every secret a render read still has the value it had. */
async function sameSecrets(reads: AmCacheEntry['secretReads'], secrets: SecretReader): Promise<boolean> {
  for (const [ns, name, key, value] of reads) if ((await secrets(ns, name, key)) !== value) return false;
  return true;
}

function rulesFingerprint(m: TenantRuleNamespaces): string {
  return JSON.stringify([...m]);
}

/** Builds the reconciler; throws when the platform receiver or label cannot be used (a config error of the operator). */
export function createReconciler(opts: ReconcilerOptions): Reconciler {
  const log = opts.logger.child({ component: 'kube-reconciler' });
  const cfg = opts.config;
  const platform: PlatformRouting | undefined = opts.platformReceiver ? { label: cfg.rules.platformLabel, receiver: opts.platformReceiver } : undefined;
  const platformProblem = platform ? platformRoutingProblem(platform) : undefined;
  if (platformProblem !== undefined) throw new Error(`kube reconciler: ${platformProblem}`);
  /** tenant -> last render */
  const amCache = new Map<string, AmCacheEntry>();
  /** object id -> [fingerprint of the object, its conversion] */
  const ruleCache = new Map<string, readonly [string, ReturnType<typeof prometheusRuleToGroups>]>();
  /** tenant -> last applied yaml (string) */
  const appliedYaml = new Map<string, string>();
  /** tenant -> fingerprint of the last applied rule namespaces */
  const appliedRules = new Map<string, string>();
  /** object id -> fingerprint of the last written status */
  const writtenStatus = new Map<string, string>();
  /** base configuration -> its BaseWork; entries not used by the last run are dropped at its end. */
  let baseWork = new Map<string, BaseWork>();
  let baseWorkUsed = new Map<string, BaseWork>();
  let last: ReconcileInput | undefined;
  let managed: string[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  async function run(input: ReconcileInput): Promise<ReconcileReport> {
    last = input;
    const namespaces = new Map(input.namespaces.map((n) => [n.name, n]));
    const byTenant = new Map<string, TenantObjects>();
    const statuses = new Map<string, ObjectStatus>();
    const tenantErrors = new Map<string, string>();
    const tenantOf = new Map<MonitoringObject, string>();

    for (const o of input.objects) {
      const ns = namespaces.get(o.metadata.namespace) ?? { name: o.metadata.namespace, labels: {} };
      if (!selected(o, ns, cfg)) continue;
      const a = assignTenant(o, ns, cfg.tenancy);
      if ('excluded' in a) {
        statuses.set(objectId(o), { accepted: true, reason: a.excluded, tenant: '' });
        continue;
      }
      tenantOf.set(o, a.tenant);
      let t = byTenant.get(a.tenant);
      if (!t) byTenant.set(a.tenant, (t = { amcfgs: [], rules: [] }));
      if (o.kind === 'AlertmanagerConfig') t.amcfgs.push(o);
      else t.rules.push(o);
    }

    const appliedConfigs: string[] = [];
    const appliedRuleTenants: string[] = [];
    const tenants = [...byTenant.keys()].sort(compareStrings);
    for (const tenant of tenants) {
      const objs = byTenant.get(tenant) as TenantObjects;
      const rules = renderRules(tenant, objs.rules, statuses);
      if (await applyRulesIfChanged(tenant, rules)) appliedRuleTenants.push(tenant);
      const am = await renderAm(tenant, objs.amcfgs, input.secrets, statuses);
      if ('problem' in am) {
        tenantErrors.set(tenant, am.problem);
        log.error({ tenant, err: am.problem }, 'cannot build the Alertmanager configuration; keeping the one applied before');
        continue;
      }
      if (await applyConfigIfChanged(tenant, am.yaml)) appliedConfigs.push(tenant);
    }

    // Tenants with no object left go back to their own configuration.
    const gone = new Set([...appliedYaml.keys(), ...appliedRules.keys()].filter((t) => !byTenant.has(t)));
    for (const tenant of [...gone].sort(compareStrings)) {
      if (appliedRules.has(tenant) && (await applyRulesIfChanged(tenant, new Map()))) appliedRuleTenants.push(tenant);
      if (appliedYaml.has(tenant) && (await applyConfigIfChanged(tenant, null))) appliedConfigs.push(tenant);
    }

    await writeStatuses(input.objects, statuses);
    baseWork = baseWorkUsed;
    baseWorkUsed = new Map();
    for (const t of [...amCache.keys()]) if (!byTenant.has(t)) amCache.delete(t);
    for (const id of [...ruleCache.keys()]) if (!statuses.has(id)) ruleCache.delete(id);
    managed = tenants;
    return { tenants, appliedConfigs, appliedRules: appliedRuleTenants, statuses, tenantErrors };
  }

  function renderRules(tenant: string, objects: readonly PrometheusRuleObject[], statuses: Map<string, ObjectStatus>): Map<string, readonly RuleGroupConfig[]> {
    const out = new Map<string, readonly RuleGroupConfig[]>();
    for (const o of [...objects].sort((a, b) => compareStrings(objectId(a), objectId(b)))) {
      const id = objectId(o);
      const fp = JSON.stringify(o.spec) ?? '';
      const cached = ruleCache.get(id);
      const r = cached && cached[0] === fp ? cached[1] : prometheusRuleToGroups(o, ruleOptionsFor(o.metadata.namespace, cfg.rules));
      ruleCache.set(id, [fp, r]);
      if (r.ok) {
        out.set(r.value.namespace, r.value.groups);
        statuses.set(id, { accepted: true, reason: '', tenant });
      } else {
        statuses.set(id, { accepted: false, reason: r.issues.map((i) => formatIssue(i)).join('; '), tenant });
      }
    }
    return out;
  }

  /** Renders the tenant's configuration, or reuses the last render when nothing it depends on changed. */
  async function renderAm(
    tenant: string,
    objects: readonly AlertmanagerConfigObject[],
    secrets: SecretReader,
    statuses: Map<string, ObjectStatus>,
  ): Promise<{ yaml: string } | { problem: string }> {
    let base: string;
    try {
      base = await opts.baseConfig(tenant);
    } catch (e) {
      const problem = `cannot read the base configuration: ${errorText(e)}`;
      for (const o of objects) statuses.set(objectId(o), { accepted: false, reason: `tenant ${JSON.stringify(tenant)}: ${problem}`, tenant });
      return { problem };
    }
    const key = `${base}\u0000${JSON.stringify(objects)}`;
    const cached = amCache.get(tenant);
    if (cached && cached.key === key && (await sameSecrets(cached.secretReads, secrets))) {
      for (const [id, st] of cached.statuses) statuses.set(id, st);
      return cached.result;
    }
    const reads: Array<readonly [string, string, string, string | undefined]> = [];
    const recording: SecretReader = async (ns, name, k) => {
      const v = await secrets(ns, name, k);
      reads.push([ns, name, k, v]);
      return v;
    };
    const own = new Map<string, ObjectStatus>();
    const result = await renderTenant(tenant, base, objects, recording, own);
    amCache.set(tenant, { key, secretReads: reads, result, statuses: [...own] });
    for (const [id, st] of own) statuses.set(id, st);
    return result;
  }

  async function renderTenant(
    tenant: string,
    base: string,
    objects: readonly AlertmanagerConfigObject[],
    secrets: SecretReader,
    statuses: Map<string, ObjectStatus>,
  ): Promise<{ yaml: string } | { problem: string }> {
    const rejectAll = (problem: string): { problem: string } => {
      for (const o of objects) statuses.set(objectId(o), { accepted: false, reason: `tenant ${JSON.stringify(tenant)}: ${problem}`, tenant });
      return { problem };
    };
    const work = workFor(base);
    const baseInhibitRules = work.inhibitRules;
    if ('problem' in work.withReceiver) return rejectAll(work.withReceiver.problem);
    let rendered;
    try {
      rendered = await renderAlertmanagerConfigs(preparedBase(work), objects, {
        matcherStrategy: cfg.alertmanager.matcherStrategy,
        alertmanagerNamespace: cfg.alertmanager.alertmanagerNamespace,
        readSecret: secrets,
      });
    } catch (e) {
      if (e instanceof InvalidBaseConfigError) return rejectAll(e.message);
      throw e;
    }
    for (const o of objects) {
      const s = rendered.statuses.get(`${o.metadata.namespace}/${o.metadata.name}`);
      statuses.set(objectId(o), { accepted: s?.accepted ?? false, reason: s?.reason ?? 'not rendered', tenant });
    }
    return platform ? withPlatformRoute(rendered.document, platform, baseInhibitRules) : { yaml: rendered.yaml };
  }

  /** The BaseWork of a base configuration, from the last run or this one when it has it. Throws what parsing the base throws. */
  function workFor(base: string): BaseWork {
    const known = baseWorkUsed.get(base) ?? baseWork.get(base);
    if (known !== undefined) {
      baseWorkUsed.set(base, known);
      return known;
    }
    const work: BaseWork = platform
      ? { inhibitRules: inhibitRuleCount(base), withReceiver: withPlatformReceiver(base, platform) }
      : { inhibitRules: 0, withReceiver: { yaml: base } };
    baseWorkUsed.set(base, work);
    return work;
  }

  /** The base with the platform receiver, loaded once; throws InvalidBaseConfigError (every time) when it does not load. */
  function preparedBase(work: BaseWork): PreparedBase {
    if (work.prepared === undefined) {
      const yaml = (work.withReceiver as { yaml: string }).yaml;
      try {
        work.prepared = prepareBase(yaml);
      } catch (e) {
        if (!(e instanceof InvalidBaseConfigError)) throw e;
        work.prepared = e;
      }
    }
    if (work.prepared instanceof InvalidBaseConfigError) throw work.prepared;
    return work.prepared;
  }

  async function applyConfigIfChanged(tenant: string, yaml: string | null): Promise<boolean> {
    if (yaml === null ? !appliedYaml.has(tenant) : appliedYaml.get(tenant) === yaml) return false;
    try {
      await opts.sinks.applyAlertmanagerConfig(tenant, yaml);
    } catch (e) {
      log.error({ tenant, err: errorText(e) }, 'applying the Alertmanager configuration failed; retrying on the next run');
      return false;
    }
    if (yaml === null) appliedYaml.delete(tenant);
    else appliedYaml.set(tenant, yaml);
    return true;
  }

  async function applyRulesIfChanged(tenant: string, rules: TenantRuleNamespaces): Promise<boolean> {
    const fp = rulesFingerprint(rules);
    const before = appliedRules.get(tenant);
    if (before === fp || (before === undefined && rules.size === 0)) return false;
    try {
      await opts.sinks.applyRules(tenant, rules);
    } catch (e) {
      log.error({ tenant, err: errorText(e) }, 'applying rules failed; retrying on the next run');
      return false;
    }
    if (rules.size === 0) appliedRules.delete(tenant);
    else appliedRules.set(tenant, fp);
    return true;
  }

  async function writeStatuses(objects: readonly MonitoringObject[], statuses: ReadonlyMap<string, ObjectStatus>): Promise<void> {
    const seen = new Set<string>();
    for (const o of objects) {
      const id = objectId(o);
      const s = statuses.get(id);
      if (!s) continue;
      seen.add(id);
      const fp = JSON.stringify([s.accepted, s.tenant, s.reason, o.metadata.generation ?? null, o.metadata.uid ?? null]);
      if (writtenStatus.get(id) === fp || !opts.sinks.writeStatus) continue;
      try {
        await opts.sinks.writeStatus(o, s);
        writtenStatus.set(id, fp);
      } catch (e) {
        log.warn({ object: id, err: errorText(e) }, 'writing the status failed; retrying on the next run');
      }
    }
    for (const id of [...writtenStatus.keys()]) if (!seen.has(id)) writtenStatus.delete(id);
  }

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => undefined);
    return p;
  };

  return {
    reconcile: (input) => serial(() => run(input)),
    refresh: () => serial(async () => (last ? run(last) : undefined)),
    tenants: () => [...managed],
  };
}
