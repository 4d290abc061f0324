/**
 * Discord. Mirrors Alertmanager 0.34's notify/discord/discord.go: a webhook message with one
 * embed (title cut to 256 runes, description to 4096, content to 2000), red while firing and
 * green once resolved, POSTed as JSON to `webhook_url`; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, GoStruct, send } from '../shared/request.js';
import { inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';

const MAX_TITLE_RUNES = 256;
const MAX_DESCRIPTION_RUNES = 4096;
const MAX_CONTENT_RUNES = 2000;
const COLOR_RED = 0x992d22;
const COLOR_GREEN = 0x2ecc71;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Whether Go's url.Parse would accept `s` (it refuses control characters and bad % escapes). */
function goUrlParses(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\x00-\x1f\x7f]/.test(s) && !/%(?![0-9a-fA-F]{2})/.test(s);
}

/** Builds the Discord Notifier for one validated discord_configs entry. */
export function createDiscordNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const logger = deps.logger.child({ integration: 'discord', group_key: ctx.groupKey });
      const data = buildTemplateData(ctx, alerts);
      const t = tmpl(deps.templates, data);
      const title = truncateInRunes(t.text(str(s['title'])), MAX_TITLE_RUNES);
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      if (title.truncated) logger.warn({ max_runes: MAX_TITLE_RUNES }, 'Truncated title');
      const description = truncateInRunes(t.text(str(s['message'])), MAX_DESCRIPTION_RUNES);
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      if (description.truncated) logger.warn({ max_runes: MAX_DESCRIPTION_RUNES }, 'Truncated message');
      const content = truncateInRunes(t.text(str(s['content'])), MAX_CONTENT_RUNES);
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      if (content.truncated) logger.warn({ max_runes: MAX_CONTENT_RUNES }, 'Truncated message');
      const url = inlineSecret(s, 'webhook_url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error, reason: 'other' };
      let avatar: string | undefined;
      const avatarSetting = str(s['avatar_url']);
      if (avatarSetting !== '') {
        if (goUrlParses(avatarSetting)) avatar = avatarSetting;
        else logger.warn({ key: ctx.groupKey }, 'Bad avatar url');
      }
      const body = encodeGo(
        new GoStruct({
          content: content.text,
          embeds: [new GoStruct({ title: title.text, description: description.text, color: data.status === 'resolved' ? COLOR_GREEN : COLOR_RED })],
          username: str(s['username']) === '' ? undefined : str(s['username']),
          avatar_url: avatar,
        }),
      );
      const out = await send(deps, { url: url.value, method: 'POST', headers, body }, ctx.signal, 0, [], 'discord');
      return out.result;
    },
  };
}
