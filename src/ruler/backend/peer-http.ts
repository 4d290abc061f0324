/**
 * What the remote query backend and the remote_write client share: request headers (tenant header,
 * per-tenant or shared credentials, User-Agent), one request bounded by a timeout that holds even
 * when the HttpClient ignores its abort signal, and the error type both throw. Modelled on how
 * Mimir's ruler talks to its query path (pkg/ruler/remotequerier.go: tenant header, timeout per
 * request) and on Prometheus' remote_write client (storage/remote/client.go).
 */
import { formatDuration } from '../../core/duration.js';
import type { Clock, HttpClient, HttpRequest, HttpResponse } from '../../core/runtime.js';
import { RuleQueryError } from '../api.js';
import type { PeerAuth, QueryBackendConfig } from '../api.js';

/** The remote backend's configuration (the `prometheus` variant of QueryBackendConfig). */
export type RemoteBackendConfig = QueryBackendConfig & { readonly type: 'prometheus' };

/** Used when the configuration carries no positive timeout (Mimir's ruler query timeout default). */
export const DEFAULT_REMOTE_TIMEOUT_MS = 120_000;

/** A remote answered with an error or could not be reached; `message` names the URL (credentials removed). */
export class RemoteBackendError extends RuleQueryError {
  constructor(
    message: string,
    /** The request URL without credentials. */
    readonly url: string,
    /** HTTP status, when the remote answered. */
    readonly status?: number,
    /** Prometheus' errorType (bad_data, execution, timeout, ...), when the remote sent its error envelope. */
    readonly errorType?: string,
  ) {
    super(message);
    this.name = 'RemoteBackendError';
  }
}

/** `url` with any user:password@ removed, for error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** `base` + `path` without a doubled slash. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/** The tenant's own credentials when configured, else the shared ones. */
export function authFor(config: RemoteBackendConfig, tenant: string): PeerAuth {
  return config.tenants.get(tenant) ?? config;
}

/** Sets `name` in `headers`, replacing any spelling of it that differs only in case. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
  headers[name] = value;
}

/** Headers every request carries: configured headers, overridden by auth, User-Agent and the tenant header. */
export function peerHeaders(auth: PeerAuth, tenantHeader: string, tenant: string, userAgent: string): Record<string, string> {
  const out: Record<string, string> = { ...auth.headers };
  if (auth.basicAuth) setHeader(out, 'Authorization', 'Basic ' + Buffer.from(`${auth.basicAuth.username}:${auth.basicAuth.password}`, 'utf8').toString('base64'));
  else if (auth.bearerToken !== undefined && auth.bearerToken !== '') setHeader(out, 'Authorization', `Bearer ${auth.bearerToken}`);
  setHeader(out, 'User-Agent', userAgent);
  if (tenantHeader !== '') setHeader(out, tenantHeader, tenant);
  return out;
}

function transportText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message !== '' && !e.message.includes(cause.message) ? `${e.message}: ${cause.message}` : e.message;
}

/** Rejects once `signal` aborts, whether or not `p` does. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([p, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * Sends `req` with a deadline of `timeoutMs` (<= 0: DEFAULT_REMOTE_TIMEOUT_MS). A timeout or a
 * transport failure becomes RemoteBackendError naming the URL; an abort by the caller's `signal`
 * rethrows the signal's reason.
 */
export async function sendBounded(http: HttpClient, clock: Clock, req: Omit<HttpRequest, 'signal'>, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse> {
  if (signal?.aborted) throw signal.reason as Error;
  const url = redactUrl(req.url);
  const limit = timeoutMs > 0 ? timeoutMs : DEFAULT_REMOTE_TIMEOUT_MS;
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = clock.schedule(limit, () => {
    timedOut = true;
    ctrl.abort(new Error('context deadline exceeded'));
  });
  const onAbort = (): void => ctrl.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await raceAbort(http.request({ ...req, signal: ctrl.signal }), ctrl.signal);
  } catch (e) {
    if (signal?.aborted) throw signal.reason as Error;
    if (timedOut) throw new RemoteBackendError(`${url}: request timed out after ${formatDuration(limit)}`, url);
    throw new RemoteBackendError(`${url}: ${transportText(e)}`, url);
  } finally {
    timer.cancel();
    signal?.removeEventListener('abort', onAbort);
  }
}

/** At most `max` characters of a response body, for error messages. */
export function snippet(body: string, max = 512): string {
  const t = body.trim();
  return t.length > max ? `${t.slice(0, max)}...` : t;
}
