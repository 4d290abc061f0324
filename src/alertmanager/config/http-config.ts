/**
 * prometheus/common's HTTPClientConfig and TLSConfig as they appear under `http_config`,
 * `smtp_tls_config` and `tls_config`, with the checks of HTTPClientConfig.Validate and
 * TLSConfig.Validate. Shared by the global section and every integration.
 */
import type { Reporter, StructSchema } from './schema.js';
import { isEmpty } from './schema.js';

function atMostOne(o: Record<string, unknown>, r: Reporter, a: string, b: string, message: string): void {
  if (!isEmpty(o[a]) && !isEmpty(o[b])) r.error(message);
}

/** TLSConfig (prometheus/common config.TLSConfig). */
export const TLS_CONFIG: StructSchema = {
  type: 'config.plain',
  fields: {
    ca: 'string',
    cert: 'string',
    key: 'secret',
    ca_file: 'string',
    cert_file: 'string',
    key_file: 'string',
    ca_ref: 'string',
    cert_ref: 'string',
    key_ref: 'string',
    server_name: 'string',
    insecure_skip_verify: { kind: 'bool', default: false, keep: true },
    min_version: 'string',
    max_version: 'string',
  },
  check(o, r) {
    const count = (...keys: string[]): number => keys.filter((k) => !isEmpty(o[k])).length;
    if (count('ca', 'ca_file', 'ca_ref') > 1) r.error('at most one of ca, ca_file & ca_ref must be configured');
    if (count('cert', 'cert_file', 'cert_ref') > 1) r.error('at most one of cert, cert_file & cert_ref must be configured');
    if (count('key', 'key_file', 'key_ref') > 1) r.error('at most one of key and key_file must be configured');
    const hasCert = count('cert', 'cert_file', 'cert_ref') > 0;
    const hasKey = count('key', 'key_file', 'key_ref') > 0;
    if (hasCert && !hasKey) r.error('exactly one of key or key_file must be configured when a client certificate is configured');
    if (hasKey && !hasCert) r.error('exactly one of cert or cert_file must be configured when a client key is configured');
    for (const k of ['min_version', 'max_version']) {
      const v = o[k];
      if (typeof v === 'string' && v !== '' && !['TLS10', 'TLS11', 'TLS12', 'TLS13'].includes(v)) r.error(`unknown TLS version: ${v}`, 'invalid_config', [k]);
    }
  },
};

const BASIC_AUTH: StructSchema = {
  type: 'config.BasicAuth',
  fields: { username: 'string', username_file: 'string', username_ref: 'string', password: 'secret', password_file: 'string', password_ref: 'string' },
};

const AUTHORIZATION: StructSchema = {
  type: 'config.Authorization',
  fields: { type: 'string', credentials: 'secret', credentials_file: 'string', credentials_ref: 'string' },
};

const PROXY_FIELDS = {
  // prometheus/common's config.URL takes anything net/url.Parse accepts, relative URLs included.
  proxy_url: 'string',
  no_proxy: 'string',
  proxy_from_environment: 'bool',
  proxy_connect_header: { map: { list: 'secret' } },
} as const;

function checkProxy(o: Record<string, unknown>, r: Reporter): void {
  if (o['proxy_from_environment'] === true && !isEmpty(o['proxy_url'])) r.error('if proxy_from_environment is configured, proxy_url must not be configured');
  if (o['proxy_from_environment'] === true && !isEmpty(o['no_proxy'])) r.error('if proxy_from_environment is configured, no_proxy must not be configured');
  if (isEmpty(o['proxy_url']) && !isEmpty(o['no_proxy'])) r.error('if no_proxy is configured, proxy_url must also be configured');
  if (isEmpty(o['proxy_url']) && !isEmpty(o['proxy_connect_header'])) r.error('if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured');
}

const OAUTH2: StructSchema = {
  type: 'config.OAuth2',
  fields: {
    client_id: 'string',
    client_secret: 'secret',
    client_secret_file: 'string',
    client_secret_ref: 'string',
    client_certificate_key_id: 'string',
    client_certificate_key: 'secret',
    client_certificate_key_file: 'string',
    client_certificate_key_ref: 'string',
    grant_type: 'string',
    signature_algorithm: 'string',
    iss: 'string',
    audience: 'string',
    claims: { map: 'any' },
    scopes: { list: 'string' },
    token_url: 'string',
    endpoint_params: { map: 'string' },
    tls_config: TLS_CONFIG,
    ...PROXY_FIELDS,
  },
  check(o, r) {
    if (['client_secret', 'client_secret_file', 'client_secret_ref'].filter((k) => !isEmpty(o[k])).length > 1) {
      r.error('at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured');
    }
    checkProxy(o, r);
  },
};

