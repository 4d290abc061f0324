import * as crypto from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUTH_CONFIG } from './api.js';
import type { AuthConfig, AuthResult } from './api.js';
import { createAuthenticator, reloadableAuthenticator } from './authenticator.js';
import { JwksLoadError } from './jwks-source.js';
import { hashPassword } from './password-hash.js';
import { sha256Hex } from './static-tokens.js';
import { fakeClock, jwksText, recordingLogger, signJwt, testKey, unsignedJwt } from './test-fakes.js';
import type { TestKey } from './test-fakes.js';

vi.mock('node:crypto', async (orig) => {
  const real = await orig<typeof crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

const FAST = { N: 1024, r: 8, p: 1 };
const NOW = Date.parse('2026-01-01T00:00:00Z');
const S = NOW / 1000;
const TOKEN = 'herald-test-token-1';

const basic = (user: string, pass: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
const bearer = (t: string): Record<string, string> => ({ authorization: `Bearer ${t}` });

let rs: TestKey;
let es: TestKey;
let rotated: TestKey;
let config: AuthConfig;

beforeAll(async () => {
  rs = testKey('rs-1', 'RS256');
  es = testKey('es-1', 'ES256');
  rotated = testKey('es-2', 'ES256');
  config = {
    ...DEFAULT_AUTH_CONFIG,
    mode: 'required',
    users: [
      { username: 'alice', passwordHash: await hashPassword('wonderland', FAST), tenants: ['team-a'], role: 'editor' },
      { username: 'root', passwordHash: await hashPassword('toor', FAST), tenants: '*', role: 'admin' },
    ],
    tokens: [
      { name: 'prom-a', tokenSha256: sha256Hex(TOKEN), tenants: ['team-a'], role: 'writer' },
      { name: 'other', tokenSha256: sha256Hex('other-token'), tenants: ['team-b'], role: 'viewer' },
    ],
    jwt: { jwksFile: '/etc/herald/jwks.json', issuer: 'https://idp.example', audience: 'herald', tenantClaim: 'herald.tenants', roleClaim: 'herald.role', subjectClaim: 'email' },
    maxFailuresPerMinute: 5,
  };
});

async function make(over: Partial<AuthConfig> = {}, jwks = () => jwksText(rs.jwk, es.jwk)) {
  const clock = fakeClock(NOW);
  const logger = recordingLogger();
  const files: string[] = [];
  const a = await createAuthenticator({ ...config, ...over }, {
    clock,
    logger,
    readFile: (p) => {
      files.push(p);
      return Promise.resolve(jwks());
    },
  });
  return { a, clock, logger, files };
}

const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: 'https://idp.example',
  aud: 'herald',
  exp: S + 300,
  email: 'ann@example.com',
  herald: { tenants: ['team-a', 'team-c'], role: 'editor' },
  ...over,
});

function urlConfig(): AuthConfig {
  const { jwksFile: _file, ...jwt } = config.jwt!;
  return { ...config, jwt: { ...jwt, jwksUrl: 'https://idp.example/jwks' } };
}

function principalOf(r: AuthResult): unknown {
  return r.ok ? r.principal : { status: r.status, message: r.message };
}

describe('authenticator: Basic', () => {
  it.each([
    ['good password', basic('alice', 'wonderland'), { subject: 'alice', tenants: ['team-a'], role: 'editor', method: 'basic' }],
    ['admin user', basic('root', 'toor'), { subject: 'root', tenants: '*', role: 'admin', method: 'basic' }],
    ['wrong password', basic('alice', 'wonderlanD'), { status: 401, message: 'invalid credentials' }],
    ['password with a colon', basic('alice', 'wonder:land'), { status: 401, message: 'invalid credentials' }],
    ['unknown user (tenant-as-username clients)', basic('team-a', ''), { status: 401, message: 'invalid credentials' }],
    ['no colon', { authorization: `Basic ${Buffer.from('alice').toString('base64')}` }, { status: 401, message: 'invalid credentials' }],
    ['lower-case scheme', { authorization: `basic ${Buffer.from('alice:wonderland').toString('base64')}` }, { subject: 'alice', tenants: ['team-a'], role: 'editor', method: 'basic' }],
    ['no header', {}, { status: 401, message: 'authentication required' }],
    ['other scheme', { authorization: 'Digest username="alice"' }, { status: 401, message: 'authentication required' }],
    ['two headers', { authorization: [basic('alice', 'wonderland').authorization!, 'Bearer x'] }, { status: 401, message: 'invalid credentials' }],
  ])('%s', async (_name, headers, want) => {
    const { a } = await make();
    expect(principalOf(await a.authenticate({ headers, ip: '10.0.0.1' }))).toEqual(want);
  });

  it('compares password hashes with timingSafeEqual, also for unknown users', async () => {
    const { a } = await make();
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    await a.authenticate({ headers: basic('alice', 'nope'), ip: '10.0.0.1' });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    await a.authenticate({ headers: basic('nobody', 'nope'), ip: '10.0.0.1' });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('logs the reason at debug, never the password', async () => {
    const { a, logger } = await make();
    await a.authenticate({ headers: basic('alice', 'S3cret!'), ip: '10.0.0.9' });
    const line = logger.lines.find((l) => l.msg === 'authentication failed');
    expect(line?.level).toBe('debug');
    expect(line?.obj).toMatchObject({ ip: '10.0.0.9', user: 'alice', reason: 'wrong password' });
    expect(JSON.stringify(logger.lines)).not.toContain('S3cret!');
  });

  it('remembers a successful verification, and forgets it when the hash changes', async () => {
    const { a } = await make();
    const first = await a.authenticate({ headers: basic('alice', 'wonderland'), ip: '10.0.0.1' });
    const again = await a.authenticate({ headers: basic('alice', 'wonderland'), ip: '10.0.0.1' });
    expect(first.ok && again.ok).toBe(true);
    const other = await make({ users: [{ ...config.users[0]!, passwordHash: await hashPassword('changed', FAST) }] });
    expect((await other.a.authenticate({ headers: basic('alice', 'wonderland'), ip: '10.0.0.1' })).ok).toBe(false);
  });
});

describe('authenticator: static bearer tokens', () => {
  it.each([
    ['configured token', TOKEN, { subject: 'prom-a', tenants: ['team-a'], role: 'writer', method: 'bearer' }],
    ['second token', 'other-token', { subject: 'other', tenants: ['team-b'], role: 'viewer', method: 'bearer' }],
    ['unknown token', 'herald-test-token-2', { status: 401, message: 'invalid credentials' }],
    ['the digest itself', sha256Hex(TOKEN), { status: 401, message: 'invalid credentials' }],
  ])('%s', async (_name, token, want) => {
    const { a } = await make();
    expect(principalOf(await a.authenticate({ headers: bearer(token), ip: '10.0.0.1' }))).toEqual(want);
  });

  it('walks every configured digest with timingSafeEqual', async () => {
    const { a } = await make();
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    await a.authenticate({ headers: bearer(TOKEN), ip: '10.0.0.1' });
    expect(spy).toHaveBeenCalledTimes(2);
  });
});

describe('authenticator: JWT', () => {
  const ann = { subject: 'ann@example.com', tenants: ['team-a', 'team-c'], role: 'editor', method: 'jwt' };
  const invalid = { status: 401, message: 'invalid credentials' };
  it.each<[string, () => string, unknown, RegExp?]>([
    ['RS256 token', () => signJwt(rs, claims()), ann],
    ['ES256 token', () => signJwt(es, claims()), ann],
    ['tenant claim as a string', () => signJwt(es, claims({ herald: { tenants: 'team-z' } })), { subject: 'ann@example.com', tenants: ['team-z'], role: 'viewer', method: 'jwt' }],
    ['unknown role -> viewer', () => signJwt(es, claims({ herald: { tenants: ['team-a'], role: 'owner' } })), { subject: 'ann@example.com', tenants: ['team-a'], role: 'viewer', method: 'jwt' }],
    ['admin without tenants', () => signJwt(es, claims({ herald: { role: 'admin' } })), { subject: 'ann@example.com', tenants: '*', role: 'admin', method: 'jwt' }],
    ['expired', () => signJwt(es, claims({ exp: S - 61 })), invalid, /expired/],
    ['within the exp leeway', () => signJwt(es, claims({ exp: S - 59 })), ann],
    ['not yet valid', () => signJwt(es, claims({ nbf: S + 61 })), invalid, /not valid before/],
    ['wrong issuer', () => signJwt(es, claims({ iss: 'https://evil.example' })), invalid, /issuer/],
    ['wrong audience', () => signJwt(es, claims({ aud: ['grafana'] })), invalid, /audience/],
    ['no subject', () => signJwt(es, claims({ email: undefined })), invalid, /subject claim "email"/],
    ['no tenant claim', () => signJwt(es, claims({ herald: { role: 'viewer' } })), invalid, /tenant claim/],
    ['alg none', () => unsignedJwt({ alg: 'none', kid: 'es-1' }, claims()), invalid, /algorithm "none"/],
    ['HS256 with the public key as secret', () => {
      const secret = crypto.createPublicKey({ key: rs.jwk as crypto.JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const t = unsignedJwt({ alg: 'HS256', kid: 'rs-1' }, claims());
      const input = t.slice(0, -1);
      return `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
    }, invalid, /algorithm "HS256"/],
    ['tampered signature', () => {
      const t = signJwt(es, claims());
      return `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`;
    }, invalid, /bad signature/],
    ['tampered claims', () => {
      const [h, , s] = signJwt(es, claims()).split('.');
      return `${h}.${Buffer.from(JSON.stringify(claims({ herald: { tenants: ['*'], role: 'admin' } }))).toString('base64url')}.${s}`;
    }, invalid, /bad signature/],
    ['signed by a key not in the set', () => signJwt({ ...testKey('es-1', 'ES256') }, claims()), invalid, /bad signature/],
  ])('%s', async (_name, token, want, reason) => {
    const { a, logger } = await make();
    const r = await a.authenticate({ headers: bearer(token()), ip: '10.0.0.1' });
    expect(principalOf(r)).toEqual(want);
    if (reason) {
      const line = logger.lines.find((l) => l.msg === 'authentication failed');
      expect((line?.obj as { reason?: string } | undefined)?.reason).toMatch(reason);
    }
  });

  it('fails the start on a bad JWKS file, naming it', async () => {
    await expect(make({}, () => '{"keys": 1}')).rejects.toThrow(JwksLoadError);
    await expect(make({}, () => '{"keys": 1}')).rejects.toThrow(/cannot load JWKS from \/etc\/herald\/jwks.json: JWKS must be an object/);
    await expect(make({}, () => jwksText({ kty: 'oct', k: 'eA' }))).rejects.toThrow(/no usable signing key/);
  });

  it('re-reads the file on reload: a rotated key works after, and a bad file keeps the old keys', async () => {
    let text = jwksText(es.jwk);
    const { a, files } = await make({}, () => text);
    const fresh = bearer(signJwt(rotated, claims()));
    expect((await a.authenticate({ headers: fresh, ip: '10.0.0.1' })).ok).toBe(false);
    text = jwksText(es.jwk, rotated.jwk);
    await a.reload();
    expect((await a.authenticate({ headers: fresh, ip: '10.0.0.1' })).ok).toBe(true);
    text = 'garbage';
    await expect(a.reload()).rejects.toThrow(JwksLoadError);
    expect((await a.authenticate({ headers: fresh, ip: '10.0.0.1' })).ok).toBe(true);
    expect(files).toEqual(['/etc/herald/jwks.json', '/etc/herald/jwks.json', '/etc/herald/jwks.json']);
  });

  it('a JWKS URL is fetched lazily, refetched on an unknown kid at most every 30s', async () => {
    const clock = fakeClock(NOW);
    let served = jwksText(es.jwk);
    const fetched: string[] = [];
    const a = await createAuthenticator(
      urlConfig(),
      {
        clock,
        logger: recordingLogger(),
        fetchJwks: (url) => {
          fetched.push(url);
          return Promise.resolve(served);
        },
      },
    );
    expect(fetched).toEqual([]);
    expect((await a.authenticate({ headers: bearer(signJwt(es, claims())), ip: '10.0.0.1' })).ok).toBe(true);
    expect(fetched).toHaveLength(1);
    // The IdP rotates: a token with the new kid arrives within 30s of the last fetch, so no refetch yet.
    served = jwksText(es.jwk, rotated.jwk);
    clock.t += 10_000;
    const fresh = bearer(signJwt(rotated, claims({ exp: S + 3000 })));
    expect((await a.authenticate({ headers: fresh, ip: '10.0.0.2' })).ok).toBe(false);
    expect(fetched).toHaveLength(1);
    clock.t += 20_000;
    expect((await a.authenticate({ headers: fresh, ip: '10.0.0.2' })).ok).toBe(true);
    expect(fetched).toHaveLength(2);
    // Known kids never refetch; unknown ones do not hammer the IdP.
    for (let i = 0; i < 5; i++) await a.authenticate({ headers: bearer(signJwt({ ...rotated, kid: `ghost-${i}` }, claims({ exp: S + 3000 }))), ip: `10.1.0.${i}` });
    expect(fetched).toHaveLength(2);
  });

  it('a failing JWKS URL keeps the keys already known', async () => {
    const clock = fakeClock(NOW);
    let up = true;
    const logger = recordingLogger();
    const a = await createAuthenticator(
      urlConfig(),
      { clock, logger, fetchJwks: () => (up ? Promise.resolve(jwksText(es.jwk)) : Promise.reject(new Error('connection refused'))) },
    );
    const t = bearer(signJwt(es, claims({ exp: S + 7200 })));
    expect((await a.authenticate({ headers: t, ip: '10.0.0.1' })).ok).toBe(true);
    up = false;
    clock.t += 3600_000;
    expect((await a.authenticate({ headers: t, ip: '10.0.0.1' })).ok).toBe(true);
    expect(logger.lines.some((l) => l.level === 'warn' && /JWKS fetch failed/.test(l.msg))).toBe(true);
  });
});

describe('authenticator: brute force and mode off', () => {
  it('after max failures an address gets 429 with Retry-After, even with good credentials, until the window passes', async () => {
    const { a, clock } = await make();
    for (let i = 0; i < 5; i++) {
      clock.t = NOW + i * 1000;
      expect((await a.authenticate({ headers: basic('alice', `guess-${i}`), ip: '203.0.113.7' })).ok).toBe(false);
    }
    const blocked = await a.authenticate({ headers: basic('alice', 'wonderland'), ip: '203.0.113.7' });
    expect(blocked).toEqual({ ok: false, status: 429, message: 'too many failed authentication attempts', retryAfterSeconds: 56 });
    expect((await a.authenticate({ headers: bearer(TOKEN), ip: '203.0.113.7' })).ok).toBe(false);
    expect((await a.authenticate({ headers: basic('alice', 'wonderland'), ip: '203.0.113.8' })).ok).toBe(true);
    clock.t = NOW + 60_000;
    expect((await a.authenticate({ headers: basic('alice', 'wonderland'), ip: '203.0.113.7' })).ok).toBe(true);
  });

  it('requests without credentials are not failures', async () => {
    const { a } = await make();
    for (let i = 0; i < 20; i++) expect((await a.authenticate({ headers: {}, ip: '203.0.113.7' })).ok).toBe(false);
    expect(a.limiter.blockedFor('203.0.113.7')).toBe(0);
  });

  it('mode off: every request is an anonymous admin, whatever it presents', async () => {
    const a = await createAuthenticator(DEFAULT_AUTH_CONFIG, { clock: fakeClock(), logger: recordingLogger() });
    const anonymous = { ok: true, principal: { subject: 'anonymous', tenants: '*', role: 'admin', method: 'anonymous' } };
    expect(await a.authenticate({ headers: basic('x', 'y'), ip: '1.1.1.1' })).toEqual(anonymous);
    expect(await a.authenticate({ headers: {}, ip: '1.1.1.1' })).toEqual(anonymous);
  });
});

describe('reloadableAuthenticator', () => {
  it('applies a new config, keeps blocked addresses blocked, and keeps the old one when the new JWKS is bad', async () => {
    const { a, clock } = await make();
    let jwks = jwksText(es.jwk);
    const deps = { clock, logger: recordingLogger(), readFile: () => Promise.resolve(jwks) };
    const r = reloadableAuthenticator(a, deps);
    for (let i = 0; i < 5; i++) await r.authenticate({ headers: bearer(`guess-${i}`), ip: '198.51.100.1' });
    const newToken = { name: 'new', tokenSha256: sha256Hex('new-token'), tenants: ['team-n'] as const, role: 'viewer' as const };
    await r.apply({ ...config, tokens: [newToken] });
    expect(principalOf(await r.authenticate({ headers: bearer('new-token'), ip: '198.51.100.2' }))).toEqual({ subject: 'new', tenants: ['team-n'], role: 'viewer', method: 'bearer' });
    expect((await r.authenticate({ headers: bearer(TOKEN), ip: '198.51.100.2' })).ok).toBe(false);
    expect((await r.authenticate({ headers: bearer('new-token'), ip: '198.51.100.1' })).ok).toBe(false);
    const before = r.current();
    jwks = 'garbage';
    await expect(r.apply(config)).rejects.toThrow(JwksLoadError);
    expect(r.current()).toBe(before);
  });
});
