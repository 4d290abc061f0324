/**
 * Where the JWKS comes from (`auth.jwt.jwks_file` or `jwks_url`). A file is read at start and on
 * reload; a bad file fails the start (or the reload, keeping the old keys). A URL is fetched on
 * first use and cached; a token with an unknown `kid` triggers a refetch at most once per 30 s
 * (key rotation at the identity provider), and a set older than an hour is refetched on next use.
 * A failed fetch keeps the keys already known.
 */
import type { Clock, Logger } from '../core/runtime.js';
import { EMPTY_KEY_SET, MAX_JWKS_BYTES, parseJwks } from './jwks.js';
import type { KeySet } from './jwks.js';

export const JWKS_REFETCH_MIN_INTERVAL_MS = 30_000;
export const JWKS_MAX_AGE_MS = 3600_000;

export interface JwksSource {
  /** The current key set (fetched first if a URL was never fetched or is stale). */
  keys(): Promise<KeySet>;
  /** A fresher key set after an unknown `kid`, or undefined when a refetch is not allowed yet. */
  refreshForUnknownKid(): Promise<KeySet | undefined>;
  /** Re-reads the file (throws, keeping the old keys, when it is bad) or refetches the URL. */
  reload(): Promise<void>;
}

/** A JWKS that could not be loaded at start or reload. */
export class JwksLoadError extends Error {
  readonly code = 'jwks_load';
  constructor(readonly source: string, readonly reason: string) {
    super(`auth.jwt: cannot load JWKS from ${source}: ${reason}`);
  }
}

export interface JwksSourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly readFile: (path: string) => Promise<string>;
  readonly fetchJwks: (url: string) => Promise<string>;
}

/** A file-backed JWKS, loaded before this resolves. */
export async function fileJwksSource(path: string, deps: JwksSourceDeps): Promise<JwksSource> {
  const load = async (): Promise<KeySet> => {
    let text: string;
    try {
      text = await deps.readFile(path);
    } catch (e) {
      throw new JwksLoadError(path, e instanceof Error ? e.message : String(e));
    }
    const parsed = parseJwks(text);
    if (!parsed.ok) throw new JwksLoadError(path, parsed.reason);
    for (const s of parsed.skipped) deps.logger.warn({ jwks: path }, `JWKS key skipped: ${s}`);
    if (parsed.value.keys.length === 0) throw new JwksLoadError(path, 'no usable signing key');
    return parsed.value;
  };
  let current = await load();
  return {
    keys: () => Promise.resolve(current),
    refreshForUnknownKid: () => Promise.resolve(undefined),
    async reload() {
      current = await load();
    },
  };
}

/** A URL-backed JWKS; nothing is fetched until the first token needs it. */
export function urlJwksSource(url: string, deps: JwksSourceDeps): JwksSource {
  let current: KeySet = EMPTY_KEY_SET;
  let fetchedAt: number | undefined;
  let lastAttempt = -Infinity;
  let inFlight: Promise<KeySet> | undefined;

  const fetchNow = (): Promise<KeySet> => {
    if (inFlight) return inFlight;
    lastAttempt = deps.clock.now();
    inFlight = (async () => {
      try {
        const text = await deps.fetchJwks(url);
        const parsed = parseJwks(text);
        if (!parsed.ok) throw new Error(parsed.reason);
        for (const s of parsed.skipped) deps.logger.warn({ jwks: url }, `JWKS key skipped: ${s}`);
        current = parsed.value;
        fetchedAt = deps.clock.now();
      } catch (e) {
        deps.logger.warn({ jwks: url, err: e instanceof Error ? e.message : String(e) }, 'JWKS fetch failed; keeping the keys already known');
      } finally {
        inFlight = undefined;
      }
      return current;
    })();
    return inFlight;
  };
  const mayFetch = (): boolean => deps.clock.now() - lastAttempt >= JWKS_REFETCH_MIN_INTERVAL_MS;

  return {
    keys() {
      const stale = fetchedAt === undefined || deps.clock.now() - fetchedAt >= JWKS_MAX_AGE_MS;
      return stale && mayFetch() ? fetchNow() : Promise.resolve(current);
    },
    async refreshForUnknownKid() {
      if (!mayFetch()) return inFlight ? await inFlight : undefined;
      return fetchNow();
    },
    async reload() {
      await fetchNow();
    },
  };
}

/** The default `fetchJwks`: GET with a 10 s timeout, a 2xx status and a size cap. */
export async function fetchJwksOverHttp(url: string): Promise<string> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error(`GET ${url}: JWKS larger than ${MAX_JWKS_BYTES} bytes`);
  return text;
}
