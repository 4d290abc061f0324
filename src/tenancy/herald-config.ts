/**
 * Herald's own config file (`--config.file`): multi-tenancy, limits and per-tenant overrides,
 * fallback Alertmanager config, storage, web and ruler settings. Validated strictly: unknown keys and
 * wrong types are reported together, each with its line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { isIP } from 'node:net';
import type { Node, Pair } from 'yaml';
import { formatDuration, parseDuration } from '../core/duration.js';
import { isClassicLabelName } from '../core/labels.js';
import { newRelabelRule } from '../core/relabel.js';
import type { RawRelabelRule } from '../core/relabel.js';
import { DEFAULT_KUBE_CONFIG, parseKubeConfig } from '../kube/tenancy/index.js';
import type { KubeConfig } from '../kube/tenancy/index.js';
import { DEFAULT_RULER_CONFIG } from '../ruler/api.js';
import type { ExternalAlertmanager, PeerAuth, QueryBackendConfig, RulerConfig } from '../ruler/api.js';
import { DEFAULT_THRESHOLDS_CONFIG } from '../thresholds/api.js';
import type { ThresholdsConfig } from '../thresholds/api.js';
import { fail, issue, ok, sortIssues } from '../core/result.js';
import type { Issue, Result } from '../core/result.js';
import { tenantIdProblem } from '../core/tenant-id.js';
import { authSection } from './auth-config.js';
import { DEFAULT_AUTH_CONFIG } from '../auth/api.js';
import type { AuthConfig } from '../auth/api.js';
import { DEFAULT_LIMITS, DURATION_LIMITS, FRACTIONAL_LIMITS, LIMIT_NAMES } from './limits.js';
import type { TenantLimits } from './limits.js';

/** HTTPS for Herald's own listener (needed for the Kubernetes admission webhook). */
export interface WebTlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface HeraldConfig {
  readonly multitenancy: { readonly requireTenant: boolean };
  readonly limits: TenantLimits;
  readonly overrides: ReadonlyMap<string, Partial<TenantLimits>>;
  readonly alertmanager: { readonly fallbackConfigFile?: string; readonly receiversFirewall: ReceiversFirewall };
  readonly storage: { readonly path?: string; readonly retentionMs: number; readonly metricsRetentionMs: number };
  readonly web: { readonly externalURL?: string; readonly tls?: WebTlsConfig };
  /** Herald's own scrape loop: a Prometheus-style scrape config file (jobs name their tenant). */
  readonly scrape: { readonly configFile?: string };
  readonly ruler: RulerConfig;
  /** Dynamic thresholds: conf.d and the rule packs evaluated for all tenants. */
  readonly thresholds: ThresholdsConfig;
  /** Credentials and the auth switch (src/auth, issue 9). */
  readonly auth: AuthConfig;
  /** Self-service from Kubernetes objects and manifests (issue 8): tenant mapping, rule enforcement. */
  readonly kube: KubeConfig;
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
  ruler: DEFAULT_RULER_CONFIG,
  thresholds: DEFAULT_THRESHOLDS_CONFIG,
  auth: DEFAULT_AUTH_CONFIG,
  kube: DEFAULT_KUBE_CONFIG,
};

/** Mimir's -ruler.alertmanager-client timeout default (Prometheus' alertmanager `timeout`). */
const DEFAULT_ALERTMANAGER_TIMEOUT_MS = 10_000;
/** Mimir's -ruler.query-frontend.timeout default. */
const DEFAULT_QUERY_TIMEOUT_MS = 120_000;
const DEFAULT_TENANT_HEADER = 'X-Scope-OrgID';
const RELABEL_KEYS = new Set(['action', 'source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement']);

