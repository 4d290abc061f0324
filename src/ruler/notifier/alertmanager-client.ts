/**
 * Delivery to one Alertmanager outside the process (prometheus notifier/sendloop.go sendOne,
 * notifier/alertmanager.go postPath; Mimir's ruler for the tenant header): POST
 * `<url>/api/v2/alerts` with Content-Type application/json, the User-Agent, the tenant in
 * `tenantHeader`, basic or bearer auth and extra headers; a per-request timeout; any 2xx is
 * success, everything else an error (no retry).
 */
import type { Clock, HttpClient } from '../../core/runtime.js';
import { issue } from '../../core/result.js';
import type { Issue } from '../../core/result.js';
import type { ExternalAlertmanager } from '../api.js';
import type { Destination } from './fair-queue.js';
import { encodeBatch } from './wire.js';

/** Prometheus' notifier/alertmanager.go: only API v2 exists. */
export const ALERTS_PATH = '/api/v2/alerts';

/** The URL alerts are POSTed to: the base URL with its trailing slashes removed, plus ALERTS_PATH. */
export function alertsUrl(base: string): string {
  const u = new URL(base);
  u.pathname = u.pathname.replace(/\/+$/, '') + ALERTS_PATH;
  return u.toString();
}

/** Problems with one configured Alertmanager, paths relative to `path`. */
export function checkAlertmanager(am: ExternalAlertmanager, path: ReadonlyArray<string | number>): Issue[] {
  const issues: Issue[] = [];
  let u: URL | undefined;
  try {
    u = new URL(am.url);
  } catch {
    issues.push(issue('invalid_alertmanager', `invalid Alertmanager URL ${JSON.stringify(am.url)}`, { path: [...path, 'url'] }));
  }
  if (u && u.protocol !== 'http:' && u.protocol !== 'https:') {
    issues.push(issue('invalid_alertmanager', `Alertmanager URL ${JSON.stringify(am.url)} must use http or https`, { path: [...path, 'url'] }));
  }
  if (u && (u.search !== '' || u.hash !== '')) {
    issues.push(issue('invalid_alertmanager', `Alertmanager URL ${JSON.stringify(am.url)} must not have a query or fragment`, { path: [...path, 'url'] }));
  }
  if (!(am.timeoutMs > 0) || !Number.isFinite(am.timeoutMs)) {
    issues.push(issue('invalid_alertmanager', `Alertmanager timeout must be positive, got ${am.timeoutMs}ms`, { path: [...path, 'timeout'] }));
  }
  if (am.basicAuth && am.bearerToken !== undefined) {
    issues.push(issue('invalid_alertmanager', 'at most one of basic_auth and bearer_token must be configured', { path }));
  }
  return issues;
}

/** Thrown for a batch the Alertmanager did not accept. */
export class AlertmanagerResponseError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`bad response status ${status}`);
    this.name = 'AlertmanagerResponseError';
  }
}

/** A Destination posting pre-encoded PostableAlerts (see wire.ts) to `am`; checkAlertmanager first. */
export function alertmanagerDestination(am: ExternalAlertmanager, deps: { readonly http: HttpClient; readonly clock: Clock; readonly userAgent: string; readonly maxBatch: number }): Destination<string> {
  const url = alertsUrl(am.url);
  const base = baseHeaders(am, deps.userAgent);
  return {
    name: url,
    maxBatch: deps.maxBatch,
    async deliver(tenant, batch, stop) {
      const headers = am.tenantHeader === '' ? base : withHeader(base, am.tenantHeader, tenant);
      const ac = new AbortController();
      const onStop = (): void => ac.abort(stop.reason);
      if (stop.aborted) onStop();
      else stop.addEventListener('abort', onStop, { once: true });
      const timer = deps.clock.schedule(am.timeoutMs, () => ac.abort(new Error(`request to ${url} timed out after ${am.timeoutMs}ms`)));
      try {
        const res = await deps.http.request({ url, method: 'POST', headers, body: encodeBatch(batch), signal: ac.signal });
        if (res.status < 200 || res.status > 299) throw new AlertmanagerResponseError(url, res.status);
      } catch (err) {
        // The client may report an abort with its own error; say why the request was cut.
        if (ac.signal.aborted && ac.signal.reason instanceof Error && !(err instanceof AlertmanagerResponseError)) throw ac.signal.reason;
        throw err;
      } finally {
        timer.cancel();
        stop.removeEventListener('abort', onStop);
      }
    },
  };
}

function baseHeaders(am: ExternalAlertmanager, userAgent: string): Record<string, string> {
  let h: Record<string, string> = {};
  for (const [k, v] of Object.entries(am.headers ?? {})) h = withHeader(h, k, v);
  h = withHeader(h, 'Content-Type', 'application/json');
  h = withHeader(h, 'User-Agent', userAgent);
  if (am.basicAuth) h = withHeader(h, 'Authorization', `Basic ${Buffer.from(`${am.basicAuth.username}:${am.basicAuth.password}`, 'utf8').toString('base64')}`);
  else if (am.bearerToken !== undefined) h = withHeader(h, 'Authorization', `Bearer ${am.bearerToken}`);
  return h;
}

/** A copy of `h` with `name` set, replacing any header of the same name in another case. */
function withHeader(h: Readonly<Record<string, string>>, name: string, value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() !== lower) out[k] = v;
  out[name] = value;
  return out;
}
