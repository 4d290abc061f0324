/**
 * Who may call which route (issue 9): one RoutePolicy per (method, registered route pattern) that
 * Herald serves. Reads are `viewer`; changes to alerts config, silences, rules and thresholds are
 * `editor`; Prometheus' two writes (remote_write, POST alerts) are `writer` (editor and admin may
 * too); operations on Herald itself are `admin`; health, readiness and the UI's static files are
 * public.
 *
 * Keys use the pattern fastify registered (`req.routeOptions.url`), so `/api/v2/silence/:id` is one
 * entry whatever the id. HEAD is answered as GET (fastify adds a HEAD route beside every GET).
 * A route missing here is refused when auth is required, and the route table test fails.
 */
import type { AuthConfig, RoutePolicy } from '../../auth/api.js';

/** Policies by `routeKey(method, url)`. */
export type PolicyTable = ReadonlyMap<string, RoutePolicy>;

/** The table key of a route; HEAD shares GET's policy. */
export function routeKey(method: string, url: string): string {
  const m = method.toUpperCase();
  return `${m === 'HEAD' ? 'GET' : m} ${url}`;
}

/** `/metrics`: admin only, unless the operator lets it be scraped without credentials. */
export const METRICS_ROUTE = routeKey('GET', '/metrics');

/** The policy of a route under the current config, or undefined when the table has none. */
export function policyFor(table: PolicyTable, method: string, url: string, config: AuthConfig): RoutePolicy | undefined {
  const key = routeKey(method, url);
  const policy = table.get(key);
  if (policy !== undefined && key === METRICS_ROUTE && config.publicMetrics) return PUBLIC;
  return policy;
}

const PUBLIC: RoutePolicy = { role: 'public', scope: 'global' };
const READ: RoutePolicy = { role: 'viewer', scope: 'tenant' };
const READ_GLOBAL: RoutePolicy = { role: 'viewer', scope: 'global' };
const SEND: RoutePolicy = { role: 'writer', scope: 'tenant' };
const edit = (audit: string): RoutePolicy => ({ role: 'editor', scope: 'tenant', audit });
const admin = (audit?: string): RoutePolicy => ({ role: 'admin', scope: 'global', ...(audit !== undefined ? { audit } : {}) });

type Entry = readonly [method: string, url: string, policy: RoutePolicy];

/** Operations (src/server/ops.ts) and the UI. */
function opsEntries(): Entry[] {
  return [
    ['GET', '/-/healthy', PUBLIC],
    ['GET', '/-/ready', PUBLIC],
    // Called by the Kubernetes API server (authenticated by TLS in front of Herald); it only says
    // whether an AlertmanagerConfig would be accepted, and changes nothing.
    ['POST', '/admission-alertmanagerconfigs/validate', PUBLIC],
    ['POST', '/-/reload', admin('herald.reload')],
    ['GET', '/metrics', admin()],
    // The built UI (src/server/ui-static): static files that name no tenant's data. The UI signs
    // in itself, and its calls go through the tenant routes below.
    ['GET', '/', PUBLIC],
    ['GET', '/assets/*', PUBLIC],
  ];
}

/** Alertmanager v2 (src/server/alertmanager-v2), under both prefixes. */
function alertmanagerV2Entries(): Entry[] {
  const out: Entry[] = [];
  for (const p of ['/api/v2', '/alertmanager/api/v2']) {
    out.push(
      ['GET', `${p}/status`, READ],
      ['GET', `${p}/receivers`, READ],
      ['GET', `${p}/alerts`, READ],
      ['POST', `${p}/alerts`, SEND],
      ['GET', `${p}/alerts/groups`, READ],
      ['GET', `${p}/silences`, READ],
      // A body with an existing silence's ID updates it (Alertmanager expires and recreates it).
      ['POST', `${p}/silences`, edit('silence.create')],
      ['GET', `${p}/silence/:id`, READ],
      ['DELETE', `${p}/silence/:id`, edit('silence.expire')],
    );
  }
  return out;
}

/** Alertmanager's removed v1 API (src/server/v1-deprecated.ts): 410 for whoever may read. */
function v1DeprecatedEntries(): Entry[] {
  const out: Entry[] = [];
  for (const p of ['/api/v1', '/alertmanager/api/v1']) {
    out.push(
      ['GET', `${p}/status`, READ_GLOBAL],
      ['GET', `${p}/receivers`, READ_GLOBAL],
      ['GET', `${p}/silences`, READ_GLOBAL],
      ['POST', `${p}/silences`, READ_GLOBAL],
      ['GET', `${p}/silence/:sid`, READ_GLOBAL],
      ['DELETE', `${p}/silence/:sid`, READ_GLOBAL],
    );
  }
  out.push(['GET', '/alertmanager/api/v1/alerts', READ_GLOBAL], ['POST', '/alertmanager/api/v1/alerts', READ_GLOBAL]);
  return out;
}

