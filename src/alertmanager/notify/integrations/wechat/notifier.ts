/**
 * WeChat Work (企业微信) application messages. Mirrors Alertmanager's notify/wechat/wechat.go:
 * an access token from `gettoken` (cached for two hours, dropped on errcode 42001), then a JSON
 * message to `message/send?access_token=...`; errcode 0 is success, 42001 is retried, any other
 * errcode fails for good.
 */
import type { Alert } from '../../../../core/alert.js';
import type { HttpRequest, HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { goJsonEncode } from '../../../../core/go-json.js';
import { failureReasonFromStatus, httpConfigHeaders, sendRequest, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { inlineSecret, tmpl } from '../shared/templating.js';

/** How long a fetched access token is reused. */
export const TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
/** errcode for an expired or invalid access token. */
const ERR_TOKEN_EXPIRED = 42001;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function endpoint(apiURL: string, path: string, query: Readonly<Record<string, string>>, keepQuery: boolean): string {
  const u = new URL(apiURL);
  u.pathname += path;
  const q = keepQuery ? new URLSearchParams(u.search) : new URLSearchParams();
  for (const [k, v] of Object.entries(query)) q.set(k, v);
  q.sort();
  u.search = q.toString();
  return u.toString();
}

/** The message/send body as upstream's weChatMessage encodes it (both content structs always present). */
export function encodeWechatMessage(m: { toUser: string; toParty: string; toTag: string; agentID: string; type: string; content: string }): string {
  const md = m.type === 'markdown';
  const omit = (k: string, v: string): Record<string, string> => (v === '' ? {} : { [k]: v });
  return goJsonEncode({
    text: { content: md ? '' : m.content },
    ...omit('touser', m.toUser),
    ...omit('toparty', m.toParty),
    ...omit('totag', m.toTag),
    ...omit('agentid', m.agentID),
    safe: '0',
    ...omit('msgtype', m.type),
    markdown: { content: md ? m.content : '' },
  });
}

function parseJSON(body: string): Record<string, unknown> | Error {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch (e) {
    return e as Error;
  }
}

/** Builds the WeChat Notifier for one validated wechat_configs entry; it keeps the access token. */
export function createWechatNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const apiURL = str(s['api_url']);
  const corpID = str(s['corp_id']);
  const base = { ...httpConfigHeaders(s['http_config']), 'User-Agent': userAgent(deps.version) };
  let accessToken = '';
  let accessTokenAt = 0;

  async function send(req: Omit<HttpRequest, 'signal'>, signal: AbortSignal): Promise<{ sent: NotifyResult; res?: HttpResponse }> {
    let res: HttpResponse | undefined;
    const http = { request: async (r: HttpRequest) => (res = await deps.http.request(r)) };
    const sent = await sendRequest({ ...deps, http }, req, signal, 0, [], 'wechat');
    return res === undefined ? { sent } : { sent, res };
  }

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      if (!URL.canParse(apiURL)) return { ok: false, retryable: false, error: `invalid WeChat api_url ${JSON.stringify(apiURL)}` };
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      if (accessToken === '' || deps.clock.now() - accessTokenAt > TOKEN_TTL_MS) {
        const secret = inlineSecret(s, 'api_secret', deps.secrets);
        if ('error' in secret) return { ok: false, retryable: false, error: secret.error };
        const query = { corpsecret: t.text(secret.value), corpid: t.text(corpID) };
        if (t.error !== undefined) return { ok: false, retryable: false, error: `templating error: ${t.error}` };
        const { sent, res } = await send({ url: endpoint(apiURL, 'gettoken', query, false), method: 'GET', headers: base }, ctx.signal);
        if (res === undefined) return sent;
        // Upstream decodes whatever came back, whatever the status.
        const tok = parseJSON(res.body);
        if (tok instanceof Error) return { ok: false, retryable: false, error: tok.message };
        const at = str(tok['access_token']);
        if (at === '') return { ok: false, retryable: false, error: `invalid APISecret for CorpID: ${corpID}` };
        accessToken = at;
        accessTokenAt = deps.clock.now();
      }
      const type = str(s['message_type']);
      const body = encodeWechatMessage({
        toUser: t.text(str(s['to_user'])),
        toParty: t.text(str(s['to_party'])),
        toTag: t.text(str(s['to_tag'])),
        agentID: t.text(str(s['agent_id'])),
        type,
        content: t.text(str(s['message'])),
      });
      if (t.error !== undefined) return { ok: false, retryable: false, error: `templating error: ${t.error}` };
      const url = endpoint(apiURL, 'message/send', { access_token: accessToken }, true);
      const { sent, res } = await send({ url, method: 'POST', headers: { ...base, 'Content-Type': 'application/json' }, body }, ctx.signal);
      if (res === undefined) return sent;
      if (res.status !== 200) return { ok: false, retryable: true, error: `unexpected status code ${res.status}`, reason: failureReasonFromStatus(res.status) };
      const r = parseJSON(res.body);
      if (r instanceof Error) return { ok: false, retryable: true, error: r.message };
      const code = typeof r['errcode'] === 'number' ? r['errcode'] : 0;
      if (code === 0) return { ok: true };
      if (code === ERR_TOKEN_EXPIRED) {
        accessToken = '';
        return { ok: false, retryable: true, error: str(r['errmsg']) };
      }
      return { ok: false, retryable: false, error: str(r['errmsg']) };
    },
  };
}
