/**
 * QueryBackend over any Prometheus-compatible HTTP API (Prometheus, Mimir, VictoriaMetrics,
 * Thanos): rule queries are instant queries POSTed form-encoded to `<url>/api/v1/query`, as
 * Mimir's remote ruler does (pkg/ruler/remotequerier.go), with the tenant in a header; rule
 * output goes to the configured remote_write 1.0 endpoint (remote-write-client.ts). Result
 * handling follows Prometheus' EngineQueryFunc (rules/manager.go): a vector, or a scalar as one
 * sample without labels.
 */
import type { Millis } from '../../core/alert.js';
import type { Clock, HttpClient } from '../../core/runtime.js';
import { SYSTEM_CLOCK } from '../../core/runtime.js';
import { RuleQueryError } from '../api.js';
import type { QueryBackend, RuleSample, RuleSeries } from '../api.js';
import { authFor, joinUrl, peerHeaders, redactUrl, RemoteBackendError, sendBounded, snippet } from './peer-http.js';
import type { RemoteBackendConfig } from './peer-http.js';
import { decodeQueryResponse } from './query-response.js';
import type { QueryData } from './query-response.js';
import { RemoteWriteClient } from './remote-write-client.js';

export interface RemoteBackendOptions {
  readonly tenant: string;
  readonly config: RemoteBackendConfig;
  readonly http: HttpClient;
  /** e.g. `Herald/1.2.0`. */
  readonly userAgent: string;
  /** Runs the request timeouts (default: the system clock). */
  readonly clock?: Clock;
}

/** `ms` since the epoch as the seconds Prometheus' API reads: whole seconds, then up to three decimals. */
export function formatQueryTime(ms: Millis): string {
  const neg = ms < 0;
  const abs = Math.round(Math.abs(ms));
  const secs = Math.floor(abs / 1000);
  const frac = abs % 1000;
  return (neg ? '-' : '') + String(secs) + (frac !== 0 ? '.' + String(frac).padStart(3, '0') : '');
}

class RemoteQueryBackend implements QueryBackend {
  private readonly queryUrl: string;
  private readonly shownUrl: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly clock: Clock;
  private readonly writer: RemoteWriteClient | undefined;

  constructor(private readonly o: RemoteBackendOptions) {
    const { config, tenant } = o;
    this.queryUrl = joinUrl(config.url, '/api/v1/query');
    this.shownUrl = redactUrl(this.queryUrl);
    this.clock = o.clock ?? SYSTEM_CLOCK;
    const auth = authFor(config, tenant);
    this.headers = {
      ...peerHeaders(auth, config.tenantHeader, tenant, o.userAgent),
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    this.writer =
      config.remoteWriteUrl === undefined || config.remoteWriteUrl === ''
        ? undefined
        : new RemoteWriteClient({ url: config.remoteWriteUrl, tenant, tenantHeader: config.tenantHeader, auth, timeoutMs: config.timeoutMs, userAgent: o.userAgent, http: o.http, clock: this.clock });
  }

  async queryVector(expr: string, timeMs: Millis, signal?: AbortSignal): Promise<RuleSample[]> {
    const data = await this.query(expr, timeMs, signal);
    if (data.resultType === 'vector') return data.samples;
    if (data.resultType === 'scalar') return [data.sample];
    throw new RuleQueryError('rule result is not a vector or scalar');
  }

  async queryMatrix(expr: string, timeMs: Millis, signal?: AbortSignal): Promise<RuleSeries[]> {
    const data = await this.query(expr, timeMs, signal);
    if (data.resultType !== 'matrix') throw new RuleQueryError(`query result is a ${data.resultType}, not a range vector`);
    return data.series;
  }

  append(samples: readonly RuleSample[]): Promise<{ readonly rejected: number; readonly firstError?: string }> {
    if (samples.length === 0) return Promise.resolve({ rejected: 0 });
    // Without remote_write_url, rule output is not written anywhere by configuration, not by
    // failure: rules stay healthy (the app warns once that for-state cannot be restored).
    if (!this.writer) return Promise.resolve({ rejected: 0 });
    return this.writer.write(samples);
  }

  private async query(expr: string, timeMs: Millis, signal?: AbortSignal): Promise<QueryData> {
    const body = new URLSearchParams({ query: expr, time: formatQueryTime(timeMs) }).toString();
    const res = await sendBounded(this.o.http, this.clock, { url: this.queryUrl, method: 'POST', headers: this.headers, body }, this.o.config.timeoutMs, signal);
    const url = this.shownUrl;
    const decoded = decodeQueryResponse(res.body);
    if (!decoded.ok && decoded.kind === 'remote') {
      const prefix = decoded.errorType !== '' ? `${decoded.errorType}: ` : '';
      throw new RemoteBackendError(`${url}: ${prefix}${decoded.error}`, url, res.status, decoded.errorType);
    }
    if (res.status < 200 || res.status > 299) {
      const text = snippet(res.body);
      throw new RemoteBackendError(`${url}: unexpected status ${res.status}${text !== '' ? `: ${text}` : ''}`, url, res.status);
    }
    if (!decoded.ok) throw new RemoteBackendError(`${url}: invalid query response (status ${res.status}): ${decoded.problem}`, url, res.status);
    return decoded.data;
  }
}

/** A QueryBackend for `tenant` over the Prometheus-compatible API `config.url`. */
export function createRemoteBackend(opts: RemoteBackendOptions): QueryBackend {
  return new RemoteQueryBackend(opts);
}
