/**
 * The `auth:` section of Herald's config (AuthConfig in src/auth/api.ts), checked as strictly as
 * the other sections: unknown keys, wrong types, malformed scrypt hashes and token digests,
 * unknown roles, invalid tenant ids, duplicate user or token names, and a JWKS given both as a file
 * and a URL are all reported together, each at its line and column.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { DEFAULT_AUTH_CONFIG } from '../auth/api.js';
import type { AuthConfig, Role } from '../auth/api.js';
import { isRole } from '../auth/jwt-principal.js';
import { parsePasswordHash } from '../auth/password-hash.js';
import { issue } from '../core/result.js';
import type { Issue } from '../core/result.js';
import { tenantIdProblem } from '../core/tenant-id.js';

type Path = (string | number)[];
type Section = Record<string, (node: Node | null, path: Path) => void>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type User = AuthConfig['users'][number];
type Token = AuthConfig['tokens'][number];
type Jwt = NonNullable<AuthConfig['jwt']>;

/** What the config parser lends each section (herald-config.ts' walker). */
export interface SectionWalker {
  readonly walk: (node: Node | null, path: Path, fields: Section) => void;
  readonly scalar: <T>(node: Node | null, path: Path, kind: 'boolean' | 'string' | 'number') => T | undefined;
  readonly at: (node: Node | null | undefined) => Pick<Issue, 'range'>;
  readonly issues: Issue[];
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const CLAIM_PATH = /^[^.]+(\.[^.]+)*$/;

/** The `auth:` section; defaults from DEFAULT_AUTH_CONFIG. */
export function authSection(w: SectionWalker): { parse: (node: Node | null, path: Path) => void; value: () => AuthConfig } {
  const { walk, scalar, at, issues } = w;
  let cfg: AuthConfig = DEFAULT_AUTH_CONFIG;
  const bad = (message: string, path: Path, node: Node | null | undefined): void => {
    issues.push(issue('auth', message, { path, ...at(node) }));
  };
  const name = (p: Path): string => p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  const str = (set: (s: string) => void, check?: (s: string) => string | undefined) => (v: Node | null, vp: Path) => {
    const s = scalar<string>(v, vp, 'string');
    if (s === undefined) return;
    const problem = s === '' ? 'must not be empty' : check?.(s);
    if (problem !== undefined) bad(`${name(vp)}: ${problem}`, vp, v);
    else set(s);
  };
  const role = (set: (r: Role) => void) =>
    str(set as (s: string) => void, (s) => (isRole(s) ? undefined : `unknown role ${JSON.stringify(s)} (writer, viewer, editor or admin)`));
  const tenants = (set: (t: readonly string[] | '*') => void) => (v: Node | null, vp: Path) => {
    if (isScalar(v) && v.value === '*') return set('*');
    if (!isSeq(v)) return bad(`${name(vp)} must be a list of tenant ids or "*" (every tenant)`, vp, v);
    if (v.items.length === 0) return bad(`${name(vp)} must name at least one tenant (or "*")`, vp, v);
    const list: string[] = [];
    v.items.forEach((item, i) => {
      const s = scalar<string>(item as Node, [...vp, i], 'string');
      if (s === undefined) return;
      const problem = s === '*' ? 'write tenants: "*" (not a list) for every tenant' : tenantIdProblem(s);
      if (problem !== undefined) bad(`${name([...vp, i])}: ${problem}`, [...vp, i], item as Node);
      else if (!list.includes(s)) list.push(s);
    });
    set(list);
  };
  /** Reports required keys missing from an entry mapping. */
  const required = (node: Node | null, path: Path, keys: readonly string[]): void => {
    if (!isMap(node)) return;
    for (const k of keys) if (!node.has(k)) bad(`${name(path)}.${k} is required`, path, node);
  };
  /** A list of entry mappings, each parsed by `entry`; the `key` field must be unique (checked even in entries with other problems). */
  const entries = <T>(what: string, key: string, label: string, entry: (item: Node | null, ip: Path) => T | undefined) => (v: Node | null, vp: Path, out: T[]) => {
    if (v === null || (isScalar(v) && v.value === null)) return;
    if (!isSeq(v)) return bad(`${name(vp)} must be a list of ${what}`, vp, v);
    const seen = new Set<string>();
    v.items.forEach((item, i) => {
      const e = entry(item as Node | null, [...vp, i]);
      const k = isMap(item) ? item.get(key) : undefined;
      if (typeof k === 'string') {
        if (seen.has(k)) bad(`${name([...vp, i])}: duplicate ${label} ${JSON.stringify(k)}`, [...vp, i], item as Node);
        seen.add(k);
      }
      if (e !== undefined) out.push(e);
    });
  };

  const user = (item: Node | null, ip: Path): User | undefined => {
    const u: Partial<Mutable<User>> = {};
    walk(item, ip, {
      username: str((s) => (u.username = s), (s) => (s.includes(':') ? 'must not contain ":" (Basic auth separates it from the password with one)' : undefined)),
      password_hash: str((s) => (u.passwordHash = s), (s) => {
        const h = parsePasswordHash(s);
        return h.ok ? undefined : h.reason;
      }),
      tenants: tenants((t) => (u.tenants = t)),
      role: role((r) => (u.role = r)),
    });
    required(item, ip, ['username', 'password_hash', 'tenants', 'role']);
    const { username, passwordHash, tenants: t, role: r } = u;
    return username !== undefined && passwordHash !== undefined && t !== undefined && r !== undefined ? { username, passwordHash, tenants: t, role: r } : undefined;
  };
  const token = (item: Node | null, ip: Path): Token | undefined => {
    const t: Partial<Mutable<Token>> = {};
    walk(item, ip, {
      name: str((s) => (t.name = s)),
      token_sha256: str((s) => (t.tokenSha256 = s.toLowerCase()), (s) => (SHA256_HEX.test(s) ? undefined : 'must be 64 hex digits, the sha256 of the token (see `herald auth hash-token`)')),
      tenants: tenants((x) => (t.tenants = x)),
      role: role((r) => (t.role = r)),
    });
    required(item, ip, ['name', 'token_sha256', 'tenants', 'role']);
    const { name: n, tokenSha256, tenants: ts, role: r } = t;
    return n !== undefined && tokenSha256 !== undefined && ts !== undefined && r !== undefined ? { name: n, tokenSha256, tenants: ts, role: r } : undefined;
  };
  const claim = (set: (s: string) => void) => str(set, (s) => (CLAIM_PATH.test(s) ? undefined : 'must be a claim name or a dotted path without empty parts'));
  const jwtSection = (v: Node | null, vp: Path): Jwt | undefined => {
    if (v === null || (isScalar(v) && v.value === null)) return undefined;
    const j: Mutable<Jwt> = { tenantClaim: 'tenant', roleClaim: 'role', subjectClaim: 'sub' };
    walk(v, vp, {
      jwks_file: str((s) => (j.jwksFile = s)),
      jwks_url: str((s) => (j.jwksUrl = s), (s) => (URL.canParse(s) && /^https?:$/.test(new URL(s).protocol) ? undefined : `invalid http(s) URL ${JSON.stringify(s)}`)),
      issuer: str((s) => (j.issuer = s)),
      audience: str((s) => (j.audience = s)),
      tenant_claim: claim((s) => (j.tenantClaim = s)),
      role_claim: claim((s) => (j.roleClaim = s)),
      subject_claim: claim((s) => (j.subjectClaim = s)),
    });
    if (!isMap(v)) return undefined;
    const file = v.has('jwks_file');
    const url = v.has('jwks_url');
    if (file === url) bad(`${name(vp)}: exactly one of jwks_file and jwks_url must be set`, vp, v);
    return j;
  };

  const parse = (node: Node | null, path: Path): void => {
    const c: Mutable<AuthConfig> = { ...DEFAULT_AUTH_CONFIG };
    const users: User[] = [];
    const tokens: Token[] = [];
    const userList = entries<User>('users', 'username', 'username', user);
    const tokenList = entries<Token>('tokens', 'name', 'token name', token);
    let modeNode: Node | null = null;
    walk(node, path, {
      mode: (v, vp) => {
        modeNode = v;
        const s = scalar<string>(v, vp, 'string');
        if (s === 'off' || s === 'required') c.mode = s;
        else if (s !== undefined) bad(`${name(vp)} must be "off" or "required", got ${JSON.stringify(s)}`, vp, v);
      },
      users: (v, vp) => userList(v, vp, users),
      tokens: (v, vp) => {
        tokenList(v, vp, tokens);
        const digests = new Map<string, string>();
        tokens.forEach((t) => {
          const other = digests.get(t.tokenSha256);
          if (other !== undefined) bad(`${name(vp)}: tokens ${JSON.stringify(other)} and ${JSON.stringify(t.name)} have the same token_sha256`, vp, v);
          digests.set(t.tokenSha256, t.name);
        });
      },
      jwt: (v, vp) => {
        const j = jwtSection(v, vp);
        if (j) c.jwt = j;
      },
      max_failures_per_minute: (v, vp) => {
        const n = scalar<number>(v, vp, 'number');
        if (n === undefined) return;
        if (!Number.isInteger(n) || n < 0) bad(`${name(vp)} must be a non-negative integer (0 = no limit)`, vp, v);
        else c.maxFailuresPerMinute = n;
      },
      public_metrics: (v, vp) => {
        const b = scalar<boolean>(v, vp, 'boolean');
        if (b !== undefined) c.publicMetrics = b;
      },
    });
    c.users = users;
    c.tokens = tokens;
    if (c.mode === 'required' && users.length === 0 && tokens.length === 0 && c.jwt === undefined) {
      bad(`${name([...path, 'mode'])} is "required" but no users, tokens or jwt are configured: nobody could sign in`, [...path, 'mode'], modeNode);
    }
    cfg = c;
  };
  return { parse, value: () => cfg };
}
