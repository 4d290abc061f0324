import { describe, expect, it } from 'vitest';
import { parsePasswordHash, sha256Hex, verifyPassword } from '../auth/index.js';
import { UsageError } from './args.js';
import { runAuth } from './auth.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('herald auth', () => {
  it('hash-password reads stdin (one trailing newline dropped) and prints a verifiable scrypt string', async () => {
    const c = capture();
    expect(await runAuth(['hash-password'], c.io, () => Promise.resolve('s3cret pass\n'))).toBe(0);
    expect(c.out).toHaveLength(1);
    const h = parsePasswordHash(c.out[0]!);
    if (!h.ok) throw new Error(h.reason);
    expect(await verifyPassword('s3cret pass', h.value)).toBe(true);
    expect(await verifyPassword('s3cret pass\n', h.value)).toBe(false);
  });

  it('hash-password refuses an empty password', async () => {
    const c = capture();
    expect(await runAuth(['hash-password'], c.io, () => Promise.resolve('\r\n'))).toBe(1);
    expect(c.err).toEqual(['herald auth hash-password: empty password on stdin']);
    expect(c.out).toEqual([]);
  });

  it('hash-token prints a token and its sha256', async () => {
    const c = capture();
    expect(await runAuth(['hash-token'], c.io)).toBe(0);
    const [tokenLine, shaLine] = c.out;
    const token = /^token: ([A-Za-z0-9_-]{43})$/.exec(tokenLine ?? '')?.[1];
    expect(token).toBeDefined();
    expect(shaLine).toBe(`token_sha256: ${sha256Hex(token!)}`);
  });

  it('usage errors', async () => {
    const c = capture();
    await expect(runAuth(['hash-tokens'], c.io)).rejects.toThrow(UsageError);
    await expect(runAuth(['hash-token', 'extra'], c.io)).rejects.toThrow(/unexpected argument 'extra'/);
    expect(await runAuth([], c.io)).toBe(2);
    expect(await runAuth(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('hash-password');
  });
});
