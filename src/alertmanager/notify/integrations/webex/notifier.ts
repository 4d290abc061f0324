/**
 * Webex. Mirrors Alertmanager 0.34's notify/webex/webex.go: `{"markdown", "roomId"}` POSTed as
 * JSON to `api_url` with the http_config authorization (a bot token as bearer); the message is
 * cut to 7439 bytes; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, GoStruct, send } from '../shared/request.js';
import { tmpl, truncateInBytes } from '../shared/templating.js';

/** The longest message Webex accepts, in bytes. */
export const WEBEX_MAX_MESSAGE_BYTES = 7439;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Builds the Webex Notifier for one validated webex_configs entry. */
export function createWebexNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const rendered = t.text(str(s['message']));
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      const message = truncateInBytes(rendered, WEBEX_MAX_MESSAGE_BYTES);
      if (message.truncated) deps.logger.debug({ integration: 'webex', group_key: ctx.groupKey, truncated_message: message.text }, 'message truncated due to exceeding maximum allowed length by webex');
      // Upstream does not check the room_id rendering for errors: a failed one is sent as absent.
      const roomId = t.text(str(s['room_id']));
      const body = encodeGo(new GoStruct({ markdown: message.text, roomId: roomId === '' ? undefined : roomId }));
      const out = await send(deps, { url: str(s['api_url']), method: 'POST', headers, body }, ctx.signal, 0, [], 'webex');
      return out.result;
    },
  };
}
