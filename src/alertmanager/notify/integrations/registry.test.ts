import { describe, expect, it } from 'vitest';
import type { GlobalConfig } from '../../config/types.js';
import { GLOBAL_DEFAULTS } from '../../config/global.js';
import { INTEGRATIONS } from './registry.js';

const GLOBAL: GlobalConfig = { resolveTimeoutMs: 300_000, settings: GLOBAL_DEFAULTS };

function messages(name: string, raw: Record<string, unknown>, global: GlobalConfig = GLOBAL): string[] {
  const def = INTEGRATIONS.get(name);
  if (!def) throw new Error(`no integration ${name}`);
  const res = def.validate(raw, global);
  return res.ok ? [] : res.issues.map((i) => i.message);
}

describe('registry', () => {
  it('knows every Alertmanager 0.34 integration', () => {
    expect([...INTEGRATIONS.keys()].sort()).toEqual(
      ['discord', 'email', 'incidentio', 'jira', 'mattermost', 'msteams', 'msteamsv2', 'opsgenie', 'pagerduty', 'pushover', 'rocketchat', 'slack', 'sns', 'telegram', 'victorops', 'webex', 'webhook', 'wechat', 'log'].sort(),
    );
    expect(INTEGRATIONS.get('webhook')?.create).toBeTypeOf('function');
  });

  it.each([
    ['email', false],
    ['slack', false],
    ['wechat', false],
    ['rocketchat', false],
    ['webhook', true],
    ['pagerduty', true],
    ['opsgenie', true],
  ])('%s send_resolved defaults to %s', (name, want) => {
    expect(INTEGRATIONS.get(name)?.sendResolvedDefault).toBe(want);
  });
});

