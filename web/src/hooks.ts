/** Data loading and navigation shared by the pages. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Client } from './api/client.js';
import { useSession } from './session.js';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** Loads again (keeps showing the old data meanwhile). */
  readonly reload: () => void;
}

/**
 * Runs `load` with the session's client whenever the tenant or `deps` change, and every
 * `refreshMs` when given; an answer for a tenant no longer selected is dropped.
 */
export function useLoad<T>(load: (c: Client, signal: AbortSignal) => Promise<T>, deps: readonly unknown[], refreshMs?: number): Loaded<T> {
  const { client } = useSession();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastTenant = useRef(client.tenant);

  useEffect(() => {
    if (lastTenant.current !== client.tenant) {
      lastTenant.current = client.tenant;
      setData(undefined);
    }
    const ac = new AbortController();
    setLoading(true);
    loadRef.current(client, ac.signal).then(
      (d) => {
        if (ac.signal.aborted) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        if (ac.signal.aborted) return;
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
    return () => ac.abort();
  }, [client, tick, ...deps]);

  useEffect(() => {
    if (refreshMs === undefined) return undefined;
    const t = setInterval(() => setTick((x) => x + 1), refreshMs);
    return () => clearInterval(t);
  }, [refreshMs]);

  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}

export interface Route {
  /** `/alerts`, `/silences/new`, ... (the part of the hash before `?`). */
  readonly path: string;
  readonly params: URLSearchParams;
}

function currentRoute(): Route {
  const h = window.location.hash.replace(/^#/, '');
  const q = h.indexOf('?');
  const path = (q < 0 ? h : h.slice(0, q)) || '/alerts';
  return { path, params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

/** The hash route (`#/silences?state=active`); pages link with `href="#/..."` or navigate(). */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(currentRoute);
  useEffect(() => {
    const on = (): void => setRoute(currentRoute());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function navigate(path: string, params?: Readonly<Record<string, string | readonly string[]>>): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (typeof v === 'string') p.append(k, v);
    else for (const x of v) p.append(k, x);
  }
  const q = p.toString();
  window.location.hash = `#${path}${q === '' ? '' : `?${q}`}`;
}
