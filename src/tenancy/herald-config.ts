/**
 * Herald's own config file (`--config.file`): multi-tenancy, limits and per-tenant overrides,
 * fallback Alertmanager config, storage and web settings. Validated strictly: unknown keys and
 * wrong types are reported together, each with its line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { isIP } from 'node:net';
import type { Node, Pair } from 'yaml';
import { parseDuration } from '../core/duration.js';
import { fail, issue, ok, sortIssues } from '../core/result.js';
import type { Issue, Result } from '../core/result.js';
import { tenantIdProblem } from './tenant-id.js';
import { DEFAULT_LIMITS, FRACTIONAL_LIMITS, LIMIT_NAMES } from './limits.js';
import type { TenantLimits } from './limits.js';

export interface HeraldConfig {
  readonly multitenancy: { readonly requireTenant: boolean };
  readonly limits: TenantLimits;
  readonly overrides: ReadonlyMap<string, Partial<TenantLimits>>;
  readonly alertmanager: { readonly fallbackConfigFile?: string; readonly receiversFirewall: ReceiversFirewall };
  readonly storage: { readonly path?: string; readonly retentionMs: number; readonly metricsRetentionMs: number };
  readonly web: { readonly externalURL?: string };
  /** Herald's own scrape loop: a Prometheus-style scrape config file (jobs name their tenant). */
  readonly scrape: { readonly configFile?: string };
}

/**
 * The receiver firewall for tenant-uploaded configs (Mimir's alertmanager_receivers_firewall_*):
 * on by default; the operator's own configs never go through it.
 */
export interface ReceiversFirewall {
  readonly blockPrivateNetworks: boolean;
  readonly blockCidrs: readonly string[];
  readonly allowCidrs: readonly string[];
}

export const DEFAULT_RECEIVERS_FIREWALL: ReceiversFirewall = { blockPrivateNetworks: true, blockCidrs: [], allowCidrs: [] };

/** Alertmanager's --data.retention default. */
export const DEFAULT_RETENTION_MS = 120 * 3600 * 1000;

/** Prometheus' --storage.tsdb.retention.time default. */
export const DEFAULT_METRICS_RETENTION_MS = 15 * 24 * 3600 * 1000;

export const DEFAULT_HERALD_CONFIG: HeraldConfig = {
  multitenancy: { requireTenant: false },
  limits: DEFAULT_LIMITS,
  overrides: new Map(),
  alertmanager: { receiversFirewall: DEFAULT_RECEIVERS_FIREWALL },
  storage: { retentionMs: DEFAULT_RETENTION_MS, metricsRetentionMs: DEFAULT_METRICS_RETENTION_MS },
  web: {},
  scrape: {},
};

type Section = Record<string, (node: Node | null, path: (string | number)[]) => void>;

