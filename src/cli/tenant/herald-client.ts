/**
 * A small client for the Herald HTTP APIs the tenant tools read: the thresholds API
 * (/api/herald/v1/thresholds), the Prometheus query, rules and alerts API (/prometheus/api/v1) and
 * the Alertmanager v2 API (/api/v2). Every call carries the tenant in X-Scope-OrgID and, when
 * given, credentials in Authorization (credentials.ts). Failures are HeraldApiError with the URL and
 * what the server said, for the CLI to print; a 401 or 403 is HeraldAuthError, which says which
 * credentials to pass and is never swallowed by a tool's per-check error handling.
 */
import type { HttpClient } from '../../core/runtime.js';
import { authorizationHeader, CREDENTIALS_HINT, describeCredentials } from './credentials.js';
import type { HeraldCredentials } from './credentials.js';

/** A request that failed: transport error, non-2xx status or a body that is not the expected JSON. */
export class HeraldApiError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | undefined,
    message: string,
    readonly body?: unknown,
  ) {
    super(`${url}: ${message}`);
    this.name = 'HeraldApiError';
  }
}

/** Herald refused the credentials (401) or what they may do (403). */
export class HeraldAuthError extends HeraldApiError {
  constructor(url: string, status: 401 | 403, message: string, body?: unknown) {
    super(url, status, message, body);
    this.name = 'HeraldAuthError';
  }
}

/** What to tell the user for a 401/403: what happened and which credentials to pass. */
export function authProblem(status: 401 | 403, tenant: string, credentials: HeraldCredentials | undefined, serverSays: string): string {
  const said = serverSays === '' ? '' : ` (${serverSays})`;
  if (status === 401) {
    if (credentials === undefined) return `status 401: Herald requires authentication${said}; ${CREDENTIALS_HINT}`;
    return `status 401: Herald did not accept ${describeCredentials(credentials)}${said}; check the ${credentials.kind === 'bearer' ? 'token' : 'user name and password'}, or ${CREDENTIALS_HINT}`;
  }
  const who = credentials === undefined ? 'the request (no credentials sent)' : describeCredentials(credentials);
  return `status 403: ${who} may not do this for tenant ${JSON.stringify(tenant)}${said}; use credentials whose tenants include ${JSON.stringify(tenant)} and whose role allows it (viewer to read, editor to patch)`;
}

/** Options of {@link HeraldClient}. */
export interface HeraldClientOptions {
  readonly credentials?: HeraldCredentials;
}

/** A URL's `user:password@` part, removed from the URL (so no message shows it) and kept as Basic credentials. */
function splitUserinfo(baseUrl: string): { url: string; credentials?: HeraldCredentials } {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return { url: baseUrl };
  }
  if (u.username === '' && u.password === '') return { url: baseUrl };
  const username = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), credentials: { kind: 'basic', username, password } };
}

/** One sample of an instant vector from /prometheus/api/v1/query. */
export interface QuerySample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** The JSON of GET /api/herald/v1/thresholds. */
export interface ThresholdsView {
  readonly tenant: string;
  readonly source: 'directory' | 'api' | 'none';
  readonly document: string;
  readonly resolved: readonly { readonly labels: Record<string, string>; readonly value: number; readonly key: string; readonly source: 'default' | 'custom' }[];
  readonly stateFilters: readonly { readonly filter: string; readonly severity: string }[];
  readonly problems: readonly { readonly source: string; readonly issues: readonly { readonly message: string; readonly line?: number; readonly column?: number }[] }[];
}

/** A rule of GET /prometheus/api/v1/rules (the fields the tools read). */
export interface RuleJson {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly state?: 'inactive' | 'pending' | 'firing';
  readonly alerts?: readonly AlertJson[];
}

export interface RuleGroupJson {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleJson[];
}

/** An alert of /prometheus/api/v1/alerts. */
export interface AlertJson {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly state: string;
  readonly value?: string;
  readonly activeAt?: string;
}

/** An alert of Alertmanager's GET /api/v2/alerts. */
export interface AmAlertJson {
  readonly labels: Record<string, string>;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: { readonly state: string };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The error text of an answer: `error` of a JSON body (Prometheus, Herald APIs), a JSON string (Alertmanager v2), or the text. */
function serverMessage(text: string): string {
  try {
    const j: unknown = JSON.parse(text);
    if (isObject(j) && typeof j.error === 'string') return j.error;
    if (typeof j === 'string') return j;
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 200);
}

/** Talks to one Herald for one tenant. */
export class HeraldClient {
  private readonly base: string;
  private readonly credentials: HeraldCredentials | undefined;

