import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage, SmtpTarget } from '../alertmanager/notify/types.js';
import { createSmtpSender, pickMechanism } from './smtp.js';
import type { SmtpError } from './smtp.js';

let dir = '';
let KEY = '';
let CERT = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'herald-smtp-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  KEY = readFileSync(join(dir, 'key.pem'), 'utf8');
  CERT = readFileSync(join(dir, 'cert.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Received {
  raw: string;
  from: string;
  to: string[];
  session: SMTPServerSession;
}

interface AuthSeen {
  method: string;
  username: string;
  password: string;
  authzid?: string;
  ok: boolean;
}

const servers: SMTPServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function smtpServer(opts: Partial<SMTPServerOptions> & { password?: string; secret?: string } = {}): Promise<{ port: number; mails: Received[]; auths: AuthSeen[]; helo: string[] }> {
  const mails: Received[] = [];
  const auths: AuthSeen[] = [];
  const helo: string[] = [];
  const { password = 'pw', secret = 'sec', ...rest } = opts;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    onConnect(session, cb) {
      cb();
      void session;
    },
    onAuth(auth, _session, cb) {
      const ok = auth.method === 'CRAM-MD5' ? auth.validatePassword(secret) : auth.password === password;
      const seen: AuthSeen = { method: auth.method, username: auth.username ?? '', password: auth.password ?? '', ok };
      const authzid = (auth as { authzid?: string }).authzid;
      if (authzid !== undefined) seen.authzid = authzid;
      auths.push(seen);
      if (!ok) return cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      cb(null, { user: auth.username });
    },
    onMailFrom(_a, session, cb) {
      helo.push(session.hostNameAppearsAs);
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ raw: Buffer.concat(chunks).toString('utf8'), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), session });
        cb();
      });
    },
    ...rest,
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, auths, helo };
}

const MESSAGE: MailMessage = {
  from: 'am@example.org',
  to: ['ops@example.org', 'oncall@example.org'],
  headers: { From: 'Alertmanager <am@example.org>', To: 'ops@example.org, oncall@example.org', Subject: 'Größe [FIRING:1]', 'Message-Id': '<1.2@h>', Date: 'Mon, 01 Jan 2024 12:05:00 +0000' },
  text: 'text body',
  html: '<p>html</p>',
};

function target(port: number, over: Partial<SmtpTarget> = {}): SmtpTarget {
  return { host: '127.0.0.1', port, hello: '', implicitTls: false, requireTls: false, ...over };
}

const sender = createSmtpSender({ connectionTimeoutMs: 5000, greetingTimeoutMs: 5000, socketTimeoutMs: 5000 });
const send = (t: SmtpTarget, m: MailMessage = MESSAGE, signal = new AbortController().signal): Promise<void> => sender.send(t, m, signal);

async function failure(p: Promise<void>): Promise<SmtpError> {
  try {
    await p;
  } catch (e) {
    return e as SmtpError;
  }
  throw new Error('expected a failure');
}

