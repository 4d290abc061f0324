/**
 * Test fakes for the enforcement hook: an Authenticator that maps bearer tokens (and one Basic
 * user) to fixed principals, so route tables run without hashing.
 */
import { DEFAULT_AUTH_CONFIG } from '../../auth/api.js';
import type { AuthConfig, AuthRequest, AuthResult, Authenticator, Principal } from '../../auth/api.js';

/** Principals of the route table: one tenant (`A`) each, admin on every tenant. */
export const PRINCIPALS = {
  writer: { subject: 'prom-a', tenants: ['A'], role: 'writer', method: 'bearer' },
  viewer: { subject: 'viewer-a', tenants: ['A'], role: 'viewer', method: 'bearer' },
  editor: { subject: 'editor-a', tenants: ['A'], role: 'editor', method: 'bearer' },
  admin: { subject: 'root', tenants: '*', role: 'admin', method: 'bearer' },
  /** Two tenants: must name one. */
  editorAB: { subject: 'editor-ab', tenants: ['A', 'B'], role: 'editor', method: 'bearer' },
} as const satisfies Record<string, Principal>;

export type PrincipalName = keyof typeof PRINCIPALS;

/** `Authorization: Bearer <name>` for a principal of PRINCIPALS. */
export function bearer(name: PrincipalName): Record<string, string> {
  return { authorization: `Bearer ${name}` };
}

/** `Authorization: Basic` for user:password. */
export function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** Basic users the fake knows: user -> [password, principal]. */
const BASIC_USERS: ReadonlyMap<string, readonly [string, Principal]> = new Map([
  ['alice', ['secret', { subject: 'alice', tenants: ['A'], role: 'editor', method: 'basic' }]],
  ['B', ['b-pass', { subject: 'B', tenants: ['A', 'B'], role: 'editor', method: 'basic' }]],
]);

/** Bearer `<name of PRINCIPALS>` and the Basic users above; `Bearer throttled` answers 429. */
export class FakeAuthenticator implements Authenticator {
  readonly seen: AuthRequest[] = [];

  authenticate(req: AuthRequest): Promise<AuthResult> {
    this.seen.push(req);
    const h = req.headers['authorization'];
    const value = typeof h === 'string' ? h : undefined;
    const denied: AuthResult = { ok: false, status: 401, message: 'invalid credentials' };
    if (value === undefined) return Promise.resolve(denied);
    if (value === 'Bearer throttled') return Promise.resolve({ ok: false, status: 429, message: 'too many failed authentications', retryAfterSeconds: 42.5 });
    if (value.startsWith('Bearer ')) {
      const name = value.slice(7);
      const p = Object.hasOwn(PRINCIPALS, name) ? PRINCIPALS[name as PrincipalName] : undefined;
      return Promise.resolve(p ? { ok: true, principal: p } : denied);
    }
    if (value.startsWith('Basic ')) {
      const [user = '', password = ''] = Buffer.from(value.slice(6), 'base64').toString('utf8').split(':');
      const known = BASIC_USERS.get(user);
      return Promise.resolve(known && known[0] === password ? { ok: true, principal: known[1] } : denied);
    }
    return Promise.resolve(denied);
  }
}

/** Auth required, everything else default. */
export function requiredConfig(over: Partial<AuthConfig> = {}): AuthConfig {
  return { ...DEFAULT_AUTH_CONFIG, mode: 'required', ...over };
}
