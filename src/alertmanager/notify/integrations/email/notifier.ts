/**
 * Email. Mirrors Alertmanager's notify/email/email.go: From, To and every configured header
 * templated (Subject defaulting to email.default.subject), a Message-Id, optional threading
 * headers, Date; `text` (when configured) and `html` rendered as the two alternatives. The mail is
 * handed to the injected SmtpSender; every delivery failure is retried, as upstream does, while
 * template and address errors are not.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { buildTemplateData } from '../../template-data.js';
import type { MailMessage, Notifier, NotifierDeps, NotifyContext, NotifyResult, SecretFileReader, SmtpTarget, TlsOptions } from '../../types.js';
import { groupKeyHash, inlineSecret, tmpl } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';
import { parseAddressList } from './address.js';
import { goRfc1123z } from './date.js';

/** config.DefaultEmailSubject. */
export const DEFAULT_SUBJECT = '{{ template "email.default.subject" . }}';

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** The first template error so far (a call, so checks after each field are not narrowed away). */
const terr = (t: Tmpl): string | undefined => t.error;

/** Splits `host:port` (IPv6 in brackets). */
export function splitHostPort(hp: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(hp);
  if (!m) return undefined;
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}

const TLS_VERSIONS: Readonly<Record<string, TlsOptions['minVersion']>> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** tls_config -> TlsOptions; `*_file` PEM is read through `secrets` (operator configs only). */
export function tlsFromConfig(tc: Obj | undefined, secrets?: SecretFileReader): { tls: TlsOptions } | { error: string } {
  if (!tc) return { tls: {} };
  for (const k of ['ca_file', 'cert_file', 'key_file', 'ca_ref', 'cert_ref', 'key_ref']) {
    if (str(tc[k]) !== '' && (k.endsWith('_ref') || !secrets)) return { error: `parse TLS configuration: reading tls_config.${k} is not supported` };
  }
  const out: { -readonly [K in keyof TlsOptions]: TlsOptions[K] } = {};
  for (const k of ['ca', 'cert', 'key'] as const) {
    const pem = inlineSecret(tc, k, secrets);
    if ('error' in pem) return { error: `parse TLS configuration: ${pem.error}` };
    if (pem.value !== '') out[k] = pem.value;
  }
  if (str(tc['server_name']) !== '') out.serverName = str(tc['server_name']);
  if (tc['insecure_skip_verify'] === true) out.insecureSkipVerify = true;
  const min = TLS_VERSIONS[str(tc['min_version'])];
  if (min !== undefined) out.minVersion = min;
  return { tls: out };
}

/** Where and how to deliver, from a validated email_configs entry. */
export function smtpTarget(s: Obj, secrets?: SecretFileReader): { target: SmtpTarget } | { error: string } {
  const hp = splitHostPort(str(s['smarthost']));
  if (!hp) return { error: `invalid smarthost ${JSON.stringify(str(s['smarthost']))}` };
  const tls = tlsFromConfig(s['tls_config'] as Obj | undefined, secrets);
  if ('error' in tls) return tls;
  const implicitTls = typeof s['force_implicit_tls'] === 'boolean' ? s['force_implicit_tls'] : hp.port === 465;
  const base = { host: hp.host, port: hp.port, hello: str(s['hello']), implicitTls, requireTls: s['require_tls'] !== false, tls: tls.tls };
  const username = str(s['auth_username']);
  if (username === '') return { target: base };
  const secretOf = (key: string): { value: string } | { error: string } => inlineSecret(s, key, secrets);
  const password = secretOf('auth_password');
  if ('error' in password) return password;
  const secret = secretOf('auth_secret');
  if ('error' in secret) return secret;
  return { target: { ...base, auth: { username, password: password.value, secret: secret.value, identity: str(s['auth_identity']) } } };
}

/** Builds the email Notifier for one validated email_configs entry. */
export function createEmailNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers: Record<string, string> = { ...((s['headers'] ?? {}) as Record<string, string>) };
  if (!('Subject' in headers)) headers['Subject'] = DEFAULT_SUBJECT;
  if (!('To' in headers)) headers['To'] = str(s['to']);
  if (!('From' in headers)) headers['From'] = str(s['from']);
  const names = Object.keys(headers).sort();
  const threading = (s['threading'] ?? {}) as Obj;
  let host: string;
  try {
    host = hostname() || 'localhost.localdomain';
  } catch {
    host = 'localhost.localdomain';
  }

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const fail = (error: string): NotifyResult => ({ ok: false, retryable: false, error });
      const target = smtpTarget(s, deps.secrets);
      if ('error' in target) return fail(target.error);
      if (!deps.smtp) return fail('email: no SMTP sender is configured in this process');
      const data = buildTemplateData(ctx, alerts);
      const t = tmpl(deps.templates, data);
      const from = t.text(str(s['from']));
      if (terr(t) !== undefined) return fail(`execute 'from' template: ${terr(t)}`);
      const to = t.text(str(s['to']));
      if (terr(t) !== undefined) return fail(`execute 'to' template: ${terr(t)}`);
      const fromAddrs = parseAddressList(from);
      if ('error' in fromAddrs) return fail(`parse 'from' addresses: ${fromAddrs.error}`);
      if (fromAddrs.addresses.length !== 1) return fail(`must be exactly one 'from' address (got: ${fromAddrs.addresses.length})`);
      const toAddrs = parseAddressList(to);
      if ('error' in toAddrs) return fail(`parse 'to' addresses: ${toAddrs.error}`);

      const out: Record<string, string> = {};
      for (const name of names) {
        const value = t.text(headers[name] as string);
        if (terr(t) !== undefined) return fail(`execute ${JSON.stringify(name)} header template: ${terr(t)}`);
        out[name] = value;
      }
      const now = deps.clock.now();
      if (!('Message-Id' in out)) out['Message-Id'] = `<${BigInt(now) * 1_000_000n}.${randomBytes(8).readBigUInt64BE()}@${host}>`;
      if (threading['enabled'] === true) {
        const day = str(threading['thread_by_date']) !== 'none' ? new Date(now).toISOString().slice(0, 10) : '';
        const root = `<alert-${groupKeyHash(ctx.groupKey).slice(0, 16)}-${day}@alertmanager>`;
        out['References'] = root;
        out['In-Reply-To'] = root;
      }
      out['Date'] = goRfc1123z(now);

      const message: { -readonly [K in keyof MailMessage]: MailMessage[K] } = { from: fromAddrs.addresses[0] as string, to: toAddrs.addresses, headers: out };
      const textTpl = str(s['text']);
      if (textTpl !== '') {
        message.text = t.text(textTpl);
        if (terr(t) !== undefined) return fail(`execute text template: ${terr(t)}`);
      }
      const htmlTpl = str(s['html']);
      if (htmlTpl !== '') {
        message.html = t.html(htmlTpl);
        if (terr(t) !== undefined) return fail(`execute html template: ${terr(t)}`);
      }
      try {
        await deps.smtp.send(target.target, message, ctx.signal);
        return { ok: true };
      } catch (e) {
        return { ok: false, retryable: true, error: e instanceof Error ? e.message : String(e) };
      }
    },
  };
}