const HEADER: StructSchema = {
  type: 'config.Header',
  fields: { values: { list: 'string' }, secrets: { list: 'secret' }, files: { list: 'string' } },
};

/** HTTPClientConfig; defaults follow_redirects and enable_http2 to true (DefaultHTTPClientConfig). */
export const HTTP_CONFIG: StructSchema = {
  type: 'config.plain',
  fields: {
    basic_auth: BASIC_AUTH,
    authorization: AUTHORIZATION,
    oauth2: OAUTH2,
    bearer_token: 'secret',
    bearer_token_file: 'string',
    tls_config: { kind: TLS_CONFIG, default: { insecure_skip_verify: false }, keep: true },
    follow_redirects: { kind: 'bool', default: true, keep: true },
    enable_http2: { kind: 'bool', default: true, keep: true },
    http_headers: { map: HEADER },
    ...PROXY_FIELDS,
  },
  // Mirrors HTTPClientConfig.Validate (prometheus/common v0.70), including turning a legacy
  // bearer_token(_file) into an `authorization` block.
  check(o, r) {
    const count = (obj: Record<string, unknown>, ...keys: string[]): number => keys.filter((k) => !isEmpty(obj[k])).length;
    atMostOne(o, r, 'bearer_token', 'bearer_token_file', 'at most one of bearer_token & bearer_token_file must be configured');
    const basic = o['basic_auth'] as Record<string, unknown> | undefined;
    const authz = o['authorization'] as Record<string, unknown> | undefined;
    const oauth2 = o['oauth2'] as Record<string, unknown> | undefined;
    const hasBearer = count(o, 'bearer_token', 'bearer_token_file') > 0;
    if ((basic !== undefined || oauth2 !== undefined) && hasBearer) r.error('at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured');
    if (basic && count(basic, 'username', 'username_file', 'username_ref') > 1) r.error('at most one of basic_auth username, username_file & username_ref must be configured', 'conflicting_fields', ['basic_auth']);
    if (basic && count(basic, 'password', 'password_file', 'password_ref') > 1) r.error('at most one of basic_auth password, password_file & password_ref must be configured', 'conflicting_fields', ['basic_auth']);
    if (authz) {
      if (hasBearer) r.error('authorization is not compatible with bearer_token & bearer_token_file', 'conflicting_fields', ['authorization']);
      if (count(authz, 'credentials', 'credentials_file', 'credentials_ref') > 1) r.error('at most one of authorization credentials & credentials_file must be configured', 'conflicting_fields', ['authorization']);
      const t = typeof authz['type'] === 'string' ? authz['type'].trim() : '';
      authz['type'] = t === '' ? 'Bearer' : t;
      if (t.toLowerCase() === 'basic') r.error('authorization type cannot be set to "basic", use "basic_auth" instead', 'invalid_value', ['authorization', 'type']);
      if (basic !== undefined || oauth2 !== undefined) r.error('at most one of basic_auth, oauth2 & authorization must be configured');
    } else if (hasBearer && count(o, 'bearer_token', 'bearer_token_file') === 1) {
      o['authorization'] = isEmpty(o['bearer_token']) ? { type: 'Bearer', credentials_file: o['bearer_token_file'] } : { type: 'Bearer', credentials: o['bearer_token'] };
      delete o['bearer_token'];
      delete o['bearer_token_file'];
    }
    if (oauth2) {
      if (basic !== undefined) r.error('at most one of basic_auth, oauth2 & authorization must be configured');
      if (isEmpty(oauth2['client_id'])) r.error('oauth2 client_id must be configured', 'missing_field', ['oauth2']);
      if (isEmpty(oauth2['token_url'])) r.error('oauth2 token_url must be configured', 'missing_field', ['oauth2']);
    }
    checkProxy(o, r);
  },
};

/** The keys Mimir refuses in tenant-uploaded configurations (local files and proxies). */
export const TENANT_FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['proxy_url', 'proxy_from_environment', 'proxy_connect_header', 'no_proxy']);

/** TLS keys Mimir refuses besides `*_file`: inline PEM material would be read as a local resource. */
export const TENANT_FORBIDDEN_TLS_KEYS: ReadonlySet<string> = new Set(['ca', 'cert', 'key', 'ca_ref', 'cert_ref', 'key_ref']);
