/**
 * The receiver firewall for mail: the smarthost is resolved here, checked, and the connection
 * made to the checked address (TLS still verifies the host name), so a tenant cannot reach
 * private networks through email_configs any more than through HTTP.
 */
import { isIP } from 'node:net';
import type { SmtpSender } from '../alertmanager/notify/types.js';
import { guardedLookup } from './firewall.js';
import type { Firewall } from './firewall.js';

/** `inner` with every smarthost checked by `fw` at send time. */
export function firewalledSmtp(inner: SmtpSender, fw: Firewall): SmtpSender {
  if (fw.inactive) return inner;
  const lookup = guardedLookup(fw);
  const resolve = (host: string): Promise<string> =>
    new Promise((ok, fail) => {
      if (isIP(host) !== 0) {
        try {
          fw.assert(host);
          ok(host);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
        }
        return;
      }
      lookup(host, {}, (err, address) => (err ? fail(err) : ok(typeof address === 'string' ? address : (address[0]?.address ?? ''))));
    });
  return {
    async send(target, message, signal) {
      const address = await resolve(target.host);
      const serverName = target.tls?.serverName !== undefined && target.tls.serverName !== '' ? target.tls.serverName : target.host;
      await inner.send({ ...target, host: address, tls: { ...target.tls, serverName } }, message, signal);
    },
  };
}
