/**
 * Proxy selection for the integrations' HTTP client. Mirrors prometheus/common's ProxyConfig.Proxy:
 * proxy_url alone proxies every request (http.ProxyURL); with no_proxy, or with
 * proxy_from_environment, golang.org/x/net/http/httpproxy decides: localhost and loopback
 * addresses are never proxied, and NO_PROXY entries (domains, `*.`/`.` suffixes, IPs, CIDRs,
 * optional ports, `*`) bypass the proxy.
 */
import { Buffer } from 'node:buffer';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { LookupFunction, Socket } from 'node:net';
import type { HttpProxySettings } from '../core/runtime.js';

/** The HTTP_PROXY / HTTPS_PROXY / NO_PROXY values (upper case wins, as httpproxy.FromEnvironment). */
export interface EnvironmentProxy {
  readonly httpProxy: string;
  readonly httpsProxy: string;
  readonly noProxy: string;
}

/** Reads the proxy variables from `env` (process.env in src/app.ts / the client default). */
export function environmentProxy(env: Readonly<Record<string, string | undefined>>): EnvironmentProxy {
  const any = (...names: string[]): string => {
    for (const n of names) {
      const v = env[n];
      if (v !== undefined && v !== '') return v;
    }
    return '';
  };
  return { httpProxy: any('HTTP_PROXY', 'http_proxy'), httpsProxy: any('HTTPS_PROXY', 'https_proxy'), noProxy: any('NO_PROXY', 'no_proxy') };
}

/** httpproxy's parseProxy: a value without a known scheme is taken as `http://<value>`. */
function parseProxy(raw: string): URL {
  try {
    const u = new URL(raw);
    if (['http:', 'https:', 'socks5:', 'socks5h:'].includes(u.protocol) && u.hostname !== '') return u;
  } catch {
    // fall through to the http:// retry
  }
  try {
    return new URL(`http://${raw}`);
  } catch {
    throw new Error(`invalid proxy address ${JSON.stringify(raw)}`);
  }
}

type Matcher = (host: string, port: string, ip: boolean) => boolean;

/** Compiles a NO_PROXY list (comma-separated, case-insensitive). */
export function noProxyMatcher(list: string): (host: string, port: string) => boolean {
  const matchers: Matcher[] = [];
  for (const raw of list.split(',')) {
    const p = raw.trim().toLowerCase();
    if (p === '') continue;
    if (p === '*') return () => true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
    if (cidr && isIP(cidr[1] ?? '') !== 0) {
      const bl = new BlockList();
      const family = isIP(cidr[1] ?? '') === 6 ? 'ipv6' : 'ipv4';
      try {
        bl.addSubnet(cidr[1] ?? '', Number(cidr[2]), family);
      } catch {
        continue;
      }
      matchers.push((h, _p, ip) => ip && bl.check(h, isIP(h) === 6 ? 'ipv6' : 'ipv4'));
      continue;
    }
    let host = p;
    let port = '';
    const hp = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(p);
    if (hp) {
      host = (hp[1] ?? '').replace(/^\[|\]$/g, '');
      port = hp[2] ?? '';
      if (host === '') continue;
    }
    if (isIP(host) !== 0) {
      const want = canonicalIp(host);
      matchers.push((h, hport, ip) => ip && canonicalIp(h) === want && (port === '' || port === hport));
      continue;
    }
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    const suffix = matchHost ? `.${host}` : host;
    matchers.push((h, hport) => (h.endsWith(suffix) || (matchHost && h === suffix.slice(1))) && (port === '' || port === hport));
  }
  return (host, port) => {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    const ip = isIP(h) !== 0;
    return matchers.some((m) => m(h, port, ip));
  };
}

function canonicalIp(s: string): string {
  if (isIP(s) === 4) return s;
  const bl = new BlockList();
  bl.addAddress(s, 'ipv6');
  return bl.rules[0] ?? s;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return canonicalIp(host) === canonicalIp('::1') || /^::ffff:127\./i.test(host);
  return false;
}

/** The default port of a target URL (canonicalAddr). */
export function targetPort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * The proxy to use for `url` under `settings`, or undefined to connect directly. `env` is used for
 * proxy_from_environment only. Throws for an unusable proxy address.
 */
export function selectProxy(settings: HttpProxySettings | undefined, url: URL, env: EnvironmentProxy): URL | undefined {
  if (!settings) return undefined;
  let proxy: string;
  let noProxy: string;
  if (settings.fromEnvironment === true) {
    proxy = url.protocol === 'https:' ? env.httpsProxy : env.httpProxy;
    noProxy = env.noProxy;
  } else {
    proxy = settings.url ?? '';
    noProxy = settings.noProxy ?? '';
    // http.ProxyURL: no exemption at all when no_proxy is unset.
    if (proxy !== '' && noProxy === '') return parseProxy(proxy);
  }
  if (proxy === '') return undefined;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isLoopback(host)) return undefined;
  if (noProxyMatcher(noProxy)(host, targetPort(url))) return undefined;
  return parseProxy(proxy);
}

/** `Basic …` from the proxy URL's userinfo, as Go's transport sends it; undefined without one. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return 'Basic ' + Buffer.from(creds, 'utf8').toString('base64');
}

export interface TunnelOptions {
  readonly timeoutMs: number;
  /** The firewall-guarded lookup, so the proxy's resolved address is checked. */
  readonly lookup?: LookupFunction;
}

/**
 * Opens a CONNECT tunnel through `proxy` to `url`'s host:port (proxy_connect_header and the
 * proxy's userinfo sent). Resolves with the raw socket once the proxy answers 200; rejects with
 * `proxyconnect: <status>` otherwise, on timeout, or when `req.signal` aborts.
 */
export function connectTunnel(proxy: URL, url: URL, req: { readonly proxy?: HttpProxySettings; readonly signal?: AbortSignal }, opts: TunnelOptions): Promise<Socket> {
  const authority = `${url.hostname}:${targetPort(url)}`;
  const headers: Record<string, string | string[]> = { Host: authority };
  for (const [name, values] of Object.entries(req.proxy?.connectHeaders ?? {})) headers[name] = [...values];
  const auth = proxyAuthorization(proxy);
  if (auth) headers['Proxy-Authorization'] = auth;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, socket?: Socket): void => {
      if (settled) {
        socket?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(socket as Socket);
    };
    const r = httpRequest({
      method: 'CONNECT',
      hostname: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port === '' ? 80 : Number(proxy.port),
      path: authority,
      headers,
      agent: false,
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
    });
    const timer = setTimeout(() => r.destroy(new Error(`proxyconnect: request timed out after ${opts.timeoutMs}ms`)), opts.timeoutMs);
    timer.unref?.();
    const onAbort = (): void => {
      const reason: unknown = req.signal?.reason;
      r.destroy(reason instanceof Error ? reason : new Error('request aborted'));
    };
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    r.on('connect', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return finish(new Error(`proxyconnect: ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd()));
      }
      if (head.length > 0) socket.unshift(head);
      finish(undefined, socket);
    });
    // A proxy that answers CONNECT with a normal response (no upgrade).
    r.on('response', (res: IncomingMessage) => {
      res.resume();
      finish(new Error(`proxyconnect: ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd()));
    });
    r.on('error', (e) => finish(e));
    r.end();
  });
}
