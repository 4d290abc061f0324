import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createTokenMatcher, newToken, sha256Hex } from './static-tokens.js';

vi.mock('node:crypto', async (orig) => {
  const real = await orig<typeof crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

describe('static tokens', () => {
  const a = newToken();
  const b = newToken();
  const entries = [
    { name: 'a', tokenSha256: sha256Hex(a) },
    { name: 'b', tokenSha256: sha256Hex(b).toUpperCase() },
    { name: 'c', tokenSha256: sha256Hex('c') },
  ];
  const m = createTokenMatcher(entries);

  it('new tokens are 256-bit base64url and differ', () => {
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('finds the entry by digest, case-insensitively for the configured hex', () => {
    expect(m.match(a)?.name).toBe('a');
    expect(m.match(b)?.name).toBe('b');
    expect(m.match('c')?.name).toBe('c');
    expect(m.match('d')).toBeUndefined();
    expect(m.match(sha256Hex(a))).toBeUndefined();
  });

  it('compares with timingSafeEqual against every entry, even after a match', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    m.match(a);
    expect(spy).toHaveBeenCalledTimes(3);
    spy.mockClear();
    m.match('nothing');
    expect(spy).toHaveBeenCalledTimes(3);
  });
});