  constructor(
    private readonly http: HttpClient,
    baseUrl: string,
    readonly tenant: string,
    options: HeraldClientOptions = {},
  ) {
    const split = splitUserinfo(baseUrl);
    this.base = split.url.replace(/\/+$/, '');
    this.credentials = options.credentials ?? split.credentials;
  }

  private async call(method: 'GET' | 'PATCH' | 'PUT', path: string, body?: string, contentType?: string): Promise<{ status: number; text: string; url: string }> {
    const url = this.base + path;
    const headers: Record<string, string> = { 'X-Scope-OrgID': this.tenant, Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    if (this.credentials) headers['Authorization'] = authorizationHeader(this.credentials);
    let res: { status: number; body: string };
    try {
      res = await this.http.request({ url, method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (e) {
      throw new HeraldApiError(url, undefined, e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e));
    }
    if (res.status === 401 || res.status === 403) throw new HeraldAuthError(url, res.status, authProblem(res.status, this.tenant, this.credentials, serverMessage(res.body)));
    return { status: res.status, text: res.body, url };
  }

  private async json(path: string): Promise<unknown> {
    const r = await this.call('GET', path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.text);
    } catch {
      throw new HeraldApiError(r.url, r.status, r.status >= 400 ? `status ${r.status}: ${r.text.trim().slice(0, 200)}` : 'the answer is not JSON');
    }
    if (r.status >= 400) {
      const msg = isObject(parsed) && typeof parsed.error === 'string' ? parsed.error : r.text.trim().slice(0, 200);
      throw new HeraldApiError(r.url, r.status, `status ${r.status}: ${msg}`, parsed);
    }
    return parsed;
  }

  /** `data` of a Prometheus API answer. */
  private async promData(path: string): Promise<unknown> {
    const j = await this.json(path);
    if (!isObject(j) || j.status !== 'success') throw new HeraldApiError(this.base + path, undefined, 'not a Prometheus API success answer');
    return j.data;
  }

  async thresholds(): Promise<ThresholdsView> {
    return (await this.json('/api/herald/v1/thresholds')) as ThresholdsView;
  }

  /** PATCH of the tenant's document: status and the parsed error body (400/409). */
  async patchThresholds(changes: Record<string, string | number | null>): Promise<{ status: number; error?: string; issues?: readonly { message: string; line?: number; column?: number }[] }> {
    const r = await this.call('PATCH', '/api/herald/v1/thresholds', JSON.stringify(changes), 'application/json');
    if (r.status < 300) return { status: r.status };
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.text);
    } catch {
      return { status: r.status, error: r.text.trim() };
    }
    const error = isObject(parsed) && typeof parsed.error === 'string' ? parsed.error : r.text.trim();
    const issues = isObject(parsed) && Array.isArray(parsed.issues) ? (parsed.issues as { message: string; line?: number; column?: number }[]) : undefined;
    return { status: r.status, error, ...(issues ? { issues } : {}) };
  }

  /** Instant query; a vector's samples (a scalar as one sample with no labels). */
  async query(expr: string): Promise<QuerySample[]> {
    const data = await this.promData(`/prometheus/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (!isObject(data)) return [];
    if (data.resultType === 'scalar' && Array.isArray(data.result)) return [{ metric: {}, value: Number(data.result[1]) }];
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) throw new HeraldApiError(this.base, undefined, `query ${expr}: result is not a vector`);
    return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
  }

  async ruleGroups(): Promise<RuleGroupJson[]> {
    const data = await this.promData('/prometheus/api/v1/rules');
    return isObject(data) && Array.isArray(data.groups) ? (data.groups as RuleGroupJson[]) : [];
  }

  async alerts(): Promise<AlertJson[]> {
    const data = await this.promData('/prometheus/api/v1/alerts');
    return isObject(data) && Array.isArray(data.alerts) ? (data.alerts as AlertJson[]) : [];
  }

  async amAlerts(): Promise<AmAlertJson[]> {
    const j = await this.json('/api/v2/alerts');
    return Array.isArray(j) ? (j as AmAlertJson[]) : [];
  }

  /** The tenant's Alertmanager configuration as loaded (config.original of GET /api/v2/status). */
  async amConfig(): Promise<string | undefined> {
    const j = await this.json('/api/v2/status');
    return isObject(j) && isObject(j.config) && typeof j.config.original === 'string' ? j.config.original : undefined;
  }
}
