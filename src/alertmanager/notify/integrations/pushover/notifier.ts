/**
 * Pushover. Mirrors Alertmanager 0.34's notify/pushover/pushover.go: every parameter goes in the
 * query string of a body-less `text/plain` POST to api.pushover.net/1/messages.json (keys sorted,
 * as url.Values.Encode); title cut to 250 runes, message to 1024 (then trimmed, "(no details)"
 * when empty), url to 512; retry/expire/ttl in whole seconds; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import { compareStrings } from '../../../../core/labels.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { durationSetting, httpConfigHeaders, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { send } from '../shared/request.js';
import { inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';

/** The messages endpoint (not configurable upstream). */
export const PUSHOVER_API_URL = 'https://api.pushover.net/1/messages.json';
const MAX_TITLE_RUNES = 250;
const MAX_MESSAGE_RUNES = 1024;
const MAX_URL_RUNES = 512;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, space becomes '+'. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** url.Values.Encode for single-valued keys: sorted by key. */
export function encodeQuery(params: ReadonlyMap<string, string>): string {
  return [...params.keys()]
    .sort(compareStrings)
    .map((k) => `${goQueryEscape(k)}=${goQueryEscape(params.get(k) ?? '')}`)
    .join('&');
}

interface Options {
  /** Overrides the endpoint (tests). */
  readonly apiUrl?: string;
}

/** Builds the Pushover Notifier for one validated pushover_configs entry. */
export function createPushoverNotifier(config: IntegrationConfig, deps: NotifierDeps, options: Options = {}): Notifier {
  const s = config.settings;
  const apiUrl = options.apiUrl ?? PUSHOVER_API_URL;
  const headers: Readonly<Record<string, string>> = {
    ...httpConfigHeaders(s['http_config']),
    'User-Agent': userAgent(deps.version),
    'Content-Type': 'text/plain',
  };
  const seconds = (v: unknown): string => String(Math.trunc(durationSetting(v) / 1000));

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const logger = deps.logger.child({ integration: 'pushover', group_key: ctx.groupKey });
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const token = inlineSecret(s, 'token', deps.secrets);
      if ('error' in token) return { ok: false, retryable: false, error: token.error, reason: 'other' };
      const user = inlineSecret(s, 'user_key', deps.secrets);
      if ('error' in user) return { ok: false, retryable: false, error: user.error, reason: 'other' };
      const p = new Map<string, string>();
      p.set('token', t.text(token.value));
      p.set('user', t.text(user.value));
      const title = truncateInRunes(t.text(str(s['title'])), MAX_TITLE_RUNES);
      if (title.truncated) logger.warn({ incident: ctx.groupKey, max_runes: MAX_TITLE_RUNES }, 'Truncated title');
      p.set('title', title.text);
      let message: string;
      if (s['html'] === true) {
        p.set('html', '1');
        message = t.html(str(s['message']));
      } else {
        message = t.text(str(s['message']));
      }
      if (s['monospace'] === true) p.set('monospace', '1');
      const cut = truncateInRunes(message, MAX_MESSAGE_RUNES);
      if (cut.truncated) logger.warn({ incident: ctx.groupKey, max_runes: MAX_MESSAGE_RUNES }, 'Truncated message');
      message = cut.text.trim();
      p.set('message', message === '' ? '(no details)' : message);
      const url = truncateInRunes(t.text(str(s['url'])), MAX_URL_RUNES);
      if (url.truncated) logger.warn({ incident: ctx.groupKey, max_runes: MAX_URL_RUNES }, 'Truncated URL');
      p.set('url', url.text);
      p.set('url_title', t.text(str(s['url_title'])));
      p.set('priority', t.text(str(s['priority'])));
      p.set('retry', seconds(s['retry']));
      p.set('expire', seconds(s['expire']));
      p.set('device', t.text(str(s['device'])));
      p.set('sound', t.text(str(s['sound'])));
      const ttl = Math.trunc(durationSetting(s['ttl']) / 1000);
      if (ttl > 0) p.set('ttl', String(ttl));
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      const u = new URL(apiUrl);
      const target = `${u.origin}${u.pathname}?${encodeQuery(p)}`;
      const out = await send(deps, { url: target, method: 'POST', headers }, ctx.signal, 0, [], 'pushover');
      return out.result;
    },
  };
}
