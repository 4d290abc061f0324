/** Outbound network adapters: the integrations' HTTP client and the receiver firewall. */
export { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from './http-client.js';
export type { ClosableHttpClient, HttpClientOptions } from './http-client.js';
export { Firewall, FirewallConfigError, FirewallError, guardedLookup } from './firewall.js';
export type { BlockReason, FirewallOptions } from './firewall.js';
export { cidrContains, parseCidr, parseIp } from './ip.js';
export type { Cidr } from './ip.js';
export { createSmtpSender, SmtpError } from './smtp.js';
export type { SmtpSenderOptions } from './smtp.js';
export { firewalledSmtp } from './smtp-firewall.js';
