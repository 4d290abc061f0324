/**
 * HTTP helpers every HTTP-based integration shares. Mirrors Alertmanager's notify/util.go
 * (Retrier, failure reasons, User-Agent) and the subset of prometheus/common HTTPClientConfig
 * that turns into request headers (basic_auth, authorization, bearer_token).
 */
import { Buffer } from 'node:buffer';
import { parseDuration } from '../../core/duration.js';
import type { Clock, HttpClient, HttpRequest, HttpResponse } from '../../core/runtime.js';
import { OAuth2TokenSource } from './oauth2.js';
import type { NotifierDeps, NotifyResult } from './types.js';

/**
 * An HttpRequest with the http_config settings that have no field in core's HttpRequest yet.
 * Clients that do not know `followRedirects` follow redirects (prometheus/common's default).
 */
export type HttpRequestWithOptions = HttpRequest & { readonly followRedirects?: boolean };

/** Alertmanager's failure reasons (notify/util.go Reason.String). */
export type FailureReason = 'other' | 'clientError' | 'serverError' | 'contextCanceled' | 'contextDeadlineExceeded' | 'authError' | 'rateLimited';

/** GetFailureReasonFromStatusCode. */
export function failureReasonFromStatus(status: number): FailureReason {
  if (status === 401 || status === 403) return 'authError';
  if (status === 429) return 'rateLimited';
  if (Math.floor(status / 100) === 4) return 'clientError';
  if (Math.floor(status / 100) === 5) return 'serverError';
  return 'other';
}

/**
 * Retrier.Check: 2xx succeed, 5xx (and `retryCodes`) are retried, anything else fails for good.
 * The error text is `unexpected status code N[: body]`.
 */
export function checkResponse(res: HttpResponse, retryCodes: readonly number[] = []): NotifyResult {
  if (Math.floor(res.status / 100) === 2) return { ok: true };
  const retryable = Math.floor(res.status / 100) === 5 || retryCodes.includes(res.status);
  const error = res.body !== '' ? `unexpected status code ${res.status}: ${res.body}` : `unexpected status code ${res.status}`;
  return { ok: false, retryable, error, reason: failureReasonFromStatus(res.status) };
}

