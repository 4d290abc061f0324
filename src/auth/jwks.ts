/**
 * JSON Web Key Sets (RFC 7517) for verifying OIDC/JWT bearer tokens: parsing into node:crypto
 * public keys, and the signing algorithms Herald accepts (RFC 7518 §3: RS256/384/512, PS256,
 * ES256/384). Symmetric (`oct`) keys, encryption keys and weak RSA keys are skipped with a reason,
 * so `alg: HS256` tokens can never be checked against a public key used as an HMAC secret.
 */
import { createPublicKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

export type JwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384';

/** Per algorithm: the key type, the digest, and for ECDSA the curve and signature length. */
export const JWS_ALGORITHMS: Readonly<Record<JwsAlgorithm, { kty: 'RSA' | 'EC'; hash: string; pss?: true; crv?: string; sigBytes?: number }>> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', crv: 'P-256', sigBytes: 64 },
  ES384: { kty: 'EC', hash: 'sha384', crv: 'P-384', sigBytes: 96 },
};

export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(JWS_ALGORITHMS, alg);
}

/** One usable verification key. */
export interface Jwk {
  readonly kid?: string;
  /** The key's own `alg`, when it names one: tokens must then use exactly that algorithm. */
  readonly alg?: JwsAlgorithm;
  readonly kty: 'RSA' | 'EC';
  readonly crv?: string;
  readonly key: KeyObject;
}

export interface KeySet {
  readonly keys: readonly Jwk[];
  readonly byKid: ReadonlyMap<string, Jwk>;
}

export const EMPTY_KEY_SET: KeySet = { keys: [], byKid: new Map() };

const MIN_RSA_BITS = 2048;
/** A JWKS larger than this is refused (real ones are a few KiB). */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** Parses a JWKS document; `skipped` lists keys that cannot verify signatures here, and why. */
export function parseJwks(text: string): { ok: true; value: KeySet; skipped: string[] } | { ok: false; reason: string } {
  if (text.length > MAX_JWKS_BYTES) return { ok: false, reason: `JWKS larger than ${MAX_JWKS_BYTES} bytes` };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `JWKS is not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isObject(doc) || !Array.isArray(doc.keys)) return { ok: false, reason: 'JWKS must be an object with a "keys" array' };
  const keys: Jwk[] = [];
  const byKid = new Map<string, Jwk>();
  const skipped: string[] = [];
  doc.keys.forEach((raw: unknown, i) => {
    const k = toJwk(raw);
    const name = isObject(raw) && typeof raw.kid === 'string' ? `keys[${i}] (kid ${JSON.stringify(raw.kid)})` : `keys[${i}]`;
    if (typeof k === 'string') return skipped.push(`${name}: ${k}`);
    if (k.kid !== undefined) {
      if (byKid.has(k.kid)) return skipped.push(`${name}: duplicate kid, the first one is used`);
      byKid.set(k.kid, k);
    }
    keys.push(k);
  });
  return { ok: true, value: { keys, byKid }, skipped };
}

/** A verification key, or the reason this JWK is not one. */
function toJwk(raw: unknown): Jwk | string {
  if (!isObject(raw)) return 'not an object';
  const { kty, use, alg, kid, crv } = raw;
  if (kid !== undefined && typeof kid !== 'string') return '"kid" must be a string';
  if (use !== undefined && use !== 'sig') return `"use" is ${JSON.stringify(use)}, not "sig"`;
  if (Array.isArray(raw.key_ops) && !raw.key_ops.includes('verify')) return '"key_ops" does not include "verify"';
  if (kty !== 'RSA' && kty !== 'EC') return `key type ${JSON.stringify(kty)} is not supported (RSA and EC only)`;
  if (alg !== undefined && (!isJwsAlgorithm(alg) || JWS_ALGORITHMS[alg].kty !== kty)) return `algorithm ${JSON.stringify(alg)} is not supported for ${kty} keys`;
  if (kty === 'EC' && crv !== 'P-256' && crv !== 'P-384') return `curve ${JSON.stringify(crv)} is not supported (P-256, P-384)`;
  // Only the public members: a JWKS that leaks private parts still yields just the public key.
  const pub = kty === 'RSA' ? { kty, n: raw.n, e: raw.e } : { kty, crv, x: raw.x, y: raw.y };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pub as JsonWebKey, format: 'jwk' });
  } catch (e) {
    return `invalid key material: ${e instanceof Error ? e.message : String(e)}`;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (kty === 'RSA' && (bits === undefined || bits < MIN_RSA_BITS)) return `RSA key of ${bits ?? '?'} bits is too weak (at least ${MIN_RSA_BITS})`;
  return {
    kty,
    key,
    ...(typeof kid === 'string' ? { kid } : {}),
    ...(isJwsAlgorithm(alg) ? { alg } : {}),
    ...(typeof crv === 'string' ? { crv } : {}),
  };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
