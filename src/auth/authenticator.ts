/**
 * Herald's Authenticator: checks a request's `Authorization` header against the `auth:` config.
 * - Basic: a configured user and its scrypt hash. A username that is not a configured user is
 *   not a credential (clients that cannot set headers name their tenant that way); with auth
 *   required it is refused like a wrong password, after the same scrypt work.
 * - Bearer: a static token (sha256 compared in constant time), else a JWT verified against the JWKS.
 * - Failures per source address are limited (failure-limiter.ts); a blocked address gets 429,
 *   even with good credentials.
 * With `mode: off` every request is an anonymous admin. Reasons go to the debug log only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile as readFileFs } from 'node:fs/promises';
import type { Clock, Logger } from '../core/runtime.js';
import type { AuthConfig, AuthRequest, AuthResult, Authenticator, Principal } from './api.js';
import { createFailureLimiter } from './failure-limiter.js';
import type { FailureLimiter } from './failure-limiter.js';
import { fetchJwksOverHttp, fileJwksSource, urlJwksSource } from './jwks-source.js';
import type { JwksSource } from './jwks-source.js';
import { checkClaims, looksLikeJws, parseCompactJws, selectKey, verifySignature } from './jwt.js';
import { principalFromClaims } from './jwt-principal.js';
import { DEFAULT_SCRYPT_PARAMS, parsePasswordHash, verifyPassword } from './password-hash.js';
import type { PasswordHash } from './password-hash.js';
import { createTokenMatcher } from './static-tokens.js';

export interface AuthenticatorDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Reads `auth.jwt.jwks_file` (default: node:fs, UTF-8). */
  readonly readFile?: (path: string) => Promise<string>;
  /** Fetches `auth.jwt.jwks_url` (default: fetchJwksOverHttp). */
  readonly fetchJwks?: (url: string) => Promise<string>;
  /** Pass the previous authenticator's limiter on config reload so blocked addresses stay blocked. */
  readonly limiter?: FailureLimiter;
}

export interface HeraldAuthenticator extends Authenticator {
  /** Re-reads the JWKS file or refetches the JWKS URL; throws (keeping the old keys) on a bad file. */
  reload(): Promise<void>;
  readonly limiter: FailureLimiter;
}

/** The config cannot make an authenticator (a hash the config parser would have refused). */
export class AuthSetupError extends Error {
  readonly code = 'auth_setup';
}

export const ANONYMOUS_PRINCIPAL: Principal = { subject: 'anonymous', tenants: '*', role: 'admin', method: 'anonymous' };

const INVALID: AuthResult = { ok: false, status: 401, message: 'invalid credentials' };
const MISSING: AuthResult = { ok: false, status: 401, message: 'authentication required' };
/** Successful Basic verifications remembered, so each request does not pay for scrypt again. */
const VERIFIED_CACHE_SIZE = 1000;

type Failure = { readonly fail: string; readonly who?: string };
type Checked = { readonly principal: Principal } | Failure;

