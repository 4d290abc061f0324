/**
 * The one way the UI talks to Herald: every request carries the selected tenant in
 * `X-Scope-OrgID` and, when the user signed in, an `Authorization` header. Errors become ApiError
 * with the server's own message (Alertmanager's plain-text bodies, Herald's `{error}` and
 * Prometheus' `{status:"error", error}` envelopes), so pages can show what went wrong.
 */

export type Credentials =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-encoded as the body. */
  readonly body?: unknown;
  /** Query parameters; arrays repeat the parameter (`filter=a&filter=b`). */
  readonly query?: Readonly<Record<string, string | readonly string[] | boolean | number | undefined>>;
  readonly signal?: AbortSignal;
}

export interface Client {
  /** The tenant every request is made for. */
  readonly tenant: string;
  json<T>(path: string, opts?: RequestOptions): Promise<T>;
  text(path: string, opts?: RequestOptions): Promise<string>;
  /** For answers without a body (204). */
  send(path: string, opts?: RequestOptions): Promise<void>;
}

function authorization(c: Credentials): string {
  if (c.kind === 'bearer') return `Bearer ${c.token}`;
  const bytes = new TextEncoder().encode(`${c.username}:${c.password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

export function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) p.append(k, x);
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

/** The server's message from an error body, whatever API family answered. */
export function errorMessage(status: number, body: string): string {
  const text = body.trim();
  // Alertmanager's v2 API (and Herald's) sends some errors as a bare JSON string.
  if (text.startsWith('"')) {
    try {
      const s: unknown = JSON.parse(text);
      if (typeof s === 'string' && s !== '') return s;
    } catch {
      // not JSON after all: show the text
    }
  }
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as Record<string, unknown>;
      for (const k of ['error', 'message', 'msg']) {
        const v = o[k];
        if (typeof v === 'string' && v !== '') return v;
      }
    } catch {
      // not JSON after all: show the text
    }
  }
  return text === '' ? `HTTP ${status}` : text;
}

/** Herald is served from the same origin; `base` is the path prefix the UI was loaded under. */
export function createClient(tenant: string, credentials: Credentials | undefined, base = '', onUnauthorized?: () => void): Client {
  const request = async (path: string, opts: RequestOptions = {}): Promise<Response> => {
    // X-Requested-With: the server then answers 401 without a Basic challenge, which would open the
    // browser's own password dialog (and hold the fetch) instead of the UI's sign-in form. An empty
    // tenant sends no header: whoami and tenants are global, and a header naming a tenant the
    // credentials do not cover is refused with 403.
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
    if (tenant !== '') headers['X-Scope-OrgID'] = tenant;
    if (credentials) headers['Authorization'] = authorization(credentials);
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const url = `${base}${path}${queryString(opts.query)}`;
    const res = await fetch(url, {
      method: opts.method ?? 'GET',
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!res.ok) {
      if (res.status === 401) onUnauthorized?.();
      throw new ApiError(res.status, errorMessage(res.status, await res.text()), path);
    }
    return res;
  };
  return {
    tenant,
    async json<T>(path: string, opts?: RequestOptions): Promise<T> {
      const res = await request(path, opts);
      return (await res.json()) as T;
    },
    async text(path: string, opts?: RequestOptions): Promise<string> {
      return (await request(path, opts)).text();
    },
    async send(path: string, opts?: RequestOptions): Promise<void> {
      await request(path, opts);
    },
  };
}
