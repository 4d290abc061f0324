/**
 * Telegram. Mirrors Alertmanager 0.34's notify/telegram/telegram.go and the telebot v3 client it
 * uses: POST `<api_url>/bot<token>/sendMessage` with a JSON object of strings (chat_id, text,
 * parse_mode, disable_web_page_preview, disable_notification, message_thread_id; keys sorted).
 * Success is decided by the answer's body, not its status: `"ok":false` is an error. Upstream
 * retries every send failure. HTML messages over 4096 runes are replaced by a notice, others cut.
 */
import type { Alert } from '../../../../core/alert.js';
import type { HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, send } from '../shared/request.js';
import { inlineSecret, runeCount, tmpl, truncateInRunes } from '../shared/templating.js';

const MAX_MESSAGE_RUNES = 4096;
/** What upstream sends instead of an HTML message that is too long (its indentation included). */
export const TELEGRAM_TOO_LONG =
  'Alertmanager notification could not be sent: message length exceeds Telegram limits.\n\t\t\tPlease check the template used for producing the message content.';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** telebot's extractOk + extractMessage: what the Bot API's answer means (status code ignored). */
export function checkTelegramBody(res: HttpResponse): NotifyResult {
  let data: unknown;
  try {
    data = JSON.parse(res.body);
  } catch (e) {
    return { ok: false, retryable: true, error: `telebot: ${e instanceof Error ? e.message : String(e)}` };
  }
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (d['ok'] === true) return { ok: true };
  const code = typeof d['error_code'] === 'number' ? d['error_code'] : 0;
  return { ok: false, retryable: true, error: `telegram: ${str(d['description'])} (${code})` };
}

/** Builds the Telegram Notifier for one validated telegram_configs entry. */
export function createTelegramNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const parseMode = str(s['parse_mode']);
  const headers = jsonHeaders(s, deps.version);
  const apiUrl = str(s['api_url']) === '' ? 'https://api.telegram.org' : str(s['api_url']);

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      let text: string;
      if (parseMode === 'HTML') {
        text = t.html(str(s['message']));
        if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
        if (runeCount(text) > MAX_MESSAGE_RUNES) text = TELEGRAM_TOO_LONG;
      } else {
        const cut = truncateInRunes(t.text(str(s['message'])), MAX_MESSAGE_RUNES);
        if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
        if (cut.truncated) deps.logger.warn({ integration: 'telegram', group_key: ctx.groupKey, max_runes: MAX_MESSAGE_RUNES }, 'Truncated message');
        text = cut.text;
      }
      const token = inlineSecret(s, 'bot_token', deps.secrets);
      if ('error' in token) return { ok: false, retryable: false, error: token.error, reason: 'other' };
      const chat = inlineSecret(s, 'chat_id', deps.secrets);
      if ('error' in chat) return { ok: false, retryable: false, error: chat.error, reason: 'other' };
      const params: Record<string, string> = { chat_id: chat.value === '' ? '0' : chat.value, text, disable_web_page_preview: 'true' };
      if (s['disable_notifications'] === true) params['disable_notification'] = 'true';
      if (parseMode !== '') params['parse_mode'] = parseMode;
      const thread = s['message_thread_id'];
      if (typeof thread === 'number' && thread !== 0) params['message_thread_id'] = String(thread);
      const url = `${apiUrl}/bot${token.value}/sendMessage`;
      const out = await send(deps, { url, method: 'POST', headers, body: encodeGo(params) }, ctx.signal, 0, [], 'telegram');
      if (!out.response) return out.result;
      const result = checkTelegramBody(out.response);
      // Never leak the bot token (it is part of the URL) into an error.
      return result.ok || token.value === '' ? result : { ...result, error: result.error.split(token.value).join('<redacted>') };
    },
  };
}
