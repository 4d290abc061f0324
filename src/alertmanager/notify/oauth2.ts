/**
 * OAuth2 client credentials for `http_config.oauth2`, as prometheus/common's oauth2RoundTripper
 * over golang.org/x/oauth2/clientcredentials: a form POST to token_url (client id and secret in a
 * Basic header, scopes space-joined, endpoint_params added), the token cached until 10 s before
 * it expires (oauth2's expiryDelta), and concurrent requests sharing one token fetch.
 */
import { Buffer } from 'node:buffer';
import type { Millis } from '../../core/alert.js';
import type { Clock, HttpClient, HttpRequest } from '../../core/runtime.js';

/** oauth2's expiryDelta. */
export const TOKEN_EXPIRY_DELTA_MS = 10_000;

/** The subset of the `oauth2` block used for client credentials (wire names). */
export interface OAuth2Settings {
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly scopes?: readonly string[];
  readonly token_url?: string;
  readonly endpoint_params?: Readonly<Record<string, string>>;
}

interface Token {
  readonly authorization: string;
  /** Infinity when the server gave no expires_in. */
  readonly refreshAt: Millis;
}

/** The token endpoint refused or answered something unusable. */
export class OAuth2Error extends Error {}

/** Fetches and caches one integration's access token. */
export class OAuth2TokenSource {
  private token: Token | undefined;
  private inflight: Promise<Token> | undefined;

  constructor(
    private readonly settings: OAuth2Settings,
    private readonly http: HttpClient,
    private readonly clock: Clock,
    private readonly tls?: HttpRequest['tls'],
  ) {}

  /** The `Authorization` header value; fetches a token when none is cached or it is about to expire. */
  async authorization(signal?: AbortSignal): Promise<string> {
    const t = this.token;
    if (t && this.clock.now() < t.refreshAt) return t.authorization;
    this.inflight ??= this.fetch(signal).finally(() => {
      this.inflight = undefined;
    });
    this.token = await this.inflight;
    return this.token.authorization;
  }

  private async fetch(signal?: AbortSignal): Promise<Token> {
    const s = this.settings;
    const url = s.token_url ?? '';
    if (url === '') throw new OAuth2Error('oauth2: token_url is empty');
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (s.scopes && s.scopes.length > 0) form.set('scope', s.scopes.join(' '));
    for (const [k, v] of Object.entries(s.endpoint_params ?? {})) form.set(k, v);
    const basic = Buffer.from(`${encodeURIComponent(s.client_id ?? '')}:${encodeURIComponent(s.client_secret ?? '')}`, 'utf8').toString('base64');
    const started = this.clock.now();
    const res = await this.http.request({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
      body: form.toString(),
      ...(signal ? { signal } : {}),
      ...(this.tls ? { tls: this.tls } : {}),
    });
    if (res.status < 200 || res.status > 299) {
      throw new OAuth2Error(`oauth2: cannot fetch token: status ${res.status}${res.body !== '' ? `: ${res.body.slice(0, 512)}` : ''}`);
    }
    const fields = parseTokenBody(res.body, res.headers['content-type'] ?? '');
    const access = fields['access_token'];
    if (typeof access !== 'string' || access === '') throw new OAuth2Error('oauth2: server response missing access_token');
    const rawType = typeof fields['token_type'] === 'string' ? fields['token_type'] : '';
    const expiresIn = Number(fields['expires_in'] ?? 0);
    const refreshAt = Number.isFinite(expiresIn) && expiresIn > 0 ? started + expiresIn * 1000 - TOKEN_EXPIRY_DELTA_MS : Infinity;
    return { authorization: `${tokenType(rawType)} ${access}`, refreshAt };
  }
}

/** Token.Type(): bearer/mac/basic are capitalised, empty means Bearer. */
function tokenType(t: string): string {
  const l = t.toLowerCase();
  if (l === '' || l === 'bearer') return 'Bearer';
  if (l === 'mac') return 'MAC';
  if (l === 'basic') return 'Basic';
  return t;
}

function parseTokenBody(body: string, contentType: string): Record<string, unknown> {
  if (/application\/x-www-form-urlencoded|text\/plain/.test(contentType)) return Object.fromEntries(new URLSearchParams(body));
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // Reported below as a missing token.
  }
  throw new OAuth2Error(`oauth2: cannot parse token response: ${body.slice(0, 200)}`);
}
