import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test-fakes.js';
import type { MailMessage, SmtpSender, SmtpTarget } from '../../types.js';
import { alert, defaultTemplates, GOLDEN_ALERT, notifyCtx, NOW, resolved, testDeps, validated } from '../../../../net/test-fakes.js';
import { createSmtpSender, SmtpError } from '../../../../net/smtp.js';
import { parseAddressList } from './address.js';
import { emailConfig } from './config.js';
import { goRfc1123z } from './date.js';
import { createEmailNotifier, smtpTarget, splitHostPort } from './notifier.js';

class FakeSmtp implements SmtpSender {
  readonly sent: Array<{ target: SmtpTarget; message: MailMessage }> = [];
  constructor(private readonly fail?: Error) {}
  send(target: SmtpTarget, message: MailMessage): Promise<void> {
    this.sent.push({ target, message });
    return this.fail ? Promise.reject(this.fail) : Promise.resolve();
  }
}

const GLOBAL = { smtp_from: 'am@example.org', smtp_smarthost: 'mail.example.org:587', smtp_require_tls: true };
const cfg = (raw: Record<string, unknown>, global: Record<string, unknown> = GLOBAL) => validated(emailConfig, { to: 'ops@example.org', ...raw }, global);
const deps = (smtp?: SmtpSender) => testDeps({ clock: new ManualClock(NOW), ...(smtp ? { smtp } : {}) });