describe('SMTP sender against smtp-server', () => {
  it('delivers over plain SMTP without auth: envelope, EHLO name and the raw message', async () => {
    const s = await smtpServer({ hideSTARTTLS: true, disabledCommands: ['AUTH'] });
    await send(target(s.port));
    expect(s.mails).toHaveLength(1);
    const m = s.mails[0]!;
    expect(m.from).toBe('am@example.org');
    expect(m.to).toEqual(['ops@example.org', 'oncall@example.org']);
    expect(s.helo).toEqual(['localhost']);
    const boundary = /boundary=([0-9a-f]{60})\r\n/.exec(m.raw)?.[1] ?? '';
    expect(boundary).not.toBe('');
    expect(m.raw).toBe(
      'From: Alertmanager <am@example.org>\r\nTo: ops@example.org, oncall@example.org\r\nSubject: =?utf-8?q?Gr=C3=B6=C3=9Fe_[FIRING:1]?=\r\n' +
        'Message-Id: <1.2@h>\r\nDate: Mon, 01 Jan 2024 12:05:00 +0000\r\n' +
        `Content-Type: multipart/alternative;  boundary=${boundary}\r\nMIME-Version: 1.0\r\n\r\n` +
        `--${boundary}\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\ntext body` +
        `\r\n--${boundary}\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>html</p>` +
        `\r\n--${boundary}--\r\n`,
    );
    expect(m.session.secure).toBe(false);
  });

  it('uses the hello name', async () => {
    const s = await smtpServer({ hideSTARTTLS: true });
    await send(target(s.port, { hello: 'am.example.org' }));
    expect(s.helo).toEqual(['am.example.org']);
  });

  it('require_tls fails when STARTTLS is not offered, with upstream text', async () => {
    const s = await smtpServer({ hideSTARTTLS: true });
    const e = await failure(send(target(s.port, { requireTls: true })));
    expect(e.message).toBe(`'require_tls' is true (default) but "127.0.0.1:${s.port}" does not advertise the STARTTLS extension`);
    expect(s.mails).toHaveLength(0);
  });

  it('upgrades with STARTTLS and authenticates with PLAIN including the identity', async () => {
    const s = await smtpServer({ key: KEY, cert: CERT, authMethods: ['PLAIN', 'LOGIN'] });
    await send(target(s.port, { requireTls: true, tls: { ca: CERT }, auth: { username: 'u', password: 'pw', identity: 'id', secret: '' } }));
    expect(s.auths).toEqual([{ method: 'PLAIN', username: 'u', password: 'pw', authzid: 'id', ok: true }]);
    expect(s.mails[0]?.session.secure).toBe(true);
  });

  it('does not STARTTLS when require_tls is false, as upstream', async () => {
    const s = await smtpServer({ key: KEY, cert: CERT });
    await send(target(s.port));
    expect(s.mails[0]?.session.secure).toBe(false);
  });

  it('rejects an untrusted certificate unless insecure_skip_verify', async () => {
    const s = await smtpServer({ key: KEY, cert: CERT });
    const e = await failure(send(target(s.port, { requireTls: true })));
    expect(e.message).toMatch(/^send STARTTLS command: /);
    await send(target(s.port, { requireTls: true, tls: { insecureSkipVerify: true } }));
    expect(s.mails).toHaveLength(1);
  });

  it('implicit TLS (port 465 behaviour)', async () => {
    const s = await smtpServer({ secure: true, key: KEY, cert: CERT });
    await send(target(s.port, { implicitTls: true, requireTls: true, tls: { ca: CERT, serverName: 'localhost' } }));
    expect(s.mails[0]?.session.secure).toBe(true);
  });

  it.each([
    { name: 'CRAM-MD5 first in the server list, with a secret', methods: ['CRAM-MD5', 'LOGIN'], secret: 'sec', want: 'CRAM-MD5' },
    { name: 'CRAM-MD5 skipped without a secret', methods: ['CRAM-MD5', 'LOGIN'], secret: '', want: 'LOGIN' },
    { name: 'LOGIN before PLAIN when the server says so', methods: ['LOGIN', 'PLAIN'], secret: '', want: 'LOGIN' },
  ])('auth: $name', async ({ methods, secret, want }) => {
    const s = await smtpServer({ hideSTARTTLS: true, authMethods: methods });
    await send(target(s.port, { auth: { username: 'u', password: 'pw', identity: '', secret } }));
    expect(s.auths.map((a) => [a.method, a.ok])).toEqual([[want, true]]);
  });

  it('PLAIN is refused over plaintext to a host that is not localhost (Go smtp.PlainAuth)', async () => {
    const s = await smtpServer({ hideSTARTTLS: true, authMethods: ['PLAIN'] });
    // "127.1" reaches 127.0.0.1 but is not one of the names Go treats as localhost.
    const e = await failure(send(target(s.port, { host: '127.1', auth: { username: 'u', password: 'pw', identity: '', secret: '' } })));
    expect(e.message).toBe('*smtp.plainAuth auth: unencrypted connection');
    expect(s.auths).toHaveLength(0);
  });

  it('no usable mechanism: find auth mechanism', async () => {
    const s = await smtpServer({ hideSTARTTLS: true, authMethods: ['CRAM-MD5'] });
    const e = await failure(send(target(s.port, { auth: { username: 'u', password: 'pw', identity: '', secret: '' } })));
    expect(e.message).toBe('find auth mechanism: missing secret for CRAM-MD5 auth mechanism');
  });

  it('bad credentials carry the 535 reply code', async () => {
    const s = await smtpServer({ hideSTARTTLS: true, authMethods: ['PLAIN'] });
    const e = await failure(send(target(s.port, { auth: { username: 'u', password: 'wrong', identity: '', secret: '' } })));
    expect(e.responseCode).toBe(535);
    expect(e.message).toMatch(/^\*smtp\.plainAuth auth: /);
    expect(s.mails).toHaveLength(0);
  });

  it('a refused recipient and a refused message carry their reply codes', async () => {
    const s1 = await smtpServer({
      hideSTARTTLS: true,
      onRcptTo(addr, _s, cb) {
        cb(addr.address === 'oncall@example.org' ? Object.assign(new Error('No such user'), { responseCode: 550 }) : undefined);
      },
    });
    const e1 = await failure(send(target(s1.port)));
    expect(e1.responseCode).toBe(550);
    expect(e1.message).toMatch(/^send RCPT command: /);
    const s2 = await smtpServer({
      hideSTARTTLS: true,
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb(Object.assign(new Error('Try later'), { responseCode: 451 })));
      },
    });
    const e2 = await failure(send(target(s2.port)));
    expect(e2.responseCode).toBe(451);
    expect(e2.message).toMatch(/^delivery failure: /);
  });

  it('implicit TLS against a plain server fails as a TLS connection', async () => {
    const s = await smtpServer({ hideSTARTTLS: true });
    const e = await failure(send(target(s.port, { implicitTls: true })));
    expect(e.message).toMatch(/^establish TLS connection to server: /);
  });

  it('a refused connection says so', async () => {
    const s = await smtpServer({ hideSTARTTLS: true });
    const port = s.port;
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const e = await failure(send(target(port)));
    expect(e.message).toMatch(/^establish connection to server: /);
  });

  it('the signal aborts a silent server', async () => {
    const silent = createNetServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as AddressInfo).port;
    const ac = new AbortController();
    const p = send(target(port), MESSAGE, ac.signal);
    setTimeout(() => ac.abort(new Error('flush deadline')), 50);
    const started = Date.now();
    const e = await failure(p);
    expect(e.message).toBe('flush deadline');
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise<void>((r) => silent.close(() => r()));
  });
});

describe('pickMechanism (upstream auth())', () => {
  const auth = { username: 'u', password: 'p', identity: '', secret: '' };
  it.each([
    { mechs: ['PLAIN'], auth, want: { mech: 'PLAIN' } },
    { mechs: ['XOAUTH2', 'LOGIN'], auth, want: { mech: 'LOGIN' } },
    { mechs: ['CRAM-MD5', 'PLAIN'], auth: { ...auth, secret: 's' }, want: { mech: 'CRAM-MD5' } },
    { mechs: ['XOAUTH2', 'PLAIN'], auth: { ...auth, password: '' }, want: { error: 'unknown auth mechanism: XOAUTH2\nmissing password for PLAIN auth mechanism' } },
    { mechs: [], auth, want: { error: '' } },
  ])('$mechs', ({ mechs, auth: a, want }) => expect(pickMechanism(mechs, a)).toEqual(want));
});
