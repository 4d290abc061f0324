/**
 * The real SmtpSender, over nodemailer's SMTP connection. Follows Alertmanager's email notifier
 * (notify/email/email.go): implicit TLS for port 465 (or force_implicit_tls), otherwise a plain
 * connection upgraded with STARTTLS only when require_tls is set (and then required); AUTH only when
 * a username is set and the server offers AUTH, with the first mechanism in the server's list that
 * the credentials allow (CRAM-MD5 with the secret, PLAIN with identity, LOGIN); PLAIN is refused
 * over an unencrypted connection to anything but localhost, as Go's smtp.PlainAuth does.
 */
import { Buffer } from 'node:buffer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { MailMessage, SmtpSender, SmtpTarget } from '../alertmanager/notify/types.js';
import { composeMail } from './mime.js';

/** An SMTP failure; `responseCode` is the server's reply code when it answered. */
export class SmtpError extends Error {
  constructor(
    message: string,
    readonly responseCode?: number,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

export interface SmtpSenderOptions {
  /** TCP connect (and TLS handshake) limit. Default 30 s. */
  readonly connectionTimeoutMs?: number;
  /** Wait for the greeting. Default 30 s. */
  readonly greetingTimeoutMs?: number;
  /** Inactivity limit once connected. Default 60 s. */
  readonly socketTimeoutMs?: number;
}

interface NodemailerError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
}

/** Go's Auth type names, which upstream prints in `%T auth: ...` errors. */
const AUTH_TYPE: Readonly<Record<string, string>> = { PLAIN: '*smtp.plainAuth', LOGIN: '*email.loginAuth', 'CRAM-MD5': '*smtp.cramMD5Auth' };

const VERSIONS: Readonly<Record<string, ConnectionOptions['minVersion']>> = { TLSv1: 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

function tlsOptions(target: SmtpTarget): ConnectionOptions {
  const t = target.tls ?? {};
  const o: ConnectionOptions = { rejectUnauthorized: t.insecureSkipVerify !== true };
  // Go sets ServerName to the smarthost's host; Node checks an IP host without SNI (RFC 6066 has no IP SNI).
  const name = t.serverName !== undefined && t.serverName !== '' ? t.serverName : target.host;
  if (isIP(name) === 0) o.servername = name;
  if (t.ca !== undefined && t.ca !== '') o.ca = t.ca;
  if (t.cert !== undefined && t.cert !== '') o.cert = t.cert;
  if (t.key !== undefined && t.key !== '') o.key = t.key;
  const min = t.minVersion !== undefined ? VERSIONS[t.minVersion] : undefined;
  if (min !== undefined) o.minVersion = min;
  return o;
}

/** Mechanisms in the server's own order, from the AUTH line of its (last) EHLO reply. */
function advertisedMechanisms(conn: SMTPConnection): string[] {
  const internal = conn as unknown as { _ehloLines?: unknown; _supportedAuth?: unknown };
  const lines = Array.isArray(internal._ehloLines) ? (internal._ehloLines as string[]) : [];
  for (const line of lines) {
    const m = /^AUTH[\s=](.*)/i.exec(line);
    if (m) return (m[1] as string).split(/[\s=]+/).filter((x) => x !== '').map((x) => x.toUpperCase());
  }
  return Array.isArray(internal._supportedAuth) ? (internal._supportedAuth as string[]) : [];
}

/** Upstream's auth(): the first advertised mechanism the credentials allow, or every reason none fits. */
export function pickMechanism(mechs: readonly string[], auth: NonNullable<SmtpTarget['auth']>): { mech: string } | { error: string } {
  const errs: string[] = [];
  for (const mech of mechs) {
    if (mech === 'CRAM-MD5') {
      if (auth.secret !== '') return { mech };
      errs.push('missing secret for CRAM-MD5 auth mechanism');
    } else if (mech === 'PLAIN' || mech === 'LOGIN') {
      if (auth.password !== '') return { mech };
      errs.push(`missing password for ${mech} auth mechanism`);
    } else {
      errs.push('unknown auth mechanism: ' + mech);
    }
  }
  return { error: errs.join('\n') };
}

const isLocalhost = (h: string): boolean => h === 'localhost' || h === '127.0.0.1' || h === '::1';

/** Creates the SmtpSender src/app.ts hands to the email integration. */
export function createSmtpSender(opts: SmtpSenderOptions = {}): SmtpSender {
  return {
    send(target: SmtpTarget, message: MailMessage, signal: AbortSignal): Promise<void> {
      return sendOne(target, message, signal, opts);
    },
  };
}

async function sendOne(target: SmtpTarget, message: MailMessage, signal: AbortSignal, opts: SmtpSenderOptions): Promise<void> {
  if (signal.aborted) throw abortError(signal);
  const addr = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  const auth = target.auth;
  const conn = new SMTPConnection({
    host: target.host,
    port: target.port,
    secure: target.implicitTls,
    requireTLS: !target.implicitTls && target.requireTls,
    ignoreTLS: !target.requireTls,
    name: target.hello !== '' ? target.hello : 'localhost',
    tls: tlsOptions(target),
    connectionTimeout: opts.connectionTimeoutMs ?? 30_000,
    greetingTimeout: opts.greetingTimeoutMs ?? 30_000,
    socketTimeout: opts.socketTimeoutMs ?? 60_000,
    socketCloseTimeout: 0,
    logger: false,
    customAuth: {
      // Go's PlainAuth sends the identity too; nodemailer's PLAIN would leave it out.
      PLAIN: async (ctx) => {
        const token = Buffer.from(`${auth?.identity ?? ''}\0${auth?.username ?? ''}\0${auth?.password ?? ''}`, 'utf8').toString('base64');
        const r = await ctx.sendCommand('AUTH PLAIN ' + token);
        if (r.status === 235) ctx.resolve();
        else ctx.reject(new Error('Invalid login'));
      },
    },
  });
  // Upstream checks the EHLO reply for STARTTLS before trying it; nodemailer (with requireTLS)
  // tries regardless, so note what the plaintext EHLO said when it sends the command.
  let startTls: boolean | undefined;
  let connected = false;
  const internal = conn as unknown as { _sendCommand?: (str: string, log?: string) => void; _plaintextEhlo?: unknown };
  const sendCommand = internal._sendCommand;
  if (typeof sendCommand === 'function') {
    internal._sendCommand = (str: string, log?: string): void => {
      if (str === 'STARTTLS') startTls = typeof internal._plaintextEhlo === 'string' ? /[ -]STARTTLS\b/im.test(internal._plaintextEhlo) : true;
      sendCommand.call(conn, str, log);
    };
  }
  let failure: NodemailerError | undefined;
  conn.on('error', (e: NodemailerError) => {
    failure ??= e;
  });
  const onAbort = (): void => conn.close();
  signal.addEventListener('abort', onAbort, { once: true });
  const step = <T>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void, what: string): Promise<T | undefined> =>
    new Promise((resolve, reject) => {
      const onClose = (): void => reject(signal.aborted ? abortError(signal) : describe(failure ?? new Error('connection closed'), what));
      conn.once('end', onClose);
      fn((err, v) => {
        conn.off('end', onClose);
        if (signal.aborted) reject(abortError(signal));
        else if (err) reject(describe(err, what));
        else resolve(v);
      });
    });
  const describe = (e: NodemailerError, what: string): SmtpError => {
    const cmd = e.command ?? '';
    let phase = what;
    if (cmd === 'CONN' || cmd === '') phase = target.implicitTls ? 'establish TLS connection to server' : 'establish connection to server';
    if (cmd === 'EHLO' || cmd === 'HELO') phase = 'send EHLO command';
    // Once STARTTLS went out, a failure before the session is up belongs to the upgrade
    // (TLS handshake errors come tagged CONN).
    if (cmd === 'STARTTLS' || (!connected && startTls !== undefined)) {
      if (startTls === false) {
        return new SmtpError(`'require_tls' is true (default) but "${addr}" does not advertise the STARTTLS extension`, e.responseCode, cmd);
      }
      phase = 'send STARTTLS command';
    }
    if (cmd.startsWith('AUTH ')) phase = `${AUTH_TYPE[cmd.slice(5)] ?? cmd} auth`;
    if (cmd === 'MAIL FROM') phase = 'send MAIL command';
    if (cmd === 'RCPT TO') phase = 'send RCPT command';
    if (cmd === 'DATA') phase = e.code === 'EMESSAGE' ? 'delivery failure' : 'send DATA command';
    return new SmtpError(`${phase}: ${e.message}`, e.responseCode, cmd);
  };
  try {
    await step<void>((cb) => conn.connect((err) => cb(err)), 'establish connection to server');
    connected = true;
    if (auth !== undefined && auth.username !== '' && conn.allowsAuth) {
      const picked = pickMechanism(advertisedMechanisms(conn), auth);
      if ('error' in picked) throw new SmtpError(`find auth mechanism: ${picked.error}`);
      if (picked.mech === 'PLAIN' && !conn.secure && !isLocalhost(target.host)) throw new SmtpError('*smtp.plainAuth auth: unencrypted connection');
      const pass = picked.mech === 'CRAM-MD5' ? auth.secret : auth.password;
      await step<boolean>((cb) => conn.login({ method: picked.mech, user: auth.username, pass }, (err, ok) => cb(err, ok)), 'auth');
    }
    const raw = composeMail(message);
    const info = await step<SMTPConnection.SentMessageInfo>((cb) => conn.send({ from: message.from, to: [...message.to] }, raw, (err, i) => cb(err, i)), 'delivery failure');
    // Go stops at the first refused RCPT; nodemailer goes on with the accepted ones, so say so.
    const refused = info?.rejectedErrors?.[0] as NodemailerError | undefined;
    if (refused) throw new SmtpError(`send RCPT command: ${refused.message}`, refused.responseCode, 'RCPT TO');
    conn.quit();
  } finally {
    signal.removeEventListener('abort', onAbort);
    conn.close();
  }
}

function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error('aborted');
}
