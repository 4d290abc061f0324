/** An HttpClient over the global fetch: no firewall, no proxies, no TLS options (tests and tools). */
import type { HttpClient } from '../core/runtime.js';

export const FETCH_HTTP_CLIENT: HttpClient = {
  async request(req) {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return { status: res.status, headers, body: await res.text() };
  },
};
