/** `discord_configs` entry. Mirrors Alertmanager's notify/discord/config.go. */
import { atMostOne, defineIntegration } from '../../../config/integration-def.js';
import { isEmpty } from '../../../config/schema.js';
import { createDiscordNotifier } from './notifier.js';

/** Validator for `discord_configs` entries. */
export const discordConfig = defineIntegration({
  name: 'discord',
  create: createDiscordNotifier,
  sendResolvedDefault: true,
  goType: 'discord.plain',
  fields: {
    webhook_url: 'secretUrl',
    webhook_url_file: 'string',
    content: 'string',
    title: { kind: 'string', default: '{{ template "discord.default.title" . }}' },
    message: { kind: 'string', default: '{{ template "discord.default.message" . }}' },
    username: 'string',
    avatar_url: 'string',
  },
  check(o, r) {
    if (o['webhook_url'] === undefined && isEmpty(o['webhook_url_file'])) r.error('one of webhook_url or webhook_url_file must be configured', 'missing_field');
    atMostOne(o, r, 'webhook_url', 'webhook_url_file');
  },
});