describe('email notifier', () => {
  it('composes the mail as upstream: default headers templated, html only by default', async () => {
    const smtp = new FakeSmtp();
    const r = await createEmailNotifier(cfg({}), deps(smtp)).notify(notifyCtx(), [alert({ alertname: 'X' })]);
    expect(r).toEqual({ ok: true });
    expect(smtp.sent).toHaveLength(1);
    const { target, message } = smtp.sent[0]!;
    expect(target).toEqual({ host: 'mail.example.org', port: 587, hello: '', implicitTls: false, requireTls: true, tls: {} });
    expect(message.from).toBe('am@example.org');
    expect(message.to).toEqual(['ops@example.org']);
    expect(Object.keys(message.headers)).toEqual(['From', 'Subject', 'To', 'Message-Id', 'Date']);
    expect(message.headers).toMatchObject({ From: 'am@example.org', To: 'ops@example.org', Subject: '[email.default.subject:firing]', Date: 'Mon, 01 Jan 2024 12:05:00 +0000' });
    expect(message.headers['Message-Id']).toMatch(new RegExp(`^<${NOW}000000\\.\\d+@.+>$`));
    expect(message.html).toBe('[email.default.html:firing]');
    expect(message.text).toBeUndefined();
  });

  it('templates custom headers, to lists, text and html (html escaped)', async () => {
    const smtp = new FakeSmtp();
    const c = cfg({
      to: 'A <a@x.org>, "B, Jr." <b@x.org>, c@x.org',
      from: 'Alerts <am+{{ .GroupLabels.alertname }}@x.org>',
      headers: { subject: 'S {{ .Status }}', 'x-team': '{{ .Receiver }}', 'Message-Id': '<fixed@x>' },
      text: 'T {{ .CommonLabels.alertname }}',
      html: '<b>{{ .CommonLabels.alertname }}</b>',
    });
    await createEmailNotifier(c, deps(smtp)).notify(notifyCtx(), [resolved({ alertname: 'a<b' })]);
    const m = smtp.sent[0]!.message;
    expect(m.from).toBe('am+HighLatency@x.org');
    expect(m.to).toEqual(['a@x.org', 'b@x.org', 'c@x.org']);
    expect(m.headers).toEqual({
      From: 'Alerts <am+HighLatency@x.org>',
      'Message-Id': '<fixed@x>',
      Subject: 'S resolved',
      To: 'A <a@x.org>, "B, Jr." <b@x.org>, c@x.org',
      'X-Team': 'team-X',
      Date: goRfc1123z(NOW),
    });
    expect(m.text).toBe('T a<b');
    expect(m.html).toBe('<b>a&lt;b</b>');
  });

  it('threading headers', async () => {
    const smtp = new FakeSmtp();
    await createEmailNotifier(cfg({ threading: { enabled: true, thread_by_date: 'daily' } }), deps(smtp)).notify(notifyCtx(), [alert({ a: '1' })]);
    const h = smtp.sent[0]!.message.headers;
    expect(h['References']).toMatch(/^<alert-[0-9a-f]{16}-2024-01-01@alertmanager>$/);
    expect(h['In-Reply-To']).toBe(h['References']);
    const smtp2 = new FakeSmtp();
    await createEmailNotifier(cfg({ threading: { enabled: true, thread_by_date: 'none' } }), deps(smtp2)).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(smtp2.sent[0]!.message.headers['References']).toMatch(/^<alert-[0-9a-f]{16}-@alertmanager>$/);
  });

  it('auth, hello, implicit TLS and tls_config reach the target', async () => {
    const smtp = new FakeSmtp();
    const c = cfg({
      smarthost: 'smtp.x.org:465',
      hello: 'am.x.org',
      auth_username: 'u',
      auth_password: 'p',
      auth_identity: 'i',
      auth_secret: 's',
      require_tls: false,
      tls_config: { ca: 'CA', server_name: 'sni', insecure_skip_verify: true, min_version: 'TLS12' },
    });
    await createEmailNotifier(c, deps(smtp)).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(smtp.sent[0]!.target).toEqual({
      host: 'smtp.x.org',
      port: 465,
      hello: 'am.x.org',
      implicitTls: true,
      requireTls: false,
      tls: { ca: 'CA', serverName: 'sni', insecureSkipVerify: true, minVersion: 'TLSv1.2' },
      auth: { username: 'u', password: 'p', secret: 's', identity: 'i' },
    });
    const forced = smtpTarget(cfg({ smarthost: 'x:2525', force_implicit_tls: true }).settings);
    expect('target' in forced && forced.target.implicitTls).toBe(true);
  });

  it.each([
    { name: 'from template', raw: { from: '{{ nope }}' }, want: /^execute 'from' template: / },
    { name: 'to template', raw: { to: '{{ nope }}' }, want: /^execute 'to' template: / },
    { name: 'header template', raw: { headers: { Subject: '{{ nope }}' } }, want: /^execute "Subject" header template: / },
    { name: 'text template', raw: { text: '{{ nope }}' }, want: /^execute text template: / },
    { name: 'html template', raw: { html: '{{ nope }}' }, want: /^execute html template: / },
    { name: 'two from addresses', raw: { from: 'a@x.org, b@x.org' }, want: /^must be exactly one 'from' address \(got: 2\)$/ },
    { name: 'bad to address', raw: { to: 'nobody' }, want: /^parse 'to' addresses: mail: missing @ in addr-spec$/ },
    { name: 'password file', raw: { auth_username: 'u', auth_password_file: '/p' }, want: /^reading auth_password_file is not supported$/ },
    { name: 'ca file', raw: { tls_config: { ca_file: '/ca' } }, want: /tls_config.ca_file is not supported$/ },
  ])('$name fails for good without sending', async ({ raw, want }) => {
    const smtp = new FakeSmtp();
    const r = await createEmailNotifier(cfg(raw), deps(smtp)).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
    expect(r.ok ? '' : r.error).toMatch(want);
    expect(smtp.sent).toHaveLength(0);
  });

  it('reads auth_password_file and tls_config files through the secrets reader', () => {
    const files: Record<string, string> = { '/p': 'pw', '/ca': 'CA-PEM' };
    const secrets = { read: (f: string): string => files[f] ?? (() => { throw new Error(`open ${f}: no such file or directory`); })() };
    const ok = smtpTarget(cfg({ auth_username: 'u', auth_password_file: '/p', tls_config: { ca_file: '/ca' } }).settings, secrets);
    expect('target' in ok && ok.target.auth?.password).toBe('pw');
    expect('target' in ok && ok.target.tls?.ca).toBe('CA-PEM');
    expect(smtpTarget(cfg({ auth_username: 'u', auth_password_file: '/nope' }).settings, secrets)).toEqual({ error: 'read auth_password_file: open /nope: no such file or directory' });
    expect(smtpTarget(cfg({ tls_config: { ca_ref: 'r' } }).settings, secrets)).toEqual({ error: 'parse TLS configuration: reading tls_config.ca_ref is not supported' });
  });

  it('delivery failures are retried (as upstream), whatever the reply code', async () => {
    for (const code of [451, 550]) {
      const r = await createEmailNotifier(cfg({}), deps(new FakeSmtp(new SmtpError('send RCPT command: no', code)))).notify(notifyCtx(), [alert({ a: '1' })]);
      expect(r).toEqual({ ok: false, retryable: true, error: 'send RCPT command: no' });
    }
  });

  it('without an SMTP sender it fails clearly', async () => {
    const r = await createEmailNotifier(cfg({}), deps()).notify(notifyCtx(), [alert({ a: '1' })]);
    expect(r).toMatchObject({ ok: false, retryable: false });
  });

  it('end to end through the real sender to a local SMTP server', async () => {
    const mails: string[] = [];
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      hideSTARTTLS: true,
      onData(stream, _s, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => {
          mails.push(raw);
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.server.address() as AddressInfo).port;
      const c = cfg({ smarthost: `127.0.0.1:${port}`, require_tls: false, headers: { Subject: 'Größe' }, text: 'line1\nline2 ' });
      const r = await createEmailNotifier(c, deps(createSmtpSender())).notify(notifyCtx(), [alert({ a: '1' })]);
      expect(r).toEqual({ ok: true });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain('Subject: =?utf-8?q?Gr=C3=B6=C3=9Fe?=\r\n');
      expect(mails[0]).toContain('Content-Type: text/plain; charset=UTF-8\r\n\r\nline1\r\nline2=20\r\n--');
      expect(mails[0]).toContain('Content-Type: text/html; charset=UTF-8\r\n\r\n[email.default.html:firing]\r\n--');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('address lists (net/mail.ParseAddressList)', () => {
  it.each([
    ['a@x.org', ['a@x.org']],
    ['Name <a@x.org>', ['a@x.org']],
    ['"Last, First" <a@x.org>, b@y.org', ['a@x.org', 'b@y.org']],
    ['a@x.org (comment), <b@y.org>', ['a@x.org', 'b@y.org']],
    ['Team: a@x.org, b@y.org;', ['a@x.org', 'b@y.org']],
    ['"q u"@x.org', ['q u@x.org']],
  ])('%s', (input, want) => expect(parseAddressList(input)).toEqual({ addresses: want }));

  it.each([
    ['', 'mail: no address'],
    ['nobody', 'mail: missing @ in addr-spec'],
    ['a b@x.org', 'mail: no angle-addr'],
    ['Name <a@x.org', 'mail: unclosed angle-addr'],
    ['"open <a@x.org>', 'mail: unclosed quoted-string'],
  ])('%j fails', (input, err) => expect(parseAddressList(input)).toEqual({ error: err }));

  it('host:port', () => {
    expect(splitHostPort('[::1]:25')).toEqual({ host: '::1', port: 25 });
    expect(splitHostPort('smtp:587')).toEqual({ host: 'smtp', port: 587 });
    expect(splitHostPort('smtp')).toBeUndefined();
  });
});

describe('email with the built-in default templates', () => {
  it('renders the default subject and the HTML body', async () => {
    const smtp = new FakeSmtp();
    await createEmailNotifier(cfg({}), testDeps({ clock: new ManualClock(NOW), smtp, templates: defaultTemplates() })).notify(notifyCtx(), [GOLDEN_ALERT]);
    const m = smtp.sent[0]!.message;
    expect(m.headers['Subject']).toBe('[FIRING:1] HighLatency (critical)');
    expect(m.html).toMatch(/^<!DOCTYPE html/i);
    expect(m.html).toContain('p99 high');
  });
});
