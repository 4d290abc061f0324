/**
 * The signed-in user, the selected tenant and the API client made for them, shared by every page.
 * The tenant survives reloads (localStorage); credentials last for the browser tab only
 * (sessionStorage), and a 401 from any call asks the user to sign in again.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError, createClient } from './api/client.js';
import type { Client, Credentials } from './api/client.js';
import { listTenants, whoAmI } from './api/herald.js';
import type { WhoAmI } from './api/herald.js';

const TENANT_KEY = 'herald.tenant';
const CREDENTIALS_KEY = 'herald.credentials';
export const DEFAULT_TENANT = 'anonymous';

export interface Session {
  readonly tenant: string;
  readonly setTenant: (t: string) => void;
  /** The tenants the user may see (the selected one included). */
  readonly tenants: readonly string[];
  readonly client: Client;
  /** Undefined until the first answer (or while signed out). */
  readonly who: WhoAmI | undefined;
  /** True when the server wants credentials we do not have (or that it refused). */
  readonly needsSignIn: boolean;
  readonly signIn: (c: Credentials) => Promise<void>;
  readonly signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

function readCredentials(): Credentials | undefined {
  try {
    const raw = sessionStorage.getItem(CREDENTIALS_KEY);
    return raw ? (JSON.parse(raw) as Credentials) : undefined;
  } catch {
    return undefined;
  }
}

/** Picks the tenant to show: the remembered one if allowed, else the first the user may see. */
export function chooseTenant(remembered: string | null, tenants: readonly string[], who: WhoAmI | undefined): string {
  const allowed = (t: string): boolean => who === undefined || who.tenants === '*' || who.tenants.includes(t);
  if (remembered && allowed(remembered)) return remembered;
  return tenants[0] ?? (who && who.tenants !== '*' ? (who.tenants[0] ?? DEFAULT_TENANT) : DEFAULT_TENANT);
}

export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [credentials, setCredentials] = useState<Credentials | undefined>(readCredentials);
  const [tenant, setTenantState] = useState<string>(() => localStorage.getItem(TENANT_KEY) ?? DEFAULT_TENANT);
  const [tenants, setTenants] = useState<readonly string[]>([]);
  const [who, setWho] = useState<WhoAmI | undefined>(undefined);
  const [needsSignIn, setNeedsSignIn] = useState(false);

  const onUnauthorized = useCallback(() => setNeedsSignIn(true), []);
  const client = useMemo(() => createClient(tenant, credentials, '', onUnauthorized), [tenant, credentials, onUnauthorized]);

  useEffect(() => {
    let cancelled = false;
    // No tenant header: the remembered tenant may be one these credentials do not cover (403).
    const probe = createClient('', credentials, '');
    void (async () => {
      try {
        const w = await whoAmI(probe);
        const list = await listTenants(probe);
        if (cancelled) return;
        setWho(w);
        setNeedsSignIn(false);
        const names = [...list.tenants];
        const chosen = chooseTenant(localStorage.getItem(TENANT_KEY), names, w);
        if (!names.includes(chosen)) names.unshift(chosen);
        setTenants(names);
        if (chosen !== tenant) setTenantState(chosen);
      } catch (e) {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) {
          setWho(undefined);
          setNeedsSignIn(true);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [credentials]);

  const setTenant = useCallback((t: string) => {
    localStorage.setItem(TENANT_KEY, t);
    setTenantState(t);
    setTenants((prev) => (prev.includes(t) ? prev : [...prev, t].sort()));
  }, []);

  const signIn = useCallback(async (c: Credentials) => {
    const w = await whoAmI(createClient('', c, ''));
    sessionStorage.setItem(CREDENTIALS_KEY, JSON.stringify(c));
    setWho(w);
    setCredentials(c);
    setNeedsSignIn(false);
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    setCredentials(undefined);
    setWho(undefined);
    setTenants([]);
    setNeedsSignIn(true);
  }, []);

  const value = useMemo<Session>(
    () => ({ tenant, setTenant, tenants, client, who, needsSignIn, signIn, signOut }),
    [tenant, setTenant, tenants, client, who, needsSignIn, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
