/**
 * What engines get from the composition root instead of reaching for globals: time, timers, logs,
 * HTTP. Tests pass fakes; src/app.ts passes the real ones.
 */
import type { Millis } from './alert.js';

export interface TimerHandle {
  cancel(): void;
}

/** Wall clock and timers. Engines never call Date.now() or setTimeout directly. */
export interface Clock {
  now(): Millis;
  /** Runs `fn` after `ms` milliseconds (never before). */
  schedule(ms: number, fn: () => void): TimerHandle;
  /** Resolves after `ms` milliseconds, or rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

type LogFn = (objOrMsg: object | string, msg?: string) => void;

/** The subset of pino that engines use. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export const NOOP_LOGGER: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => NOOP_LOGGER,
};

/** The real clock, for src/app.ts and tests that want real time. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
  /** TLS settings from the integration's http_config.tls_config (PEM text). */
  readonly tls?: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly serverName?: string;
    readonly insecureSkipVerify?: boolean;
    readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  };
  /** The http_config proxy settings (operator configs only: tenant configs cannot set proxies). */
  readonly proxy?: HttpProxySettings;
}

/** prometheus/common's ProxyConfig; the client resolves it per request (environment included). */
export interface HttpProxySettings {
  /** proxy_url: an http:// proxy (absolute-URI requests for http targets, CONNECT for https). */
  readonly url?: string;
  /** no_proxy: comma-separated hosts, domains, IPs and CIDRs that bypass `url`. */
  readonly noProxy?: string;
  /** proxy_from_environment: HTTP_PROXY / HTTPS_PROXY / NO_PROXY, read by the client, not engines. */
  readonly fromEnvironment?: boolean;
  /** proxy_connect_header: extra headers of the CONNECT request. */
  readonly connectHeaders?: Readonly<Record<string, readonly string[]>>;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Outbound HTTP for integrations. Throws only for transport errors (connection refused, abort). */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}
