/**
 * Compact JWS / JWT verification (RFC 7515, RFC 7519) with node:crypto: the header's `alg` must
 * be one of the asymmetric algorithms in jwks.ts (`none` and HS* are refused, whatever the key
 * set holds), the key is found by `kid`, then `exp`/`nbf` are checked with a leeway and
 * `iss`/`aud` when configured. Every refusal carries a reason for the debug log only.
 */
import { verify } from 'node:crypto';
import { constants } from 'node:crypto';
import { isJwsAlgorithm, isObject, JWS_ALGORITHMS } from './jwks.js';
import type { Jwk, JwsAlgorithm, KeySet } from './jwks.js';

/** Clock skew tolerated on `exp` and `nbf`. */
export const JWT_LEEWAY_SECONDS = 60;
/** Longer bearer values are not looked at (real tokens are a few KiB). */
const MAX_JWT_LENGTH = 16 * 1024;
const B64URL = /^[A-Za-z0-9_-]*$/;

export interface CompactJws {
  readonly alg: JwsAlgorithm;
  readonly kid?: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

export type Refusal = { readonly ok: false; readonly reason: string };

/** True when `s` has the shape of a compact JWS (three base64url segments; `alg: none` ones have an empty signature). */
export function looksLikeJws(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 3 && parts[0] !== '' && parts[1] !== '' && parts.every((p) => B64URL.test(p));
}

/** Splits and decodes a compact JWS; the signature is not checked yet. */
export function parseCompactJws(token: string): { ok: true; value: CompactJws } | Refusal {
  if (token.length > MAX_JWT_LENGTH) return refuse(`token longer than ${MAX_JWT_LENGTH} characters`);
  if (!looksLikeJws(token)) return refuse('not a compact JWS (header.payload.signature)');
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = decodeJson(h);
  if (!isObject(header)) return refuse('header is not a JSON object');
  const { alg, kid, crit } = header;
  if (!isJwsAlgorithm(alg)) return refuse(`algorithm ${JSON.stringify(alg)} is not accepted`);
  if (crit !== undefined) return refuse('critical header parameters are not supported');
  if (kid !== undefined && typeof kid !== 'string') return refuse('"kid" must be a string');
  const claims = decodeJson(p);
  if (!isObject(claims)) return refuse('payload is not a JSON object');
  return { ok: true, value: { alg, ...(kid !== undefined ? { kid } : {}), claims, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') } };
}

/**
 * The key that must verify `jws`: by `kid`, or the only key fit for the algorithm when the token
 * names none. `unknownKid` tells the caller a fresher key set might know it.
 */
export function selectKey(jws: CompactJws, keys: KeySet): { ok: true; key: Jwk } | (Refusal & { readonly unknownKid?: true }) {
  if (jws.kid !== undefined) {
    const key = keys.byKid.get(jws.kid);
    if (!key) return { ok: false, reason: `no key with kid ${JSON.stringify(jws.kid)}`, unknownKid: true };
    return fits(key, jws.alg) ? { ok: true, key } : refuse(`key ${JSON.stringify(jws.kid)} is not for ${jws.alg}`);
  }
  const candidates = keys.keys.filter((k) => fits(k, jws.alg));
  if (candidates.length !== 1) return refuse(`token has no kid and ${candidates.length} keys fit ${jws.alg}`);
  return { ok: true, key: candidates[0] as Jwk };
}

/** Checks the signature of `jws` with `key` (already selected for its algorithm). */
export function verifySignature(jws: CompactJws, key: Jwk): boolean {
  const a = JWS_ALGORITHMS[jws.alg];
  if (a.sigBytes !== undefined && jws.signature.length !== a.sigBytes) return false;
  const data = Buffer.from(jws.signingInput, 'ascii');
  try {
    if (a.kty === 'EC') return verify(a.hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, jws.signature);
    if (a.pss) return verify(a.hash, data, { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, jws.signature);
    return verify(a.hash, data, key.key, jws.signature);
  } catch {
    return false;
  }
}

export interface ClaimChecks {
  readonly issuer?: string;
  readonly audience?: string;
  readonly nowMs: number;
}

/** Time and audience claims (RFC 7519 §4.1); `exp` is required: a token that never expires is refused. */
export function checkClaims(claims: Readonly<Record<string, unknown>>, c: ClaimChecks): { ok: true } | Refusal {
  const now = c.nowMs / 1000;
  const { exp, nbf, iss, aud } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return refuse('"exp" is missing or not a number');
  if (now > exp + JWT_LEEWAY_SECONDS) return refuse(`expired at ${new Date(exp * 1000).toISOString()}`);
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' || !Number.isFinite(nbf)) return refuse('"nbf" is not a number');
    if (now < nbf - JWT_LEEWAY_SECONDS) return refuse(`not valid before ${new Date(nbf * 1000).toISOString()}`);
  }
  if (c.issuer !== undefined && iss !== c.issuer) return refuse(`issuer ${JSON.stringify(iss)} is not ${JSON.stringify(c.issuer)}`);
  if (c.audience !== undefined) {
    const list: unknown[] = Array.isArray(aud) ? aud : [aud];
    if (!list.includes(c.audience)) return refuse(`audience ${JSON.stringify(aud)} does not include ${JSON.stringify(c.audience)}`);
  }
  return { ok: true };
}

function fits(key: Jwk, alg: JwsAlgorithm): boolean {
  const a = JWS_ALGORITHMS[alg];
  return key.kty === a.kty && (key.alg === undefined || key.alg === alg) && (a.crv === undefined || key.crv === a.crv);
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function refuse(reason: string): Refusal {
  return { ok: false, reason };
}