/** `Alertmanager/<version>`, as version.ComponentUserAgent("Alertmanager"). */
export function userAgent(version: string): string {
  return `Alertmanager/${version}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Request headers from an `http_config` block (wire names): basic_auth, authorization
 * (type defaults to Bearer), the legacy bearer_token, and http_headers with inline values.
 */
export function httpConfigHeaders(httpConfig: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const hc = obj(httpConfig);
  if (!hc) return out;
  const basic = obj(hc['basic_auth']);
  const authz = obj(hc['authorization']);
  if (basic) {
    const user = str(basic['username']) ?? '';
    const pass = str(basic['password']) ?? '';
    out['Authorization'] = 'Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
  } else if (authz) {
    const type = str(authz['type']) ?? 'Bearer';
    const credentials = str(authz['credentials']) ?? '';
    out['Authorization'] = `${type === '' ? 'Bearer' : type} ${credentials}`;
  } else {
    const bearer = str(hc['bearer_token']);
    if (bearer !== undefined && bearer !== '') out['Authorization'] = `Bearer ${bearer}`;
  }
  const extra = obj(hc['http_headers']);
  if (extra) {
    for (const [name, h] of Object.entries(extra)) {
      if (typeof h === 'string') {
        out[name] = h;
        continue;
      }
      // Header.Values then Header.Secrets, each added as one value (sent comma-joined here).
      const values: string[] = [];
      for (const key of ['values', 'secrets']) {
        const list = obj(h)?.[key];
        if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') values.push(v);
      }
      if (values.length > 0) out[name] = values.join(', ');
    }
  }
  return out;
}

/** A duration setting: milliseconds as a number, or a Prometheus duration string. 0 when unset/invalid. */
export function durationSetting(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  if (typeof v === 'string') {
    const r = parseDuration(v);
    if (r.ok) return r.value;
  }
  return 0;
}

/**
 * Sends one request; bounded by `timeoutMs` (0 = only the flush deadline) on the injected clock.
 * Transport failures and timeouts are retryable, as upstream (the URL is redacted from errors).
 */
export async function sendRequest(
  deps: NotifierDeps,
  req: Omit<HttpRequest, 'signal'>,
  signal: AbortSignal,
  timeoutMs: number,
  retryCodes: readonly number[] = [],
  integration = 'integration',
): Promise<NotifyResult> {
  const timeoutText = `configured ${integration} timeout reached (${goDurationString(timeoutMs)})`;
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    timeoutMs > 0
      ? deps.clock.schedule(timeoutMs, () => {
          timedOut = true;
          ac.abort(new Error(timeoutText));
        })
      : undefined;
  try {
    const res = await deps.http.request({ ...req, signal: ac.signal });
    return checkResponse(res, retryCodes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const why = timedOut ? `: ${timeoutText}` : '';
    // Transport errors are retried, except those the client marks as final (receiver firewall).
    const retryable = !(typeof e === 'object' && e !== null && (e as { retryable?: unknown }).retryable === false);
    return { ok: false, retryable, error: `${req.method} "<redacted>": ${redact(msg, req.url)}${why}` };
  } finally {
    timer?.cancel();
    signal.removeEventListener('abort', onAbort);
  }
}

function redact(msg: string, url: string): string {
  return url !== '' && msg.includes(url) ? msg.split(url).join('<redacted>') : msg;
}

/** Go's time.Duration.String for whole milliseconds: `500ms`, `10s`, `1m30s`, `2h0m0s`. */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const secs = String((ms % 60_000) / 1000);
  return (h > 0 ? `${h}h` : '') + (h > 0 || m > 0 ? `${m}m` : '') + `${secs}s`;
}

const TLS_VERSIONS: Readonly<Record<string, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** HttpRequest.tls from a `tls_config` block with inline PEM (file and ref variants are not read). */
export function tlsOptions(tlsConfig: unknown): HttpRequest['tls'] | undefined {
  const t = obj(tlsConfig);
  if (!t) return undefined;
  const out: { -readonly [K in keyof NonNullable<HttpRequest['tls']>]: NonNullable<HttpRequest['tls']>[K] } = {};
  const ca = str(t['ca']);
  const cert = str(t['cert']);
  const key = str(t['key']);
  const serverName = str(t['server_name']);
  const minVersion = TLS_VERSIONS[str(t['min_version']) ?? ''];
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  if (serverName) out.serverName = serverName;
  if (t['insecure_skip_verify'] === true) out.insecureSkipVerify = true;
  if (minVersion) out.minVersion = minVersion;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Wraps `http` so every request an integration makes honours the rest of its `http_config`:
 * OAuth2 client credentials (token fetched through the same client, cached), `tls_config`, and
 * `follow_redirects: false`. Headers (basic_auth, authorization, bearer_token, http_headers) come
 * from httpConfigHeaders, which integrations add themselves; `enable_http2` is ignored (HTTP/1.1).
 * Returns `http` itself when nothing applies.
 */
export function withHttpConfig(http: HttpClient, httpConfig: unknown, clock: Clock): HttpClient {
  const hc = obj(httpConfig);
  if (!hc) return http;
  const tls = tlsOptions(hc['tls_config']);
  const noRedirects = hc['follow_redirects'] === false;
  const o2 = obj(hc['oauth2']);
  const oauth2 = o2 ? new OAuth2TokenSource(o2, http, clock, tlsOptions(o2['tls_config'])) : undefined;
  if (!tls && !noRedirects && !oauth2) return http;
  return {
    async request(req) {
      const headers = oauth2 ? { ...req.headers, Authorization: await oauth2.authorization(req.signal) } : req.headers;
      const next: HttpRequestWithOptions = {
        ...req,
        headers,
        ...(tls && !req.tls ? { tls } : {}),
        ...(noRedirects ? { followRedirects: false } : {}),
      };
      return http.request(next);
    },
  };
}

/** NotifierDeps for one integration entry: `http` bound to the entry's http_config. */
export function integrationDeps(deps: NotifierDeps, settings: Readonly<Record<string, unknown>>): NotifierDeps {
  const http = withHttpConfig(deps.http, settings['http_config'], deps.clock);
  return http === deps.http ? deps : { ...deps, http };
}