type Path = (string | number)[];
type Section = Record<string, (node: Node | null, path: Path) => void>;

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
  const web: { externalURL?: string; tls?: WebTlsConfig } = {};
  const scrape: { configFile?: string } = {};
  let kube: KubeConfig = DEFAULT_KUBE_CONFIG;

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
        if (DURATION_LIMITS.has(name) && isScalar(n) && typeof n.value === 'string') {
          const d = parseDuration(n.value);
          if (!d.ok) issues.push(issue('duration', `${p.join('.')}: not a valid duration ${JSON.stringify(n.value)}`, { path: p, ...at(n) }));
          else target[name] = d.value / 1000;
          return;
        }
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

  const ruler = rulerSection({ walk, scalar, at, issues });
  const thresholds = thresholdsSection({ walk, scalar, at, issues });
  const auth = authSection({ walk, scalar, at, issues });

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
    ruler: ruler.parse,
    thresholds: thresholds.parse,
    auth: auth.parse,
    kube: (n, p) => {
      const value: unknown = n === null ? undefined : n.toJS(doc);
      const r = parseKubeConfig(value, p);
      if (r.ok) kube = r.value;
      else issues.push(...r.issues.map((i) => ({ ...i, ...at(n) })));
    },
    web: (n, p) =>
      walk(n, p, {
        external_url: (v, vp) => {
          const s = scalar<string>(v, vp, 'string');
          if (s === undefined) return;
          if (!URL.canParse(s)) issues.push(issue('url', `web.external_url: invalid URL ${JSON.stringify(s)}`, { path: vp, ...at(v) }));
          else web.externalURL = s;
        },
        tls: (v, vp) => {
          const tls: { certFile?: string; keyFile?: string } = {};
          walk(v, vp, {
            cert_file: (f, fp) => {
              const s = scalar<string>(f, fp, 'string');
              if (s !== undefined && s !== '') tls.certFile = s;
            },
            key_file: (f, fp) => {
              const s = scalar<string>(f, fp, 'string');
              if (s !== undefined && s !== '') tls.keyFile = s;
            },
          });
          if (v === null || (isScalar(v) && v.value === null)) return;
          if (tls.certFile === undefined || tls.keyFile === undefined) {
            issues.push(issue('required', 'web.tls: cert_file and key_file are both required', { path: vp, ...at(v) }));
          } else web.tls = { certFile: tls.certFile, keyFile: tls.keyFile };
        },
      }),
  });

  if (issues.length > 0) return fail(sortIssues(issues));
  return ok({ multitenancy: { requireTenant }, limits, overrides, alertmanager: am, storage, web, scrape, ruler: ruler.value(), thresholds: thresholds.value(), auth: auth.value(), kube });
}

interface Walker {
  readonly walk: (node: Node | null, path: Path, fields: Section) => void;
  readonly scalar: <T>(node: Node | null, path: Path, kind: 'boolean' | 'string' | 'number') => T | undefined;
  readonly at: (node: Node | null | undefined) => Pick<Issue, 'range'>;
  readonly issues: Issue[];
}

