import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseJwks } from './jwks.js';
import type { JwsAlgorithm, KeySet } from './jwks.js';
import { checkClaims, looksLikeJws, parseCompactJws, selectKey, verifySignature } from './jwt.js';
import { claimAt, principalFromClaims, roleFromClaim } from './jwt-principal.js';
import { jwksText, signJwt, testKey, unsignedJwt } from './test-fakes.js';

const ALGS: JwsAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384'];
const rsa = testKey('rsa', 'RS256');
const keys = Object.fromEntries(ALGS.map((alg) => [alg, alg.startsWith('ES') ? testKey(alg, alg) : { ...rsa, kid: alg, alg, jwk: { ...rsa.jwk, kid: alg, alg } }]));

function keySet(text: string): KeySet {
  const r = parseJwks(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}
const all = keySet(jwksText(...Object.values(keys).map((k) => k.jwk)));

function verifies(token: string, set: KeySet = all): boolean | string {
  const p = parseCompactJws(token);
  if (!p.ok) return p.reason;
  const k = selectKey(p.value, set);
  if (!k.ok) return k.reason;
  return verifySignature(p.value, k.key);
}

describe('JWS signatures', () => {
  it.each(ALGS)('%s: a good signature verifies, a tampered payload or signature does not', (alg) => {
    const token = signJwt(keys[alg]!, { sub: 'x' });
    expect(verifies(token)).toBe(true);
    const [h, p, s] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'y' })).toString('base64url');
    expect(verifies(`${h}.${otherPayload}.${s}`)).toBe(false);
    const sig = Buffer.from(s, 'base64url');
    sig[5] = (sig[5] ?? 0) ^ 1;
    expect(verifies(`${h}.${p}.${sig.toString('base64url')}`)).toBe(false);
  });

  it.each([
    [{ alg: 'none', kid: 'RS256' }, '', /algorithm "none" is not accepted/],
    [{ alg: 'HS256', kid: 'RS256' }, 'c2ln', /algorithm "HS256" is not accepted/],
    [{ alg: 'RS256', kid: 'RS256', crit: ['exp'] }, 'c2ln', /critical header/],
    [{ alg: 'RS256', kid: 7 }, 'c2ln', /"kid" must be a string/],
    [{ alg: 'RS256', kid: 'gone' }, 'c2ln', /no key with kid "gone"/],
  ])('refuses header %j', (header, sig, reason) => {
    const r = verifies(unsignedJwt(header, { sub: 'x' }, sig));
    expect(r).toMatch(reason);
  });

  it('refuses a key whose alg differs from the token (RS256 key, ES256 token)', () => {
    expect(verifies(signJwt({ ...keys.ES256!, kid: 'RS256' }, { sub: 'x' }))).toMatch(/not for ES256/);
  });

  it('without kid, uses the only fitting key, refuses when several fit', () => {
    const es = keys.ES256!;
    const token = signJwt(es, { sub: 'x' }, { kid: undefined });
    expect(verifies(token, keySet(jwksText({ ...es.jwk, kid: undefined })))).toBe(true);
    expect(verifies(token, keySet(jwksText(es.jwk, { ...testKey('b', 'ES256').jwk })))).toMatch(/2 keys fit ES256/);
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'a..c', 'a.b.c d', 'a.b.c='])('%j is not a compact JWS', (s) => {
    expect(looksLikeJws(s)).toBe(false);
  });

  it('refuses a payload that is not a JSON object', () => {
    expect(verifies(`${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.c2ln`)).toMatch(/payload is not a JSON object/);
  });
});

describe('JWKS', () => {
  it('skips unusable keys with a reason and keeps the good ones', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const r = parseJwks(jwksText(keys.RS256!.jwk, { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }, { ...keys.ES256!.jwk, use: 'enc', kid: 'enc' }, { ...weak, kid: 'weak' }, { kty: 'EC', crv: 'P-521', kid: 'p521' }, { ...keys.ES384!.jwk, kid: 'RS256' }, { kty: 'RSA', n: 5, e: 'AQAB', kid: 'junk' }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.keys.map((k) => k.kid)).toEqual(['RS256']);
    expect(r.skipped.join('\n')).toMatch(/"hmac".*key type "oct"/);
    expect(r.skipped.join('\n')).toMatch(/"enc".*"use" is "enc"/);
    expect(r.skipped.join('\n')).toMatch(/"weak".*1024 bits is too weak/);
    expect(r.skipped.join('\n')).toMatch(/"p521".*curve "P-521"/);
    expect(r.skipped.join('\n')).toMatch(/"RS256".*duplicate kid/);
    expect(r.skipped.join('\n')).toMatch(/"junk".*invalid key material/);
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /"keys" array/],
    ['{"keys":{}}', /"keys" array/],
  ])('refuses %j', (text, reason) => {
    const r = parseJwks(text);
    expect(r.ok ? 'parsed' : r.reason).toMatch(reason);
  });
});

