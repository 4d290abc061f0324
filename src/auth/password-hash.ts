/**
 * Password hashes for `auth.users[].password_hash`: `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`.
 * scrypt (RFC 7914) through node:crypto; verification runs off the event loop and compares with
 * timingSafeEqual. The string carries its own cost parameters, so stronger ones can be rolled out
 * user by user (`herald auth hash-password` writes them).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export interface PasswordHash extends ScryptParams {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Go's x/crypto/scrypt recommendation for interactive logins (32 MiB, ~100 ms). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 1 << 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const MIN_SALT_BYTES = 8;
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 128;
/** A config may not ask for more than this per verification (a hash is also a denial-of-service lever). */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const MAX_P = 16;
const B64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The reason `s` is not a usable password hash, or the parsed hash. */
export function parsePasswordHash(s: string): { ok: true; value: PasswordHash } | { ok: false; reason: string } {
  const parts = s.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return { ok: false, reason: 'expected scrypt$<N>$<r>$<p>$<salt>$<hash> (see `herald auth hash-password`)' };
  const [, nText, rText, pText, saltText, hashText] = parts as [string, string, string, string, string, string];
  const int = (t: string): number => (/^[1-9][0-9]{0,9}$/.test(t) ? Number(t) : NaN);
  const N = int(nText);
  const r = int(rText);
  const p = int(pText);
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0) return { ok: false, reason: `scrypt N must be a power of two above 1, got ${JSON.stringify(nText)}` };
  if (!Number.isInteger(r)) return { ok: false, reason: `scrypt r must be a positive integer, got ${JSON.stringify(rText)}` };
  if (!Number.isInteger(p) || p > MAX_P) return { ok: false, reason: `scrypt p must be an integer from 1 to ${MAX_P}, got ${JSON.stringify(pText)}` };
  if (scryptMemory({ N, r, p }) > MAX_SCRYPT_MEMORY) return { ok: false, reason: `scrypt N*r needs more than ${MAX_SCRYPT_MEMORY >> 20} MiB per verification` };
  if (!B64.test(saltText) || !B64.test(hashText)) return { ok: false, reason: 'salt and hash must be base64' };
  const salt = Buffer.from(saltText, 'base64');
  const hash = Buffer.from(hashText, 'base64');
  if (salt.length < MIN_SALT_BYTES) return { ok: false, reason: `salt must be at least ${MIN_SALT_BYTES} bytes` };
  if (hash.length < MIN_KEY_BYTES || hash.length > MAX_KEY_BYTES) return { ok: false, reason: `hash must be ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes` };
  return { ok: true, value: { N, r, p, salt, hash } };
}

/** Hashes a password with a fresh random salt. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `password` matches; the comparison takes the same time wherever the bytes differ. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const got = await derive(password, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(got, stored.hash);
}

function scryptMemory(params: ScryptParams): number {
  return 128 * params.N * params.r + 128 * params.r * params.p;
}

function derive(password: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> {
  // node's default maxmem (32 MiB) is exactly the default cost and would be refused, so leave headroom.
  const maxmem = scryptMemory(params) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