describe('integration validation (upstream messages)', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['webhook', {}, ['one of url or url_file must be configured']],
    ['webhook', { url: 'http://a/', url_file: '/f' }, ['at most one of url & url_file must be configured']],
    ['webhook', { url: 'ftp://a/' }, ['invalid URL: unsupported scheme "ftp" for URL', 'one of url or url_file must be configured']],
    ['webhook', { url: 'http://{{ .GroupLabels.x }}/' }, []],
    ['pagerduty', {}, ['missing service or routing key in PagerDuty config']],
    ['pagerduty', { routing_key: 'a', routing_key_file: 'b' }, ['at most one of routing_key & routing_key_file must be configured']],
    ['sns', {}, ['must provide either a Target ARN, Topic ARN, or Phone Number for SNS config']],
    ['sns', { topic_arn: 'a', phone_number: '1' }, ['must provide either a Target ARN, Topic ARN, or Phone Number for SNS config']],
    ['sns', { topic_arn: 'a' }, []],
    ['telegram', { bot_token: 't', chat_id: 1, parse_mode: 'x' }, ['unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string']],
    ['telegram', { bot_token: 't' }, ['missing chat_id or chat_id_file on telegram_config']],
    ['pushover', { user_key: 'u', token: 't', html: true, monospace: true }, ['at most one of monospace & html must be configured']],
    ['pushover', {}, ['one of user_key or user_key_file must be configured', 'one of token or token_file must be configured']],
    ['opsgenie', { api_key: 'k', responders: [{ type: 'team' }] }, ['opsGenieConfig responder {   team} has to have at least one of id, username or name specified']],
    ['opsgenie', { api_key: 'k', responders: [{ id: 'x', type: 'squad' }] }, ['opsGenieConfig responder {x   squad} type does not match valid options ^(team|teams|user|escalation|schedule)$']],
    ['opsgenie', {}, ['no global OpsGenie API Key set either inline or in a file']],
    ['jira', { project: 'P' }, ['missing issue_type in jira_config', 'no global Jira Cloud URL set']],
    ['jira', { project: 'P', issue_type: 'Bug', api_type: 'x', api_url: 'https://j/' }, ['unknown api_type on jira_config, must be auto, cloud or datacenter']],
    ['email', {}, ['missing to address in email config', 'no global SMTP smarthost set', 'no global SMTP from set']],
    ['email', { to: 'a', smarthost: 'h:25', from: 'f', headers: { subject: 'a', Subject: 'b' } }, ['duplicate header "Subject" in email config']],
    ['email', { to: 'a', smarthost: 'h', from: 'f' }, ['address h: missing port in address', 'no global SMTP smarthost set']],
    ['email', { to: 'a', smarthost: 'h:25', from: 'f', threading: { enabled: true, thread_by_date: 'weekly' } }, ["threading.thread_by_date must be either 'none' or 'daily'"]],
    ['victorops', { api_key: 'k', routing_key: 'r', custom_fields: { entity_id: 'x' } }, ['victorOps config contains custom field entity_id which cannot be used as it conflicts with the fixed/static fields']],
    ['victorops', { api_key: 'k' }, ['missing Routing key in VictorOps config']],
    ['webex', { room_id: 'r' }, ['missing webex_configs.http_config.authorization']],
    ['webex', { http_config: { authorization: { credentials: 'c' } } }, ['missing room_id on webex_config']],
    ['wechat', { api_secret: 's', corp_id: 'c', message_type: 'html' }, ['weChat message type "html" does not match valid options ^(text|markdown)$']],
    ['wechat', {}, ['no global Wechat Api Secret set either inline or in a file', 'no global Wechat CorpID set']],
    ['discord', {}, ['one of webhook_url or webhook_url_file must be configured']],
    ['msteams', {}, ['one of webhook_url or webhook_url_file must be configured']],
    ['msteamsv2', { webhook_url: 'http://a/', webhook_url_file: 'f' }, ['at most one of webhook_url & webhook_url_file must be configured']],
    ['mattermost', {}, ['missing webhook_url or webhook_url_file on mattermost_config']],
    ['mattermost', { webhook_url: 'http://a/', fields: [{ title: 't' }] }, ['missing value in Mattermost field configuration']],
    ['incidentio', { url: 'http://a/', http_config: {} }, ['at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured']],
    ['rocketchat', {}, ['no global Rocketchat TokenID set either inline or in a file', 'no global Rocketchat Token set either inline or in a file']],
    ['slack', {}, ['no Slack API URL nor App token set either inline or in a file']],
    ['slack', { api_url: 'http://a/', actions: [{ type: 'button', text: 't' }] }, ['missing name or url in Slack action configuration']],
    ['slack', { app_token: 't', http_config: { authorization: { credentials: 'x' } } }, ["http authorization can't be set when using Slack App tokens"]],
    ['webhook', { url: 'http://a/', http_config: { bearer_token: 'a', bearer_token_file: 'b' } }, ['at most one of bearer_token & bearer_token_file must be configured']],
    ['webhook', { url: 'http://a/', http_config: { basic_auth: { username: 'u' }, authorization: { credentials: 'c' } } }, ['at most one of basic_auth, oauth2 & authorization must be configured']],
    ['webhook', { url: 'http://a/', http_config: { authorization: { type: 'basic' } } }, ['authorization type cannot be set to "basic", use "basic_auth" instead']],
    ['webhook', { url: 'http://a/', http_config: { tls_config: { cert_file: 'c' } } }, ['exactly one of key or key_file must be configured when a client certificate is configured']],
    ['webhook', { url: 'http://a/', http_config: { oauth2: { client_id: 'c' } } }, ['oauth2 token_url must be configured']],
    ['webhook', { url: 'http://a/', http_config: { basic_auth: { username: 'u', password: 'p', password_file: 'f' } } }, ['at most one of basic_auth password, password_file & password_ref must be configured']],
    ['webhook', { url: 'http://a/', max_alerts: -1 }, ['cannot unmarshal !!int `-1` into uint64']],
  ])('%s %j', (name, raw, want) => {
    expect(messages(name, raw)).toEqual(want);
  });

  it('turns a legacy bearer_token into an authorization block', () => {
    const res = INTEGRATIONS.get('webhook')!.validate({ url: 'http://a/', http_config: { bearer_token: 't' } }, GLOBAL);
    expect(res.ok && res.value['http_config']).toEqual({ authorization: { type: 'Bearer', credentials: 't' }, tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true });
  });

  it('fills defaults and globals under wire names', () => {
    const g: GlobalConfig = { resolveTimeoutMs: 300_000, settings: { ...GLOBAL_DEFAULTS, slack_app_token: 'xoxb' } };
    const slack = INTEGRATIONS.get('slack')!.validate({ channel: '#a' }, g);
    expect(slack.ok && slack.value).toMatchObject({
      send_resolved: false,
      api_url: 'https://slack.com/api/chat.postMessage',
      http_config: { authorization: { type: 'Bearer', credentials: 'xoxb' } },
      title: '{{ template "slack.default.title" . }}',
    });
    const pd = INTEGRATIONS.get('pagerduty')!.validate({ routing_key: 'k', timeout: '10s' }, GLOBAL);
    expect(pd.ok && pd.value).toMatchObject({ url: 'https://events.pagerduty.com/v2/enqueue', timeout: 10_000, source: '{{ template "pagerduty.default.client" . }}' });
    expect(pd.ok && (pd.value['details'] as Record<string, unknown>)['num_firing']).toBe('{{ .Alerts.Firing | len }}');
  });
});
