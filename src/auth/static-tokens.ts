/**
 * Static bearer tokens (`auth.tokens[]`): only the sha256 of each token is configured. A presented
 * token is hashed and compared against every configured digest with timingSafeEqual, always all
 * of them, so neither the position of the first differing byte nor which entry matched shows in
 * the time taken.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Lower-case hex sha256 of a UTF-8 string. */
export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** A new random token (256 bits, base64url) for `herald auth hash-token`. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface TokenMatcher<T> {
  /** The entry whose digest is the sha256 of `token`, or undefined. */
  match(token: string): T | undefined;
}

/** Builds a matcher over entries with a `tokenSha256` (64 hex characters, validated by the config). */
export function createTokenMatcher<T extends { readonly tokenSha256: string }>(entries: readonly T[]): TokenMatcher<T> {
  const digests = entries.map((e) => Buffer.from(e.tokenSha256.toLowerCase(), 'hex'));
  return {
    match(token) {
      const got = createHash('sha256').update(token, 'utf8').digest();
      let found = -1;
      for (let i = 0; i < digests.length; i++) {
        const d = digests[i] as Buffer;
        // Digests of malformed config entries (wrong length) never match, but are still walked.
        const same = d.length === got.length && timingSafeEqual(d, got);
        found = same ? i : found;
      }
      return found < 0 ? undefined : entries[found];
    },
  };
}
