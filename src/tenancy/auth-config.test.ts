import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_CONFIG } from '../auth/api.js';
import { formatIssue } from '../core/result.js';
import { parseHeraldConfig } from './herald-config.js';

const SALT = Buffer.alloc(16, 1).toString('base64');
const HASH = Buffer.alloc(32, 2).toString('base64');
const PW = `scrypt$32768$8$1$${SALT}$${HASH}`;
const SHA = 'a'.repeat(64);

function problems(text: string): string[] {
  const r = parseHeraldConfig(text);
  if (r.ok) throw new Error('expected problems');
  return r.issues.map((i) => formatIssue(i));
}

describe('herald config: auth', () => {
  it('defaults to auth off', () => {
    const r = parseHeraldConfig('');
    expect(r.ok && r.value.auth).toEqual(DEFAULT_AUTH_CONFIG);
  });

  it('reads users, tokens, jwt and the switches', () => {
    const r = parseHeraldConfig(`
auth:
  mode: required
  users:
    - username: alice
      password_hash: "${PW}"
      tenants: [team-a, team-b]
      role: editor
    - username: root
      password_hash: "${PW}"
      tenants: "*"
      role: admin
  tokens:
    - name: prometheus-a
      token_sha256: ${SHA.toUpperCase()}
      tenants: [team-a]
      role: writer
  jwt:
    jwks_url: https://idp.internal/jwks.json
    issuer: https://idp.internal
    audience: herald
    tenant_claim: herald.tenants
  max_failures_per_minute: 20
  public_metrics: true
`);
    if (!r.ok) throw new Error(r.issues.map((i) => formatIssue(i)).join('\n'));
    expect(r.value.auth).toEqual({
      mode: 'required',
      users: [
        { username: 'alice', passwordHash: PW, tenants: ['team-a', 'team-b'], role: 'editor' },
        { username: 'root', passwordHash: PW, tenants: '*', role: 'admin' },
      ],
      tokens: [{ name: 'prometheus-a', tokenSha256: SHA, tenants: ['team-a'], role: 'writer' }],
      jwt: { jwksUrl: 'https://idp.internal/jwks.json', issuer: 'https://idp.internal', audience: 'herald', tenantClaim: 'herald.tenants', roleClaim: 'role', subjectClaim: 'sub' },
      maxFailuresPerMinute: 20,
      publicMetrics: true,
    });
  });

  it('a jwks_file works alone', () => {
    const r = parseHeraldConfig('auth:\n  mode: required\n  jwt:\n    jwks_file: /etc/herald/jwks.json\n    subject_claim: email\n');
    expect(r.ok && r.value.auth.jwt).toEqual({ jwksFile: '/etc/herald/jwks.json', tenantClaim: 'tenant', roleClaim: 'role', subjectClaim: 'email' });
  });

  it('reports every problem with its position', () => {
    expect(
      problems(`auth:
  mode: on
  users:
    - username: alice
      password_hash: "scrypt$1000$8$1$${SALT}$${HASH}"
      tenants: [team-a, "../x"]
      role: owner
    - username: alice
      password_hash: "${PW}"
      tenants: "*"
      role: viewer
    - username: "bob:x"
      password_hash: plain
      tenants: []
      role: viewer
    - username: carol
      extra: 1
  tokens:
    - name: t1
      token_sha256: deadbeef
      tenants: team-a
      role: writer
    - name: t2
      token_sha256: ${SHA}
      tenants: ["*"]
      role: writer
  jwt:
    jwks_file: /a
    jwks_url: ftp://b
    tenant_claim: "a..b"
  max_failures_per_minute: 1.5
  public_metrics: "yes"
`),
    ).toEqual([
      'line 2, column 9: auth.mode must be "off" or "required", got "on"',
      'line 5, column 22: auth.users[0].password_hash: scrypt N must be a power of two above 1, got "1000"',
      "line 6, column 25: auth.users[0].tenants[1]: tenant ID '../x' contains unsupported character '/'",
      'line 7, column 13: auth.users[0].role: unknown role "owner" (writer, viewer, editor or admin)',
      'line 8, column 7: auth.users[1]: duplicate username "alice"',
      'line 12, column 17: auth.users[2].username: must not contain ":" (Basic auth separates it from the password with one)',
      'line 13, column 22: auth.users[2].password_hash: expected scrypt$<N>$<r>$<p>$<salt>$<hash> (see `herald auth hash-password`)',
      'line 14, column 16: auth.users[2].tenants must name at least one tenant (or "*")',
      'line 16, column 7: auth.users[3].password_hash is required',
      'line 16, column 7: auth.users[3].tenants is required',
      'line 16, column 7: auth.users[3].role is required',
      'line 17, column 7: unknown field "extra"',
      'line 20, column 21: auth.tokens[0].token_sha256: must be 64 hex digits, the sha256 of the token (see `herald auth hash-token`)',
      'line 21, column 16: auth.tokens[0].tenants must be a list of tenant ids or "*" (every tenant)',
      'line 25, column 17: auth.tokens[1].tenants[0]: write tenants: "*" (not a list) for every tenant',
      'line 28, column 5: auth.jwt: exactly one of jwks_file and jwks_url must be set',
      'line 29, column 15: auth.jwt.jwks_url: invalid http(s) URL "ftp://b"',
      'line 30, column 19: auth.jwt.tenant_claim: must be a claim name or a dotted path without empty parts',
      'line 31, column 28: auth.max_failures_per_minute must be a non-negative integer (0 = no limit)',
      'line 32, column 19: auth.public_metrics must be a boolean',
    ]);
  });

  it('refuses duplicate token names and digests, a jwt without a JWKS, and required auth with no way in', () => {
    expect(
      problems(`auth:
  mode: required
  tokens:
    - { name: a, token_sha256: ${SHA}, tenants: [x], role: viewer }
    - { name: a, token_sha256: ${'b'.repeat(64)}, tenants: [x], role: viewer }
    - { name: c, token_sha256: ${SHA.toUpperCase()}, tenants: [x], role: viewer }
  jwt:
    issuer: https://idp
`),
    ).toEqual([
      'line 4, column 5: auth.tokens: tokens "a" and "c" have the same token_sha256',
      'line 5, column 7: auth.tokens[1]: duplicate token name "a"',
      'line 8, column 5: auth.jwt: exactly one of jwks_file and jwks_url must be set',
    ]);
    expect(problems('auth:\n  mode: required\n')).toEqual(['line 2, column 9: auth.mode is "required" but no users, tokens or jwt are configured: nobody could sign in']);
    expect(problems('auth:\n  users: {}\n  jwt: 3\n')).toEqual(['line 2, column 10: auth.users must be a list of users', 'line 3, column 8: auth.jwt must be a mapping']);
  });
});
