/**
 * The real HttpClient for integrations, over node:http/https: keep-alive agents, per-request TLS
 * (`tls_config`), an overall timeout, a cap on the response body, redirects as Go's http.Client
 * follows them (at most 10; 301/302/303 turn a POST into a GET; Authorization is dropped on a
 * change of host), http_config proxies (absolute-URI requests for http targets, CONNECT tunnels
 * for https ones; see proxy.ts), and the receiver firewall checked on every address actually
 * dialled (the proxy's, for proxied requests).
 */
import { Buffer } from 'node:buffer';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { HttpClient, HttpRequest, HttpResponse } from '../core/runtime.js';
import { connect as tlsConnect } from 'node:tls';
import { Firewall, guardedLookup } from './firewall.js';
import type { FirewallOptions } from './firewall.js';
import { connectTunnel, environmentProxy, proxyAuthorization, selectProxy } from './proxy.js';

export interface HttpClientOptions {
  /** The receiver firewall; absent = no checks. */
  readonly firewall?: FirewallOptions;
  /** Whole-request bound (connect to last body byte); default 30s. The caller's signal still applies. */
  readonly timeoutMs?: number;
  /** Response bytes kept; the rest is discarded and the connection closed. Default 1 MiB. */
  readonly maxResponseBytes?: number;
  readonly maxRedirects?: number;
  /** DNS resolution under the firewall (tests); default dns.lookup. */
  readonly lookup?: Parameters<typeof guardedLookup>[1];
  /** Where proxy_from_environment reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
const MAX_REDIRECTS = 10;

/** `followRedirects` is the http_config setting carried by withHttpConfig (notify/http-util.ts). */
type Req = HttpRequest & { readonly followRedirects?: boolean };

/** An HttpClient that also releases its pooled connections. */
export interface ClosableHttpClient extends HttpClient {
  close(): void;
}

/** Builds the client; throws FirewallConfigError for bad CIDRs. */
export function createHttpClient(options: HttpClientOptions = {}): ClosableHttpClient {
  const fw = options.firewall ? new Firewall(options.firewall) : undefined;
  const lookup: LookupFunction | undefined = fw && !fw.inactive ? guardedLookup(fw, options.lookup) : undefined;
  const agentOpts = { keepAlive: true, maxSockets: 64, ...(lookup ? { lookup } : {}) };
  const httpAgent = new HttpAgent(agentOpts);
  const httpsAgent = new HttpsAgent(agentOpts);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;

  const env = environmentProxy(options.env ?? process.env);

  const once = async (req: Req, url: URL): Promise<{ res: HttpResponse; location?: string }> => {
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') throw new Error(`unsupported protocol scheme "${url.protocol.replace(/:$/, '')}"`);
    const proxy = selectProxy(req.proxy, url, env);
    if (proxy && proxy.protocol !== 'http:') throw new Error(`proxyconnect: unsupported proxy scheme "${proxy.protocol.replace(/:$/, '')}" (only http:// proxies)`);
    // The firewall applies to the address actually dialled: the proxy's when there is one.
    const literal = (proxy ?? url).hostname.replace(/^\[|\]$/g, '');
    if (lookup && isIP(literal) !== 0) fw?.assert(literal);
    const t = req.tls;
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : Buffer.from(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(body.length);
    const tlsOpts = {
      ...(t?.ca !== undefined ? { ca: t.ca } : {}),
      ...(t?.cert !== undefined ? { cert: t.cert } : {}),
      ...(t?.key !== undefined ? { key: t.key } : {}),
      ...(t?.insecureSkipVerify === true ? { rejectUnauthorized: false } : {}),
      ...(t?.minVersion !== undefined ? { minVersion: t.minVersion } : {}),
    };
    const servername = t?.serverName ?? (isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 ? url.hostname : undefined);
    const tunnel = proxy && https ? await connectTunnel(proxy, url, req, { timeoutMs, ...(lookup ? { lookup } : {}) }) : undefined;
    let target: URL | RequestOptions = url;
    let ro: RequestOptions & Record<string, unknown>;
    if (tunnel) {
      ro = {
        method: req.method,
        headers,
        createConnection: () => tlsConnect({ socket: tunnel, ...tlsOpts, ...(servername !== undefined ? { servername } : {}) }),
      };
    } else if (proxy) {
      // Absolute-URI request to the proxy (RFC 9112 3.2.2), Proxy-Authorization from its userinfo.
      const auth = proxyAuthorization(proxy);
      target = { protocol: 'http:', hostname: proxy.hostname.replace(/^\[|\]$/g, ''), port: proxy.port === '' ? 80 : Number(proxy.port), path: url.href };
      ro = { method: req.method, headers: { Host: url.host, ...headers, ...(auth ? { 'Proxy-Authorization': auth } : {}) }, agent: httpAgent, ...(lookup ? { lookup } : {}) };
    } else {
      ro = {
        method: req.method,
        headers,
        agent: https ? httpsAgent : httpAgent,
        ...(lookup ? { lookup } : {}),
        ...(https ? tlsOpts : {}),
        ...(https && t?.serverName !== undefined ? { servername: t.serverName } : {}),
      };
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | undefined, value?: { res: HttpResponse; location?: string }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        tunnel?.destroy();
        if (err) reject(err);
        else resolve(value as { res: HttpResponse; location?: string });
      };
      const r =
        target instanceof URL ? (https ? httpsRequest : httpRequest)(target, ro, (res: IncomingMessage) => collect(res)) : httpRequest({ ...target, ...ro }, (res: IncomingMessage) => collect(res));
      const timer = setTimeout(() => r.destroy(new Error(`request timed out after ${timeoutMs}ms`)), timeoutMs);
      timer.unref?.();
      const onAbort = (): void => {
        const reason: unknown = req.signal?.reason;
        r.destroy(reason instanceof Error ? reason : new Error('request aborted'));
      };
      if (req.signal?.aborted) onAbort();
      else req.signal?.addEventListener('abort', onAbort, { once: true });
      r.on('error', (e) => finish(e));

      const collect = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (): void => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          const location = res.headers.location;
          finish(undefined, { res: { status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') }, ...(location ? { location } : {}) });
        };
        res.on('data', (c: Buffer) => {
          if (settled) return;
          const room = maxBytes - size;
          chunks.push(c.length > room ? c.subarray(0, room) : c);
          size += Math.min(c.length, room);
          if (size >= maxBytes) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', (e) => finish(e));
      };
      r.end(body);
    });
  };

  return {
    async request(req: Req): Promise<HttpResponse> {
      let url = new URL(req.url);
      let current: Req = req;
      for (let hop = 0; ; hop++) {
        const { res, location } = await once(current, url);
        if (!isRedirect(res.status) || location === undefined || current.followRedirects === false) return res;
        if (hop >= maxRedirects) throw new Error(`stopped after ${maxRedirects} redirects`);
        const next = new URL(location, url);
        const toGet = (res.status === 301 || res.status === 302 || res.status === 303) && current.method !== 'GET';
        let headers = { ...current.headers };
        if (next.host !== url.host) headers = dropHeaders(headers, ['authorization', 'www-authenticate', 'cookie', 'cookie2']);
        if (toGet) headers = dropHeaders(headers, ['content-type', 'content-length']);
        const { body: _b, ...rest } = current;
        current = toGet ? { ...rest, method: 'GET', headers } : { ...current, headers };
        url = next;
      }
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function isRedirect(s: number): boolean {
  return s === 301 || s === 302 || s === 303 || s === 307 || s === 308;
}

function dropHeaders(h: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (!names.includes(k.toLowerCase())) out[k] = v;
  return out;
}
