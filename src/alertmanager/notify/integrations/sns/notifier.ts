/**
 * Amazon SNS. Mirrors Alertmanager's notify/sns/sns.go: one Publish call (AWS query protocol, form
 * body signed with SigV4) to the region's endpoint or `api_url`, with topic_arn / phone_number /
 * target_arn, templated subject, message and attributes, the message cut to 256 KiB (1600 bytes for
 * SMS) with a `truncated` attribute, and the group key hash as FIFO group and dedup id.
 */
import { Buffer } from 'node:buffer';
import type { Alert } from '../../../../core/alert.js';
import type { HttpRequest, HttpResponse } from '../../../../core/runtime.js';
import type { IntegrationConfig } from '../../../config/types.js';
import { httpConfigHeaders, sendRequest, userAgent } from '../../http-util.js';
import { buildTemplateData } from '../../template-data.js';
import type { Notifier, NotifierDeps, NotifyContext, NotifyResult } from '../../types.js';
import { groupKeyHash, tmpl } from '../shared/templating.js';
import type { Tmpl } from '../shared/templating.js';
import { signV4 } from './sigv4.js';

/** SNS's message size limit, and the one for SMS. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
export const MAX_SMS_BYTES = 1600;

type Obj = Readonly<Record<string, unknown>>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Go's url.QueryEscape. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** url.Values.Encode over (key, value) pairs: sorted by key, stable within a key. */
export function encodeForm(pairs: ReadonlyArray<readonly [string, string]>): string {
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)
    .join('&');
}

/** Cuts `s` to at most `max` UTF-8 bytes (whole code points). */
function cutBytes(s: string, max: number): { text: string; cut: boolean } {
  if (Buffer.byteLength(s, 'utf8') <= max) return { text: s, cut: false };
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return { text: out, cut: true };
}

/** The Publish parameters (before Action/Version). Returns an error text on a template failure. */
export function publishParams(s: Obj, t: Tmpl, groupKey: string): { pairs: Array<[string, string]> } | { error: string } {
  const fail = (field: string): { error: string } => ({ error: `execute '${field}' template: ${t.error ?? ''}` });
  const attrs = new Map<string, string>();
  const rawAttrs = (s['attributes'] ?? {}) as Obj;
  for (const [k, v] of Object.entries(rawAttrs)) attrs.set(t.text(k), t.text(str(v)));
  if (t.error !== undefined) return fail('attributes');
  const pairs: Array<[string, string]> = [];
  let limit = MAX_MESSAGE_BYTES;
  if (str(s['topic_arn']) !== '') {
    const arn = t.text(str(s['topic_arn']));
    if (t.error !== undefined) return fail('topic_arn');
    pairs.push(['TopicArn', arn]);
    if (arn.endsWith('.fifo')) {
      const h = groupKeyHash(groupKey);
      pairs.push(['MessageDeduplicationId', h], ['MessageGroupId', h]);
    }
  }
  if (str(s['phone_number']) !== '') {
    pairs.push(['PhoneNumber', t.text(str(s['phone_number']))]);
    if (t.error !== undefined) return fail('phone_number');
    limit = MAX_SMS_BYTES;
  }
  if (str(s['target_arn']) !== '') {
    pairs.push(['TargetArn', t.text(str(s['target_arn']))]);
    if (t.error !== undefined) return fail('target_arn');
  }
  const message = t.text(str(s['message']));
  if (t.error !== undefined) return fail('message');
  const cut = cutBytes(message, limit);
  if (cut.cut) attrs.set('truncated', 'true');
  pairs.push(['Message', cut.text]);
  // The SDK serialises the attribute map in key order, entries numbered from 1.
  [...attrs.keys()].sort().forEach((k, i) => {
    const p = `MessageAttributes.entry.${i + 1}`;
    pairs.push([`${p}.Name`, k], [`${p}.Value.DataType`, 'String'], [`${p}.Value.StringValue`, attrs.get(k) as string]);
  });
  if (str(s['subject']) !== '') {
    pairs.push(['Subject', t.text(str(s['subject']))]);
    if (t.error !== undefined) return fail('subject');
  }
  return { pairs };
}

/** The `<Message>` of an AWS query-protocol error document. */
export function awsErrorMessage(xml: string): string {
  const m = /<Message>([\s\S]*?)<\/Message>/.exec(xml);
  if (!m) return xml;
  return (m[1] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Builds the SNS Notifier for one validated sns_configs entry. */
export function createSnsNotifier(config: IntegrationConfig, deps: NotifierDeps): Notifier {
  const s = config.settings;
  const sig = (s['sigv4'] ?? {}) as Obj;
  const region = str(sig['region']);
  const accessKey = str(sig['access_key']);
  const secretKey = str(sig['secret_key']);
  const unsupported = str(sig['role_arn']) !== '' ? 'sigv4.role_arn' : str(sig['profile']) !== '' ? 'sigv4.profile' : accessKey === '' || secretKey === '' ? 'the AWS default credential chain' : '';
  const base = httpConfigHeaders(s['http_config']);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<NotifyResult> {
      // Upstream answers every error before the request (templates included) with "retry".
      const t = tmpl(deps.templates, buildTemplateData(ctx, alerts));
      const apiURL = t.text(str(s['api_url']));
      if (t.error !== undefined) return { ok: false, retryable: true, error: `execute 'api_url' template: ${t.error}`, reason: 'clientError' };
      if (region === '') return { ok: false, retryable: true, error: 'region not configured in sns.sigv4.region or in default credentials chain' };
      const params = publishParams(s, t, ctx.groupKey);
      if ('error' in params) return { ok: false, retryable: true, error: params.error, reason: 'clientError' };
      // Upstream resolves credentials only when publishing, after every template ran.
      if (unsupported !== '') return { ok: false, retryable: false, error: `sns: ${unsupported} is not supported; set sigv4.access_key and sigv4.secret_key` };
      let url: string;
      try {
        const u = new URL(apiURL !== '' ? apiURL : `https://sns.${region}.amazonaws.com`);
        if (!u.pathname.endsWith('/')) u.pathname += '/';
        url = u.toString();
      } catch {
        return { ok: false, retryable: false, error: `invalid SNS endpoint ${JSON.stringify(apiURL)}` };
      }
      const body = encodeForm([['Action', 'Publish'], ['Version', '2010-03-31'], ...params.pairs]);
      const contentType = 'application/x-www-form-urlencoded';
      const signed = signV4({ method: 'POST', url, headers: { 'Content-Type': contentType }, body, region, service: 'sns', accessKey, secretKey, now: deps.clock.now() });
      const headers = { ...base, 'User-Agent': userAgent(deps.version), 'Content-Type': contentType, ...signed.headers };
      let res: HttpResponse | undefined;
      const http = { request: async (r: HttpRequest) => (res = await deps.http.request(r)) };
      const sent = await sendRequest({ ...deps, http }, { url, method: 'POST', headers, body }, ctx.signal, 0, [], 'sns');
      if (sent.ok || res === undefined) return sent;
      const msg = awsErrorMessage(res.body);
      return { ...sent, error: msg !== '' ? `unexpected status code ${res.status}: ${msg}` : `unexpected status code ${res.status}` };
    },
  };
}
