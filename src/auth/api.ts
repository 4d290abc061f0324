/**
 * Authentication, authorization and audit (issue 9): the contracts shared by the credential
 * checks (src/auth), the HTTP enforcement (src/server/auth) and the audit log (src/audit).
 *
 * Roles, least to most: `writer` (Prometheus senders: remote_write and POST alerts only),
 * `viewer` (read), `editor` (alerts, silences, rules, thresholds, routing of its tenants), `admin`
 * (every tenant, limits, fallback config, reload). `writer` is not below `viewer`: it can only write.
 */

export type Role = 'writer' | 'viewer' | 'editor' | 'admin';

/** Who made a request, once its credentials are verified. */
export interface Principal {
  /** User name, token name or JWT subject: the audit log's actor. */
  readonly subject: string;
  /** Tenants the credentials may act on; '*' = every tenant (admin credentials). */
  readonly tenants: readonly string[] | '*';
  readonly role: Role;
  readonly method: 'basic' | 'bearer' | 'jwt' | 'anonymous';
}

/** The outcome of checking a request's credentials. */
export type AuthResult =
  | { readonly ok: true; readonly principal: Principal }
  /** 401: no or wrong credentials (the message never says which part was wrong); 429: too many failures from this address. */
  | { readonly ok: false; readonly status: 401 | 429; readonly message: string; readonly retryAfterSeconds?: number };

/** What an authenticator sees of a request. */
export interface AuthRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Source address (for the brute-force limit). */
  readonly ip: string;
}

export interface Authenticator {
  authenticate(req: AuthRequest): Promise<AuthResult>;
}

/** How a route is protected. Every route Herald serves has exactly one (a test enforces it). */
export interface RoutePolicy {
  /** Least role allowed; 'public' = reachable without credentials (health, readiness). */
  readonly role: Role | 'public';
  /** 'tenant': acts on the request's tenant; 'global': on Herald itself or all tenants (admin). */
  readonly scope: 'tenant' | 'global';
  /** Changes are audited under this action name (e.g. `silence.create`, `rules.group.put`). */
  readonly audit?: string;
}

/** One audited change. */
export interface AuditEntry {
  /** RFC 3339 with milliseconds. */
  readonly time: string;
  readonly actor: string;
  readonly tenant: string;
  readonly action: string;
  /** What was changed: a silence id, `namespace/group`, `alertmanager config`, a threshold key... */
  readonly object: string;
  /** sha256 hex of the object's state before/after the change ('' when it did not exist). */
  readonly before: string;
  readonly after: string;
  /** HTTP status of the change. */
  readonly status: number;
  readonly sourceIp: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  query(tenant: string, filter: { readonly since?: string; readonly action?: string; readonly limit?: number }): Promise<AuditEntry[]>;
}

/** Herald config: the `auth:` section. */
export interface AuthConfig {
  /** 'off' (default; a loud warning at start) or 'required'. */
  readonly mode: 'off' | 'required';
  readonly users: readonly {
    readonly username: string;
    /** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` (see `herald auth hash-password`). */
    readonly passwordHash: string;
    readonly tenants: readonly string[] | '*';
    readonly role: Role;
  }[];
  readonly tokens: readonly {
    readonly name: string;
    /** sha256 hex of the token (the token itself is never stored). */
    readonly tokenSha256: string;
    readonly tenants: readonly string[] | '*';
    readonly role: Role;
  }[];
  readonly jwt?: {
    /** JWKS from a file (read at start and reload) or a URL (cached, refreshed). One of them. */
    readonly jwksFile?: string;
    readonly jwksUrl?: string;
    readonly issuer?: string;
    readonly audience?: string;
    /** Claim holding the tenant id(s) (string or array; dotted path allowed), default `tenant`. */
    readonly tenantClaim: string;
    /** Claim holding the role, default `role`; a missing/unknown role = viewer. */
    readonly roleClaim: string;
    readonly subjectClaim: string;
  };
  /** Failed authentications allowed per source address per minute before 429 (default 10). */
  readonly maxFailuresPerMinute: number;
  /** Let /metrics be scraped without credentials (default false: admin only when auth is required). */
  readonly publicMetrics: boolean;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  mode: 'off',
  users: [],
  tokens: [],
  maxFailuresPerMinute: 10,
  publicMetrics: false,
};
