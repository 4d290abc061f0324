/**
 * Slack. Mirrors Alertmanager 0.34's notify/slack/slack.go: one message with one attachment,
 * every text field templated, the title cut to 1024 runes, POSTed as JSON to `api_url` (a webhook
 * URL, or chat.postMessage with the app token as bearer). Non-2xx: 5xx retried, others not. A 2xx
 * is only a success when a JSON answer says `"ok":true` or a text answer is exactly `ok`.
 */
import type { Alert } from '../../../../core/alert.js';
import { goQuote } from '../../../../core/labels.js';
import type { HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { durationSetting, jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, GoStruct, send } from '../shared/request.js';
import { inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';

const MAX_TITLE_RUNES = 1024;
const DEFAULT_MRKDWN_IN = ['fallback', 'pretext', 'text'];

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => typeof x === 'object' && x !== null) : []);
const omit = (s: string): string | undefined => (s === '' ? undefined : s);

function fields(s: Obj, t: Tmpl): GoStruct[] | undefined {
  const all = list(s['fields']);
  if (all.length === 0) return undefined;
  return all.map((f) => {
    const short = typeof f['short'] === 'boolean' ? f['short'] : s['short_fields'] === true;
    return new GoStruct({ title: omit(t.text(str(f['title']))), value: omit(t.text(str(f['value']))), short });
  });
}

function actions(s: Obj, t: Tmpl): GoStruct[] | undefined {
  const all = list(s['actions']);
  if (all.length === 0) return undefined;
  return all.map((a) => {
    const c = typeof a['confirm'] === 'object' && a['confirm'] !== null ? (a['confirm'] as Obj) : undefined;
    const fieldsOf = {
      type: omit(t.text(str(a['type']))),
      text: omit(t.text(str(a['text']))),
      url: omit(t.text(str(a['url']))),
      style: omit(t.text(str(a['style']))),
      name: omit(t.text(str(a['name']))),
      value: omit(t.text(str(a['value']))),
    };
    if (!c) return new GoStruct(fieldsOf);
    const title = t.text(str(c['title']));
    const text = t.text(str(c['text']));
    const confirm = new GoStruct({ text: omit(text), title: omit(title), ok_text: omit(t.text(str(c['ok_text']))), dismiss_text: omit(t.text(str(c['dismiss_text']))) });
    return new GoStruct({ ...fieldsOf, confirm });
  });
}

function header(res: HttpResponse, name: string): string {
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() === name) return v;
  return '';
}

/** slackResponseHandler: what a 2xx answer means. */
export function checkSlackBody(res: HttpResponse): NotifyResult {
  if (!header(res, 'content-type').startsWith('application/json')) {
    if (res.body === 'ok') return { ok: true };
    return { ok: false, retryable: false, error: `received an error response from Slack: ${res.body}`, reason: 'clientError' };
  }
  let data: unknown;
  try {
    data = JSON.parse(res.body);
  } catch (e) {
    return { ok: false, retryable: true, error: `could not unmarshal JSON response ${goQuote(res.body)}: ${e instanceof Error ? e.message : String(e)}`, reason: 'clientError' };
  }
  const d = typeof data === 'object' && data !== null ? (data as Obj) : {};
  if (d['ok'] === true) return { ok: true };
  return { ok: false, retryable: false, error: `error response from Slack: ${str(d['error'])}`, reason: 'clientError' };
}

/** Builds the Slack Notifier for one validated slack_configs entry. */
export function createSlackNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const timeoutMs = durationSetting(s['timeout']);
  const headers = jsonHeaders(s, deps.version);
  const mrkdwnIn = Array.isArray(s['mrkdwn_in']) && s['mrkdwn_in'].length > 0 ? s['mrkdwn_in'].map(str) : DEFAULT_MRKDWN_IN;

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const logger = deps.logger.child({ integration: 'slack', group_key: ctx.groupKey });
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const title = truncateInRunes(t.text(str(s['title'])), MAX_TITLE_RUNES);
      if (title.truncated) logger.warn({ max_runes: MAX_TITLE_RUNES }, 'Truncated title');
      const attachment = new GoStruct({
        title: omit(title.text),
        title_link: omit(t.text(str(s['title_link']))),
        pretext: omit(t.text(str(s['pretext']))),
        text: t.text(str(s['text'])),
        fallback: t.text(str(s['fallback'])),
        callback_id: t.text(str(s['callback_id'])),
        fields: fields(s, t),
        actions: actions(s, t),
        image_url: omit(t.text(str(s['image_url']))),
        thumb_url: omit(t.text(str(s['thumb_url']))),
        footer: t.text(str(s['footer'])),
        color: omit(t.text(str(s['color']))),
        mrkdwn_in: mrkdwnIn,
      });
      const url = inlineSecret(s, 'api_url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error, reason: 'other' };
      const channel = t.text(str(s['channel']));
      const request = new GoStruct({
        channel: omit(channel),
        username: omit(t.text(str(s['username']))),
        icon_emoji: omit(t.text(str(s['icon_emoji']))),
        icon_url: omit(t.text(str(s['icon_url']))),
        link_names: s['link_names'] === true ? true : undefined,
        text: omit(t.text(str(s['message_text']))),
        attachments: [attachment],
      });
      // As upstream (the shared `err` of TmplText is checked before encoding): a template error
      // fails the notification, not retried.
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error, reason: 'other' };
      if (s['update_message'] === true) logger.warn({}, 'cannot create NflogStore, updatable messages will be disabled.');
      const out = await send(deps, { url: url.value, method: 'POST', headers, body: encodeGo(request) }, ctx.signal, timeoutMs, [], 'slack');
      const result = out.result.ok && out.response ? checkSlackBody(out.response) : out.result;
      if (result.ok || out.response === undefined) return result;
      return { ...result, error: `channel ${goQuote(channel)}: ${result.error}` };
    },
  };
}