/** The `ruler:` section (RulerConfig in src/ruler/api.ts); defaults from DEFAULT_RULER_CONFIG. */
function rulerSection(w: Walker): { parse: (node: Node | null, path: Path) => void; value: () => RulerConfig } {
  const { walk, scalar, at, issues } = w;
  let cfg: RulerConfig = DEFAULT_RULER_CONFIG;
  const bad = (code: string, message: string, path: Path, node: Node | null | undefined): void => {
    issues.push(issue(code, message, { path, ...at(node) }));
  };
  const duration = (positive: boolean, set: (ms: number) => void) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s === undefined) return;
    const d = parseDuration(s);
    if (!d.ok || (positive && d.value <= 0)) bad('duration', `${vp.join('.')}: not a valid ${positive ? 'positive ' : ''}duration ${JSON.stringify(s)}`, vp, v);
    else set(d.value);
  };
  const str = (set: (s: string) => void) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s !== undefined) set(s);
  };
  const bool = (set: (b: boolean) => void) => (v: Node | null, vp: Path) => {
    const b = scalar<boolean>(v, vp, 'boolean');
    if (b !== undefined) set(b);
  };
  const url = (set: (s: string) => void) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s === undefined) return;
    if (!URL.canParse(s) || !/^https?:$/.test(new URL(s).protocol)) bad('url', `${vp.join('.')}: invalid http(s) URL ${JSON.stringify(s)}`, vp, v);
    else set(s.replace(/\/+$/, ''));
  };
  const stringMap = (what: string, check: (k: string) => boolean, set: (m: Record<string, string>) => void) => (v: Node | null, vp: Path) => {
    if (v === null || (isScalar(v) && v.value === null)) return;
    if (!isMap(v)) return bad('type', `${vp.join('.')} must be a mapping of ${what} to strings`, vp, v);
    const m: Record<string, string> = {};
    for (const pair of v.items as Pair<Node, Node | null>[]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!check(k)) bad('label', `${vp.join('.')}: invalid ${what} ${JSON.stringify(k)}`, [...vp, k], pair.key);
      const s = scalar<string>(pair.value, [...vp, k], 'string');
      if (s !== undefined) m[k] = s;
    }
    set(m);
  };
  /** basic_auth, bearer_token, headers into `target`; at most one of basic_auth and bearer_token. */
  const authFields = (target: { -readonly [K in keyof PeerAuth]: PeerAuth[K] }): Section => ({
    basic_auth: (v, vp) => {
      const ba = { username: '', password: '' };
      walk(v, vp, { username: str((s) => (ba.username = s)), password: str((s) => (ba.password = s)) });
      if (ba.username === '') bad('required', `${vp.join('.')}.username is required`, vp, v);
      target.basicAuth = ba;
    },
    bearer_token: str((s) => (target.bearerToken = s)),
    headers: stringMap('header name', (k) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k), (m) => (target.headers = m)),
  });
  const checkAuth = (a: PeerAuth, path: Path, node: Node | null): void => {
    if (a.basicAuth && a.bearerToken !== undefined) bad('auth', `${path.join('.')}: at most one of basic_auth and bearer_token must be configured`, path, node);
  };

  const parse = (node: Node | null, path: Path): void => {
    const c: { -readonly [K in keyof RulerConfig]: RulerConfig[K] } = { ...DEFAULT_RULER_CONFIG };
    walk(node, path, {
      enabled: bool((b) => (c.enabled = b)),
      evaluation_interval: duration(true, (ms) => (c.evaluationIntervalMs = ms)),
      rule_query_offset: duration(false, (ms) => (c.ruleQueryOffsetMs = ms)),
      resend_delay: duration(false, (ms) => (c.resendDelayMs = ms)),
      for_grace_period: duration(false, (ms) => (c.forGracePeriodMs = ms)),
      for_outage_tolerance: duration(false, (ms) => (c.forOutageToleranceMs = ms)),
      rules_directory: str((s) => {
        if (s !== '') c.rulesDirectory = s;
      }),
      poll_interval: duration(true, (ms) => (c.pollIntervalMs = ms)),
      external_labels: stringMap('label name', isClassicLabelName, (m) => (c.externalLabels = m)),
      notify_local_alertmanager: bool((b) => (c.notifyLocal = b)),
      alertmanagers: (v, vp) => {
        if (v === null || (isScalar(v) && v.value === null)) return;
        if (!isSeq(v)) return bad('type', `${vp.join('.')} must be a list`, vp, v);
        const out: ExternalAlertmanager[] = [];
        v.items.forEach((item, i) => {
          const ip = [...vp, i];
          const am: { -readonly [K in keyof ExternalAlertmanager]: ExternalAlertmanager[K] } = { url: '', tenantHeader: DEFAULT_TENANT_HEADER, timeoutMs: DEFAULT_ALERTMANAGER_TIMEOUT_MS };
          walk(item as Node, ip, {
            url: url((s) => (am.url = s)),
            tenant_header: str((s) => (am.tenantHeader = s)),
            timeout: duration(true, (ms) => (am.timeoutMs = ms)),
            ...authFields(am),
          });
          if (isMap(item) && !item.has('url')) bad('required', `${ip.join('.')}.url is required`, ip, item);
          checkAuth(am, ip, item as Node);
          out.push(am);
        });
        c.alertmanagers = out;
      },
      alert_relabel_configs: (v, vp) => {
        if (v === null || (isScalar(v) && v.value === null)) return;
        if (!isSeq(v)) return bad('type', `${vp.join('.')} must be a list of relabel configs`, vp, v);
        const out: unknown[] = [];
        v.items.forEach((item, i) => {
          const ip = [...vp, i];
          const raw = relabelRaw(item as Node, ip);
          if (!raw) return;
          const r = newRelabelRule(raw, ip);
          if (!r.ok) for (const it of r.issues) bad(it.code, `${ip.join('.')}: ${it.message}`, [...(it.path ?? ip)], item as Node);
          else out.push(raw);
        });
        c.alertRelabelConfigs = out;
      },
      query_backend: (v, vp) => {
        const backend = queryBackend(v, vp);
        if (backend) c.queryBackend = backend;
      },
    });
    cfg = c;
  };

  /** A relabel config as plain data, each field type-checked; undefined after reporting a problem. */
  const relabelRaw = (node: Node, path: Path): RawRelabelRule | undefined => {
    if (!isMap(node)) {
      bad('type', `${path.join('.')} must be a mapping`, path, node);
      return undefined;
    }
    const raw: Record<string, unknown> = {};
    let okay = true;
    for (const pair of node.items as Pair<Node, Node | null>[]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const kp = [...path, k];
      if (!RELABEL_KEYS.has(k)) {
        bad('unknown_field', `unknown field ${JSON.stringify(k)}`, kp, pair.key);
        okay = false;
      } else if (k === 'source_labels') {
        const list = isSeq(pair.value) ? pair.value.items.map((x) => (isScalar(x) && typeof x.value === 'string' ? x.value : undefined)) : undefined;
        if (!list || list.some((x) => x === undefined)) {
          bad('type', `${kp.join('.')} must be a list of label names`, kp, pair.value);
          okay = false;
        } else raw[k] = list;
      } else if (k === 'modulus') {
        const n = scalar<number>(pair.value, kp, 'number');
        if (n === undefined || !Number.isInteger(n) || n < 0) {
          if (n !== undefined) bad('range', `${kp.join('.')} must be a non-negative integer`, kp, pair.value);
          okay = false;
        } else raw[k] = n;
      } else {
        // Prometheus reads regex/replacement as strings; YAML numbers are accepted as their text.
        const sv = isScalar(pair.value) && (typeof pair.value.value === 'string' || typeof pair.value.value === 'number') ? String(pair.value.value) : undefined;
        if (sv === undefined) {
          bad('type', `${kp.join('.')} must be a string`, kp, pair.value);
          okay = false;
        } else raw[k] = sv;
      }
    }
    return okay ? (raw) : undefined;
  };

  const queryBackend = (v: Node | null, vp: Path): QueryBackendConfig | undefined => {
    if (v === null || (isScalar(v) && v.value === null)) return undefined;
    if (!isMap(v)) {
      bad('type', `${vp.join('.')} must be a mapping`, vp, v);
      return undefined;
    }
    const typeNode = v.get('type', true) as Node | undefined;
    const type = isScalar(typeNode) ? typeNode.value : undefined;
    if (type === undefined || type === 'embedded') {
      walk(v, vp, { type: () => undefined });
      return { type: 'embedded' };
    }
    if (type !== 'prometheus') {
      bad('value', `${vp.join('.')}.type must be "embedded" or "prometheus", got ${JSON.stringify(type)}`, [...vp, 'type'], typeNode);
      return undefined;
    }
    const b: { -readonly [K in keyof PeerAuth]: PeerAuth[K] } & { url: string; tenantHeader: string; timeoutMs: number; remoteWriteUrl?: string } = {
      url: '',
      tenantHeader: DEFAULT_TENANT_HEADER,
      timeoutMs: DEFAULT_QUERY_TIMEOUT_MS,
    };
    const tenants = new Map<string, PeerAuth>();
    walk(v, vp, {
      type: () => undefined,
      url: url((s) => (b.url = s)),
      tenant_header: str((s) => (b.tenantHeader = s)),
      timeout: duration(true, (ms) => (b.timeoutMs = ms)),
      remote_write_url: url((s) => (b.remoteWriteUrl = s)),
      ...authFields(b),
      tenants: (tn, tp) => {
        if (tn === null || (isScalar(tn) && tn.value === null)) return;
        if (!isMap(tn)) return bad('type', `${tp.join('.')} must be a mapping of tenant id to credentials`, tp, tn);
        for (const pair of tn.items as Pair<Node, Node | null>[]) {
          const tenant = isScalar(pair.key) ? String(pair.key.value) : '';
          const problem = tenantIdProblem(tenant);
          if (problem) bad('tenant', `${tp.join('.')}: ${problem}`, [...tp, tenant], pair.key);
          const auth: { -readonly [K in keyof PeerAuth]: PeerAuth[K] } = {};
          walk(pair.value, [...tp, tenant], authFields(auth));
          checkAuth(auth, [...tp, tenant], pair.value);
          tenants.set(tenant, auth);
        }
      },
    });
    if (!v.has('url')) bad('required', `${vp.join('.')}.url is required for type "prometheus"`, vp, v);
    checkAuth(b, vp, v);
    return { type: 'prometheus', ...b, tenants };
  };

  return { parse, value: () => cfg };
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

const PACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The `thresholds:` section (ThresholdsConfig in src/thresholds/api.ts). */
function thresholdsSection(w: Walker): { parse: (node: Node | null, path: Path) => void; value: () => ThresholdsConfig } {
  const { walk, scalar, at, issues } = w;
  let cfg: ThresholdsConfig = DEFAULT_THRESHOLDS_CONFIG;
  const bad = (message: string, path: Path, node: Node | null | undefined): void => {
    issues.push(issue('thresholds', message, { path, ...at(node) }));
  };
  const duration = (set: (ms: number) => void) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s === undefined) return;
    const d = parseDuration(s);
    if (!d.ok || d.value <= 0) bad(`${vp.join('.')}: not a valid positive duration ${JSON.stringify(s)}`, vp, v);
    else set(d.value);
  };
  const path = (set: (s: string) => void) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s !== undefined && s !== '') set(s);
  };
  const parse = (node: Node | null, p: Path): void => {
    const c: { -readonly [K in keyof ThresholdsConfig]: ThresholdsConfig[K] } = { ...DEFAULT_THRESHOLDS_CONFIG };
    walk(node, p, {
      directory: path((s) => (c.directory = s)),
      poll_interval: duration((ms) => (c.pollIntervalMs = ms)),
      refresh_interval: duration((ms) => {
        if (ms >= 5 * 60_000) bad(`${[...p, 'refresh_interval'].join('.')} must be under 5m (the query lookback), got ${formatDuration(ms)}`, [...p, 'refresh_interval'], node);
        else c.refreshIntervalMs = ms;
      }),
      rule_packs: (v, vp) => {
        if (v === null || (isScalar(v) && v.value === null)) return;
        if (!isSeq(v)) return bad(`${vp.join('.')} must be a list of pack names`, vp, v);
        const names: string[] = [];
        v.items.forEach((item, i) => {
          const s = scalar<string>(item as Node, [...vp, i], 'string');
          if (s === undefined) return;
          if (!PACK_NAME.test(s)) bad(`${vp.join('.')}[${i}]: invalid pack name ${JSON.stringify(s)}`, [...vp, i], item as Node);
          else if (names.includes(s)) bad(`${vp.join('.')}[${i}]: pack ${JSON.stringify(s)} listed twice`, [...vp, i], item as Node);
          else names.push(s);
        });
        c.rulePacks = names;
      },
      rule_packs_directory: path((s) => (c.rulePacksDirectory = s)),
      evaluation_interval: duration((ms) => (c.evaluationIntervalMs = ms)),
      platform_tenant: (v, vp) => {
        const s = scalar<string>(v, vp, 'string');
        if (s === undefined) return;
        const problem = tenantIdProblem(s);
        if (problem) bad(`${vp.join('.')}: ${problem}`, vp, v);
        else c.platformTenant = s;
      },
    });
    cfg = c;
  };
  return { parse, value: () => cfg };
}