/** Builds the authenticator; a JWKS file is read before this resolves (JwksLoadError when bad). */
export async function createAuthenticator(config: AuthConfig, deps: AuthenticatorDeps): Promise<HeraldAuthenticator> {
  const log = deps.logger.child({ component: 'auth' });
  const limiter = deps.limiter ?? createFailureLimiter(deps.clock, config.maxFailuresPerMinute);
  // The loud "auth is off" line is src/server/auth/install.ts'; it sees every config reload.
  if (config.mode === 'off') {
    return { authenticate: () => Promise.resolve({ ok: true, principal: ANONYMOUS_PRINCIPAL }), reload: () => Promise.resolve(), limiter };
  }

  const users = new Map<string, { readonly hash: PasswordHash; readonly stored: string; readonly principal: Principal }>();
  for (const u of config.users) {
    const h = parsePasswordHash(u.passwordHash);
    if (!h.ok) throw new AuthSetupError(`auth.users: ${JSON.stringify(u.username)}: ${h.reason}`);
    users.set(u.username, { hash: h.value, stored: u.passwordHash, principal: { subject: u.username, tenants: u.tenants, role: u.role, method: 'basic' } });
  }
  // Unknown usernames cost the same scrypt work as known ones, so timing does not tell them apart.
  const first = users.values().next();
  const dummyParams = first.done === true ? DEFAULT_SCRYPT_PARAMS : first.value.hash;
  const dummy: PasswordHash = { N: dummyParams.N, r: dummyParams.r, p: dummyParams.p, salt: randomBytes(16), hash: randomBytes(32) };
  const verified = new Map<string, string>();

  const tokens = createTokenMatcher(config.tokens);
  const jwt = config.jwt;
  const sourceDeps = { clock: deps.clock, logger: log, readFile: deps.readFile ?? ((p: string) => readFileFs(p, 'utf8')), fetchJwks: deps.fetchJwks ?? fetchJwksOverHttp };
  let jwks: JwksSource | undefined;
  if (jwt?.jwksFile !== undefined) jwks = await fileJwksSource(jwt.jwksFile, sourceDeps);
  else if (jwt?.jwksUrl !== undefined) jwks = urlJwksSource(jwt.jwksUrl, sourceDeps);

  const basic = async (encoded: string): Promise<Checked> => {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { fail: 'Basic credentials without ":"' };
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = users.get(username);
    if (!user) {
      await verifyPassword(password, dummy);
      return { fail: 'not a configured user', who: username };
    }
    const cacheKey = createHash('sha256').update(username).update('\0').update(password).digest('hex');
    if (verified.get(cacheKey) === user.stored) return { principal: user.principal };
    if (!(await verifyPassword(password, user.hash))) return { fail: 'wrong password', who: username };
    verified.delete(cacheKey);
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
    verified.set(cacheKey, user.stored);
    return { principal: user.principal };
  };

  const bearer = async (token: string): Promise<Checked> => {
    const t = tokens.match(token);
    if (t) return { principal: { subject: t.name, tenants: t.tenants, role: t.role, method: 'bearer' } };
    if (!jwt || !jwks || !looksLikeJws(token)) return { fail: 'unknown bearer token' };
    const parsed = parseCompactJws(token);
    if (!parsed.ok) return { fail: `JWT: ${parsed.reason}` };
    let key = selectKey(parsed.value, await jwks.keys());
    if (!key.ok && key.unknownKid === true) {
      const fresher = await jwks.refreshForUnknownKid();
      if (fresher) key = selectKey(parsed.value, fresher);
    }
    if (!key.ok) return { fail: `JWT: ${key.reason}` };
    if (!verifySignature(parsed.value, key.key)) return { fail: 'JWT: bad signature' };
    const claims = checkClaims(parsed.value.claims, { nowMs: deps.clock.now(), ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}), ...(jwt.audience !== undefined ? { audience: jwt.audience } : {}) });
    if (!claims.ok) return { fail: `JWT: ${claims.reason}` };
    const p = principalFromClaims(parsed.value.claims, jwt);
    return p.ok ? { principal: p.principal } : { fail: `JWT: ${p.reason}` };
  };

  const check = async (header: string | string[] | undefined): Promise<Checked | undefined> => {
    if (header === undefined) return undefined;
    if (Array.isArray(header)) return { fail: 'several Authorization headers' };
    const m = /^([A-Za-z]+) +(\S+) *$/.exec(header);
    const scheme = m?.[1]?.toLowerCase();
    if (scheme === 'basic') return basic(m?.[2] as string);
    if (scheme === 'bearer') return bearer(m?.[2] as string);
    return undefined;
  };

  return {
    limiter,
    reload: () => jwks?.reload() ?? Promise.resolve(),
    async authenticate(req: AuthRequest): Promise<AuthResult> {
      const wait = limiter.blockedFor(req.ip);
      if (wait > 0) {
        log.debug({ ip: req.ip, retryAfterSeconds: wait }, 'authentication refused: too many failures from this address');
        return { ok: false, status: 429, message: 'too many failed authentication attempts', retryAfterSeconds: wait };
      }
      let result: Checked | undefined;
      try {
        result = await check(req.headers.authorization);
      } catch (e) {
        log.error({ ip: req.ip, err: e instanceof Error ? e.message : String(e) }, 'authentication error');
        result = { fail: 'internal error while checking credentials' };
      }
      if (result === undefined) return MISSING;
      if ('principal' in result) return { ok: true, principal: result.principal };
      limiter.recordFailure(req.ip);
      log.debug({ ip: req.ip, ...(result.who !== undefined ? { user: result.who } : {}), reason: result.fail }, 'authentication failed');
      if (limiter.blockedFor(req.ip) > 0) log.warn({ ip: req.ip }, 'too many failed authentications: address blocked for up to a minute');
      return INVALID;
    },
  };
}

/**
 * For config reload: one Authenticator handed to the server whose config can be replaced. The
 * failure limiter carries over, so a reload does not unblock an address under attack.
 */
export function reloadableAuthenticator(initial: HeraldAuthenticator, deps: AuthenticatorDeps): Authenticator & { apply(config: AuthConfig): Promise<void>; current(): HeraldAuthenticator } {
  let current = initial;
  return {
    authenticate: (req) => current.authenticate(req),
    async apply(config) {
      // Built before swapping: a bad JWKS file throws here and the old authenticator stays.
      current = await createAuthenticator(config, { ...deps, limiter: current.limiter });
    },
    current: () => current,
  };
}
