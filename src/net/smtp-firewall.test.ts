import { describe, expect, it } from 'vitest';
import type { MailMessage, SmtpSender, SmtpTarget } from '../alertmanager/notify/types.js';
import { Firewall } from './firewall.js';
import { firewalledSmtp } from './smtp-firewall.js';

function recorder(): SmtpSender & { sent: SmtpTarget[] } {
  const sent: SmtpTarget[] = [];
  return { sent, send: (t: SmtpTarget) => (sent.push(t), Promise.resolve()) };
}
const MSG: MailMessage = { from: 'a@x', to: ['b@x'], headers: {} };
const target = (host: string): SmtpTarget => ({ host, port: 25, hello: 'localhost', implicitTls: false, requireTls: false });

describe('firewalledSmtp', () => {
  it('refuses a blocked literal address before connecting', async () => {
    const inner = recorder();
    const s = firewalledSmtp(inner, new Firewall({}));
    await expect(s.send(target('10.1.2.3'), MSG, new AbortController().signal)).rejects.toThrow(/receiver firewall: address 10\.1\.2\.3 is blocked \(private network\)/);
    expect(inner.sent).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback', async () => {
    const inner = recorder();
    const s = firewalledSmtp(inner, new Firewall({}));
    await expect(s.send(target('localhost'), MSG, new AbortController().signal)).rejects.toThrow(/receiver firewall/);
    expect(inner.sent).toHaveLength(0);
  });

  it('connects to the checked address and keeps the name for TLS', async () => {
    const inner = recorder();
    const s = firewalledSmtp(inner, new Firewall({ allowCidrs: ['127.0.0.0/8'] }));
    await s.send(target('localhost'), MSG, new AbortController().signal);
    expect(inner.sent[0]?.host).toMatch(/^127\./);
    expect(inner.sent[0]?.tls?.serverName).toBe('localhost');
  });

  it('is the sender itself when nothing is blocked', () => {
    const inner = recorder();
    expect(firewalledSmtp(inner, new Firewall({ blockPrivateAddresses: false }))).toBe(inner);
  });
});
