/**
 * A stand-in threshold engine for the HTTP layer's tests: flat YAML documents checked against a
 * fixed set of defaults (unknown keys and bad values are issues with positions), resolved to one
 * threshold per default key, directory-owned tenants, and scripted failures.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Issue, Result } from '../../core/result.js';
import { fail, issue, ok } from '../../core/result.js';
import type { ResolvedTenant, ResolvedThreshold, StateFilterDef, ThresholdDefaults, ThresholdProblem, ThresholdService } from '../../thresholds/api.js';
import { applyPatch, ThresholdsDirectoryOwnedError } from '../../thresholds/index.js';
import type { ThresholdPatch } from '../../thresholds/index.js';
import type { ThresholdDocuments } from './routes.js';

const DISABLED = new Set(['disable', 'disabled', 'off', 'false']);

export class FakeThresholds implements ThresholdService, ThresholdDocuments {
  readonly defaults: ThresholdDefaults;
  /** tenant -> document and where it lives. */
  readonly docs = new Map<string, { text: string; source: 'directory' | 'api' }>();
  readonly extraProblems: ThresholdProblem[] = [];
  /** When set, every mutation throws it. */
  failWith: Error | undefined;
  readonly patches: Array<{ tenant: string; changes: ThresholdPatch }> = [];

  constructor(defaults: Record<string, number> = { mysql_connections: 80, redis_clients: 500 }, tenantKeys?: readonly string[]) {
    const filters = new Map<string, StateFilterDef>([['maintenance', { name: 'maintenance', severity: 'info', defaultEnabled: false }]]);
    this.defaults = { defaults: new Map(Object.entries(defaults)), stateFilters: filters, ...(tenantKeys ? { tenantKeys: new Set(tenantKeys) } : {}) };
  }

  tenants(): readonly string[] {
    return [...this.docs.keys()].sort();
  }

  document(tenant: string): { readonly text: string; readonly source: 'directory' | 'api' } | undefined {
    return this.docs.get(tenant);
  }

  problems(): readonly ThresholdProblem[] {
    return this.extraProblems;
  }

  /** Parses a flat map; every key must have a default (or be `_state_maintenance`). */
  parse(text: string): Result<Map<string, string>> {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    const at = (off: number | undefined) => {
      const p = lc.linePos(off ?? 0);
      return { range: { start: { line: p.line, column: p.col } } };
    };
    if (doc.errors.length > 0) return fail(doc.errors.map((e) => issue('yaml', e.message, at(e.pos[0]))));
    const out = new Map<string, string>();
    if (doc.contents === null) return ok(out);
    if (!isMap(doc.contents)) return fail([issue('not_a_map', 'document must be a map', at(doc.contents.range?.[0]))]);
    const issues: Issue[] = [];
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const pos = at(isScalar(pair.key) ? pair.key.range?.[0] : 0);
      const value = isScalar(pair.value) ? String(pair.value.value) : '';
      if (key === '_state_maintenance') out.set(key, value);
      else if (!this.defaults.defaults.has(key)) issues.push(issue('unknown_key', `key "${key}" has no default`, pos));
      else if (!DISABLED.has(value.toLowerCase()) && !Number.isFinite(Number(value.split(':')[0]))) issues.push(issue('bad_value', `key "${key}": bad value "${value}"`, pos));
      else out.set(key, value);
    }
    return issues.length > 0 ? fail(issues) : ok(out);
  }

  resolved(tenant: string): ResolvedTenant {
    const doc = this.docs.get(tenant);
    const settings = doc ? this.parse(doc.text) : ok(new Map<string, string>());
    const set = settings.ok ? settings.value : new Map<string, string>();
    const thresholds: ResolvedThreshold[] = [];
    for (const [key, def] of this.defaults.defaults) {
      const v = set.get(key);
      if (v !== undefined && DISABLED.has(v.toLowerCase())) continue;
      const [num, severity] = v === undefined ? [String(def), 'warning'] : [v.split(':')[0] ?? '', v.split(':')[1] ?? 'warning'];
      const u = key.indexOf('_');
      thresholds.push({
        labels: { tenant, component: key.slice(0, u), metric: key.slice(u + 1), severity },
        value: Number(num),
        key,
        source: v === undefined ? 'default' : 'custom',
      });
    }
    const maintenance = set.get('_state_maintenance') === 'enable';
    return { tenant, thresholds, stateFilters: maintenance ? [{ filter: 'maintenance', severity: 'info' }] : [] };
  }

  private owned(tenant: string): void {
    if (this.failWith) throw this.failWith;
    if (this.docs.get(tenant)?.source === 'directory') throw new ThresholdsDirectoryOwnedError(tenant, `${tenant}.yaml`);
  }

  putDocument(tenant: string, text: string): Promise<Result<unknown>> {
    return Promise.resolve().then(() => {
      this.owned(tenant);
      const r = this.parse(text);
      if (r.ok) this.docs.set(tenant, { text, source: 'api' });
      return r;
    });
  }

  deleteDocument(tenant: string): Promise<boolean> {
    return Promise.resolve().then(() => {
      this.owned(tenant);
      return this.docs.delete(tenant);
    });
  }

  /** Records its calls and edits the stored text as the engine does. */
  patchDocument(tenant: string, changes: ThresholdPatch): Promise<Result<unknown>> {
    this.patches.push({ tenant, changes });
    const text = applyPatch(this.docs.get(tenant)?.text ?? '', changes);
    return text.ok ? this.putDocument(tenant, text.value) : Promise.resolve(text);
  }
}
