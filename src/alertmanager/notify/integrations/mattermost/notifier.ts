/**
 * Mattermost incoming webhooks. Mirrors Alertmanager's notify/mattermost/mattermost.go: a post
 * with Slack-style attachments (the configured list, or one built from the top-level fields), every
 * string templated, optional props.card and priority (normalised as upstream), text cut to 16383
 * runes; 5xx retried.
 */
import type { Alert } from '../../../../core/alert.js';
import { goQuote } from '../../../../core/labels.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import type { GoJsonValue } from '../../../../core/go-json.js';
import { jsonHeaders, sendRequest } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';

/** Upstream's maxTextLenRunes. */
export const MAX_TEXT_RUNES = 16383;

type Obj = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Go's `omitempty`: drops "", false, null and empty lists. */
function compact(o: Record<string, GoJsonValue | undefined>): Record<string, GoJsonValue> {
  const out: Record<string, GoJsonValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || v === false || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[k] = v;
  }
  return out;
}

const ATTACHMENT_KEYS = ['fallback', 'color', 'pretext', 'text', 'author_name', 'author_link', 'author_icon', 'title', 'title_link', 'fields', 'thumb_url', 'footer', 'footer_icon', 'image_url'] as const;

function fields(t: Tmpl, v: unknown): GoJsonValue[] {
  return list(v).map((f) => {
    const out: Record<string, GoJsonValue> = compact({ title: t.text(str(f['title'])), value: t.text(str(f['value'])) });
    if (typeof f['short'] === 'boolean') out['short'] = f['short'];
    return out;
  });
}

function attachment(t: Tmpl, src: Obj, text: string | undefined): Record<string, GoJsonValue> {
  const o: Record<string, GoJsonValue> = {};
  for (const k of ATTACHMENT_KEYS) {
    if (k === 'fields') o[k] = fields(t, src['fields']);
    else if (k === 'text' && text !== undefined) o[k] = text;
    else o[k] = t.text(str(src[k]));
  }
  return compact(o);
}

const PRIORITIES = new Set(['urgent', 'important', 'standard']);

/** The webhook request body (upstream createRequest + sanitizeRequest). Template errors stay in `t`. */
export function buildMattermostRequest(s: Obj, t: Tmpl): string {
  const text = t.text(str(s['text']));
  const req: Record<string, GoJsonValue | undefined> = {
    text: '',
    channel: t.text(str(s['channel'])),
    username: t.text(str(s['username'])),
    icon_url: t.text(str(s['icon_url'])),
    icon_emoji: t.text(str(s['icon_emoji'])),
    attachments: [],
    type: t.text(str(s['type'])),
  };
  const priority = s['priority'] as Obj | undefined;
  const props = s['props'] as Obj | undefined;
  if (props && str(props['card']) !== '') req['props'] = { card: t.text(str(props['card'])) };
  if (priority && str(priority['priority']) !== '') {
    let p = t.text(str(priority['priority'])).toLowerCase();
    if (!PRIORITIES.has(p)) p = 'standard';
    req['priority'] = compact({
      priority: p,
      requested_ack: priority['requested_ack'] === true && p !== 'standard',
      persistent_notifications: priority['persistent_notifications'] === true && p === 'urgent',
    });
  }
  const configured = list(s['attachments']);
  if (configured.length > 0) {
    req['attachments'] = configured.map((a) => attachment(t, a, undefined));
    req['text'] = truncateInRunes(text, MAX_TEXT_RUNES).text;
  } else {
    req['attachments'] = [attachment(t, s, text)];
  }
  // Field order of upstream's request struct: props and priority come last.
  const { props: pr, priority: pi, ...rest } = req;
  return goJsonEncode(compact({ ...rest, props: pr, priority: pi }));
}

/** Builds the Mattermost Notifier for one validated mattermost_configs entry. */
export function createMattermostNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const headers = jsonHeaders(s, deps.version);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const url = inlineSecret(s, 'webhook_url', deps.secrets);
      if ('error' in url) return { ok: false, retryable: false, error: url.error };
      if (url.value === '') return { ok: false, retryable: false, error: 'webhook url missing' };
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const body = buildMattermostRequest(s, t);
      if (t.error !== undefined) return { ok: false, retryable: false, error: t.error };
      const channel = t.text(str(s['channel']));
      const r = await sendRequest(deps, { url: url.value, method: 'POST', headers, body }, ctx.signal, 0, [], 'mattermost');
      return r.ok || r.reason === undefined ? r : { ...r, error: `channel ${goQuote(channel)}: ${r.error}` };
    },
  };
}
