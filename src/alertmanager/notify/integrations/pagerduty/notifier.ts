/**
 * PagerDuty. Mirrors Alertmanager 0.34's notify/pagerduty/pagerduty.go: with a `service_key` the
 * Events API v1 (fixed URL, incident_key, 403 and 5xx retried), otherwise Events API v2 at `url`
 * (routing_key, dedup_key, payload, 429 and 5xx retried). The key is the SHA-256 of the group key,
 * the event "resolve" when every alert is resolved, the summary cut to 1024 runes, and details
 * replaced by an error note when the event exceeds 512 KB.
 */
import type { Alert } from '../../../../core/alert.js';
import type { HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { durationSetting, failureReasonFromStatus, jsonHeaders } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { encodeGo, GoJsonUnsupportedValue, GoStruct, send } from '../shared/request.js';
import { groupKeyHash, inlineSecret, tmpl, truncateInRunes } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';
import { renderDetails } from './details.js';

/** Events API v1 endpoint (not configurable upstream). */
export const PAGERDUTY_V1_URL = 'https://events.pagerduty.com/generic/2010-04-15/create_event.json';
const MAX_EVENT_BYTES = 512_000;
const MAX_SUMMARY_RUNES = 1024;
const TOO_BIG = 'Custom details have been removed because the original event exceeds the maximum size of 512KB';

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => typeof x === 'object' && x !== null) : []);
const omit = (s: string): string | undefined => (s === '' ? undefined : s);
const fail = (error: string, retryable = false, reason?: string): NotifyResult => (reason ? { ok: false, retryable, error, reason } : { ok: false, retryable, error });

/** errDetails: for a 400, `<message>: <errors joined by ,>` from PagerDuty's JSON answer, else "". */
export function pagerdutyErrorDetails(status: number, body: string): string {
  if (status !== 400) return '';
  try {
    const d = JSON.parse(body) as unknown;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return '';
    const o = d as Obj;
    if (o['message'] !== undefined && o['message'] !== null && typeof o['message'] !== 'string') return '';
    const errors = o['errors'] ?? [];
    if (!Array.isArray(errors) || !errors.every((e) => typeof e === 'string')) return '';
    return `${str(o['message'])}: ${errors.join(',')}`;
  } catch {
    return '';
  }
}

interface Options {
  /** Overrides the v1 endpoint (tests). */
  readonly v1Url?: string;
}

