/**
 * Test doubles for the ruler API: an in-memory RuleStore with Mimir-like limits and read-only
 * namespaces, a RulerService whose group views tests set directly, and small stand-ins for
 * rulefmt's parseRuleGroup / marshal functions (enough YAML for the HTTP layer's tests).
 */
import { parse, parseDocument, stringify } from 'yaml';
import type { Labels } from '../../core/labels.js';
import { fail, issue, ok } from '../../core/result.js';
import type { Result } from '../../core/result.js';
import type { GroupView, RuleFileProblem, RuleConfig, RuleGroupConfig, RulerService, RuleStore, TenantRules } from '../../ruler/api.js';
import { RuleStoreError } from '../../ruler/api.js';

export class FakeRuleStore implements RuleStore {
  readonly tenants = new Map<string, Map<string, RuleGroupConfig[]>>();

  constructor(
    readonly opts: { maxGroupsPerTenant?: number; readOnlyNamespaces?: ReadonlySet<string>; failWith?: Error } = {},
  ) {}

  private ns(tenant: string): Map<string, RuleGroupConfig[]> {
    let m = this.tenants.get(tenant);
    if (!m) this.tenants.set(tenant, (m = new Map<string, RuleGroupConfig[]>()));
    return m;
  }

  private check(namespace: string): void {
    if (this.opts.failWith) throw this.opts.failWith;
    if (this.opts.readOnlyNamespaces?.has(namespace)) throw new RuleStoreError(409, `namespace "${namespace}" comes from the rules directory and cannot be changed through the API`);
  }

  list(tenant: string): Promise<TenantRules> {
    if (this.opts.failWith) return Promise.reject(this.opts.failWith);
    const m = this.ns(tenant);
    const sorted = [...m.keys()].sort().map((k): [string, RuleGroupConfig[]] => [k, [...(m.get(k) ?? [])]]);
    return Promise.resolve(new Map(sorted));
  }

  putGroup(tenant: string, namespace: string, group: RuleGroupConfig): Promise<void> {
    this.check(namespace);
    const m = this.ns(tenant);
    const groups = m.get(namespace) ?? [];
    const i = groups.findIndex((g) => g.name === group.name);
    if (i < 0) {
      const total = [...m.values()].reduce((n, gs) => n + gs.length, 0) + 1;
      const max = this.opts.maxGroupsPerTenant ?? 0;
      if (max > 0 && total > max) return Promise.reject(new RuleStoreError(400, `per-user rule groups limit (limit: ${max} actual: ${total}) exceeded`));
      groups.push(group);
    } else {
      groups[i] = group;
    }
    m.set(namespace, groups);
    return Promise.resolve();
  }

  deleteGroup(tenant: string, namespace: string, name: string): Promise<void> {
    this.check(namespace);
    const m = this.ns(tenant);
    const groups = m.get(namespace) ?? [];
    const i = groups.findIndex((g) => g.name === name);
    if (i < 0) return Promise.reject(new RuleStoreError(404, 'group does not exist'));
    groups.splice(i, 1);
    if (groups.length === 0) m.delete(namespace);
    return Promise.resolve();
  }

  deleteNamespace(tenant: string, namespace: string): Promise<void> {
    this.check(namespace);
    this.ns(tenant).delete(namespace);
    return Promise.resolve();
  }
}

export class FakeRuler implements RulerService {
  readonly views = new Map<string, GroupView[]>();
  readonly fileProblems = new Map<string, RuleFileProblem[]>();
  constructor(readonly store: FakeRuleStore = new FakeRuleStore()) {}
  groups(tenant: string): readonly GroupView[] {
    return this.views.get(tenant) ?? [];
  }
  directoryErrors(tenant: string): readonly RuleFileProblem[] {
    return this.fileProblems.get(tenant) ?? [];
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function labelsOf(v: unknown): Labels {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = String(x);
  return out;
}

/** Stand-in for rulefmt.parseRuleGroup: YAML errors as code `yaml`, Mimir's two group checks, a rule check. */
export function standInParseRuleGroup(text: string): Result<RuleGroupConfig> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return fail([issue('yaml', doc.errors[0]?.message.split('\n')[0] ?? 'bad yaml', { range: { start: { line: 1, column: 1 } } })]);
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return fail([issue('yaml', 'cannot unmarshal into rulefmt.RuleGroup')]);
  const g = raw as Record<string, unknown>;
  const name = typeof g.name === 'string' ? g.name : '';
  if (name === '') return fail([issue('group_name', 'invalid rules config: rule group name must not be empty')]);
  const rawRules = Array.isArray(g.rules) ? (g.rules as Record<string, unknown>[]) : [];
  if (rawRules.length === 0) return fail([issue('group_rules', `invalid rules config: rule group '${name}' has no rules`)]);
  const rules: RuleConfig[] = [];
  const problems = [];
  for (const [i, r] of rawRules.entries()) {
    const expr = typeof r.expr === 'string' ? r.expr : '';
    if (expr === '') problems.push(issue('rule_expr', `group "${name}", rule ${i + 1}, "${str(r.alert) || str(r.record)}": field 'expr' must be set in rule`));
    if (typeof r.alert === 'string') {
      rules.push({ kind: 'alerting', alert: r.alert, expr, forMs: 0, keepFiringForMs: 0, labels: labelsOf(r.labels), annotations: labelsOf(r.annotations) });
    } else {
      rules.push({ kind: 'recording', record: str(r.record), expr, labels: labelsOf(r.labels) });
    }
  }
  if (problems.length > 0) return fail(problems);
  return ok({ name, limit: 0, labels: {}, rules });
}

function plainGroup(g: RuleGroupConfig): object {
  return {
    name: g.name,
    rules: g.rules.map((r) =>
      r.kind === 'alerting'
        ? { alert: r.alert, expr: r.expr, ...(Object.keys(r.labels).length > 0 ? { labels: r.labels } : {}), ...(Object.keys(r.annotations).length > 0 ? { annotations: r.annotations } : {}) }
        : { record: r.record, expr: r.expr, ...(Object.keys(r.labels).length > 0 ? { labels: r.labels } : {}) },
    ),
  };
}

export function standInMarshalRuleGroup(g: RuleGroupConfig): string {
  return stringify(plainGroup(g));
}

export function standInMarshalNamespaces(rules: TenantRules): string {
  const out: Record<string, object[]> = {};
  for (const [ns, groups] of rules) out[ns] = groups.map(plainGroup);
  return stringify(out);
}

/** Parses the YAML an API GET returned (for assertions). */
export function parseYaml(text: string): unknown {
  return parse(text);
}