describe('JWT claims', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const s = now / 1000;
  it.each<[Record<string, unknown>, { issuer?: string; audience?: string }, true | RegExp]>([
    [{ exp: s + 10 }, {}, true],
    [{ exp: s - 59 }, {}, true],
    [{ exp: s - 61 }, {}, /expired/],
    [{}, {}, /"exp" is missing/],
    [{ exp: '9999999999' }, {}, /"exp" is missing or not a number/],
    [{ exp: s + 10, nbf: s + 59 }, {}, true],
    [{ exp: s + 600, nbf: s + 61 }, {}, /not valid before/],
    [{ exp: s + 10, iss: 'https://idp' }, { issuer: 'https://idp' }, true],
    [{ exp: s + 10, iss: 'https://evil' }, { issuer: 'https://idp' }, /issuer "https:\/\/evil"/],
    [{ exp: s + 10 }, { issuer: 'https://idp' }, /issuer undefined/],
    [{ exp: s + 10, aud: 'herald' }, { audience: 'herald' }, true],
    [{ exp: s + 10, aud: ['x', 'herald'] }, { audience: 'herald' }, true],
    [{ exp: s + 10, aud: ['x'] }, { audience: 'herald' }, /audience/],
  ])('%j with %j', (claims, checks, want) => {
    const r = checkClaims(claims, { nowMs: now, ...checks });
    if (want === true) expect(r).toEqual({ ok: true });
    else expect(r.ok ? 'ok' : r.reason).toMatch(want);
  });

  it('claimAt reads literal names first, then dotted paths', () => {
    const c = { 'https://x.io/tenant': 'a', realm: { access: { roles: ['editor'] } }, 'a.b': 1, a: { b: 2 } };
    expect(claimAt(c, 'https://x.io/tenant')).toBe('a');
    expect(claimAt(c, 'realm.access.roles')).toEqual(['editor']);
    expect(claimAt(c, 'a.b')).toBe(1);
    expect(claimAt(c, 'realm.missing.x')).toBeUndefined();
    expect(claimAt(c, 'toString')).toBeUndefined();
  });

  it.each([
    ['admin', 'admin'],
    [['viewer', 'editor'], 'editor'],
    [['writer'], 'writer'],
    [['writer', 'viewer'], 'viewer'],
    ['superuser', 'viewer'],
    [undefined, 'viewer'],
    [42, 'viewer'],
  ])('role claim %j -> %s', (v, role) => {
    expect(roleFromClaim(v)).toBe(role);
  });

  const names = { tenantClaim: 'org.tenants', roleClaim: 'role', subjectClaim: 'sub' };
  it.each([
    [{ sub: 'ann', org: { tenants: ['a', 'b', 'a'] } }, { subject: 'ann', tenants: ['a', 'b'], role: 'viewer', method: 'jwt' }],
    [{ sub: 'ann', org: { tenants: 'a' }, role: 'editor' }, { subject: 'ann', tenants: ['a'], role: 'editor', method: 'jwt' }],
    [{ sub: 'root', role: 'admin' }, { subject: 'root', tenants: '*', role: 'admin', method: 'jwt' }],
    [{ sub: 'ops', org: { tenants: '*' } }, { subject: 'ops', tenants: '*', role: 'viewer', method: 'jwt' }],
    [{ sub: 'ann' }, /tenant claim "org.tenants" is missing/],
    [{ sub: 'ann', org: { tenants: [] } }, /is missing/],
    [{ sub: 'ann', org: { tenants: [1] } }, /string or a list of strings/],
    [{ sub: 'ann', org: { tenants: ['../x'] } }, /unsupported character/],
    [{ org: { tenants: 'a' } }, /subject claim "sub" is missing/],
  ])('principal from %j', (claims, want) => {
    const r = principalFromClaims(claims, names);
    if (want instanceof RegExp) expect(r.ok ? 'ok' : r.reason).toMatch(want);
    else expect(r.ok && r.principal).toEqual(want);
  });
});
