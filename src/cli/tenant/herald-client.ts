/**
 * A small client for the Herald HTTP APIs the tenant tools read: the thresholds API
 * (/api/herald/v1/thresholds), the Prometheus query, rules and alerts API (/prometheus/api/v1) and
 * the Alertmanager v2 API (/api/v2). Every call carries the tenant in X-Scope-OrgID. Failures are
 * HeraldApiError with the URL and what the server said, for the CLI to print.
 */
import type { HttpClient } from '../../core/runtime.js';

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

/** Talks to one Herald for one tenant. */
export class HeraldClient {
  private readonly base: string;

  constructor(
    private readonly http: HttpClient,
    baseUrl: string,
    readonly tenant: string,
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  private async call(method: 'GET' | 'PATCH' | 'PUT', path: string, body?: string, contentType?: string): Promise<{ status: number; text: string; url: string }> {
    const url = this.base + path;
    const headers: Record<string, string> = { 'X-Scope-OrgID': this.tenant, Accept: 'application/json' };
    if (contentType) headers['Content-Type'] = contentType;
    try {
      const res = await this.http.request({ url, method, headers, ...(body !== undefined ? { body } : {}) });
      return { status: res.status, text: res.body, url };
    } catch (e) {
      throw new HeraldApiError(url, undefined, e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e));
    }
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
