/**
 * The file-based settings of an `http_config` block (basic_auth username/password_file,
 * authorization.credentials_file, bearer_token_file, http_headers files and the PEM files of
 * tls_config), read through the injected SecretFileReader. Operator configs get a reader; tenant
 * configs do not, and a file setting then fails the request for good instead of sending empty
 * credentials.
 */
import { Buffer } from 'node:buffer';
import type { SecretFileReader } from './types.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function obj(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The `<key>_file` variant is in use: no inline value, a file path set. */
export function fromFile(o: Readonly<Record<string, unknown>>, key: string): boolean {
  return (str(o[key]) ?? '') === '' && (str(o[`${key}_file`]) ?? '') !== '';
}

/** The `Basic` Authorization value (base64 of `user:pass`). */
export function basicAuthorization(user: string, pass: string): string {
  return 'Basic ' + Buffer.from(`${user}:${pass}`, 'utf8').toString('base64');
}

/** Header.Values then Header.Secrets, each added as one value (sent comma-joined here). */
export function headerValues(h: Readonly<Record<string, unknown>> | undefined): string[] {
  const values: string[] = [];
  for (const key of ['values', 'secrets']) {
    const list = h?.[key];
    if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') values.push(v);
  }
  return values;
}

/** A `*_file` setting in a config that may not read files (tenant uploads): final, never retried. */
export class SecretFileUnsupportedError extends Error {
  readonly retryable = false;
  /** `key`: the setting as written (`password_file`, `http_headers files`). */
  constructor(key: string) {
    super(`reading ${key} is not supported for tenant configurations`);
    this.name = 'SecretFileUnsupportedError';
  }
}

/** Reads `o[<key>_file]` through `secrets`; `what` prefixes read failures (prometheus/common's texts). */
export function readSetting(o: Readonly<Record<string, unknown>>, key: string, secrets: SecretFileReader | undefined, what: string): string {
  const inline = str(o[key]) ?? '';
  const file = str(o[`${key}_file`]) ?? '';
  if (inline !== '' || file === '') return inline;
  if (!secrets) throw new SecretFileUnsupportedError(`${key}_file`);
  try {
    return secrets.read(file);
  } catch (e) {
    throw new Error(`unable to read ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The headers of an `http_config` that come from files (basic_auth username/password_file,
 * authorization.credentials_file, bearer_token_file, http_headers files), read now. Throws
 * SecretFileUnsupportedError without a reader, and an Error naming the setting when a read fails.
 */
export function httpConfigFileHeaders(httpConfig: unknown, secrets: SecretFileReader | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const hc = obj(httpConfig);
  if (!hc) return out;
  const basic = obj(hc['basic_auth']);
  const authz = obj(hc['authorization']);
  if (basic) {
    if (fromFile(basic, 'username') || fromFile(basic, 'password')) {
      const user = readSetting(basic, 'username', secrets, 'basic auth username');
      const pass = readSetting(basic, 'password', secrets, 'basic auth password');
      out['Authorization'] = basicAuthorization(user, pass);
    }
  } else if (authz) {
    if (fromFile(authz, 'credentials')) {
      const type = str(authz['type']) ?? '';
      out['Authorization'] = `${type === '' ? 'Bearer' : type} ${readSetting(authz, 'credentials', secrets, 'authorization credentials')}`;
    }
  } else if (fromFile(hc, 'bearer_token')) {
    out['Authorization'] = `Bearer ${readSetting(hc, 'bearer_token', secrets, 'authorization credentials')}`;
  }
  const extra = obj(hc['http_headers']);
  for (const [name, h] of Object.entries(extra ?? {})) {
    const files = obj(h)?.['files'];
    if (!Array.isArray(files) || files.length === 0) continue;
    const values = headerValues(obj(h));
    if (!secrets) throw new SecretFileUnsupportedError('http_headers files');
    for (const f of files) if (typeof f === 'string') values.push(readSetting({ header_file: f }, 'header', secrets, `header ${name} file`));
    out[name] = values.join(', ');
  }
  return out;
}

/** Which file-based headers a config has (names only, nothing read). */
export function httpConfigFileHeadersShape(hc: Readonly<Record<string, unknown>>): Record<string, true> {
  const out: Record<string, true> = {};
  const basic = obj(hc['basic_auth']);
  const authz = obj(hc['authorization']);
  if (basic ? fromFile(basic, 'username') || fromFile(basic, 'password') : authz ? fromFile(authz, 'credentials') : fromFile(hc, 'bearer_token')) out['Authorization'] = true;
  for (const [name, h] of Object.entries(obj(hc['http_headers']) ?? {})) {
    const files = obj(h)?.['files'];
    if (Array.isArray(files) && files.length > 0) out[name] = true;
  }
  return out;
}

