/**
 * What an audited change touched, and that object's state before and after it: the tenant's
 * Alertmanager config (`/api/v1/alerts`, Mimir's config API), a silence (`/api/v2/silences`,
 * `/api/v2/silence/{id}`, also under `/alertmanager`), a rule group or namespace (Mimir's ruler
 * config API under `/prometheus/config/v1/rules` and `/api/v1/rules`), and the thresholds
 * document (`/api/herald/v1/thresholds`). The object is found from the matched route and the
 * request, not from the action name, so the policy table may name actions as it likes.
 */
import { parse as parseYaml } from 'yaml';

/** What the audit hooks pass on of an HTTP request (no framework types here). */
export interface AuditRequest {
  readonly method: string;
  /** The matched route pattern (`/api/v2/silence/:id`), not the raw URL. */
  readonly route: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The parsed body: text for the YAML APIs, a JSON value for the Alertmanager v2 API. */
  readonly body: unknown;
}

/** `before` runs ahead of the handler; `after` once it answered 2xx, with its response body. */
export type SnapshotPhase = { readonly when: 'before' } | { readonly when: 'after'; readonly responseBody: string | undefined };

/** The object a change touched and its state as text (undefined: it does not exist). */
export interface Snapshot {
  readonly object: string;
  readonly state: string | undefined;
}

export type SnapshotFn = (action: string, tenant: string, req: AuditRequest, phase: SnapshotPhase) => Promise<Snapshot>;

/** Reads of the current state, wired in app.ts. Each answers undefined when the object does not exist. */
export interface SnapshotSources {
  /** The tenant's stored user config (`alertmanager_config` + `template_files`) as uploaded. */
  getUserConfigText(tenant: string): Promise<string | undefined>;
  /** One silence as the v2 API's JSON (gettableSilence). */
  getSilence(tenant: string, id: string): Promise<string | undefined>;
  /** One rule group as YAML. */
  getRuleGroup(tenant: string, namespace: string, group: string): Promise<string | undefined>;
  /** Every group of a namespace as YAML (DELETE of a whole namespace). */
  getRuleNamespace(tenant: string, namespace: string): Promise<string | undefined>;
  /** The tenant's thresholds document text. */
  getThresholdDocument(tenant: string): Promise<string | undefined>;
}

/** An audited route with no snapshot provider: a wiring mistake, reported by the hooks. */
export class NoSnapshotError extends Error {
  constructor(readonly method: string, readonly route: string) {
    super(`audit: no snapshot provider for ${method} ${route}`);
    this.name = 'NoSnapshotError';
  }
}

/** The object kinds snapshots know, resolved from a request. */
export type AuditTarget =
  | { readonly kind: 'config' }
  | { readonly kind: 'silence'; readonly id: string | undefined }
  | { readonly kind: 'rule-group'; readonly namespace: string; readonly group: string }
  | { readonly kind: 'rule-namespace'; readonly namespace: string }
  | { readonly kind: 'thresholds' };

export const CONFIG_OBJECT = 'alertmanager config';
export const THRESHOLDS_OBJECT = 'thresholds';

const RULE_PREFIXES = ['/prometheus/config/v1/rules', '/api/v1/rules'];

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The `name` of a POSTed rule group; undefined when the body is no YAML map with a string name. */
function groupNameOf(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const doc: unknown = parseYaml(body);
    return typeof doc === 'object' && doc !== null ? nonEmpty((doc as Record<string, unknown>)['name']) : undefined;
  } catch {
    return undefined;
  }
}

/** The `silenceID` of a v2 POST /silences answer. */
function silenceIdOf(responseBody: string | undefined): string | undefined {
  if (responseBody === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(responseBody);
    return typeof v === 'object' && v !== null ? nonEmpty((v as Record<string, unknown>)['silenceID']) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a request changes. A silence update may replace the silence by a new one (Alertmanager does
 * when matchers change): `before` then reads the old id from the body, `after` the new one from the
 * answer. Undefined for routes that change nothing known here.
 */
export function auditTarget(req: AuditRequest, phase: SnapshotPhase): AuditTarget | undefined {
  const route = req.route.replace(/^\/alertmanager(?=\/api\/v2\/)/, '').replace(/(.)\/$/, '$1');
  if (route === '/api/v1/alerts') return { kind: 'config' };
  if (route === '/api/herald/v1/thresholds') return { kind: 'thresholds' };
  if (route === '/api/v2/silences') {
    const bodyId = typeof req.body === 'object' && req.body !== null ? nonEmpty((req.body as Record<string, unknown>)['id']) : undefined;
    return { kind: 'silence', id: phase.when === 'after' ? (silenceIdOf(phase.responseBody) ?? bodyId) : bodyId };
  }
  if (route === '/api/v2/silence/:id') return { kind: 'silence', id: nonEmpty(req.params['id']) };
  for (const prefix of RULE_PREFIXES) {
    if (!route.startsWith(`${prefix}/`)) continue;
    const namespace = req.params['namespace'] ?? '';
    const named = req.params['groupName'];
    if (route === `${prefix}/:namespace/:groupName` && named !== undefined) return { kind: 'rule-group', namespace, group: named };
    if (route !== `${prefix}/:namespace`) return undefined;
    if (req.method === 'DELETE') return { kind: 'rule-namespace', namespace };
    const group = groupNameOf(req.body);
    return group === undefined ? { kind: 'rule-namespace', namespace } : { kind: 'rule-group', namespace, group };
  }
  return undefined;
}

/**
 * The snapshot function for the audit hooks, reading state through `sources`. A POSTed rule group
 * whose name cannot be read (the change will be refused) is reported as its namespace.
 */
export function createSnapshotter(sources: SnapshotSources): SnapshotFn {
  return async (_action, tenant, req, phase) => {
    const t = auditTarget(req, phase);
    if (t === undefined) throw new NoSnapshotError(req.method, req.route);
    switch (t.kind) {
      case 'config':
        return { object: CONFIG_OBJECT, state: await sources.getUserConfigText(tenant) };
      case 'thresholds':
        return { object: THRESHOLDS_OBJECT, state: await sources.getThresholdDocument(tenant) };
      case 'silence':
        return t.id === undefined ? { object: '', state: undefined } : { object: t.id, state: await sources.getSilence(tenant, t.id) };
      case 'rule-group':
        return { object: `${t.namespace}/${t.group}`, state: await sources.getRuleGroup(tenant, t.namespace, t.group) };
      case 'rule-namespace':
        if (req.method !== 'DELETE') return { object: t.namespace, state: undefined };
        return { object: t.namespace, state: await sources.getRuleNamespace(tenant, t.namespace) };
    }
  };
}