/** Parses Herald's config YAML; an empty document gives the defaults. */
export function parseHeraldConfig(text: string): Result<HeraldConfig> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const issues: Issue[] = [];
  const at = (node: Node | null | undefined): Pick<Issue, 'range'> => {
    const off = node?.range?.[0];
    if (off === undefined) return {};
    const p = lc.linePos(off);
    return { range: { start: { line: p.line, column: p.col } } };
  };
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    issues.push(issue('yaml', e.message.split('\n')[0] ?? e.message, { range: { start: { line: p.line, column: p.col } } }));
  }
  if (issues.length > 0) return fail(issues);

  let requireTenant = false;
  let limits: TenantLimits = DEFAULT_LIMITS;
  const overrides = new Map<string, Partial<TenantLimits>>();
  const am: { fallbackConfigFile?: string; receiversFirewall: ReceiversFirewall } = { receiversFirewall: DEFAULT_RECEIVERS_FIREWALL };
  const storage: { path?: string; retentionMs: number; metricsRetentionMs: number } = { retentionMs: DEFAULT_RETENTION_MS, metricsRetentionMs: DEFAULT_METRICS_RETENTION_MS };
  const web: { externalURL?: string } = {};
  const scrape: { configFile?: string } = {};

  const walk = (node: Node | null, path: (string | number)[], fields: Section): void => {
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) {
      issues.push(issue('type', `${path.join('.') || 'config'} must be a mapping`, { path, ...at(node) }));
      return;
    }
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const f = fields[key];
      if (!f) {
        issues.push(issue('unknown_field', `unknown field ${JSON.stringify(key)}`, { path: [...path, key], ...at(pair.key) }));
        continue;
      }
      f(pair.value, [...path, key]);
    }
  };
  const scalar = <T>(node: Node | null, path: (string | number)[], kind: 'boolean' | 'string' | 'number'): T | undefined => {
    if (isScalar(node) && typeof node.value === kind) return node.value as T;
    issues.push(issue('type', `${path.join('.')} must be a ${kind}`, { path, ...at(node) }));
    return undefined;
  };
  const limitFields = (target: Partial<Record<keyof TenantLimits, number>>): Section => {
    const s: Section = {};
    for (const name of LIMIT_NAMES) {
      s[name] = (n, p) => {
        const v = scalar<number>(n, p, 'number');
        if (v === undefined) return;
        const fractional = FRACTIONAL_LIMITS.has(name);
        if (!Number.isFinite(v) || v < 0 || (!fractional && !Number.isInteger(v))) {
          issues.push(issue('range', `${p.join('.')} must be a non-negative ${fractional ? 'number' : 'integer'} (0 = unlimited)`, { path: p, ...at(n) }));
        } else target[name] = v;
      };
    }
    return s;
  };

  walk(doc.contents, [], {
    multitenancy: (n, p) =>
      walk(n, p, {
        require_tenant: (v, vp) => {
          const b = scalar<boolean>(v, vp, 'boolean');
          if (b !== undefined) requireTenant = b;
        },
      }),
    limits: (n, p) => {
      const l: Partial<Record<keyof TenantLimits, number>> = {};
      walk(n, p, limitFields(l));
      limits = { ...DEFAULT_LIMITS, ...l };
    },
    overrides: (n, p) => {
      if (n === null || (isScalar(n) && n.value === null)) return;
      if (!isMap(n)) {
        issues.push(issue('type', 'overrides must be a mapping of tenant id to limits', { path: p, ...at(n) }));
        return;
      }
      for (const pair of n.items as Pair<Node, Node | null>[]) {
        const tenant = isScalar(pair.key) ? String(pair.key.value) : '';
        const problem = tenantIdProblem(tenant);
        if (problem) issues.push(issue('tenant', `overrides: ${problem}`, { path: [...p, tenant], ...at(pair.key) }));
        const l: Partial<Record<keyof TenantLimits, number>> = {};
        walk(pair.value, [...p, tenant], limitFields(l));
        overrides.set(tenant, l);
      }
    },
    alertmanager: (n, p) =>
      walk(n, p, {
        fallback_config_file: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s) am.fallbackConfigFile = s;
        },
        receivers_firewall: (fw, fwp) => {
          let blockPrivateNetworks = true;
          const lists: { block_cidrs: string[]; allow_cidrs: string[] } = { block_cidrs: [], allow_cidrs: [] };
          const cidrList = (key: 'block_cidrs' | 'allow_cidrs') => (v: Node | null, vp: (string | number)[]) => {
            if (v === null || (isScalar(v) && v.value === null)) return;
            if (!isSeq(v)) {
              issues.push(issue('type', `${vp.join('.')} must be a list of CIDRs`, { path: vp, ...at(v) }));
              return;
            }
            v.items.forEach((item, i) => {
              const s = scalar<string>(item as Node, [...vp, i], 'string');
              if (s === undefined) return;
              if (!isCidr(s)) issues.push(issue('cidr', `${vp.join('.')}[${i}]: invalid CIDR ${JSON.stringify(s)}`, { path: [...vp, i], ...at(item as Node) }));
              else lists[key].push(s);
            });
          };
          walk(fw, fwp, {
            block_private_networks: (v, vp) => {
              const b = scalar<boolean>(v, vp, 'boolean');
              if (b !== undefined) blockPrivateNetworks = b;
            },
            block_cidrs: cidrList('block_cidrs'),
            allow_cidrs: cidrList('allow_cidrs'),
          });
          am.receiversFirewall = { blockPrivateNetworks, blockCidrs: lists.block_cidrs, allowCidrs: lists.allow_cidrs };
        },
      }),
    storage: (n, p) =>
      walk(n, p, {
        path: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s) storage.path = s;
        },
        retention: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s === undefined) return;
          const d = parseDuration(s);
          if (!d.ok || d.value <= 0) issues.push(issue('duration', `storage.retention: not a valid positive duration ${JSON.stringify(s)}`, { path: vp, ...at(v) }));
          else storage.retentionMs = d.value;
        },
        metrics_retention: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s === undefined) return;
          const d = parseDuration(s);
          if (!d.ok || d.value <= 0) issues.push(issue('duration', `storage.metrics_retention: not a valid positive duration ${JSON.stringify(s)}`, { path: vp, ...at(v) }));
          else storage.metricsRetentionMs = d.value;
        },
      }),
    scrape: (n, p) =>
      walk(n, p, {
        config_file: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s) scrape.configFile = s;
        },
      }),
    web: (n, p) =>
      walk(n, p, {
        external_url: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s === undefined) return;
          if (!URL.canParse(s)) issues.push(issue('url', `web.external_url: invalid URL ${JSON.stringify(s)}`, { path: vp, ...at(v) }));
          else web.externalURL = s;
        },
      }),
  });

  if (issues.length > 0) return fail(sortIssues(issues));
  return ok({ multitenancy: { requireTenant }, limits, overrides, alertmanager: am, storage, web, scrape });
}

/** An IPv4/IPv6 address or CIDR (`10.0.0.0/8`, `fd00::/8`, `192.0.2.1`). */
function isCidr(s: string): boolean {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const v = isIP(addr);
  if (v === 0) return false;
  if (slash < 0) return true;
  const bits = s.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128);
}