/** Mimir's Alertmanager config API (src/server/config-api.ts) and remote_write. */
function configAndIngestEntries(): Entry[] {
  return [
    // The uploaded config holds receiver secrets: editors only.
    ['GET', '/api/v1/alerts', { role: 'editor', scope: 'tenant' }],
    ['POST', '/api/v1/alerts', edit('alertmanager.config.put')],
    ['DELETE', '/api/v1/alerts', edit('alertmanager.config.delete')],
    ['POST', '/api/v1/push', SEND],
  ];
}

/** Prometheus' query API (src/server/prometheus-api): reads, POST forms included. */
function prometheusEntries(): Entry[] {
  const p = '/prometheus/api/v1';
  const out: Entry[] = [];
  for (const r of ['query', 'query_range', 'series', 'labels']) out.push(['GET', `${p}/${r}`, READ], ['POST', `${p}/${r}`, READ]);
  out.push(
    ['GET', `${p}/label/:name/values`, READ],
    ['GET', `${p}/metadata`, READ],
    ['GET', `${p}/status/buildinfo`, READ_GLOBAL],
    ['GET', `${p}/rules`, READ],
    ['GET', `${p}/alerts`, READ],
  );
  return out;
}

/** Mimir's ruler config API under both prefixes (src/server/ruler-api). */
function rulerEntries(): Entry[] {
  const out: Entry[] = [];
  for (const p of ['/prometheus/config/v1/rules', '/api/v1/rules']) {
    out.push(
      ['GET', p, READ],
      ['GET', `${p}/:namespace`, READ],
      ['GET', `${p}/:namespace/:groupName`, READ],
      ['POST', `${p}/:namespace`, edit('rules.group.put')],
      ['DELETE', `${p}/:namespace/:groupName`, edit('rules.group.delete')],
      ['DELETE', `${p}/:namespace`, edit('rules.namespace.delete')],
    );
  }
  return out;
}

/** Herald's own API under /api/herald/v1 (herald-api, ruler-api, thresholds-api, audit, ui-api). */
function heraldEntries(): Entry[] {
  const p = '/api/herald/v1';
  return [
    ['GET', `${p}/notifications`, READ],
    // Sends a real notification through the tenant's receiver (changes no state: not audited).
    ['POST', `${p}/receivers/test`, { role: 'editor', scope: 'tenant' }],
    // Changes nothing, but runs tenant-supplied templates: an authoring tool.
    ['POST', `${p}/templates/preview`, { role: 'editor', scope: 'tenant' }],
    ['GET', `${p}/rules/problems`, READ],
    // The tenant's Kubernetes / GitOps objects and why any was rejected (issue 8).
    ['GET', `${p}/kube/objects`, READ],
    ['GET', `${p}/thresholds`, READ],
    ['GET', `${p}/thresholds/defaults`, READ_GLOBAL],
    ['PUT', `${p}/thresholds`, edit('thresholds.put')],
    ['PATCH', `${p}/thresholds`, edit('thresholds.patch')],
    ['DELETE', `${p}/thresholds`, edit('thresholds.delete')],
    ['GET', `${p}/audit`, READ],
    // The UI's API (src/server/ui-api): the caller and its tenants, then the request tenant's
    // routing tree, route tests (amtool's `config routes test`: changes nothing) and status.
    ['GET', `${p}/whoami`, READ_GLOBAL],
    ['GET', `${p}/tenants`, READ_GLOBAL],
    ['GET', `${p}/routes`, READ],
    ['POST', `${p}/routes/test`, READ],
    ['GET', `${p}/status`, READ],
    // Every tenant's thresholds, for the platform's Prometheus: as operator-only as /metrics.
    ['GET', '/thresholds/metrics', admin()],
  ];
}

function buildTable(): PolicyTable {
  const table = new Map<string, RoutePolicy>();
  const all = [...opsEntries(), ...alertmanagerV2Entries(), ...v1DeprecatedEntries(), ...configAndIngestEntries(), ...prometheusEntries(), ...rulerEntries(), ...heraldEntries()];
  for (const [method, url, policy] of all) {
    const key = routeKey(method, url);
    if (table.has(key)) throw new Error(`route policy table: ${key} listed twice`);
    table.set(key, policy);
  }
  return table;
}

/** The policy of every route Herald serves. */
export const HERALD_ROUTE_POLICIES: PolicyTable = buildTable();
