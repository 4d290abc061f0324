/**
 * Receivers chosen in `herald tenant scaffold` -> the tenant's Alertmanager configuration in
 * Mimir's upload format (`alertmanager_config: |` + `template_files:`, what POST /api/v1/alerts and
 * mimirtool take), routing everything of the tenant to one receiver with one integration per choice.
 */
import { stringify } from 'yaml';
import { UsageError } from '../args.js';

export type ReceiverChoice = { readonly kind: 'webhook' | 'slack'; readonly url: string } | { readonly kind: 'email'; readonly to: string };

/** Parses `webhook=URL`, `slack=URL` or `email=ADDR`. Throws UsageError naming what is wrong. */
export function parseReceiver(arg: string): ReceiverChoice {
  const eq = arg.indexOf('=');
  const kind = eq > 0 ? arg.slice(0, eq).trim() : '';
  const value = arg.slice(eq + 1).trim();
  if (kind === 'webhook' || kind === 'slack') {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      throw new UsageError(`receiver '${arg}': '${value}' is not a URL`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`receiver '${arg}': the URL must be http or https`);
    return { kind, url: value };
  }
  if (kind === 'email') {
    if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw new UsageError(`receiver '${arg}': '${value}' is not an email address`);
    return { kind, to: value };
  }
  throw new UsageError(`receiver '${arg}': expected webhook=URL, email=ADDR or slack=URL`);
}

/** The Mimir-format Alertmanager configuration routing the tenant's alerts to its receivers. */
export function alertmanagerConfig(tenant: string, receivers: readonly ReceiverChoice[]): string {
  const receiver: Record<string, unknown> = { name: tenant };
  const webhooks = receivers.filter((r) => r.kind === 'webhook').map((r) => ({ url: (r as { url: string }).url, send_resolved: true }));
  const emails = receivers.filter((r) => r.kind === 'email').map((r) => ({ to: (r as { to: string }).to, send_resolved: true }));
  const slacks = receivers.filter((r) => r.kind === 'slack').map((r) => ({ api_url: (r as { url: string }).url, send_resolved: true }));
  if (webhooks.length > 0) receiver.webhook_configs = webhooks;
  if (emails.length > 0) receiver.email_configs = emails;
  if (slacks.length > 0) receiver.slack_configs = slacks;
  const config = {
    route: { receiver: tenant, group_by: ['alertname', 'tenant'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' },
    receivers: [receiver],
  };
  const head = emails.length > 0 ? '# email_configs need a smarthost and from address: set them here or in the operator\'s global config.\n' : '';
  return head + stringify({ alertmanager_config: stringify(config), template_files: {} }, { blockQuote: 'literal' });
}
