/**
 * VictorOps (Splunk On-Call). Mirrors Alertmanager 0.34's notify/victorops/victorops.go: a JSON
 * object POSTed to `<api_url><api_key>/<routing_key>`; message_type is the rendered setting when
 * it is INFO, WARNING or CRITICAL (else CRITICAL) and RECOVERY once every alert is resolved;
 * entity_id is the SHA-256 of the group key; state_message is cut to 20480 runes; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, send } from '../shared/request.js';
import { groupKeyHash, inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';

const MAX_MESSAGE_RUNES = 20480;
const ALLOWED_FIRING_TYPES = new Set(['INFO', 'WARNING', 'CRITICAL']);

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Builds the VictorOps Notifier for one validated victorops_configs entry. */
export function createVictoropsNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const data = buildTemplateData(ctx, alerts);
      const key = inlineSecret(s, 'api_key', deps.secrets);
      if ('error' in key) return { ok: false, retryable: false, error: key.error, reason: 'other' };
      const urlTmpl = tmpl(deps.templates, data);
      const routingKey = urlTmpl.text(str(s['routing_key']));
      if (urlTmpl.error !== undefined) return { ok: false, retryable: false, error: `templating error: ${urlTmpl.error}`, reason: 'other' };
      let url: string;
      try {
        const u = new URL(str(s['api_url']));
        u.pathname += `${key.value}/${routingKey}`;
        url = u.toString();
      } catch {
        return { ok: false, retryable: false, error: 'invalid VictorOps API URL', reason: 'other' };
      }

      const t = tmpl(deps.templates, data);
      let messageType = t.text(str(s['message_type']));
      const state = truncateInRunes(t.text(str(s['state_message'])), MAX_MESSAGE_RUNES);
      if (data.status === 'firing' && !ALLOWED_FIRING_TYPES.has(messageType)) messageType = 'CRITICAL';
      if (data.status === 'resolved') messageType = 'RECOVERY';
      if (state.truncated) deps.logger.warn({ integration: 'victorops', group_key: ctx.groupKey, max_runes: MAX_MESSAGE_RUNES }, 'Truncated state_message');
      const msg: Record<string, string> = {
        message_type: messageType,
        entity_id: groupKeyHash(ctx.groupKey),
        entity_display_name: t.text(str(s['entity_display_name'])),
        state_message: state.text,
        monitoring_tool: t.text(str(s['monitoring_tool'])),
      };
      const custom = typeof s['custom_fields'] === 'object' && s['custom_fields'] !== null ? (s['custom_fields'] as Record<string, unknown>) : {};
      for (const [k, v] of Object.entries(custom)) msg[k] = t.text(str(v));
      // Upstream reports payload template errors as retryable (createVictorOpsPayload's error
      // goes back with retry=true); kept for parity.
      if (t.error !== undefined) return { ok: false, retryable: true, error: `templating error: ${t.error}`, reason: 'other' };
      const out = await send(deps, { url, method: 'POST', headers, body: encodeGo(msg) }, ctx.signal, 0, [], 'victorops');
      return out.result;
    },
  };
}
