/** Test helpers for src/auth: a settable clock, generated key pairs, a JWT signer, a log recorder. */
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Clock, Logger } from '../core/runtime.js';
import { JWS_ALGORITHMS } from './jwks.js';
import type { JwsAlgorithm } from './jwks.js';

export function fakeClock(start = Date.parse('2026-01-01T00:00:00Z')): Clock & { t: number } {
  const c = { t: start, now: () => c.t, schedule: () => ({ cancel: () => undefined }), sleep: () => Promise.resolve() };
  return c;
}

/** A logger that keeps every line, for asserting on reasons that never reach the client. */
export function recordingLogger(): Logger & { lines: { level: string; obj: object; msg: string }[] } {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const at =
    (level: string) =>
    (objOrMsg: object | string, msg?: string): void => {
      lines.push(typeof objOrMsg === 'string' ? { level, obj: {}, msg: objOrMsg } : { level, obj: objOrMsg, msg: msg ?? '' });
    };
  const l = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => l };
  return l;
}

export interface TestKey {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  readonly privateKey: KeyObject;
  /** The public JWK as a JWKS would publish it. */
  readonly jwk: Record<string, unknown>;
}

export function testKey(kid: string, alg: JwsAlgorithm, rsaBits = 2048): TestKey {
  const a = JWS_ALGORITHMS[alg];
  const pair = a.kty === 'RSA' ? generateKeyPairSync('rsa', { modulusLength: rsaBits }) : generateKeyPairSync('ec', { namedCurve: a.crv === 'P-256' ? 'prime256v1' : 'secp384r1' });
  return { kid, alg, privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg } };
}

export function jwksText(...keys: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ keys });
}

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A compact JWS signed with `key`; `header` overrides or adds header members. */
export function signJwt(key: TestKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const h = { alg: key.alg, typ: 'JWT', kid: key.kid, ...header };
  const input = `${b64(h)}.${b64(claims)}`;
  const a = JWS_ALGORITHMS[key.alg];
  const data = Buffer.from(input);
  const sig =
    a.kty === 'EC'
      ? sign(a.hash, data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : a.pss
        ? sign(a.hash, data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
        : sign(a.hash, data, key.privateKey);
  return `${input}.${sig.toString('base64url')}`;
}

/** An unsigned token with any header (for `alg: none` and HS256 attacks). */
export function unsignedJwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  return `${b64(header)}.${b64(claims)}.${signature}`;
}
