import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, parsePasswordHash, verifyPassword } from './password-hash.js';

const FAST = { N: 1024, r: 8, p: 1 };
const SALT = Buffer.alloc(16, 1).toString('base64');
const HASH = Buffer.alloc(32, 2).toString('base64');

describe('password hashes', () => {
  it('hashes and verifies; a wrong password does not verify', async () => {
    const s = await hashPassword('correct horse', FAST);
    expect(s).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    const h = parsePasswordHash(s);
    if (!h.ok) throw new Error(h.reason);
    expect(await verifyPassword('correct horse', h.value)).toBe(true);
    expect(await verifyPassword('correct horsf', h.value)).toBe(false);
    expect(await verifyPassword('', h.value)).toBe(false);
  });

  it('uses a fresh salt each time', async () => {
    expect(await hashPassword('x', FAST)).not.toBe(await hashPassword('x', FAST));
  });

  it('verifies with the default cost (node maxmem headroom)', async () => {
    const h = parsePasswordHash(await hashPassword('pw'));
    expect(h.ok && h.value.N).toBe(DEFAULT_SCRYPT_PARAMS.N);
    expect(h.ok && (await verifyPassword('pw', h.value))).toBe(true);
  });

  it.each([
    ['bcrypt$2y$10$abc', /expected scrypt/],
    [`scrypt$1024$8$1$${SALT}`, /expected scrypt/],
    [`scrypt$1000$8$1$${SALT}$${HASH}`, /N must be a power of two/],
    [`scrypt$1$8$1$${SALT}$${HASH}`, /N must be a power of two/],
    [`scrypt$01024$8$1$${SALT}$${HASH}`, /N must be a power of two/],
    [`scrypt$1024$0$1$${SALT}$${HASH}`, /r must be a positive integer/],
    [`scrypt$1024$8$17$${SALT}$${HASH}`, /p must be an integer from 1 to 16/],
    [`scrypt$1048576$8$1$${SALT}$${HASH}`, /more than 256 MiB/],
    [`scrypt$1024$8$1$not base64!$${HASH}`, /base64/],
    [`scrypt$1024$8$1$${Buffer.alloc(4).toString('base64')}$${HASH}`, /salt must be at least 8 bytes/],
    [`scrypt$1024$8$1$${SALT}$${Buffer.alloc(8).toString('base64')}`, /hash must be 16 to 128 bytes/],
  ])('refuses %s', (s, reason) => {
    const h = parsePasswordHash(s);
    expect(h.ok).toBe(false);
    if (!h.ok) expect(h.reason).toMatch(reason);
  });
});
