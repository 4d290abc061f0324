/**
 * Rocket.Chat through its REST API. Mirrors Alertmanager's notify/rocketchat/rocketchat.go:
 * chat.postMessage under api_url with the X-Auth-Token / X-User-Id headers, one attachment with
 * the templated title (cut to 1024 runes), fields and button actions; a 2xx answer must still say
 * `"success": true`.
 */
import type { Alert } from '../../../../core/alert.js';
import { goQuote } from '../../../../core/labels.js';
import type { HttpRequest, HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import { httpConfigHeaders, sendRequest, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';

/** Upstream's maxTitleLenRunes. */
export const MAX_TITLE_RUNES = 1024;

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function compact(o: Record<string, GoJsonValue>): Record<string, GoJsonValue> {
  const out: Record<string, GoJsonValue> = {};
  for (const [k, v] of Object.entries(o)) if (v !== '' && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

/** url.JoinPath(api_url, "api/v1/chat.postMessage"). */
export function postMessageURL(apiURL: string): string {
  try {
    const u = new URL(apiURL);
    u.pathname = (u.pathname.endsWith('/') ? u.pathname : u.pathname + '/') + 'api/v1/chat.postMessage';
    return u.toString();
  } catch {
    return apiURL;
  }
}

/** The chat.postMessage body; template errors stay in `t`. Returns the channel too (for errors). */
export function buildRocketchatMessage(s: Obj, t: Tmpl): { body: string; channel: string } {
  const title = truncateInRunes(t.text(str(s['title'])), MAX_TITLE_RUNES).text;
  const att: Record<string, GoJsonValue> = {
    title,
    title_link: t.text(str(s['title_link'])),
    text: t.text(str(s['text'])),
    image_url: t.text(str(s['image_url'])),
    thumb_url: t.text(str(s['thumb_url'])),
    color: t.text(str(s['color'])),
    fields: list(s['fields']).map((f) =>
      compact({ short: typeof f['short'] === 'boolean' ? f['short'] : s['short_fields'] === true, title: t.text(str(f['title'])), value: t.text(str(f['value'])) }),
    ),
    actions: list(s['actions']).map((a) =>
      compact({ type: 'button', text: t.text(str(a['text'])), url: t.text(str(a['url'])), is_webview: false, msg: t.text(str(a['msg'])), msg_in_chat_window: false }),
    ),
  };
  const channel = t.text(str(s['channel']));
  const msg = compact({ channel, emoji: t.text(str(s['emoji'])), avatar: t.text(str(s['icon_url'])), attachments: [compact(att)] });
  return { body: goJsonEncode(msg), channel };
}

/** checkJSONResponseError: the API answers 200 with `{"success": false, "error": ...}` on failure. */
export function checkRocketchatBody(body: string): NotifyResult {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return { ok: false, retryable: true, error: `could not unmarshal JSON response ${goQuote(body)}: ${(e as Error).message}` };
  }
  const o = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  if (o['success'] === true) return { ok: true };
  return { ok: false, retryable: false, error: `error response from Rocketchat: ${str(o['error'])}`, reason: 'clientError' };
}

/** Builds the Rocket.Chat Notifier for one validated rocketchat_configs entry. */
export function createRocketchatNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const url = postMessageURL(str(s['api_url']));
  const headers = {
    ...httpConfigHeaders(s['http_config']),
    'User-Agent': userAgent(deps.version),
    'Content-Type': 'application/json',
  };
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const token = inlineSecret(s, 'token', deps.secrets);
      const tokenID = inlineSecret(s, 'token_id', deps.secrets);
      if ('error' in token) return { ok: false, retryable: false, error: token.error };
      if ('error' in tokenID) return { ok: false, retryable: false, error: tokenID.error };
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const { body, channel } = buildRocketchatMessage(s, t);
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error };
      let res: HttpResponse | undefined;
      const http = { request: async (r: HttpRequest) => (res = await deps.http.request(r)) };
      const sent = await sendRequest({ ...deps, http }, { url, method: 'POST', headers: { ...headers, 'X-Auth-Token': token.value, 'X-User-Id': tokenID.value }, body }, ctx.signal, 0, [], 'rocketchat');
      if (res === undefined) return sent;
      const r = sent.ok ? checkRocketchatBody(res.body) : sent;
      return r.ok ? r : { ...r, error: `channel ${goQuote(channel)}: ${r.error}` };
    },
  };
}
