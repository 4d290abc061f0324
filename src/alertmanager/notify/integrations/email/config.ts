/** `email_configs` entry. Mirrors Alertmanager's EmailConfig (config/notifiers.go) and its SMTP fill-ins. */
import { TLS_CONFIG } from '../../../config/http-config.js';
import { defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty, isPlainObject, scalarText } from '../../../config/schema.js';
import { createEmailNotifier } from './notifier.js';

/** net/textproto.CanonicalMIMEHeaderKey for ordinary header names. */
export function canonicalHeaderKey(h: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(h)) return h;
  return h.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** Validator for `email_configs` entries. */
export const emailConfig = defineIntegration({
  name: 'email',
  create: createEmailNotifier,
  sendResolvedDefault: false,
  goType: 'config.plain',
  noHttpConfig: true,
  fields: {
    to: 'string',
    from: 'string',
    hello: 'string',
    smarthost: 'hostport',
    auth_username: 'string',
    auth_password: 'secret',
    auth_password_file: 'string',
    auth_secret: 'secret',
    auth_secret_file: 'string',
    auth_identity: 'string',
    headers: { map: 'string' },
    html: { kind: 'string', default: '{{ template "email.default.html" . }}' },
    text: 'string',
    require_tls: 'bool',
    tls_config: TLS_CONFIG,
    force_implicit_tls: 'bool',
    threading: { type: 'config.ThreadingConfig', fields: { enabled: 'bool', thread_by_date: 'string' } },
  },
  check(o, r) {
    if (isEmpty(o['to'])) r.error('missing to address in email config', 'missing_field');
    const headers = o['headers'];
    const normalized: Record<string, string> = {};
    if (isPlainObject(headers)) {
      for (const [h, v] of Object.entries(headers)) {
        const key = canonicalHeaderKey(h);
        if (key in normalized) r.error(`duplicate header ${JSON.stringify(key)} in email config`, 'duplicate_header', ['headers', h]);
        normalized[key] = scalarText(v);
      }
      o['headers'] = normalized;
    }
    const th = o['threading'];
    if (isPlainObject(th) && th['enabled'] === true) {
      if ('References' in normalized) r.error('conflicting configuration: threading.enabled conflicts with custom References header', 'conflicting_fields');
      if ('In-Reply-To' in normalized) r.error('conflicting configuration: threading.enabled conflicts with custom In-Reply-To header', 'conflicting_fields');
      if (th['thread_by_date'] !== 'none' && th['thread_by_date'] !== 'daily') r.error("threading.thread_by_date must be either 'none' or 'daily'", 'invalid_value', ['threading', 'thread_by_date']);
    }
  },
  fillIn(o, g, r) {
    orGlobal(o, 'tls_config', g, 'smtp_tls_config');
    orGlobal(o, 'smarthost', g, 'smtp_smarthost');
    if (isEmpty(o['smarthost'])) r.error('no global SMTP smarthost set', 'missing_global');
    orGlobal(o, 'from', g, 'smtp_from');
    if (isEmpty(o['from'])) r.error('no global SMTP from set', 'missing_global');
    orGlobal(o, 'hello', g, 'smtp_hello');
    orGlobal(o, 'auth_username', g, 'smtp_auth_username');
    if (isEmpty(o['auth_password']) && isEmpty(o['auth_password_file'])) {
      orGlobal(o, 'auth_password', g, 'smtp_auth_password');
      orGlobal(o, 'auth_password_file', g, 'smtp_auth_password_file');
    }
    orGlobal(o, 'auth_secret', g, 'smtp_auth_secret');
    orGlobal(o, 'auth_secret_file', g, 'smtp_auth_secret_file');
    orGlobal(o, 'auth_identity', g, 'smtp_auth_identity');
    if (o['require_tls'] === undefined) o['require_tls'] = g['smtp_require_tls'] ?? true;
    if (o['force_implicit_tls'] === undefined && g['smtp_force_implicit_tls'] !== undefined) o['force_implicit_tls'] = g['smtp_force_implicit_tls'];
  },
});
