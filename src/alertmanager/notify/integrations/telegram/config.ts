/** `telegram_configs` entry. Mirrors Alertmanager's notify/telegram/config.go and its fill-ins. */
import { atMostOne, defineIntegration, orGlobal } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import { createTelegramNotifier } from './notifier.js';

/** Validator for `telegram_configs` entries. */
export const telegramConfig = defineIntegration({
  name: 'telegram',
  create: createTelegramNotifier,
  sendResolvedDefault: true,
  goType: 'telegram.plain',
  fields: {
    api_url: { kind: 'url', keep: true },
    bot_token: 'secret',
    bot_token_file: 'string',
    chat_id: 'int',
    chat_id_file: 'string',
    message_thread_id: 'int',
    message: { kind: 'string', default: '{{ template "telegram.default.message" . }}' },
    disable_notifications: 'bool',
    parse_mode: { kind: 'string', default: 'HTML' },
  },
  check(o, r) {
    atMostOne(o, r, 'bot_token', 'bot_token_file');
    if (isEmpty(o['chat_id']) && isEmpty(o['chat_id_file'])) r.error('missing chat_id or chat_id_file on telegram_config', 'missing_field');
    atMostOne(o, r, 'chat_id', 'chat_id_file');
    const pm = o['parse_mode'];
    if (pm !== undefined && pm !== '' && pm !== 'Markdown' && pm !== 'MarkdownV2' && pm !== 'HTML') {
      r.error('unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string', 'invalid_value', ['parse_mode']);
    }
  },
  fillIn(o, g, r) {
    orGlobal(o, 'api_url', g, 'telegram_api_url');
    if (isEmpty(o['bot_token']) && isEmpty(o['bot_token_file'])) {
      if (isEmpty(g['telegram_bot_token']) && isEmpty(g['telegram_bot_token_file'])) {
        r.error('missing bot_token or bot_token_file on telegram_config', 'missing_field');
        return;
      }
      orGlobal(o, 'bot_token', g, 'telegram_bot_token');
      orGlobal(o, 'bot_token_file', g, 'telegram_bot_token_file');
    }
  },
});