/** Builds the PagerDuty Notifier for one validated pagerduty_configs entry. */
export function createPagerdutyNotifier(config: IntegrationConfig, deps: NotifierDeps, options: Options = {}): Notifier {
  const s = config.settings;
  const v1 = str(s['service_key']) !== '' || str(s['service_key_file']) !== '';
  const timeoutMs = durationSetting(s['timeout']);
  const headers = jsonHeaders(s, deps.version);

  /** Encodes; over 512 KB the details are replaced by a note (where v1 and v2 keep them). */
  function encode(build: (details: unknown) => GoStruct, details: unknown): string {
    const body = encodeGo(build(details));
    const size = Buffer.byteLength(body, 'utf8');
    if (size <= MAX_EVENT_BYTES) return body;
    deps.logger.warn({ integration: 'pagerduty', size, limit: MAX_EVENT_BYTES }, `Truncated Details because message of size ${size}B exceeds limit 512KB`);
    return encodeGo(build({ error: TOO_BIG }));
  }

  function v1Message(t: Tmpl, key: string, eventType: string, details: unknown): { body: string } | { error: NotifyResult } {
    const description = truncateInRunes(t.text(str(s['description'])), MAX_SUMMARY_RUNES);
    if (description.truncated) deps.logger.warn({ integration: 'pagerduty', key, max_runes: MAX_SUMMARY_RUNES }, 'Truncated description');
    const secret = inlineSecret(s, 'service_key', deps.secrets);
    if ('error' in secret) return { error: fail(secret.error) };
    const serviceKey = t.text(secret.value);
    const trigger = eventType === 'trigger';
    const client = trigger ? t.text(str(s['client'])) : '';
    const clientUrl = trigger ? t.text(str(s['client_url'])) : '';
    if (t.error !== undefined) return { error: fail(`failed to template PagerDuty v1 message: ${t.error}`) };
    if (serviceKey === '') return { error: fail('service key cannot be empty') };
    const build = (d: unknown): GoStruct =>
      new GoStruct({
        service_key: serviceKey,
        incident_key: key,
        event_type: eventType,
        description: omit(description.text),
        event_action: '',
        payload: null,
        client: omit(client),
        client_url: omit(clientUrl),
        details: nonEmptyMap(d),
      });
    return { body: encode(build, details) };
  }

  function v2Message(t: Tmpl, key: string, eventType: string, details: unknown): { body: string } | { error: NotifyResult } {
    const summary = truncateInRunes(t.text(str(s['description'])), MAX_SUMMARY_RUNES);
    if (summary.truncated) deps.logger.warn({ integration: 'pagerduty', key, max_runes: MAX_SUMMARY_RUNES }, 'Truncated summary');
    const secret = inlineSecret(s, 'routing_key', deps.secrets);
    if ('error' in secret) return { error: fail(secret.error) };
    const client = t.text(str(s['client']));
    const clientUrl = t.text(str(s['client_url']));
    const routingKey = t.text(secret.value);
    const source = t.text(str(s['source']));
    const severity = t.text(str(s['severity']) === '' ? 'error' : str(s['severity']));
    const klass = t.text(str(s['class']));
    const component = t.text(str(s['component']));
    const group = t.text(str(s['group']));
    const images = list(s['images'])
      .map((i) => new GoStruct({ src: t.text(str(i['src'])), alt: t.text(str(i['alt'])), href: t.text(str(i['href'])) }))
      .filter((i) => i.fields['src'] !== '');
    const links = list(s['links'])
      .map((l) => new GoStruct({ href: t.text(str(l['href'])), text: t.text(str(l['text'])) }))
      .filter((l) => l.fields['href'] !== '');
    if (t.error !== undefined) return { error: fail(`failed to template PagerDuty v2 message: ${t.error}`) };
    if (routingKey === '') return { error: fail('routing key cannot be empty') };
    const build = (d: unknown): GoStruct =>
      new GoStruct({
        routing_key: routingKey,
        dedup_key: key,
        event_action: eventType,
        payload: new GoStruct({
          summary: summary.text,
          source,
          severity,
          class: omit(klass),
          component: omit(component),
          group: omit(group),
          custom_details: nonEmptyMap(d),
        }),
        client: omit(client),
        client_url: omit(clientUrl),
        images: images.length > 0 ? images : undefined,
        links: links.length > 0 ? links : undefined,
      });
    return { body: encode(build, details) };
  }

  function classify(res: HttpResponse): NotifyResult {
    const retryable = Math.floor(res.status / 100) === 5 || res.status === (v1 ? 403 : 429);
    const details = pagerdutyErrorDetails(res.status, res.body);
    const error = `unexpected status code ${res.status}${details !== '' ? `: ${details}` : ''}`;
    // Only the v2 path wraps the error with a reason upstream.
    return fail(error, retryable, v1 ? undefined : failureReasonFromStatus(res.status));
  }

  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      const data = buildTemplateData(ctx, alerts);
      const eventType = data.status === 'resolved' ? 'resolve' : 'trigger';
      const rendered = renderDetails(s['details'], tmpl(deps.templates, data));
      if ('error' in rendered) return fail(`failed to render details: ${rendered.error}`);
      const key = groupKeyHash(ctx.groupKey);
      let msg: { body: string } | { error: NotifyResult };
      try {
        msg = (v1 ? v1Message : v2Message)(tmpl(deps.templates, data), key, eventType, rendered.value);
      } catch (e) {
        if (e instanceof GoJsonUnsupportedValue) return fail(`failed to encode PagerDuty message: ${e.message}`);
        throw e;
      }
      if ('error' in msg) return msg.error;
      const url = v1 ? (options.v1Url ?? PAGERDUTY_V1_URL) : str(s['url']);
      const out = await send(deps, { url, method: 'POST', headers, body: msg.body }, ctx.signal, timeoutMs, [], 'pagerduty');
      if (out.result.ok) return out.result;
      if (!out.response) return { ...out.result, error: `failed to post message to PagerDuty${v1 ? ' v1' : ''}: ${out.result.error}` };
      return classify(out.response);
    },
  };
}

function nonEmptyMap(d: unknown): unknown {
  return typeof d === 'object' && d !== null && Object.keys(d).length > 0 ? d : undefined;
}
