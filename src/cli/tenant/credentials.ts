/**
 * Credentials the tenant tools send to a Herald that runs with `auth.mode: required`
 * (docs/auth.md): a static or OIDC bearer token (`--token`, env HERALD_TOKEN) or a configured user
 * (`--username`/`--password`, env HERALD_USERNAME/HERALD_PASSWORD), as `Authorization: Bearer` or
 * `Basic`. Flags win over the environment. Secrets never appear in a message: descriptions name the
 * kind of credential and the user name only.
 */
import { UsageError } from '../args.js';

/** What the tools authenticate with. */
export type HeraldCredentials =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

/** The flags that carry credentials (each sub-command that talks to Herald accepts them). */
export const CREDENTIAL_FLAGS: readonly string[] = ['token', 'username', 'password'];

/** The environment variables read when no credential flag is given. */
export const CREDENTIAL_ENV = { token: 'HERALD_TOKEN', username: 'HERALD_USERNAME', password: 'HERALD_PASSWORD' } as const;

/** How a user can supply credentials, for messages. */
export const CREDENTIALS_HINT = `pass --token TOKEN (or set ${CREDENTIAL_ENV.token}) for a bearer token, or --username USER --password PASS (or set ${CREDENTIAL_ENV.username} and ${CREDENTIAL_ENV.password}) for a user`;

/** Visible ASCII only: what an HTTP header value can carry without surprises. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const HEADER_SAFE = /^[^\r\n\0]*$/;

/**
 * The credentials named by the flags and the environment; undefined when none. `--token` or
 * `--username`/`--password` decide the kind (a missing half of a user's pair may come from the
 * environment, so the password can stay out of the process list); without credential flags the
 * environment alone counts. Ambiguous or incomplete credentials are UsageErrors that name the
 * flags and variables, never their values.
 */
export function resolveCredentials(flags: ReadonlyMap<string, string>, env: Readonly<Record<string, string | undefined>>): HeraldCredentials | undefined {
  const e = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const flagToken = flags.get('token');
  const flagUser = flags.get('username');
  const flagPass = flags.get('password');
  const USER = `--username (or ${CREDENTIAL_ENV.username})`;
  const PASS = `--password (or ${CREDENTIAL_ENV.password})`;
  if (flagToken !== undefined) {
    if (flagUser !== undefined || flagPass !== undefined) throw new UsageError('give --token or --username/--password, not both');
    return bearer(flagToken, '--token');
  }
  if (flagUser !== undefined || flagPass !== undefined) {
    return basic(flagUser ?? e(CREDENTIAL_ENV.username), flagPass ?? e(CREDENTIAL_ENV.password), USER, PASS);
  }
  const envToken = e(CREDENTIAL_ENV.token);
  const envUser = e(CREDENTIAL_ENV.username);
  const envPass = e(CREDENTIAL_ENV.password);
  if (envToken !== undefined) {
    if (envUser !== undefined || envPass !== undefined) {
      throw new UsageError(`${CREDENTIAL_ENV.token} and ${CREDENTIAL_ENV.username}/${CREDENTIAL_ENV.password} are all set: pass --token or --username to say which to use`);
    }
    return bearer(envToken, CREDENTIAL_ENV.token);
  }
  if (envUser === undefined && envPass === undefined) return undefined;
  return basic(envUser, envPass, USER, PASS);
}

function bearer(raw: string, source: string): HeraldCredentials {
  const token = raw.trim();
  if (!TOKEN_CHARS.test(token)) throw new UsageError(`${source}: a bearer token is visible ASCII without spaces`);
  return { kind: 'bearer', token };
}

function basic(username: string | undefined, password: string | undefined, userSource: string, passSource: string): HeraldCredentials {
  if (username === undefined) throw new UsageError(`a password was given without a user name: add ${userSource}`);
  if (password === undefined) throw new UsageError(`user ${JSON.stringify(username)} needs a password: add ${passSource}`);
  if (username.includes(':') || !HEADER_SAFE.test(username)) throw new UsageError(`${userSource}: a user name has no ":" or line breaks`);
  if (!HEADER_SAFE.test(password)) throw new UsageError(`${passSource}: a password has no line breaks`);
  return { kind: 'basic', username, password };
}

/** The `Authorization` header value. */
export function authorizationHeader(c: HeraldCredentials): string {
  return c.kind === 'bearer' ? `Bearer ${c.token}` : `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

/** Who the credentials are, without the secret: `a bearer token`, `user "team-a"`. */
export function describeCredentials(c: HeraldCredentials): string {
  return c.kind === 'bearer' ? 'a bearer token' : `user ${JSON.stringify(c.username)}`;
}
