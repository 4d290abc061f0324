/**
 * Opsgenie. Mirrors Alertmanager 0.34's notify/opsgenie/opsgenie.go: firing groups create an
 * alert (POST v2/alerts, and with update_alerts also PUT its message and description), resolved
 * groups close it (POST v2/alerts/<alias>/close?identifierType=alias). The alias is the SHA-256
 * of the group key, the message is cut to 130 runes, `Authorization: GenieKey <api_key>`;
 * 429 and 5xx are retried.
 */
import type { Alert } from '../../../../core/alert.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { httpConfigHeaders, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, GoStruct, send } from '../shared/request.js';
import { groupKeyHash, inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';

const MAX_MESSAGE_RUNES = 130;

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => typeof x === 'object' && x !== null) : []);
const omit = (s: string): string | undefined => (s === '' ? undefined : s);

/** safeSplit: trims, splits on `sep`, drops empty parts. */
export function safeSplit(s: string, sep: string): string[] {
  return s
    .trim()
    .split(sep)
    .filter((x) => x !== '');
}

interface Request {
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly body: string;
}

/** Builds the Opsgenie Notifier for one validated opsgenie_configs entry. */
export function createOpsgenieNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const base = str(s['api_url']);
  const baseHeaders = { ...httpConfigHeaders(s['http_config']), 'User-Agent': userAgent(deps.version) };
  // The API URL ends with '/' (the config loader adds it); paths are appended to its path and
  // query parameters merged, as Go's url.URL copy + Path += does.
  const endpoint = (path: string, alias: boolean): string => {
    const u = new URL(base);
    u.pathname += path;
    if (alias) u.searchParams.set('identifierType', 'alias');
    return u.toString();
  };

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      if (!URL.canParse(base)) return { ok: false, retryable: false, error: `invalid OpsGenie API URL ${JSON.stringify(base)}`, reason: 'other' };
      const data = buildTemplateData(ctx, alerts);
      const t = tmpl(deps.templates, data);
      const details: Record<string, string> = { ...data.commonLabels };
      const custom = typeof s['details'] === 'object' && s['details'] !== null ? (s['details'] as Obj) : {};
      for (const [k, v] of Object.entries(custom)) details[k] = t.text(str(v));
      const alias = groupKeyHash(ctx.groupKey);
      const requests: Request[] = [];
      if (data.status === 'resolved') {
        requests.push({ method: 'POST', url: endpoint(`v2/alerts/${alias}/close`, true), body: encodeGo(new GoStruct({ source: t.text(str(s['source'])) })) });
      } else {
        const message = truncateInRunes(t.text(str(s['message'])), MAX_MESSAGE_RUNES);
        if (message.truncated) deps.logger.warn({ integration: 'opsgenie', alert: ctx.groupKey, max_runes: MAX_MESSAGE_RUNES }, 'Truncated message');
        const responders: GoStruct[] = [];
        for (const r of list(s['responders'])) {
          const rendered = { id: t.text(str(r['id'])), name: t.text(str(r['name'])), username: t.text(str(r['username'])), type: t.text(str(r['type'])) };
          if (Object.values(rendered).every((v) => v === '')) continue;
          if (rendered.type === 'teams') {
            for (const team of safeSplit(rendered.name, ',')) responders.push(new GoStruct({ name: omit(t.text(team)), type: t.text('team') }));
            continue;
          }
          responders.push(new GoStruct({ id: omit(rendered.id), name: omit(rendered.name), username: omit(rendered.username), type: rendered.type }));
        }
        const description = t.text(str(s['description']));
        const tags = safeSplit(t.text(str(s['tags'])), ',');
        const msg = new GoStruct({
          alias,
          message: message.text,
          description: omit(description),
          details,
          source: t.text(str(s['source'])),
          responders: responders.length > 0 ? responders : undefined,
          tags: tags.length > 0 ? tags : undefined,
          note: omit(t.text(str(s['note']))),
          priority: omit(t.text(str(s['priority']))),
          entity: omit(t.text(str(s['entity']))),
          actions: ((a) => (a.length > 0 ? a : undefined))(safeSplit(t.text(str(s['actions'])), ',')),
        });
        requests.push({ method: 'POST', url: endpoint('v2/alerts', false), body: encodeGo(msg) });
        if (s['update_alerts'] === true) {
          requests.push({ method: 'PUT', url: endpoint(`v2/alerts/${alias}/message`, true), body: encodeGo(new GoStruct({ message: omit(message.text) })) });
          requests.push({ method: 'PUT', url: endpoint(`v2/alerts/${alias}/description`, true), body: encodeGo(new GoStruct({ description: omit(description) })) });
        }
      }
      const key = inlineSecret(s, 'api_key', deps.secrets);
      if ('error' in key) return { ok: false, retryable: false, error: key.error, reason: 'other' };
      const apiKey = t.text(key.value);
      if (t.error !== undefined) return { ok: false, retryable: false, error: `templating error: ${t.error}`, reason: 'other' };
      const headers = { ...baseHeaders, 'Content-Type': 'application/json', Authorization: `GenieKey ${apiKey}` };
      for (const r of requests) {
        const out = await send(deps, { ...r, headers }, ctx.signal, 0, [429], 'opsgenie');
        if (!out.result.ok) return out.result;
      }
      return { ok: true };
    },
  };
}
