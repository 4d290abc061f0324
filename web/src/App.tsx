/**
 * The frame around every page: navigation, the tenant switcher, the theme switch, sign-in, and
 * the hash route that picks the page.
 */
import { useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useRoute } from './hooks.js';
import { useSession } from './session.js';
import { AlertsPage } from './pages/Alerts.js';
import { SilencesPage } from './pages/Silences.js';
import { RoutingPage } from './pages/Routing.js';
import { RulesPage } from './pages/Rules.js';
import { NotificationsPage } from './pages/Notifications.js';
import { ThresholdsPage } from './pages/Thresholds.js';
import { StatusPage } from './pages/Status.js';
import { TenantSwitcher } from './components/TenantSwitcher.js';

const NAV: readonly { readonly path: string; readonly label: string; readonly page: () => ReactNode }[] = [
  { path: '/alerts', label: 'Alerts', page: () => <AlertsPage /> },
  { path: '/silences', label: 'Silences', page: () => <SilencesPage /> },
  { path: '/routing', label: 'Routing', page: () => <RoutingPage /> },
  { path: '/rules', label: 'Rules', page: () => <RulesPage /> },
  { path: '/notifications', label: 'Notifications', page: () => <NotificationsPage /> },
  { path: '/thresholds', label: 'Thresholds', page: () => <ThresholdsPage /> },
  { path: '/status', label: 'Status', page: () => <StatusPage /> },
];

type Theme = 'light' | 'dark' | 'system';
const THEME_KEY = 'herald.theme';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem(THEME_KEY) as Theme | null) ?? 'system');
  useEffect(() => {
    localStorage.setItem(THEME_KEY, theme);
    const root = document.documentElement;
    if (theme !== 'system') {
      root.setAttribute('data-theme', theme);
      return undefined;
    }
    // Follow the system's preference, also when it changes while the page is open.
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => root.setAttribute('data-theme', dark.matches ? 'dark' : 'light');
    apply();
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [theme]);
  return [theme, setTheme];
}

function SignIn(): ReactNode {
  const { signIn } = useSession();
  const [mode, setMode] = useState<'password' | 'token'>('password');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    const creds = mode === 'password' ? { kind: 'basic' as const, username, password: secret } : { kind: 'bearer' as const, token: secret };
    signIn(creds).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  return (
    <div className="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Herald</h1>
        <fieldset className="segmented">
          <legend className="sr-only">Sign in with</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'password'} onChange={() => setMode('password')} /> Password
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} /> Token
          </label>
        </fieldset>
        {mode === 'password' ? (
          <label>
            Username
            <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          </label>
        ) : null}
        <label>
          {mode === 'password' ? 'Password' : 'Token'}
          <input type="password" autoComplete={mode === 'password' ? 'current-password' : 'off'} value={secret} onChange={(e) => setSecret(e.target.value)} required />
        </label>
        {error ? (
          <div className="error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </div>
  );
}

export function App(): ReactNode {
  const route = useRoute();
  const session = useSession();
  const [theme, setTheme] = useTheme();
  const current = NAV.find((n) => route.path === n.path || route.path.startsWith(`${n.path}/`)) ?? NAV[0]!;
  if (session.needsSignIn) return <SignIn />;
  return (
    <div className="app">
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Herald</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a href={`#${n.path}`} aria-current={n === current ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <TenantSwitcher />
          <label className="theme">
            <span className="sr-only">Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="Theme">
              <option value="system">System theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          {session.who && session.who.auth === 'required' ? (
            <span className="user">
              {session.who.subject}
              <button type="button" onClick={session.signOut}>
                Sign out
              </button>
            </span>
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {current.page()}
      </main>
    </div>
  );
}
