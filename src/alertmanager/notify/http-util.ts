/**
 * HTTP helpers every HTTP-based integration shares. Mirrors Alertmanager's notify/util.go
 * (Retrier, failure reasons, User-Agent) and the subset of prometheus/common HTTPClientConfig
 * that turns into request headers (basic_auth, authorization, bearer_token).
 */
import { parseDuration } from '../../core/duration.js';
import type { Clock, HttpClient, HttpProxySettings, HttpRequest, HttpResponse } from '../../core/runtime.js';
import { basicAuthorization, fromFile, headerValues, httpConfigFileHeaders, httpConfigFileHeadersShape, readSetting } from './http-config-files.js';
import { OAuth2TokenSource } from './oauth2.js';
import type { NotifierDeps, NotifyResult, SecretFileReader } from './types.js';

export { httpConfigFileHeaders, SecretFileUnsupportedError } from './http-config-files.js';

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
 * Settings read from files are left out here: withHttpConfig adds them per request.
 */
export function httpConfigHeaders(httpConfig: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const hc = obj(httpConfig);
  if (!hc) return out;
  const basic = obj(hc['basic_auth']);
  const authz = obj(hc['authorization']);
  if (basic) {
    if (!fromFile(basic, 'username') && !fromFile(basic, 'password')) {
      const user = str(basic['username']) ?? '';
      const pass = str(basic['password']) ?? '';
      out['Authorization'] = basicAuthorization(user, pass);
    }
  } else if (authz) {
    const type = str(authz['type']) ?? 'Bearer';
    const credentials = str(authz['credentials']) ?? '';
    if (!fromFile(authz, 'credentials')) out['Authorization'] = `${type === '' ? 'Bearer' : type} ${credentials}`;
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
      if (Array.isArray(obj(h)?.['files']) && (obj(h)?.['files'] as unknown[]).length > 0) continue;
      const values = headerValues(obj(h));
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

const PEM_WHAT: Readonly<Record<string, string>> = { ca: 'CA cert', cert: 'client cert', key: 'client key' };

/**
 * HttpRequest.tls from a `tls_config` block: inline PEM, or ca_file/cert_file/key_file read through
 * `secrets` (now: call per request so rotated certificates are used). `_ref` variants are not read.
 * Throws SecretFileUnsupportedError for a file without a reader, an Error when a read fails.
 */
export function tlsOptions(tlsConfig: unknown, secrets?: SecretFileReader): HttpRequest['tls'] | undefined {
  const t = obj(tlsConfig);
  if (!t) return undefined;
  const out: { -readonly [K in keyof NonNullable<HttpRequest['tls']>]: NonNullable<HttpRequest['tls']>[K] } = {};
  for (const k of ['ca', 'cert', 'key'] as const) {
    const pem = readSetting(t, k, secrets, PEM_WHAT[k] ?? k);
    if (pem !== '') out[k] = pem;
  }
  const serverName = str(t['server_name']);
  const minVersion = TLS_VERSIONS[str(t['min_version']) ?? ''];
  if (serverName) out.serverName = serverName;
  if (t['insecure_skip_verify'] === true) out.insecureSkipVerify = true;
  if (minVersion) out.minVersion = minVersion;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** True when the tls_config names a PEM file (so it must be read per request). */
function tlsUsesFiles(tlsConfig: unknown): boolean {
  const t = obj(tlsConfig);
  return t !== undefined && ['ca', 'cert', 'key'].some((k) => fromFile(t, k));
}

/** HttpRequest.proxy from the proxy fields of an http_config (or oauth2) block; undefined when none. */
export function proxySettings(block: unknown): HttpProxySettings | undefined {
  const o = obj(block);
  if (!o) return undefined;
  const url = str(o['proxy_url']) ?? '';
  const fromEnvironment = o['proxy_from_environment'] === true;
  if (url === '' && !fromEnvironment) return undefined;
  const noProxy = str(o['no_proxy']) ?? '';
  const connect: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(obj(o['proxy_connect_header']) ?? {})) {
    if (Array.isArray(list)) connect[name] = list.filter((v): v is string => typeof v === 'string');
  }
  return {
    ...(fromEnvironment ? { fromEnvironment: true } : { url }),
    ...(noProxy !== '' && !fromEnvironment ? { noProxy } : {}),
    ...(Object.keys(connect).length > 0 ? { connectHeaders: connect } : {}),
  };
}

function hasHeader(h: Readonly<Record<string, string>>, name: string): boolean {
  const n = name.toLowerCase();
  return Object.keys(h).some((k) => k.toLowerCase() === n);
}

/** An HttpClient whose requests carry `proxy` unless they set their own. */
function withProxy(http: HttpClient, proxy: HttpProxySettings | undefined): HttpClient {
  if (!proxy) return http;
  return { request: (req) => http.request(req.proxy ? req : { ...req, proxy }) };
}

/**
 * Wraps `http` so every request an integration makes honours the rest of its `http_config`:
 * credentials read from files (through `secrets`, per request, so rotation is picked up; added
 * only when the integration set no Authorization itself, as prometheus/common's round trippers),
 * OAuth2 client credentials (token fetched through the same client, cached), `tls_config`,
 * proxies and `follow_redirects: false`. Inline headers come from httpConfigHeaders, which
 * integrations add themselves; `enable_http2` is ignored (HTTP/1.1). Returns `http` itself when
 * nothing applies.
 */
export function withHttpConfig(http: HttpClient, httpConfig: unknown, clock: Clock, secrets?: SecretFileReader): HttpClient {
  const hc = obj(httpConfig);
  if (!hc) return http;
  const tlsFiles = tlsUsesFiles(hc['tls_config']);
  // Inline TLS is resolved once; a file-based config is re-read per request (cached by mtime).
  const fixedTls = tlsFiles ? undefined : tlsOptions(hc['tls_config']);
  const noRedirects = hc['follow_redirects'] === false;
  const proxy = proxySettings(hc);
  const o2 = obj(hc['oauth2']);
  const oauth2 = o2 ? oauth2Source(o2, withProxy(http, proxySettings(o2)), clock, secrets) : undefined;
  const fileHeaders = Object.keys(httpConfigFileHeadersShape(hc)).length > 0;
  if (!fixedTls && !tlsFiles && !noRedirects && !oauth2 && !proxy && !fileHeaders) return http;
  return {
    async request(req) {
      let headers: Record<string, string> = { ...req.headers };
      if (fileHeaders) {
        for (const [k, v] of Object.entries(httpConfigFileHeaders(hc, secrets))) {
          if (k === 'Authorization' ? !hasHeader(headers, k) : true) headers[k] = v;
        }
      }
      if (oauth2) headers = { ...headers, Authorization: await oauth2.authorization(req.signal) };
      const tls = tlsFiles ? tlsOptions(hc['tls_config'], secrets) : fixedTls;
      const next: HttpRequestWithOptions = {
        ...req,
        headers,
        ...(tls && !req.tls ? { tls } : {}),
        ...(proxy && !req.proxy ? { proxy } : {}),
        ...(noRedirects ? { followRedirects: false } : {}),
      };
      return http.request(next);
    },
  };
}

/**
 * The oauth2 token source; with client_secret_file the secret is read per request and the source
 * rebuilt when it changes (a rotated secret gets a new token).
 */
function oauth2Source(o2: Readonly<Record<string, unknown>>, http: HttpClient, clock: Clock, secrets: SecretFileReader | undefined): { authorization(signal?: AbortSignal): Promise<string> } {
  const tls = (): HttpRequest['tls'] | undefined => tlsOptions(o2['tls_config'], secrets);
  if (!fromFile(o2, 'client_secret') && !tlsUsesFiles(o2['tls_config'])) return new OAuth2TokenSource(o2, http, clock, tls());
  let current: { key: string; source: OAuth2TokenSource } | undefined;
  return {
    authorization(signal) {
      const secret = readSetting(o2, 'client_secret', secrets, 'oauth2 client secret');
      const t = tls();
      const key = JSON.stringify([secret, t ?? null]);
      if (current?.key !== key) current = { key, source: new OAuth2TokenSource({ ...o2, client_secret: secret }, http, clock, t) };
      return current.source.authorization(signal);
    },
  };
}

/** NotifierDeps for one integration entry: `http` bound to the entry's http_config. */
export function integrationDeps(deps: NotifierDeps, settings: Readonly<Record<string, unknown>>): NotifierDeps {
  const http = withHttpConfig(deps.http, settings['http_config'], deps.clock, deps.secrets);
  return http === deps.http ? deps : { ...deps, http };
}

/** Headers of a JSON POST: http_config's auth and extra headers, User-Agent, Content-Type. */
export function jsonHeaders(settings: Readonly<Record<string, unknown>>, version: string): Readonly<Record<string, string>> {
  return { ...httpConfigHeaders(settings['http_config']), 'User-Agent': userAgent(version), 'Content-Type': 'application/json' };
}
